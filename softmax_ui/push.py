"""Wake a student's live fragment as soon as the room changes, instead of at its next tick.

Without this, a following student sees the teacher's move at the next ``run_every`` tick of
their follow fragment: up to a whole interval later, and every student's tick costs the
server a fragment run each interval, changed or not. Here one thread per process (the
*watcher*) reads, every :data:`WATCH_EVERY` seconds, a small *stamp* of each room that has
watching sessions in this process (the view's version, a poll's status: one store read per
room, not per student), and when a session's last seen stamp is older, asks Streamlit to
rerun that session's fragment now (the same run its timer would make, only earlier), or,
for :data:`WHOLE_RUN`, its page: a following student's move is shown by one whole run of
the page, not a fragment's run and then the page's. A move that only changes what the page's
sections show is shown by one run of the fragment and those sections (:data:`Plan`): the
page's frame (sidebar, title, styles) is neither rerun nor re-sent. The fragments keep a
slow ``run_every`` as a fallback (a watcher that could not wake a session, the heartbeat),
so the class works, only slower, if this module stops working.

A move wakes every follower of the room, but at most :data:`AT_ONCE` of this process's at a
time, in the order they were watched: each woken run that stops starts the watcher's next
round at once, and the next student's run with it.
Run all at once, the runs shared the GIL with each other and with the event loop that sends
what they draw, so the whole room saw the move at about the same, late, time.

Streamlit has no public way to start a run from the server, so :func:`_wake` uses its
runtime (``Runtime.instance()``, the session manager, ``AppSession.request_rerun`` with a
``ClientState`` naming the page and the fragment, on the session's event loop; for several
fragments in one run, the ``RerunData`` that ``st.rerun(scope=[…])`` makes, given to a new
script runner as ``request_rerun`` does). A session
that is running a script is not woken (a rerun request would be merged into the browser's
pending one, with this module's page and query): the watcher tries again on its next round.
:func:`drop_ticks_of_other_pages` wraps ``ScriptRunner._run_script``.
``tests/devtools/test_streamlit_internals.py`` checks each of these names, so a Streamlit
upgrade that changes one fails there.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

WATCH_EVERY = 0.1
"""Seconds between the watcher's reads of the stamps."""
AT_ONCE = 2
"""How many sessions the watcher's wakes may have running at once in this process. A move
wakes every follower of the room; run all at once, their scripts share the GIL with one
another and with the event loop that sends what they draw, so every student's view arrived
at about the same, late, time. Woken a few at a time, in turn, as each run ends, the first
students see the move at once (docs/benchmarks.md, "Live class")."""
RUN_AT_MOST = 2.0
"""Seconds after which a woken run still counted as running no longer holds its place (a
run the watcher could not see end)."""
RETRY_AFTER = 1.5
"""Seconds before a session woken for a stamp is woken again for the same stamp (its run
did not see it yet: lost, or queued behind a long run)."""
ENDED = ("the class has ended",)
"""What the watcher sees of a room whose reader reads ``None``: the class has ended."""
RETRIES = 3
"""How many times a session is woken again for one stamp; then the watcher leaves it to the
fragment's own timer (a session whose runs never report it: it left the class)."""

WHOLE_RUN = "<whole run>"
"""The ``fragment_id`` that asks :func:`watch` for a whole run of the session's page rather
than a fragment's (a following student's view: the run that shows the teacher's move)."""

Reader = Callable[[str], Hashable | None]
"""A room code → its current stamp (``None``: the room is gone, stop watching it)."""


@dataclass(frozen=True)
class PageRun:
    """A whole run of another page of the app (its script hash), where the stamp is shown:
    the run a page switch would make, without first running the page the session is on."""

    page: str


Plan = Callable[[Hashable], "tuple[str, ...] | PageRun | None"]
"""For a :data:`WHOLE_RUN` watch, the new stamp → the keys of the fragments (``st.fragment(
key=…)``) that show it, to run right after the watching fragment in one run instead of a
whole run of the page; or another page to run whole; ``None``: a whole run of the page."""
Target = str | tuple[str, ...] | PageRun
"""What a wake runs: :data:`WHOLE_RUN`, a fragment id, a fragment id and then fragment keys
in one run, or a whole run of another page."""

_LOGGER = logging.getLogger(__name__)


@dataclass
class _Watch:
    topic: str
    code: str
    fragment_id: str
    seen: Hashable
    page: str = ""
    """The page script hash of the run that registered it (the page the fragment is on)."""
    whole: bool = False
    """Wake with a whole run of the page (:data:`WHOLE_RUN`), not a run of the fragment."""
    plan: Plan | None = None
    """With ``whole``: a run of this fragment and the sections that show the new stamp,
    when they are enough to show it."""
    woken_for: Hashable = None
    woken_at: float = 0.0
    tries: int = 0


@dataclass
class _Woken:
    at: float
    """When the watcher woke the session."""
    asked: bool = False
    """Whether the session's event loop has taken the wake (its run started, or it was
    running one already); until then the session's run cannot be seen."""
    ended: bool = False
    """Whether the woken run has stopped."""


_readers: dict[str, Reader] = {}
_watches: dict[tuple[str, str], _Watch] = {}
"""(session id, topic) → what that session last saw."""
_running: dict[str, _Woken] = {}
"""Session id → the watcher's wake of it, while that run may still be going."""
_lock = threading.Lock()
_thread: threading.Thread | None = None


def watch(
    session_id: str,
    topic: str,
    read: Reader,
    code: str,
    fragment_id: str,
    seen: Hashable,
    page: str = "",
    whole: bool = False,
    plan: Plan | None = None,
) -> None:
    """Wake fragment ``fragment_id`` of session ``session_id`` (on page ``page``: the run's
    page script hash) when ``read(code)`` is no longer ``seen``, or, if ``whole``, start a
    whole run of that page (or what ``plan`` names for the new stamp: a run of this fragment
    and some sections, or a whole run of another page); the same again if that run did not
    report the new stamp within :data:`RETRY_AFTER`. Called by the fragment on every run,
    with what it has just seen (a later call replaces an earlier one for the same session
    and topic)."""
    if not fragment_id:
        return
    with _lock:
        _readers[topic] = read
        _watches[(session_id, topic)] = _Watch(topic, code, fragment_id, seen, page, whole, plan)
        _start()


def _start() -> None:
    global _thread
    if _thread is None or not _thread.is_alive():
        drop_ticks_of_other_pages()
        _thread = threading.Thread(target=_watch_forever, name="softmax-push", daemon=True)
        _thread.start()


def running() -> bool:
    """Whether this process's watcher is running (it wakes the sessions it watches)."""
    return _thread is not None and _thread.is_alive()


def forget(session_id: str, topic: str) -> None:
    """Stop waking this session for ``topic`` (it no longer follows, or left the room)."""
    with _lock:
        _watches.pop((session_id, topic), None)


def watched() -> dict[tuple[str, str], str]:
    """(session id, topic) → room code, for tests and the benchmark's report."""
    with _lock:
        return {key: w.code for key, w in _watches.items()}


def _watch_forever() -> None:
    read_at = 0.0
    while threading.current_thread() is _thread:  # a replaced watcher ends (tests)
        _place_freed.wait(WATCH_EVERY)  # or sooner: a woken run ended, another may start
        _place_freed.clear()
        now = time.monotonic()
        reread = now - read_at >= WATCH_EVERY
        try:
            watch_once(reread=reread)
        except Exception:  # never let the watcher die: the fragments' timers still work
            _LOGGER.exception("live push: a round failed")
        if reread:
            read_at = now


waiting = 0
"""How many sessions the last round left waiting for a place (:data:`AT_ONCE`)."""
_place_freed = threading.Event()
"""Set when a woken run ends: the watcher's next round starts at once (a session waiting for a
place gets it)."""
_stamps: dict[tuple[str, str], Hashable | None] = {}
"""The stamps the last round read, (topic, room code) → stamp."""


Wake = Callable[[str, str, Target, Callable[[bool], None], Callable[[], None]], bool]
"""(session id, page, target, ``started(bool)``, ``ended()``) → whether the session is
there to wake (:func:`_wake`)."""


def watch_once(
    wake: Wake | None = None,
    busy: Callable[[str], bool] | None = None,
    *,
    reread: bool = True,
) -> int:
    """One round of the watcher: read each watched room's stamp once, wake the sessions
    that have not seen it and are not running a script, at most :data:`AT_ONCE` at a time
    (the rest wait for a later round, in the order they were watched). Returns how many
    were asked to wake (``wake`` and ``busy``, whether a session is running a script, are
    for tests). Without
    ``reread``, a room read in an earlier round keeps the stamp read then (a round started
    because a place came free, right after a round that read it)."""
    global waiting
    wake, busy = wake or _wake, busy or _busy
    with _lock:
        items = list(_watches.items())
        readers = dict(_readers)
    stamps: dict[tuple[str, str], Hashable | None] = {}
    for _key, w in items:
        room = (w.topic, w.code)
        if room in stamps:
            continue
        if not reread and room in _stamps:
            stamps[room] = _stamps[room]
            continue
        try:
            stamps[room] = readers[w.topic](w.code)
        except Exception:
            _LOGGER.exception("live push: reading room %s failed", w.code)
            stamps[room] = w.seen  # unknown: wake nobody this round
    _stamps.clear()
    _stamps.update(stamps)
    now = time.monotonic()
    for session_id, woken in list(_running.items()):
        ended = woken.ended or (woken.asked and not busy(session_id))
        if ended or now - woken.at > RUN_AT_MOST:
            del _running[session_id]
    woken = waiting = 0
    for key, w in items:
        stamp = stamps[(w.topic, w.code)]
        # The class has ended (or expired): the watched fragment is run, finds no room and
        # tells the student at once (students were told at their fragment's next tick, up
        # to 8 s later: a tour); that run lets the watch go (softmax_ui.live.class_ended).
        if stamp is None:
            stamp = ENDED
        elif stamp == w.seen:
            continue
        if stamp == w.woken_for and now - w.woken_at < RETRY_AFTER:
            continue
        if busy(key[0]):  # running a script (its own, or the one woken): the next round
            continue
        if len(_running) >= AT_ONCE:
            waiting += 1
            continue
        w.tries = w.tries + 1 if stamp == w.woken_for else 0
        if w.tries > RETRIES:
            if stamp is ENDED:
                forget(*key)
            continue
        w.woken_for, w.woken_at = stamp, now

        woken_now = _running[key[0]] = _Woken(now)

        def started(started: bool, w: _Watch = w, woken_now: _Woken = woken_now) -> None:
            woken_now.asked = True
            if not started:  # running a script of its own: try again in a later round,
                w.woken_for = None
                woken_now.ended = True  # and hold no place meanwhile

        def ended(woken_now: _Woken = woken_now) -> None:
            woken_now.ended = True
            _place_freed.set()

        target = w.fragment_id if stamp is ENDED else _target(w, stamp)
        if wake(key[0], w.page, target, started, ended):
            woken += 1
        else:
            _running.pop(key[0], None)
            forget(*key)
    return woken


def _busy(session_id: str) -> bool:
    """Whether session ``session_id`` of this process is running a script."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return False
    info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
    return info is not None and info.session._scriptrunner is not None


def _target(w: _Watch, stamp: Hashable) -> Target:
    """What to run for ``w`` now that its room shows ``stamp`` (the same again on a retry:
    a run that never came, or that ended before it reported the stamp)."""
    if not w.whole:
        return w.fragment_id
    try:
        planned = w.plan(stamp) if w.plan is not None else None
    except Exception:
        _LOGGER.exception("live push: planning a run failed")
        planned = None
    if isinstance(planned, PageRun):
        return planned
    return (w.fragment_id, *planned) if planned else WHOLE_RUN


def _wake(
    session_id: str,
    page: str,
    target: Target,
    done: Callable[[bool], None],
    ended: Callable[[], None] | None = None,
) -> bool:
    """Ask Streamlit to run ``target`` (:data:`Target`) in session ``session_id`` on page
    ``page`` (on the session's event loop, as a browser's request is handled). ``False``
    if the session is gone;
    ``done(started)`` says, later, whether the run was started or the session busy, and
    ``ended()``, later still, that a run it started is over."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return False
    info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
    if info is None:
        return False
    session = info.session

    def on_loop() -> None:
        started = False
        with contextlib.suppress(Exception):
            if session._scriptrunner is None:
                _run(session, page, target)
                started = True
                _on_end(session._scriptrunner, ended)
        done(started)

    try:
        session._event_loop.call_soon_threadsafe(on_loop)
    except RuntimeError:  # the loop is closed: the session is ending
        return False
    return True


def _on_end(runner, ended: Callable[[], None] | None) -> None:
    """Call ``ended()`` (in the script's thread), once, when ``runner``, a ``ScriptRunner``
    just created for a wake, first finishes a run, however it finishes (or shuts down): a
    student whose browser queued runs of their own behind it (a slider dragged on) holds no
    place meanwhile. A stop *for a rerun* is not the end: the woken run itself may switch the
    page (``st.switch_page``), and the same runner goes on with the page's run."""
    if runner is None or ended is None:
        return
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunnerEvent

    ends = {
        ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS,
        ScriptRunnerEvent.SCRIPT_STOPPED_WITH_COMPILE_ERROR,
        ScriptRunnerEvent.FRAGMENT_STOPPED_WITH_SUCCESS,
        ScriptRunnerEvent.SHUTDOWN,
    }

    def on_event(_sender, event=None, **_kwargs) -> None:
        if event in ends:
            runner.on_event.disconnect(on_event)
            with contextlib.suppress(Exception):  # never in the way of the runner
                ended()

    runner.on_event.connect(on_event, weak=False)


def _run(session, page: str, target: Target) -> None:
    """Start the run ``target`` names in an idle ``session`` (on its event loop)."""
    from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
    from streamlit.runtime.app_session import AppSessionState
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    last = session._client_state
    page = target.page if isinstance(target, PageRun) else page or last.page_script_hash
    fragments = _fragment_ids(session, target) if isinstance(target, tuple) else []
    if fragments and session._state != AppSessionState.SHUTDOWN_REQUESTED:
        # Several fragments in one run, as ``st.rerun(scope=[…])`` asks: the RerunData a
        # script runner takes, given as ``request_rerun`` does.
        context = None
        if last.HasField("context_info"):
            context = ContextInfo()
            context.CopyFrom(last.context_info)
        session._create_scriptrunner(
            RerunData(
                query_string=last.query_string,
                page_script_hash=page,
                fragment_id_queue=fragments,
                is_auto_rerun=True,
                context_info=context,
            )
        )
        return
    state = ClientState(query_string=last.query_string, page_script_hash=page)
    if isinstance(target, str) and target != WHOLE_RUN:
        state.fragment_id, state.is_auto_rerun = target, True  # as the fragment's timer would
    elif last.HasField("context_info"):
        # A whole run of the page (or of another, as after ``st.switch_page``), with no
        # widget changes (as Streamlit's own rerun after a source change): the browser's
        # context (locale, URL) as its last request gave it.
        state.context_info.CopyFrom(last.context_info)
    session.request_rerun(state)


def _fragment_ids(session, target: tuple[str, ...]) -> list[str]:
    """The ids of a :data:`Target`'s fragments in ``session``; empty if one is gone (a whole
    run since dropped it): then a whole run shows the stamp instead."""
    first, *keys = target
    try:
        ids = session._fragment_storage.resolve_target(keys) if keys else []
    except Exception:
        return []
    return [first, *ids] if session.has_fragment(first) else []


_dropping_lock = threading.Lock()
_skipped_run_hooks: list[Callable[[object], None]] = []


def on_skipped_run(hook: Callable[[object], None]) -> None:
    """Call ``hook(widget_states)`` (Streamlit's ``WidgetStates``, or ``None``) in the session's
    script thread for every run :func:`drop_ticks_of_other_pages` skips. A skipped run may
    carry what the reader did on the page the session has left: an answer tapped on the
    class page just before the teacher's move took the student away, its message held up
    by a bad network. Skipped, its widget's callback never runs; a hook may keep it.
    Idempotent."""
    if hook not in _skipped_run_hooks:
        _skipped_run_hooks.append(hook)


def drop_ticks_of_other_pages() -> None:
    """From now on, every session of this process skips a queued run of fragments that
    names a page other than the page its last run showed (:func:`other_pages_tick`).

    The server switches a following student's page by itself (the watcher's run of the
    teacher's page, or ``st.switch_page`` in a fragment). A ``run_every`` tick the browser
    sent just before, from the old page, can reach the server once the new page's run has
    started. Streamlit looks the fragment up then, finds it (the new run has not dropped the
    old page's fragments yet), and queues it behind the new page's run; run then, it
    announces the old page and draws nothing if the new page has no such fragment. The
    frontend takes that for a page change in a fragment's run and clears the page it shows.
    In the live browser test under load, a student whose session ran such a tick was left on
    a white page, sending no more ticks, and never followed again (docs/live-class.md).

    The check is made when the script runner takes the request from its queue, against the
    page its last run resolved (``PagesManager.current_page_script_hash``, set in the script
    thread): not when the request arrives, when the session's idea of its page can lag
    behind the run that just started (or, in a page's first run, still be the main script's
    hash). A skipped run sends nothing; a timer's tick leaves the frontend waiting for
    nothing; what the reader did in it is given to the :func:`on_skipped_run` hooks.
    Idempotent; called by the watcher's start, before any page switch it makes.
    """
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    with _dropping_lock:  # (not _lock: the watcher's start holds it)
        run_script = ScriptRunner._run_script
        if getattr(run_script, "drops_other_pages_ticks", False):
            return

        @functools.wraps(run_script)
        def run_script_of_this_page(self, rerun_data) -> None:
            queue = rerun_data.fragment_id_queue
            if (
                queue
                and not rerun_data.is_fragment_scoped_rerun
                and other_pages_tick(
                    queue[0],
                    rerun_data.page_script_hash,
                    self._pages_manager.current_page_script_hash,
                )
            ):
                _LOGGER.debug("skipped a run of %s, a fragment of another page", queue)
                for hook in list(_skipped_run_hooks):
                    try:
                        hook(rerun_data.widget_states)
                    except Exception:  # a hook never stops the session's script thread
                        _LOGGER.exception("a hook for a skipped run failed")
                return
            run_script(self, rerun_data)

        run_script_of_this_page.drops_other_pages_ticks = True  # type: ignore[attr-defined]
        ScriptRunner._run_script = run_script_of_this_page


def other_pages_tick(fragment_id: str, page: str, session_page: str) -> bool:
    """Whether a run of ``fragment_id`` under ``page`` names another page than
    ``session_page``, the page of the session's last run (``""``: none or not said).

    >>> other_pages_tick("f1", "class-page", "lesson-page")
    True
    >>> other_pages_tick("f1", "lesson-page", "lesson-page")
    False
    >>> other_pages_tick("", "class-page", "lesson-page")  # a whole run: a page switch
    False
    >>> other_pages_tick("f1", "class-page", "")  # before the session's first run
    False
    """
    return bool(fragment_id and page and session_page and page != session_page)


def current_fragment_id() -> str:
    """The id of the fragment running this code (``""`` outside a fragment)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

    try:
        return ThreadState.get().fragment_id or ""
    except RuntimeError:
        return ""

"""The one place where the lesson state meets Streamlit: session, widgets and URL.

* The state lives in the session (:func:`~softmax_ui.memory.memory`), so it survives page
  switches (widget values do not: Streamlit drops them when a page is left).
* On a session's first run it is read from the URL, so a shared link (or a
  deep link opened as the first request after a server start) shows that state.
* Widgets are *bound* to it (:func:`bound`): a widget shows the state, a change
  is validated by :class:`~softmax_ui.state.LessonState`; a valid change becomes
  the new state, an invalid one leaves the state alone and shows a message next
  to the widget.
* Every run writes the state back to the URL, so the address bar is always a
  link to exactly what is on screen.
* A page is cut into *sections* (:func:`section`, each an ``st.fragment``): a control reruns
  only its own section (and what is nested in it) and the sidebar's share link
  (:data:`SHARE`, which also writes the URL), not the whole page. A change to a setting the
  section does not own (e.g. the logits, from a preset button in an inner section) reruns
  every section that *shows* that setting: the page's outermost section unless it declares
  that it shows none itself (``shows=()``: a layout of inner sections), and then, of the
  sections drawn on the page, each one whose ``shows`` has a changed setting. So a
  temperature keypress redraws the temperature controls and the pictures, not the logits
  editor beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any, TypeVar
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from softmax_ui import i18n
from softmax_ui.i18n import _
from softmax_ui.memory import memory, per_run
from softmax_ui.presets import example_names
from softmax_ui.state import FIELD_OF_KEY, PARAMS, LessonState, from_query, to_query
from softmax_ui.text import markdown_safe, quoted

STATE = "lesson_state"
ERRORS = "lesson_errors"
REJECTED = "lesson_rejected_change"
"""The last change a bound widget's ``put`` refused, as (its key, its ``put``, its ``get``,
what ``get`` read then): tried again with the widget's value at later changes, which may take
its reason away, for as long as the widget shows it (see :func:`_retry_rejected`)."""
URL_PROBLEMS = "lesson_url_problems"
REFRESH = "lesson_widgets_to_refresh"
"""Keys of the bound widgets to set to the state when next drawn (see :func:`commit`)."""
WIDGET_PREFIX = "w:"
SHARE = "share_link"
"""Key of the sidebar's share-link fragment: rerun with every section whose control changed
the state, so the link (and the address bar) always say exactly what is on screen."""
SHOWN = "lesson_widget_values_shown"
"""Per bound widget key, the value it was last drawn with (what the browser shows once that
run's messages arrive)."""
ECHOES = "lesson_widget_echoes"
"""Per bound widget, the values it showed before the server set it anew, which the browser
may still send (see :func:`stale_echoes`)."""
ECHOES_KEPT = 4
"""Old values remembered per widget (one per change still on its way to the browser)."""
GENERATION = "lesson_widget_generation"
"""How many times the state was replaced from outside the page (see :func:`commit`)."""
AROUND = "lesson_sections_around"
"""Per section key, the sections it was last drawn in (see :func:`section`)."""
PAGE = "lesson_page_drawn"
"""The page script hash of the last whole run (see :func:`start_page`)."""
DRAWN = "lesson_sections_drawn"
"""Per section key drawn on this page since its last whole run: the sections it is in,
outermost first, and itself (what :func:`rerun_scope` picks from)."""
EVERY_FIELD = frozenset(f.name for f in fields(LessonState))

WidgetValue = TypeVar("WidgetValue")


def current() -> LessonState:
    """The session's lesson state, read from the URL on the session's first run (a link
    without class names shows the example's in the reader's language: perro, gato, pájaro)."""
    if STATE not in memory():
        state, problems = state_in_address(st.query_params.to_dict())
        memory()[STATE] = state
        memory()[URL_PROBLEMS] = repeated_settings() + problems
        memory()[ERRORS] = {}
    return memory()[STATE]


def repeated_settings() -> list[str]:
    """A note per lesson setting the address gives more than once (the last is read): such
    a link was read without a word, and the address bar kept it, to be read otherwise
    elsewhere (a tour). Only the app's own keys are named."""
    return [
        # the key quoted, not in code ticks: the note is shown escaped, and "`z`" showed its
        # ticks (a tour)
        _("The link gives the {key} setting {n} times: the last one is used.").format(
            key=quoted(key), n=len(st.query_params.get_all(key))
        )
        for key in st.query_params
        if key in FIELD_OF_KEY and len(st.query_params.get_all(key)) > 1
    ]


def state_in_address(query: Mapping[str, str]) -> tuple[LessonState, list[str]]:
    """The lesson state an address's ``query`` gives, and its problems
    (:func:`~softmax_ui.state.from_query`); without class names, the example's in the
    reader's language."""
    state, problems = from_query(query)
    if PARAMS["labels"].key not in query:
        state = state.replace(labels=example_names(state.labels, i18n.DEFAULT, i18n.current()))
    return state, problems


def settings_in_address(query: Mapping[str, str]) -> bool:
    """Whether ``query`` holds any lesson setting (not only a live class's or a language's)."""
    return any(key in FIELD_OF_KEY for key in query)


@dataclass(frozen=True)
class Section:
    """A part of a page that reruns on its own (an ``st.fragment`` keyed ``key``)."""

    key: str
    owns: frozenset[str]
    """The lesson settings only this section (and what it holds) shows: a change to one of
    them reruns this section alone; any other change reruns the sections that show it."""
    shows: frozenset[str] = EVERY_FIELD
    """The settings this section's own drawing depends on (not counting inner sections)."""


_sections: ContextVar[tuple[Section, ...]] = ContextVar("sections", default=())
"""The sections being drawn, outermost first (empty outside any section)."""


def section(
    key: str, *, owns: tuple[str, ...] | None = None, shows: tuple[str, ...] | None = None
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Decorator: ``draw`` becomes a section of the page, an ``st.fragment`` keyed ``key``.

    A section reads the state itself (:func:`current`): on its own reruns Streamlit calls it
    again with no fresh values from the rest of the page. ``owns`` names the settings that
    only it (and what it holds) shows (default: none); the controls drawn in it are bound to
    it (see :func:`bound`). ``shows`` names the settings its own
    elements depend on (default: every setting); a section that only lays out inner
    sections shows none (``shows=()``), and then a change reruns just the inner sections
    that show it.
    """
    owned = frozenset(owns or ())
    shown = EVERY_FIELD if shows is None else frozenset(shows)
    unknown = (owned | shown) - EVERY_FIELD
    if unknown:
        raise ValueError(f"Unknown settings {sorted(unknown)}.")

    def decorate(draw: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            # The sections around this one, as drawn in the page's last full run: on its own
            # reruns it runs alone, and a change it does not own still reruns the outermost.
            around = memory().setdefault(AROUND, {})
            if _sections.get():
                around[key] = _sections.get()
            chain = (*around.get(key, ()), Section(key, owned, shown))
            drawn = memory().setdefault(DRAWN, {})
            for inner in [k for k, c in drawn.items() if any(s.key == key for s in c[:-1])]:
                del drawn[inner]  # drawn again below if still there
            drawn[key] = chain
            token = _sections.set(chain)
            try:
                draw()
            finally:
                _sections.reset(token)

        run.__name__ = run.__qualname__ = f"section_{key}"
        return st.fragment(run, key=key)

    return decorate


def rerun_scope(
    sections: tuple[Section, ...],
    before: LessonState,
    after: LessonState,
    drawn: Mapping[str, tuple[Section, ...]] | None = None,
) -> list[str] | None:
    """Which fragments a change made from a control in ``sections`` reruns, and the share
    link; ``None`` (Streamlit's own choice) when the control is in no section or nothing
    changed. The innermost section that owns every changed setting, if any but the
    outermost; else every section of the page that shows a changed setting (``drawn``:
    each drawn section's chain, see :data:`DRAWN`), leaving out those inside another one
    rerun.

    >>> outer, inner = Section("lesson", EVERY_FIELD), Section("sampling", frozenset({"seed"}))
    >>> rerun_scope((outer, inner), LessonState(), LessonState(seed=1))
    ['sampling', 'share_link']
    >>> rerun_scope((outer, inner), LessonState(), LessonState(temperature=2.0))
    ['lesson', 'share_link']
    >>> rerun_scope((), LessonState(), LessonState(seed=1)) is None
    True

    A page whose outermost section only lays out inner ones:

    >>> layout = Section("lesson", EVERY_FIELD, frozenset())
    >>> logits = Section("logits", frozenset(), frozenset({"logits", "labels"}))
    >>> knob = Section("temperature", frozenset(), frozenset({"temperature"}))
    >>> picture, table = Section("picture", frozenset()), Section("table", frozenset())
    >>> page = {s.key: (layout, s) for s in (logits, knob, picture)}
    >>> page["table"] = (layout, picture, table)
    >>> rerun_scope((layout, knob), LessonState(), LessonState(temperature=2.0), page)
    ['temperature', 'picture', 'share_link']
    >>> rerun_scope((layout, logits), LessonState(), LessonState(logits=(1.0, 2.0, 3.0)), page)
    ['logits', 'picture', 'share_link']
    """
    changed = {f for f in EVERY_FIELD if getattr(before, f) != getattr(after, f)}
    if not sections or not changed:
        return None
    owner = next(s for s in reversed(sections) if changed <= s.owns or s is sections[0])
    if owner is not sections[0] or owner.shows & changed or not drawn:
        return [owner.key, SHARE]
    hit = {key for key, chain in drawn.items() if chain[-1].shows & changed}
    rerun = [
        key
        for key, chain in drawn.items()
        if key in hit and not any(s.key in hit for s in chain[:-1])
    ]
    return [*rerun, SHARE] if rerun else [owner.key, SHARE]


def changes_rerun(action: Callable[..., object]) -> Callable[..., None]:
    """A button's ``on_click`` that runs ``action`` and then reruns what its change needs
    (:func:`rerun_scope` for the sections the button is drawn in)."""
    sections = _sections.get()

    def callback(*args: Any, **kwargs: Any) -> None:
        before = current()
        action(*args, **kwargs)
        if own_change(before, current()):
            _changed_by_reader()
        _rerun(sections, before, own_presses=1)

    return callback


_reader_changes: dict[str, Callable[[], None]] = {}


def on_reader_change(name: str, callback: Callable[[], None]) -> None:
    """Call ``callback()`` whenever the reader changes the lesson state with a control (a
    bound widget, :func:`bound`, or a button made with :func:`changes_rerun`; opening a tab,
    :data:`LOOKING`, does not count), after the
    change is committed and before the rerun it needs is chosen: the live class's following
    student then explores on their own (softmax_ui/live.py). Only the reader's own, valid
    changes count: not the teacher's view taken (:func:`commit` from page code), not a
    stale echo or a refused value. Registered once per ``name`` (a module reloaded by
    Streamlit registers again under the same name)."""
    _reader_changes[name] = callback


LOOKING = frozenset({"tab"})
"""Settings that choose what the reader looks at, not what the lesson shows: a following
student who opens another tab of pictures still follows (the teacher's next move brings the
teacher's tab)."""


def own_change(before: LessonState, after: LessonState) -> bool:
    """Whether ``after`` changes a setting of ``before`` that the lesson shows (not only
    :data:`LOOKING`).

    >>> own_change(LessonState(), LessonState(tab="sampling"))
    False
    >>> own_change(LessonState(), LessonState(temperature=2.0, tab="sampling"))
    True
    """
    return any(getattr(before, f) != getattr(after, f) for f in EVERY_FIELD - LOOKING)


def _changed_by_reader() -> None:
    for callback in list(_reader_changes.values()):
        callback()


_whole_page: list[Callable[[], bool]] = []


def rerun_whole_page_when(predicate: Callable[[], bool]) -> None:
    """Have every change rerun the whole page while ``predicate()`` holds (the live class's
    teacher: the page body publishes the view to the room, see softmax_ui/live.py)."""
    _whole_page.append(predicate)


def _rerun(sections: tuple[Section, ...], before: LessonState, *, own_presses: int = 0) -> None:
    """Rerun what the change from a control in ``sections`` needs (:func:`rerun_scope`).

    Not in a whole run that also presses a button (more than the control's ``own_presses``):
    the whole run draws every section anyway, and a rerun of some sections, asked from a
    callback, takes the place of that run, and of the press (Next, pressed while the browser
    still sent a section's change with it, ran only the section: the deck did not step)."""
    scope = rerun_scope(sections, before, current(), memory().get(DRAWN))
    if scope is None or (run_of_sections() is False and presses_in_this_request() > own_presses):
        return
    if any(predicate() for predicate in _whole_page):
        st.rerun()  # ends the callback: call it last
    st.rerun(scope=scope)


def drawn_sections() -> Mapping[str, tuple[Section, ...]]:
    """The sections drawn on this page since its last whole run (:data:`DRAWN`): the same
    mapping, filled as the page's sections are drawn, until the next whole run."""
    return memory().setdefault(DRAWN, {})


def outermost(drawn: Mapping[str, tuple[Section, ...]]) -> tuple[str, ...]:
    """The keys of the ``drawn`` sections that are in no other section: run together (with
    the share link, :data:`SHARE`), they redraw all the page shows of the lesson settings
    (``LESSON_FIELDS``). The presenter options and the deck are shown outside them too (the
    page's frame: styles, scene bar, sidebar).

    >>> layout, knob = Section("lesson", EVERY_FIELD), Section("temperature", frozenset())
    >>> outermost({"lesson": (layout,), "temperature": (layout, knob)})
    ('lesson',)
    """
    return tuple(key for key, chain in list(drawn.items()) if len(chain) == 1)


def start_page() -> None:
    """Forget the sections drawn on the page before, and the values of widgets no longer
    there (called at the top of a whole run).

    On another page than the last whole run's, every bound widget is set from the state
    again (:func:`bound`): Streamlit ties a widget to its page, and on a page switch it may
    discard the value a key kept from the page before when the widget registers on the new
    one (every second switch, the logits editor came up empty: no labels, z = 0, sliders at
    their minimum), unless the value was set in this run.
    """
    ctx = get_script_run_ctx()
    page = ctx.page_script_hash if ctx is not None else None
    if memory().get(PAGE) != page:
        memory()[PAGE] = page
        memory()[REFRESH] = _bound_widget_keys()
    memory()[DRAWN] = {}
    for name in (SHOWN, ECHOES):
        kept = memory().get(name, {})
        memory()[name] = {k: v for k, v in kept.items() if k in st.session_state}


def commit(state: LessonState, *, keep: str | None = None, remount: bool = False) -> None:
    """Make ``state`` current and let every bound widget (but ``keep``) show it afresh.

    Each widget is set to the new state when it is next drawn (:func:`bound`), not deleted
    now: a widget in a section that does not rerun must keep its key, or its next change
    would not be found under it.

    ``remount`` is for a state that comes from outside the page (the teacher's view reaching a
    following student) while the browser may still be sending requests: one sent before the
    browser got the new values carries the old ones, and Streamlit would take each as a change
    (and its callback would put the old state back). Under new keys (:func:`widget_key`), the
    widgets are new ones, and values sent for the old keys change nothing.
    """
    if remount:
        memory()[GENERATION] = memory().get(GENERATION, 0) + 1
        memory().pop(REJECTED, None)  # its widget is gone
    memory()[STATE] = state
    memory()[ERRORS] = {}
    memory()[REFRESH] = _bound_widget_keys() - {keep}
    _remember_echoes(keep)


def _bound_widget_keys() -> set[str]:
    """The session-state keys of the bound widgets (:func:`widget_key`)."""
    return {key for key in st.session_state if str(key).startswith(WIDGET_PREFIX)}


def _remember_echoes(keep: str | None) -> None:
    """A change sets every bound widget but ``keep`` anew: remember what each showed, which
    the browser may still send (until a run finds it showing the new value, see
    :func:`bound`)."""
    old = memory().get(ECHOES, {})
    echoes: dict[str, list[Any]] = {}
    for key, value in memory().get(SHOWN, {}).items():
        if key != keep:
            echoes[key] = [*(v for v in old.get(key, []) if v != value), value][-ECHOES_KEPT:]
    memory()[ECHOES] = echoes


def stale_echoes(
    shown: Mapping[str, Any],
    echoes: Mapping[str, list[Any]],
    now: Mapping[str, Any],
    presses: int = 0,
) -> frozenset[str]:
    """The widgets whose value in this request is an old one the browser still showed.

    ``shown``: each widget's value as the server last drew it; ``echoes``: values each showed
    before the server set it anew; ``now``: the values this request brought; ``presses``: the
    buttons it pressed. A widget that changed to one of its old values, in a request that
    also changes another widget or presses a button (a reader does one thing per request),
    was sent before the browser drew the new values: a second keypress on the T slider
    before the first one's run is back carries the T box's old value, and taken as a change
    it put T back; so did Next, pressed after T typed in the box and before the box's run
    was drawn (the press carried the slider's old T, and the deck did not step: CI runs 92
    and 93, a clicker on a busy server).

    >>> shown, echoes = {"T_slider": 1.1, "T_number": 1.1}, {"T_number": [1.0]}
    >>> stale_echoes(shown, echoes, {"T_slider": 1.2, "T_number": 1.0})
    frozenset({'T_number'})
    >>> stale_echoes(shown, echoes, {"T_slider": 1.1, "T_number": 1.0}, presses=1)
    frozenset({'T_number'})

    The reader typing an old value into the box, the slider left alone, is a change:

    >>> stale_echoes(shown, echoes, {"T_slider": 1.1, "T_number": 1.0})
    frozenset()

    What this gives up: Streamlit merges requests that wait behind a run, so a reader who
    moves a control back to a value it showed a moment ago and presses a button at once,
    on a busy server, has that move taken for the browser's (the control shows the value
    before it again).
    """
    changed = {key for key, value in now.items() if key in shown and value != shown[key]}
    old = {key for key in changed if now[key] in echoes.get(key, ())}
    return frozenset(old) if len(changed) + presses > 1 else frozenset()


TRIGGERS = frozenset({"trigger_value", "string_trigger_value", "json_trigger_value"})
"""The kinds of a widget's value that are presses (a button's, a chat box's), in Streamlit's
``WidgetState`` protocol message."""


def presses(widget_states: Any) -> int:
    """How many widgets a request's ``WidgetStates`` message presses (:data:`TRIGGERS`; a
    button not pressed is left out, or sent as ``false`` by Streamlit's ``AppTest``).

    >>> from streamlit.proto.WidgetStates_pb2 import WidgetStates
    >>> states = WidgetStates()
    >>> states.widgets.add(id="next", trigger_value=True)
    id: "next"
    trigger_value: true
    <BLANKLINE>
    >>> _ = states.widgets.add(id="previous", trigger_value=False)
    >>> _ = states.widgets.add(id="T", double_value=4.0)
    >>> presses(states), presses(None)
    (1, 0)
    """
    if widget_states is None:
        return 0
    kinds = ((w, w.WhichOneof("value")) for w in widget_states.widgets)
    return sum(
        1 for w, kind in kinds if kind in TRIGGERS and (kind != "trigger_value" or w.trigger_value)
    )


def presses_in_this_request() -> int:
    """How many buttons the request that this run's callbacks answer presses (0 outside a
    callback): Streamlit keeps the request's widget states while the callbacks run
    (``SessionState._current_interaction_widget_states``; checked in
    ``tests/devtools/test_streamlit_internals.py``)."""
    ctx = get_script_run_ctx()
    state = getattr(getattr(ctx, "session_state", None), "_state", None)
    return presses(getattr(state, "_current_interaction_widget_states", None))


def run_of_sections() -> bool | None:
    """Whether this run reruns sections only (fragments), not the whole page; ``None`` with no
    script run at all."""
    ctx = get_script_run_ctx()
    return None if ctx is None else bool(ctx.fragment_ids_this_run)


def _stale_echo(key: str) -> bool:
    """Whether ``key``'s change in this run is an old value (:func:`stale_echoes`), judged once
    per run, from the values and presses the request brought."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False

    def judge() -> frozenset[str]:
        shown, echoes = memory().get(SHOWN, {}), memory().get(ECHOES, {})
        now = {k: st.session_state[k] for k in shown if k in st.session_state}
        for drawn in [k for k in echoes if k in now and now[k] == shown[k]]:
            # the request brought the value last drawn: the browser shows it, and sends no
            # older one after (else a control moved back to a value it showed long ago was
            # taken for the browser's, with a press)
            del echoes[drawn]
        return stale_echoes(shown, echoes, now, presses_in_this_request())

    return key in per_run(ctx, "_softmax_stale_echoes", judge)


def update(**changes: Any) -> LessonState:
    """Apply ``changes`` to the state from page code (e.g. a button); returns the new state."""
    state = current().replace(**changes)
    commit(state)
    return state


def _on_change(
    key: str,
    put: Callable[[LessonState, Any], LessonState],
    keep: bool,
    sections: tuple[Section, ...] = (),
    generation: int = 0,
    get: Callable[[LessonState], Any] | None = None,
) -> None:
    before = current()
    if key not in st.session_state:
        return
    if generation != memory().get(GENERATION, 0):
        return  # a widget from before a remount: its value is stale (see commit)
    if not _reported_here(sections) or _stale_echo(key):
        # A stale echo: the widget shows the state again when next drawn (the browser shows
        # it once the last run's values arrive).
        memory().setdefault(REFRESH, set()).add(key)
        return
    value = st.session_state[key]
    try:
        state = put(current(), value)
    except ValueError as err:
        memory()[ERRORS] = {key: str(err)}
        if value is None:  # an empty number box (see bound) shows the value before again
            memory().setdefault(REFRESH, set()).add(key)
        elif get is not None:
            memory()[REJECTED] = (key, put, get, get(current()))
        return
    state = _retry_rejected(state, key)
    commit(state, keep=key if keep else None)
    if own_change(before, state):
        _changed_by_reader()
    _rerun(sections, before)


def _retry_rejected(state: LessonState, key: str) -> LessonState:
    """``state`` with the change another widget's ``put`` refused, if it is taken now.

    A reader who wants class 2 named "bird", which class 3 is called, types it there first:
    it is refused (two classes would share a name) and the box keeps "bird" under the
    message. Then they rename class 3. That change was made current, and every box set to
    it, so class 2's went back to its old name without a word, and a teacher's deck was
    saved with it (a tour). The refused change is now tried again with each later change
    that leaves what the refused widget shows alone (class 2's name is still "cat"): not
    with a preset, which names every class anew, nor with a T slider moved after a refused
    T box. It is forgotten once its widget shows the state again (:func:`bound`).
    """
    rejected = memory().get(REJECTED)
    if not rejected or rejected[0] == key:
        return state
    rejected_key, rejected_put, get, then = rejected
    if rejected_key not in st.session_state or get(state) != then:
        memory().pop(REJECTED, None)  # a remount, or the change set that widget itself
        return state
    try:
        taken = rejected_put(state, st.session_state[rejected_key])
    except ValueError:
        return state  # still refused: kept while its box shows it
    memory().pop(REJECTED, None)
    return taken


def _reported_here(sections: tuple[Section, ...]) -> bool:
    """Whether a change of a widget drawn in ``sections`` came with this run (see
    :func:`changed_by_user`)."""
    ctx = get_script_run_ctx()
    run = ctx.fragment_ids_this_run if ctx is not None else None
    if not run or not sections:
        return changed_by_user(run, [])
    try:
        mine = ctx.fragment_storage.resolve_target([s.key for s in sections])
        known = [f for f in run if ctx.fragment_storage.contains(f)]
    except Exception:  # a section not registered any more: take the change
        return True
    # a request sent before the page's layout changed names fragments that are gone (their
    # ids depend on where they are drawn): not a timer's tick, take the change
    return changed_by_user(known, mine) if known else True


def changed_by_user(run: list[str] | None, mine: list[str]) -> bool:
    """Whether a widget's change that Streamlit reports in a run of the fragments ``run``
    (``None`` or empty: a whole run) was made by the reader on that widget, which is drawn
    in the fragments ``mine`` (ids; empty: in none).

    A widget's change reaches the server with a run of the fragment it is drawn in, or a
    whole run. A run of other fragments only is a timer's tick (the live class's teacher bar,
    a student's follow check), and the browser sends with it every widget's value as it was
    when the tick left: a value this session's last run changed (the paste box set the
    number boxes) comes back as a "change" to the old value, which would undo the reader's.

    >>> changed_by_user(None, ["s"]), changed_by_user(["s", "share"], ["lesson", "s"])
    (True, True)
    >>> changed_by_user(["teacher_bar"], ["lesson", "s"])  # a tick: a stale echo
    False
    >>> changed_by_user(["teacher_bar"], [])  # a widget outside sections changes in whole runs
    False
    """
    if not run:
        return True
    return any(fragment in run for fragment in mine)


def _a_number_for(
    label: str, put: Callable[[LessonState, Any], LessonState]
) -> Callable[[LessonState, Any], LessonState]:
    """``put`` for a number box, which first refuses an empty box (see :func:`bound`)."""

    def put_number(state: LessonState, value: Any) -> LessonState:
        if value is None:
            # short: it is drawn under a logit's narrow box
            raise ValueError(_("Type a number: {label} kept its value.").format(label=label))
        return put(state, value)

    return put_number


def _whole_box(kwargs: dict[str, Any]) -> bool:
    """Whether a number box's arguments make it a box of whole numbers (an int step)."""
    step = kwargs.get("step")
    return isinstance(step, int) and not isinstance(step, bool)


def _read_as_typed(
    kwargs: dict[str, Any],
    get: Callable[[LessonState], Any],
    put: Callable[[LessonState, Any], LessonState],
    label: str,
) -> tuple[dict[str, Any], Callable[[LessonState], Any], Callable[[LessonState, Any], LessonState]]:
    """A box of whole numbers made a box of any number that refuses one not whole.

    Streamlit's browser reads a whole-number box's text as ``parseInt`` does: "7.9" was 7
    and "1e3" was 1, without a word (N = 1 draw for a student who meant 1000: a tour). As
    a box of any number (shown as typed, ``%g``) it sends 7.9, refused with a message here,
    and 1000. ``put`` is given a whole float; the state takes it as an int.

    >>> kwargs, get, put = _read_as_typed(
    ...     {"step": 100, "min_value": 1}, lambda s: s.n_samples, lambda s, v: v, "N"
    ... )
    >>> kwargs, get(LessonState()), put(LessonState(), 1e3)
    ({'step': 100.0, 'min_value': 1.0, 'format': '%g'}, 1000.0, 1000)
    >>> put(LessonState(), 7.9)
    Traceback (most recent call last):
    ...
    ValueError: Type a whole number: N kept its value.
    """
    widened = {
        name: float(value)
        if name in ("step", "min_value", "max_value", "value") and value is not None
        else value
        for name, value in kwargs.items()
    }
    widened.setdefault("format", "%g")

    def put_whole(state: LessonState, value: Any) -> LessonState:
        if value is not None and not float(value).is_integer():
            raise ValueError(_("Type a whole number: {label} kept its value.").format(label=label))
        return put(state, value if value is None else int(value))

    return widened, lambda state: float(get(state)), put_whole


def bound(
    widget: Callable[..., WidgetValue],
    key: str,
    label: str,
    *,
    get: Callable[[LessonState], Any],
    put: Callable[[LessonState, Any], LessonState],
    keep_after_change: bool = True,
    said_as: str | None = None,
    **kwargs: Any,
) -> WidgetValue:
    """Render ``widget`` showing ``get(state)``; a change goes through ``put(state, value)``.

    ``put`` raises :class:`ValueError` for a bad value: the state then stays as it
    was and the message is shown under the widget until the next valid change. A number
    box's message names it ``said_as`` (default: its label).
    """
    if widget is st.number_input:
        # Empty when the browser could not read what was typed (1e309, "1e"): a box with a
        # default sent its default instead, so a logit typed as 1e309 became 0 without a
        # word, and T's box said "got 0" (a tour). Empty is now said to be no number.
        kwargs.setdefault("value", None)
        if _whole_box(kwargs):
            kwargs, get, put = _read_as_typed(kwargs, get, put, said_as or label)
        put = _a_number_for(said_as or label, put)
    key = widget_key(key)
    refresh = memory().get(REFRESH, set())
    shown = memory().setdefault(SHOWN, {})
    if key not in st.session_state or key in refresh:
        st.session_state[key] = get(current())
        refresh.discard(key)
        if memory().get(REJECTED, (None,))[0] == key:
            memory().pop(REJECTED)  # the refused value is no longer shown
    elif shown.get(key) == st.session_state[key]:
        # this request brought the value last drawn: the browser shows it, no old one to come
        memory().get(ECHOES, {}).pop(key, None)
    shown[key] = st.session_state[key]
    value = widget(
        label,
        key=key,
        on_change=_on_change,
        args=(key, put, keep_after_change, _sections.get(), memory().get(GENERATION, 0), get),
        **kwargs,
    )
    error = memory().get(ERRORS, {}).get(key)
    if error:
        st.error(markdown_safe(error), icon=":material/error:")
    return value


def widget_key(name: str) -> str:
    """The session-state key of the bound widget ``name``: ``w:name``, and after a
    ``commit(..., remount=True)`` ``w:name#N`` (a new widget, see :func:`commit`)."""
    generation = memory().get(GENERATION, 0)
    return WIDGET_PREFIX + name + (f"#{generation}" if generation else "")


LANGUAGE_DRAWN = "session:language_drawn"
"""Widget (its key without the language) → the language its widget was last drawn in
(:func:`per_language`)."""


def remount_key(name: str, **depends_on: object) -> str:
    """The key of a widget whose range or options depend on ``depends_on``, which names them.

    Streamlit keeps a widget, and its value, under one key; a widget whose slider range or
    list of options changes must be a new widget, or it shows a value the new range lacks.
    Folding what it depends on into its key draws a fresh widget, showing the state, whenever
    that changes.

    >>> remount_key("top_k", classes=3)
    'top_k@classes=3'
    """
    return name + "".join(f"@{what}={value}" for what, value in depends_on.items())


def per_language(
    name: str, carry: Callable[[Any, str], Any] | None = None, **depends_on: object
) -> str:
    """The key of a choice widget (not :func:`bound`) whose labels are in the reader's
    language: one widget per language (and per ``depends_on``, as :func:`remount_key`), the
    choice handed over from the widget of the language last drawn.

    The browser knows a choice by its label: after a language switch the same select box
    sent its English label back, which the Spanish run could not read: the teacher's
    "Ask the room" failed on it, and the workshop's page menu fell back to another page (a
    review). A widget of the new language is drawn with the choice, read, in the run that
    switches, through the last language's widget (``carry(value, last language)`` writes it
    the new way where it needs to). From the language last drawn, not any other: a widget
    left two switches ago keeps its old value in the session (a language tour: back in
    English, the teacher's menu showed a choice made before Spanish and French).
    """
    lang = i18n.current()
    key = remount_key(name, **depends_on, lang=lang)
    drawn = memory().setdefault(LANGUAGE_DRAWN, {})
    widget = remount_key(name, **depends_on)
    last = drawn.get(widget)
    drawn[widget] = lang
    if last is not None and last != lang:
        value = st.session_state.get(remount_key(name, **depends_on, lang=last))
        if value is not None:
            st.session_state[key] = carry(value, last) if carry else value
    return key


def sync_url(state: LessonState, extra: Mapping[str, str] | None = None) -> None:
    """Write ``state`` into the address bar (only when it differs, to spare messages), with
    ``extra`` parameters that are not lesson state (the live class's room and member), and
    the reader's language (:func:`softmax_ui.i18n.url_param`)."""
    query = url_query(state, extra)
    # (a key given twice reads as once in to_dict: such an address is written anew)
    repeated = any(len(st.query_params.get_all(key)) > 1 for key in st.query_params)
    if repeated or st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def url_query(state: LessonState, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The address bar's parameters for ``state`` (see :func:`sync_url`)."""
    return to_query(state) | i18n.url_param() | dict(extra or {})


def share_url(state: LessonState) -> str:
    """A link that opens the current page with exactly ``state``, in the reader's language."""
    base = st.context.url or ""
    return f"{base}?{urlencode(to_query(state) | i18n.url_param(), safe=',')}"


def url_problems() -> list[str]:
    """Problems found in the link this session started from (shown once per page)."""
    return list(memory().get(URL_PROBLEMS, []))

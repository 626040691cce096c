"""The live class inside the page frame: who this session is in a room, the teacher's view
published, a following student taken to it.

* A session is in a room as the **teacher** (the teacher link carries ``room`` and the
  secret ``teacher`` key, checked against the store's hash) or as a **student** (``room``
  and a random ``member`` id, so a reload rejoins as the same student and is never counted
  twice). Both are read from the URL on the session's first run, like the lesson state, and
  written back into it on every run (:func:`url_params`). A forged or wrong teacher key is
  refused: that session is at most a student.
* The teacher projects their own page, so the key leaves the address bar as soon as it is
  read: it stays in the session, and the teacher's URL carries ``room`` and ``lead=1``
  instead. A new session opened from that URL (a reload, a server restart) is not the
  teacher, nor a student: it is asked for the teacher link again (:func:`resume_class`),
  which the teacher copies on demand from the class page.
* :func:`frame` runs in :func:`softmax_ui.page.lesson` on every page. For the teacher it
  publishes the page and lesson state as the room's current view whenever they change; for
  a student, while following, the teacher's view is applied by the run the process's
  watcher (:mod:`softmax_ui.push`) starts when the teacher moves, as :func:`follow_plan`
  chooses: at the start of a whole run of the teacher's page (:func:`arrive`), or by the
  follow fragment (a small fragment ticking every :data:`FOLLOW_EVERY` seconds with a
  heartbeat) first in a run that goes on to redraw the page's sections; the state through
  :func:`softmax_ui.state.from_query` and :func:`softmax_ui.session.commit`, in place or
  with :func:`streamlit.switch_page` to the teacher's page. A following student's page
  shows the teacher's settings instead of the controls that set them (:func:`following`).

The rooms themselves (codes, keys, polls, limits) are in :mod:`softmax_ui.rooms`.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st
from streamlit.elements.lib.utils import user_key_from_element_id
from streamlit.runtime.scriptrunner import get_script_run_ctx

from softmax_ui import i18n, push
from softmax_ui.catalog import LIVE, PAGES, Page, page_of, page_path
from softmax_ui.i18n import _, ngettext
from softmax_ui.live_questions import answer_labels, answer_text, from_json
from softmax_ui.memory import memory
from softmax_ui.presets import in_language
from softmax_ui.rooms import (
    DATA_DIR_ENV,
    MAX_NICKNAME_CHARS,
    PREFIX_ENV,
    URL_ENV,
    NoSuchRoom,
    Poll,
    Room,
    RoomError,
    RoomStore,
    View,
    nickname_cut,
    normalise_code,
    open_store,
    spaced_code,
)
from softmax_ui.rooms.base import DEVICE, device_key
from softmax_ui.session import (
    SHARE,
    commit,
    current,
    drawn_sections,
    on_reader_change,
    outermost,
    rerun_whole_page_when,
    run_of_sections,
)
from softmax_ui.spoken import announce
from softmax_ui.state import (
    LESSON_FIELDS,
    LessonState,
    from_query,
    settings_changed,
    settings_query,
    to_query,
)
from softmax_ui.text import markdown_safe

ROOM, MEMBER, TEACHER, LEAD, EXPLORE = "room", "member", "teacher", "lead", "explore"
"""The URL keys of the live class (none of them is a lesson-state key). ``explore=1``: a
student who explores on their own (a reload goes on exploring)."""
IDENTITY = "live:identity"
NOTICE = "live:notice"
NICKNAME_CUT = "live:nickname_cut"  # the nickname just chosen was cut to the length kept
GONE = "live:class_gone"
"""(code, ``"teacher"`` or ``"student"``): the class an opened link named (``""`` if its code
is not one) is not open (it ended, or expired), and whose link it was. Said once, above the
page, as news, not as a mistake: it blamed a code the reader never typed (a tour)."""
FORGET_DEVICE = "live:forget_device"
"""Set when the teacher leaves the class on this device: the next run marks the page, and the
page script makes the browser's secret (:data:`DEVICE_COOKIE`) anew, so that this browser no
longer leads the class by itself (a shared computer). The value, a nonce, makes each mark
one the script has not seen."""
LEFT = "live:left_class"
"""The code of the class this student has just left ("Leave the class"): said once."""
ENDED = "live:class_ended"
"""Set when this session finds its class gone (the teacher ended it, or it expired): the next
whole run says so once, above the page."""
WAS_STUDENT = "live:was_student"
"""Set once this session has been a student of a class (it joined one, or opened a student's
link to one); cleared when it starts or leads a class. In no class (the class ended, the
student left, or the link's class was gone) its class page speaks to a student: join first."""
DRAWN = "live:drawn_page"
"""(page script hash, page path, page slug) of this session's last whole-page run."""
DRAWN_FOLLOWING = "live:drawn_following"
"""Whether the page was last drawn for a following student (the teacher's settings in place
of the controls): the follow bar redraws the page when that changes."""
DRAWN_BAR = "live:drawn_bar"
"""Whether the follow bar was last drawn for a student following the teacher (``True``) or
exploring (``False``)."""
SHOWING_MOVE = "live:showing_move"
"""Whether the last whole run showed a view of the teacher this student was sent to."""
LEFT_TO_WATCHER = "live:left_to_watcher"
"""Whether the last tick of the follow fragment left a new view to the watcher to show."""
SHOWN_IN = "live:shown_in"
"""The script runner's request queue of the last run that drew this session's page or
sections: a tick run after it by the same runner comes after that run's messages, which
Streamlit cannot have dropped (see :func:`browser_behind`)."""
PENDING = "live:pending_view"
"""(page slug, lesson query) of the teacher's view this student was sent to and has not
shown yet (cleared by the whole run that shows it; a view taken in a run of the sections
never sets it)."""
RESUME = "live:resume"
"""The class code a teacher's URL named when this session could not lead it (no key)."""
EXPLORING_BECAUSE = "live:exploring_because"
"""Why this student explores without having chosen "Explore on my own": ``"change"``, they
changed a setting themselves (:func:`explore_after_own_change`); ``"page"``, they went to
another page (:func:`arrive`). The follow bar says so until they follow again."""
FOLLOW_EVERY = 8.0
"""Seconds between a student's own checks of the teacher's view. A move reaches a following
student sooner: the process's watcher (:mod:`softmax_ui.push`) starts the run that shows it
within ``push.WATCH_EVERY`` of the move (:func:`follow_plan`); this timer is the fallback
and the heartbeat's (a whole run restarts it).
Every tick is a fragment run for every student: at 4 s, 100 students' ticks took a fifth
of a core, and the ticks that fell inside a move's burst slowed it (docs/benchmarks.md)."""
HEARTBEAT_EVERY = 3.0
"""Seconds between a student's heartbeats at least: one on every check of the follow fragment
(every :data:`FOLLOW_EVERY` s) and in a run that shows a move once the last is
:data:`BEAT_IN_MOVES_AFTER` s old; a student counts as connected for 20 s after one."""
BEAT_IN_MOVES_AFTER = 10.0
"""Seconds after a heartbeat when the run that shows a move sends one after all (half the
20 s a student counts as connected after one)."""
TEACHER_BAR_EVERY = 3.0
STEADY_CSS = """
<style>
  [class*='st-key-live_'] [data-stale='true'] { opacity: 1 !important; transition: none; }
</style>
"""
"""The live panels redraw themselves every second: Streamlit's fading of elements while a
run is under way would make them flicker on the projector (containers keyed ``live_*``)."""

_stores: dict[tuple[str, ...], RoomStore] = {}
_stores_lock = threading.Lock()


def store() -> RoomStore:
    """This process's room store, as the environment chooses it (one per setting)."""
    key = tuple(os.environ.get(name, "") for name in (URL_ENV, DATA_DIR_ENV, PREFIX_ENV))
    with _stores_lock:
        if key not in _stores:
            _stores[key] = open_store()
        return _stores[key]


@dataclass
class Identity:
    code: str
    role: str
    """``"teacher"`` or ``"student"``."""
    member: str = ""
    key: str = ""
    following: bool = True
    applied: int = -1
    """The view version this student last applied (-1: apply the current one)."""
    published: tuple[str, str] | None = None
    """The (page, query) this teacher last published."""
    beat: float = 0.0
    told_following: bool = True
    """Whether the room was last told this student follows (joining tells it so)."""

    @property
    def teacher(self) -> bool:
        return self.role == "teacher"


def client() -> str:
    """Who a join attempt comes from, for the rate limit: the connection's address, or, when
    the connection comes from this machine or a private network (a load balancer such as
    deploy/scale_out.sh's HAProxy), the address that balancer saw (:func:`forwarded_client`)."""
    ip = st.context.ip_address
    try:
        trusted = ip is None or ipaddress.ip_address(ip).is_private
    except ValueError:
        trusted = False
    forwarded = forwarded_client(st.context.headers.get("X-Forwarded-For"))
    return (forwarded if trusted and forwarded else ip or "local")[:64]


def forwarded_client(header: str | None) -> str:
    """The address the nearest load balancer saw, from an ``X-Forwarded-For`` header: its
    last entry. A balancer appends the address it saw (HAProxy's ``option forwardfor``) to
    whatever the client sent, so the first entry is the client's to write: read first, a
    guesser had a new address, and a new rate limit, for every try (a review).

    >>> forwarded_client("6.6.6.6, 203.0.113.9"), forwarded_client(" 203.0.113.9 ")
    ('203.0.113.9', '203.0.113.9')
    >>> forwarded_client(None), forwarded_client("")
    ('', '')
    """
    return (header or "").split(",")[-1].strip()


def identity() -> Identity | None:
    """This session's place in a room, read from the URL on the session's first run."""
    if IDENTITY not in memory():
        memory()[IDENTITY] = _from_url()
    return memory()[IDENTITY]


def was_student() -> bool:
    """Whether this session is, or was last, a student of a class (see :data:`WAS_STUDENT`)."""
    ident = identity()
    return (ident is not None and not ident.teacher) or bool(memory().get(WAS_STUDENT))


def following() -> bool:
    """Whether this session is a student following the teacher. Such a student's page shows
    the teacher's settings instead of the controls that set them
    (:func:`softmax_ui.controls.editor_beside_picture`): the teacher's next move would undo
    any change, and "Explore on my own" gives the controls back."""
    ident = identity()
    # applied: a view of the teacher's is on this page (not so while the teacher has paused
    # since the student joined or chose to follow again: the student's own values show)
    return ident is not None and not ident.teacher and ident.following and ident.applied >= 0


def _notice(text: str) -> None:
    memory()[NOTICE] = text


def _from_url() -> Identity | None:
    params = st.query_params
    code = params.get(ROOM, "")
    if not code:
        return None
    rooms = store()
    key = params.get(TEACHER)
    if key is None and params.get(LEAD) and not params.get(MEMBER):
        # The teacher's own URL without its key (a reload, a restart): the browser that
        # started the class leads it again (its secret makes the key); any other leads again
        # with the teacher link. Joining the class as a student here would count the projector.
        # (A student's address, with its member, and "lead=1" added by hand is the student's:
        # it was told it had been the teacher's page, and was out of the class.)
        found = rooms.room(code)
        device = _device()
        if found is not None and device is not None:
            again = device_key(device, found.code)
            if rooms.is_teacher(found.code, again):  # the browser that started the class
                _go_on_from(found)
                memory().pop(WAS_STUDENT, None)
                return Identity(found.code, "teacher", key=again)
        if found is not None:
            memory()[RESUME] = found.code
            _notice(
                _(
                    "This was the teacher's page of class {code}. The teacher key is not kept in "
                    "the address bar (the room could read it on the projector): to lead the "
                    "class again, open your teacher link, or paste it on the Live class page. "
                    "A student joins with the code {code} under Join."
                ).format(code=spaced_code(found.code))
            )
        else:
            memory()[GONE] = (normalise_code(code), "teacher")
        return None
    if key is not None:
        if rooms.is_teacher(code, key):
            room = rooms.room(code)
            _go_on_from(room)
            memory().pop(WAS_STUDENT, None)
            return Identity(room.code, "teacher", key=key)  # type: ignore[union-attr]
        if rooms.room(code) is None:  # a teacher link, kept after its class ended
            memory()[GONE] = (normalise_code(code), "teacher")
            return None
        _notice(
            _(
                "This link's teacher key is not valid for this class: it does not make you the "
                "teacher. You are in the class as a student."
            )
        )
    memory()[WAS_STUDENT] = True  # a student's link, even to a class that has ended
    try:
        member = rooms.join(code, client(), member=params.get(MEMBER) or None, browser=_device())
    except NoSuchRoom:  # nobody typed the code: the link's class has ended (or expired)
        memory()[GONE] = (normalise_code(code), "student")
        return None
    except RoomError as err:
        _notice(err.translated())
        return None
    return Identity(
        rooms.room(code).code,  # type: ignore[union-attr]
        "student",
        member=member,
        following=params.get(EXPLORE) != "1",
    )


DEVICE_COOKIE = "softmax_device"
"""This browser's own secret, made by the page script (part 6): a class started in it has
the teacher key it makes (:func:`softmax_ui.rooms.base.device_key`), so a new session of
the same browser with the teacher's address (``lead=1``, no key) leads the class again."""


def _device() -> str | None:
    """This browser's secret (:data:`DEVICE_COOKIE`), if it sent a well-formed one."""
    try:
        device = st.context.cookies.get(DEVICE_COOKIE)
    except Exception:  # no browser behind this run (AppTest, a bare script)
        return None
    return device if isinstance(device, str) and DEVICE.fullmatch(device) else None


def start_class() -> None:
    created = store().create_room(_device())
    memory().pop(RESUME, None)
    memory().pop(WAS_STUDENT, None)
    memory()[IDENTITY] = Identity(created.code, "teacher", key=created.teacher_key)


def join_class(code: str, nickname: str = "") -> str | None:
    """Join as a student; returns a message if refused."""
    if not code.strip():  # "no open class with that code" blamed a code nobody typed (a tour)
        return _("Type the class code shown on the projector first, e.g. ACD7FH.")
    try:
        member = store().join(code, client(), nickname=nickname, browser=_device())
    except RoomError as err:
        return err.translated()
    room = store().room(code)
    if room is None:
        return _("The class has just ended.")
    memory()[IDENTITY] = Identity(room.code, "student", member=member)
    memory()[WAS_STUDENT] = True
    nickname_chosen(nickname)
    return None


def nickname_chosen(text: str) -> None:
    """Note that the student chose the nickname ``text``: :func:`nickname_was_cut` says
    whether the store cut it short (the page says so once, after its rerun)."""
    if nickname_cut(text):
        memory()[NICKNAME_CUT] = True


def nickname_was_cut() -> bool:
    """Whether the nickname just chosen was cut short (:func:`nickname_chosen`); said once."""
    return bool(memory().pop(NICKNAME_CUT, False))


def resume_class(link: str) -> str | None:
    """Lead a class again from the teacher link (or the key alone, for the class this
    session's URL named); returns a message if refused."""
    text = link.strip()[:2000]
    query = dict(parse_qsl(text.split("?", 1)[1])) if "?" in text else {}
    code = query.get(ROOM) or memory().get(RESUME) or ""
    key = query.get(TEACHER, text if "?" not in text else "")
    rooms = store()
    found = rooms.room(code) if code else None
    if found is None:
        return _("There is no open class for that link (a teacher link ends in ?room=…&teacher=…).")
    if not rooms.is_teacher(found.code, key):
        return _("That is not this class's teacher link.")
    memory().pop(RESUME, None)
    memory().pop(WAS_STUDENT, None)
    memory()[IDENTITY] = Identity(found.code, "teacher", key=key)
    _go_on_from(found)
    return None


def _go_on_from(room: Room | None) -> None:
    """A teacher who leads again (the teacher link opened on another device, or after a
    server restart) goes on from the room's view: the first page they open publishes the
    room's settings, not the example's (the students' logits would jump back)."""
    if room is None or room.view is None:
        return
    _commit_class_view(room.view)


def _commit_class_view(view: View, *, remount: bool = False) -> tuple[View, LessonState]:
    """The class's ``view`` made this teacher's settings (``remount``: its widgets drawn
    afresh), with an example's class names in this teacher's language: a French teacher
    leading again on another device showed dog, cat, bird, while the French students read
    chien, chat, oiseau (a tour). Returns the view as this tab writes it, and its state."""
    shown = canonical_view(view)
    state = view_state(shown.query)
    commit(state, remount=remount)
    return shown, state


def teacher_link(root: str, ident: Identity) -> str:
    """The link that makes its opener the teacher (shown only on the teacher's demand)."""
    return f"{root}/{LIVE.slug}?{urlencode({ROOM: ident.code, TEACHER: ident.key})}"


def leave_class() -> None:
    ident = identity()
    if ident is not None and not ident.teacher:
        store().leave(ident.code, ident.member)
        memory()[LEFT] = ident.code
        _own_view_back()
    if ident is not None and ident.teacher:  # this browser's secret would lead it again
        memory()[FORGET_DEVICE] = secrets.token_hex(8)
    memory()[IDENTITY] = None
    _stop_watching()


def _own_view_back() -> None:
    """A student out of the class gets their own view back: the presenter view (large type,
    parts hidden) was the teacher's choice for the projector, not the student's (a student
    who left, on a laptop, was kept in it: a tour)."""
    state = current()
    if state.present:
        commit(state.replace(present=False))


def end_class() -> str | None:
    """The teacher ends the class for everyone (:meth:`RoomStore.end_class`) and leaves it;
    returns the ended class's code (``None`` if this session does not lead a class). Each
    student's next check finds no room: "The class has ended."."""
    ident = identity()
    if ident is None or not ident.teacher:
        return None
    with contextlib.suppress(NoSuchRoom):  # ended already (the teacher's other device)
        store().end_class(ident.code, ident.key)
    memory()[IDENTITY] = None
    _stop_watching()
    return ident.code


def _stop_watching() -> None:
    """This session is no student in a class (any more): the watcher lets it be."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        push.forget(ctx.session_id, VIEW)
        push.forget(ctx.session_id, OPEN)
        push.forget(ctx.session_id, POLL)


def url_params() -> dict[str, str]:
    """What the address bar must carry besides the lesson state (empty outside a class).
    Never the teacher key: the teacher's page is on the projector."""
    ident = identity()
    if ident is None:
        return {}
    if ident.teacher:
        return {ROOM: ident.code, LEAD: "1"}
    # a reload keeps the student's choice to explore (it went back to following unasked)
    return {ROOM: ident.code, MEMBER: ident.member} | ({} if ident.following else {EXPLORE: "1"})


def app_root(page: Page) -> str:
    """The app's base URL (``SOFTMAX_PUBLIC_URL`` if set: the address students can reach)."""
    public = os.environ.get("SOFTMAX_PUBLIC_URL", "").strip().rstrip("/")
    if public:
        return public
    url = st.context.url or ""
    return url.rsplit("/", 1)[0] if page.slug else url.rstrip("/")


def join_link(root: str, code: str) -> str:
    """The link students open (no teacher key in it, ever), in the teacher's language (a
    student may switch: following the class never changes a student's language)."""
    return f"{root}/{LIVE.slug}?{urlencode({ROOM: code} | i18n.url_param())}"


# --- the frame -----------------------------------------------------------------------------------


def frame(page: Page, state: LessonState) -> None:
    """The live class's part of every page (see the module docstring)."""
    ctx = get_script_run_ctx()
    if ctx is not None and not ctx.fragment_ids_this_run:
        memory()[DRAWN] = (ctx.page_script_hash, page.path, page.slug)
        memory()[DRAWN_FOLLOWING] = following()
        memory()[SHOWING_MOVE] = mark_shown(state, page.slug)
        memory()[SHOWN_IN] = ctx.script_requests
        push.forget(ctx.session_id, POLL)  # the class page's question panel watches again
    ident = identity()
    if ident is None or ident.teacher:
        _stop_watching()  # left the class, was let go, or leads it
    if ident is not None:
        st.html(STEADY_CSS)
    if ident is not None and ident.teacher:
        _publish(page, state, ident)
        if memory().get(IDENTITY) is not None and page != LIVE:
            _teacher_bar()
    elif ident is not None:
        _follow()
    notice = memory().pop(NOTICE, None)
    if notice:
        st.error(markdown_safe(notice), icon=":material/group_off:")
    if ident is not None and not ident.teacher and nickname_was_cut():
        # on the page the student arrives at: a late joiner is taken to the teacher's
        # lesson, and the class page said it later, out of place (a review)
        st.info(
            _("A nickname is at most {n} characters: yours was shortened.").format(
                n=MAX_NICKNAME_CHARS
            ),
            icon=":material/content_cut:",
        )
    forget = memory().pop(FORGET_DEVICE, None)
    if forget:
        st.html(f'<style data-softmax-forget-device="{forget}"></style>')
    gone = memory().pop(GONE, None)
    if gone is not None:
        code, role = gone
        here = page == LIVE  # (a follower's old address names the class on every lesson)
        if role == "teacher":
            then = (
                _("To teach, start a new class under Teach.")
                if here
                else _("To teach, start a new class on the Live class page.")
            )
        else:
            then = (
                _("To join a class, type the code your teacher shows under Join.")
                if here
                else _("To join a class, type the code your teacher shows on the Live class page.")
            )
        st.info(
            (
                # the store cannot tell an ended class from a code that never was one
                _(
                    "Class {code} is not open: it has ended, or the link's code is not right."
                ).format(code=spaced_code(code))
                if code
                else _("This link's class is not open: it has ended, or the link is not whole.")
            )
            + " "
            + then,
            icon=":material/event_busy:",
        )
    left = memory().pop(LEFT, None)
    if left:
        st.info(
            _(
                "You left class {code}: every lesson stays open for you to explore on your "
                "own. To join it again, type its code under Join."
            ).format(code=spaced_code(left)),
            icon=":material/logout:",
        )
    if memory().pop(ENDED, False):
        st.info(
            _(
                "The class has ended. Thank you for taking part: every lesson stays open for "
                "you to explore on your own."
            )
            if was_student()
            else _("The class has ended."),
            icon=":material/logout:",
        )


def arrive(page: Page) -> None:
    """Called first in a whole run of every page, before the page reads its state: a
    following student who has not seen the teacher's current view takes it now. A view of
    this page is taken in place (this run draws it: the whole run the process's watcher
    starts for a move, of this page or of the teacher's new page, is this one); a view of
    another page by a page switch. Applied here, in the
    script body: a ``st.switch_page`` from inside a fragment during a full run can leave
    the next page drawn as loading skeletons. The follow fragment applies the views that
    its own checks find. A browser that missed the page this session last drew
    (:func:`browser_missed_page`) is shown the teacher's view again."""
    if run_of_sections():
        return
    ident = identity()
    if ident is not None and not ident.teacher:
        drawn = memory().get(DRAWN)
        browser = browser_page()
        again = browser_missed_page(drawn and drawn[2], page.slug, browser)
        room = store().room(ident.code)
        if _apply_new_view(ident, room, here=page.slug, again=again):  # may switch page
            return
        view = room.view if room is not None and room.broadcasting else None
        ctx = get_script_run_ctx()
        # the reader's own step: Back or Forward, or a request that says where the browser
        # was (one that does not say is not taken for one)
        own = browser is not None or (ctx is not None and ctx.is_history_navigation)
        if (
            own
            and ident.following
            and ident.applied >= 0
            and view is not None
            and stepped_away(view.slug, drawn and drawn[2], page.slug)
        ):
            _stop_following()
            memory()[EXPLORING_BECAUSE] = "page"


def stepped_away(teachers: str, drawn: str | None, here: str) -> bool:
    """Whether a whole run of page ``here`` is a following student's own step away from the
    teacher's page ``teachers`` (a link of the sidebar, the browser's Back): a page other than
    the one this session last drew (``drawn``), and neither the teacher's page nor the class
    page (where the room's questions are answered). Such a student stayed on the page they
    chose, told "Following the teacher", with "the teacher's settings" showing their own
    page's values, until the teacher's next move took them back (a navigation tour); they
    explore on their own from there, and "Follow the teacher" brings them back.

    >>> stepped_away("Temperature_and_Sampling", "Temperature_and_Sampling", "Playground")
    True
    >>> stepped_away("Playground", "Live_class", "Playground")  # taken to the teacher's page
    False
    >>> stepped_away("Playground", "Playground", "Live_class")  # to answer the room's question
    False
    >>> stepped_away("Playground", "Calibration", "Calibration")  # a rerun of the same page
    False
    >>> stepped_away("Playground", None, "Calibration")  # the session's first run
    False
    """
    return drawn is not None and here not in (drawn, teachers, LIVE.slug)


def browser_missed_page(drawn: str | None, here: str, browser: str | None) -> bool:
    """Whether a whole run of page ``here`` comes from a browser that never showed page
    ``drawn``, the one this session's last whole run drew: the browser asks for the page
    its address bar is on (``browser``), and that is not ``drawn``. (A page change made in
    the browser asks for another page than its address bar's, which is still the page it
    leaves.) A phone's connection that stalls takes the messages of the runs that moved
    the student (the watcher's, :mod:`softmax_ui.push`) and loses them when it is then
    cut; the browser comes back to the same session and asks for a run of the page it
    still shows, which took that view for shown: the student stayed there, "following the
    teacher", until the teacher's next move.

    >>> browser_missed_page("Playground", "Live_class", "Live_class")  # back after an outage
    True
    >>> browser_missed_page("Playground", "Live_class", "Playground")  # the link to a question
    False
    >>> browser_missed_page("Live_class", "Live_class", "Live_class")  # a rerun of the page
    False
    >>> browser_missed_page(None, "Live_class", "Live_class")  # the session's first run
    False
    >>> browser_missed_page("Playground", "Live_class", None)  # the request does not say
    False
    """
    return drawn is not None and browser is not None and browser == here != drawn


def browser_page() -> str | None:
    """The slug of the page the browser's address bar is on, as this run's request says
    (``""``: the landing page); ``None`` when it does not say, and for the browser's Back
    or Forward (its address bar is on the page it asks for, which is not one it missed)."""
    ctx = get_script_run_ctx()
    info = ctx.context_info if ctx is not None else None
    if info is None or not info.HasField("url") or ctx.is_history_navigation:
        return None
    last = urlsplit(info.url).path.rstrip("/").rsplit("/", 1)[-1]
    return last if last and page_path(last) is not None else ""


def view_query(state: LessonState) -> str:
    return urlencode(to_query(state), safe=",")


def view_state(query: str) -> LessonState:
    """The lesson state a view's query (:func:`view_query`) shows, read as any shared link
    is (a part that does not read keeps its default): the inverse of :func:`view_query`.

    >>> view_state("z=5,1,-2&T=0.5").logits, view_state("z=5,1,-2&T=0.5").temperature
    ((5.0, 1.0, -2.0), 0.5)
    >>> view_state(view_query(view_state("z=1,2&T=nan"))).temperature  # T left at its default
    1.0
    """
    state, _problems = from_query(dict(parse_qsl(query, keep_blank_values=True)))
    return state


@functools.lru_cache(maxsize=256)
def _canonical_query(query: str, lang: str) -> str:
    state = view_state(query)
    return view_query(state.replace(labels=in_language(state.labels, lang)))


def canonical_view(view: View) -> View:
    """``view`` as this student shows it: its query written as this code writes it
    (:func:`view_query`), with an example's class names in the student's language.

    * A view stored by an earlier version, which a room keeps across a restart or an
      upgrade, or published by a replica not upgraded yet, may spell the same settings
      otherwise (class names were escaped twice: ``caf%25C3%25A9``, now ``caf%C3%A9``);
      compared as text with what this code shows, it never counted as shown, and a student
      was sent to it again at every tick.
    * A Spanish teacher's example reads perro, gato, pájaro; a French student reads chien,
      chat, oiseau, as on every page of their own (names the teacher typed stay as typed).

    >>> old = View("Playground", "z=2%2C1&labels=caf%25C3%25A9,b&T=1", 3)
    >>> canonical_view(old)
    View(slug='Playground', query='z=2,1&labels=caf%C3%A9,b&T=1', version=3)
    >>> canonical_view(canonical_view(old)) == canonical_view(old)
    True
    """
    query = _canonical_query(view.query, i18n.current())
    return view if query == view.query else View(view.slug, query, view.version)


def _publish(page: Page, state: LessonState, ident: Identity) -> None:
    rooms = store()
    room = rooms.room(ident.code)
    if room is None:
        class_ended()
        return
    if not room.broadcasting:
        return
    view = (page.slug, view_query(state))
    if view != ident.published:
        # not when the room shows it already, written in another language (a French teacher
        # leading again a class an English one started: the example's names in French)
        if room.view is None or teacher_behind(view, room.view):
            rooms.set_view(ident.code, ident.key, *view)
        ident.published = view


@st.fragment(run_every=TEACHER_BAR_EVERY)
def _teacher_bar() -> None:
    stay_on_drawn_page()
    ident = identity()
    if ident is None or not ident.teacher:
        return
    rooms = store()
    room = rooms.room(ident.code)
    if room is None:
        return
    presence = rooms.presence(ident.code)
    with st.container(border=True, key="live_teacher_bar"):
        info, link = st.columns([5, 2], vertical_alignment="center")
        mode = _("broadcasting your view") if room.broadcasting else _("broadcast paused")
        info.markdown(
            ":material/cast_for_education: "
            + _("**Live class {code}** · {connected} · {following} · {mode}").format(
                code=spaced_code(room.code),
                # each count with its own plural ("1 connecté", not "1 connectés")
                connected=ngettext("{n} connected", "{n} connected", presence.connected).format(
                    n=presence.connected
                ),
                following=ngettext("{n} following", "{n} following", presence.following).format(
                    n=presence.following
                ),
                mode=mode,
            )
        )
        link.page_link(LIVE.path, label=_("Class page: ask the room"), icon=LIVE.icon)
        if not room.broadcasting and link.button(
            _("Resume broadcasting"), key="live_resume", icon=":material/cast:"
        ):
            # here, from this page: the switch is on the class page, and going there to turn
            # it on took the room there first (a teacher's tour)
            rooms.set_broadcasting(ident.code, ident.key, True)
            st.rerun()  # the whole page: it publishes this view
        behind_note(room)


def teacher_behind(published: tuple[str, str] | None, view: View | None) -> bool:
    """Whether a teacher's tab that last published ``published`` (its (page, query)) is
    behind the class's ``view``: another tab or device of the teacher moved the class since.
    The tab showed its old settings, asked the room about logits no student saw, and its
    next move took the class back to them (a teacher's tour with two tabs).

    >>> teacher_behind(("Playground", "z=1,1,0"), View("Playground", "z=1,1,0", 3))
    False
    >>> teacher_behind(("Live_class", "z=1,1,0"), View("Playground", "z=0.5,2,-1", 4))
    True
    >>> teacher_behind(None, View("Playground", "z=2", 1))  # has not led from here yet
    False
    """
    if published is None or view is None:
        return False
    # as this tab writes them: an example's class names in its language on both sides
    shown = canonical_view(view)
    return (shown.slug, shown.query) != (
        published[0],
        _canonical_query(published[1], i18n.current()),
    )


def behind_note(room: Room) -> None:
    """Under the teacher's bar, and above the room's answers on the class page: a tab that is
    behind the class (:func:`teacher_behind`) says so, and takes the class's view on demand."""
    ident = identity()
    if ident is None or not ident.teacher or not teacher_behind(ident.published, room.view):
        return
    shown = page_of(room.view.slug) if room.view else None
    page = _(shown.title) if shown else markdown_safe(room.view.slug)
    st.warning(
        (
            _(
                "Another tab or device of yours has moved the class (to **{page}**): this tab "
                "still shows your earlier view. A question asked here is about its logits, "
                "and a move here takes the class back to it."
            )
            if room.broadcasting
            else _(  # paused, a move here goes nowhere (a review)
                "Another tab or device of yours has moved the class (to **{page}**): this tab "
                "still shows your earlier view, and a question asked here is about its logits."
            )
        ).format(page=page),
        icon=":material/sync_problem:",
    )
    if st.button(_("Show the class's view here"), key="live_take_view", icon=":material/sync:"):
        take_class_view(room)


def take_class_view(room: Room) -> None:
    """This teacher's tab takes the class's view (its page and settings) and leads from
    there, publishing nothing new until the teacher moves."""
    ident = identity()
    if ident is None or room.view is None or page_path(room.view.slug) is None:
        return
    view, state = _commit_class_view(room.view, remount=True)
    ident.published = (view.slug, view.query)
    st.switch_page(
        page_path(view.slug),
        query_params=to_query(state) | i18n.url_param() | url_params(),
    )


def class_ended() -> None:
    """This session's class is gone (its teacher ended it, or it expired): the session leaves
    it, and the page is drawn again without it (the follow bar, the teacher's settings in
    place of the controls, the question), with "The class has ended." above it."""
    ident = identity()
    if ident is not None and not ident.teacher:
        _own_view_back()
    memory()[IDENTITY] = None
    memory()[ENDED] = True
    _stop_watching()
    if run_of_sections():
        st.rerun(scope="app")


def _out_of_class(notice: str | None = None) -> None:
    """The student is no longer in the class: a page drawn for a follower (the teacher's
    settings in place of the controls) is drawn again with its controls, and ``notice``
    on top."""
    if run_of_sections() and memory().get(DRAWN_FOLLOWING):
        if notice:
            _notice(notice)
        st.rerun(scope="app")


def _heartbeat(ident: Identity, rooms: RoomStore) -> bool:
    """Tell the room this student is here (and whether following), at most every
    :data:`HEARTBEAT_EVERY` seconds; ``False`` if the student could not be let back in."""
    now = time.monotonic()
    if now - ident.beat < HEARTBEAT_EVERY:
        return True
    ident.beat = now
    # an exploring student says so once: their other tab may follow (RoomStore.heartbeat)
    said = ident.following if ident.following or ident.told_following else None
    if rooms.heartbeat(ident.code, ident.member, said):
        ident.told_following = ident.following
        return True
    try:  # removed (left in another tab, or the room was cleaned): come back in
        rooms.join(ident.code, client(), member=ident.member, browser=_device())
        ident.told_following, ident.beat = True, 0.0  # an explorer says so at the next beat
    except RoomError as err:
        memory()[IDENTITY] = None
        _out_of_class(err.translated())
        st.warning(markdown_safe(err.translated()), icon=":material/group_off:")
        return False
    return True


def _stop_following() -> None:
    ident = identity()
    memory().pop(EXPLORING_BECAUSE, None)
    if ident is not None:
        ident.following = False
        ident.beat = 0.0


def _follow_again() -> None:
    ident = identity()
    memory().pop(EXPLORING_BECAUSE, None)
    if ident is not None:
        ident.following = True
        ident.applied = -1
        ident.beat = 0.0


def explore_after_own_change() -> None:
    """A following student changed a setting with one of the page's controls (those the
    teacher's settings line leaves, e.g. the precision or the offset c): the teacher's next
    move would undo it without a word. The student explores on their own from here, with
    their change kept, as "Explore on my own" would, and the follow bar says why; "Follow the
    teacher" brings the teacher's view back. Called by :mod:`softmax_ui.session` for every
    change the reader makes (:func:`softmax_ui.session.on_reader_change`)."""
    ident = identity()
    if ident is None or ident.teacher or not ident.following:
        return
    _stop_following()
    memory()[EXPLORING_BECAUSE] = "change"


def _bar_outdated() -> bool:
    """Whether the page was drawn for a following student who explores now (their own change
    made them, :func:`explore_after_own_change`): the whole page is drawn again, with the
    controls and the follow bar that says so, not only the section of the changed control."""
    drawn = memory().get(DRAWN_BAR)
    ident = identity()
    if ident is None or ident.teacher:
        return False
    return drawn is not None and drawn != ident.following


on_reader_change(__name__, explore_after_own_change)
rerun_whole_page_when(_bar_outdated)


@st.fragment(run_every=FOLLOW_EVERY)
def _follow() -> None:
    stay_on_drawn_page()
    ident = identity()
    if ident is None or ident.teacher:
        return
    rooms = store()
    room = rooms.room(ident.code)
    if room is None:
        class_ended()
        return
    moved_here, here = False, None
    if run_of_sections():
        # A new view of another page ends this run here (a page switch); one of this page is
        # taken in place if this run goes on to redraw the page's sections (the watcher's run
        # for a move that only changes what they show). A tick of the fragment's timer leaves
        # a new view to the watcher once: its run shows it at less cost.
        here = _sections_follow(room)
        if here is not None:
            memory()[SHOWN_IN] = get_script_run_ctx().script_requests
        if here is not None or not _left_to_watcher(ident, room):
            moved_here = _apply_new_view(ident, room, here=here)
    # The run that shows a teacher's move sends no heartbeat unless the last one is getting
    # old: at a move every student runs at once, and none should wait for the store's write
    # lock. (Each whole run restarts the browser's timers: with moves less than
    # FOLLOW_EVERY apart the checks never come, so the moves must keep the student present.)
    showing_move = moved_here or (not run_of_sections() and memory().get(SHOWING_MOVE, False))
    fresh = time.monotonic() - ident.beat < BEAT_IN_MOVES_AFTER
    if not (showing_move and fresh) and not _heartbeat(ident, rooms):
        return
    if run_of_sections() and memory().get(DRAWN_FOLLOWING, following()) != following():
        st.rerun(scope="app")  # "Explore on my own" / "Follow the teacher": the controls
    # A tick of the browser's own timer (the watcher's runs redraw the sections) from a
    # browser still behind a view this session took: the run that showed it never reached
    # the browser (see browser_behind). The watcher shows it again, with one run of the
    # sections after this one; without a watcher, a whole run does.
    behind = (
        bool(run_of_sections()) and here is None and not moved_here and _browser_behind(ident, room)
    )
    if behind and not push.running():
        st.rerun(scope="app")
    _watch_view(ident, room, again=behind)
    memory()[DRAWN_BAR] = ident.following
    with st.container(border=True, key="live_follow_bar"):
        info, button = st.columns([5, 2], vertical_alignment="center")
        if ident.following:
            banner = (
                _("**Following the teacher** · class {code}")
                if room.broadcasting
                else _("**Following the teacher** (the teacher has paused) · class {code}")
            )
            info.markdown(
                ":material/cast_for_education: " + banner.format(code=spaced_code(room.code))
            )
            button.button(_("Explore on my own"), key="live_explore", on_click=_stop_following)
        else:
            info.markdown(
                ":material/explore: "
                + _("**Exploring on your own** · class {code}").format(code=spaced_code(room.code))
            )
            because = memory().get(EXPLORING_BECAUSE)
            if because == "change":
                info.caption(
                    _(
                        "You changed a setting, so you are exploring on your own. Choose "
                        "“Follow the teacher” to go back."
                    )
                )
            elif because == "page":
                info.caption(
                    _(
                        "You went to another page, so you are exploring on your own. Choose "
                        "“Follow the teacher” to go back to the teacher's page."
                    )
                )
            button.button(
                _("Follow the teacher"), key="live_follow", on_click=_follow_again, type="primary"
            )
        said = [following_page(memory().get(DRAWN))] if ident.following else []
        if _question_waiting(ident, rooms, room):
            info.markdown(":material/quiz: " + _("**The teacher asked the room a question.**"))
            info.page_link(LIVE.path, label=_("Answer it on the class page"), icon=LIVE.icon)
            said.append(_("The teacher asked the room a question."))
        # a screen reader is told of a move and of a question (it heard neither: a tour)
        announce(" ".join(said))


def following_page(drawn: tuple[str, str, str] | None) -> str:
    """What a following student's screen reader is told of the page the teacher took them to
    (``drawn``: the page this session draws, :data:`DRAWN`)."""
    page = page_of(drawn[2]) if drawn else None
    return _("Following the teacher: {page}.").format(page=_(page.title)) if page else ""


def _question_waiting(ident: Identity, rooms: RoomStore, room: Room) -> bool:
    """Whether the room's question is open, unanswered by this student, on another page than
    the class page (where it is shown): a student exploring the Playground missed a question
    the room was answering (a teacher's tour)."""
    drawn = memory().get(DRAWN)
    if room.poll <= 0 or (drawn is not None and drawn[1] == LIVE.path):
        return False
    poll = rooms.poll(room.code, room.poll)
    return (
        poll is not None
        and poll.status == "open"
        and rooms.answer_of(room.code, poll.id, ident.member) is None
    )


VIEW = "view"
"""The :mod:`softmax_ui.push` topic of a following student: the teacher's view."""
OPEN = "open"
"""The :mod:`softmax_ui.push` topic of a student exploring on their own: whether the class is
still on. Its end reaches them as it reaches a follower, at once; they were told at their
next check, up to :data:`FOLLOW_EVERY` later (a tour: 3.7 s)."""


def class_open(code: str) -> bool | None:
    """``True`` while class ``code`` is on, ``None`` once it has ended (an exploring
    student's watch: :mod:`softmax_ui.push` then runs their follow fragment)."""
    return True if store().room(code) is not None else None


Stamp = tuple[int, bool, str, str]
"""The view's version, whether the teacher broadcasts, and the view's page slug and query."""


def view_stamp(code: str) -> Stamp | None:
    """What a following student must see change to be woken: the view's version and
    whether the teacher broadcasts (``None``: the class has ended); with the view itself,
    which says what the run that shows it must redraw (:func:`follow_plan`)."""
    return _stamp(store().room(code))


def _stamp(room: Room | None) -> Stamp | None:
    if room is None:
        return None
    if room.view is None:
        return (-1, room.broadcasting, "", "")
    return (room.view.version, room.broadcasting, room.view.slug, room.view.query)


def settings_only(shown: str, query: str) -> bool:
    """Whether a view's lesson query ``query`` differs from ``shown`` only in lesson
    settings: all that a page's sections show (not the presenter options or the deck).

    >>> settings_only("z=2,1&T=1", "z=2,1&T=0.5"), settings_only("z=2,1", "z=2,1&present=1")
    (True, False)
    """
    return settings_changed(shown, query) <= frozenset(LESSON_FIELDS)


def follow_plan(
    here: str,
    shown: str,
    sections: Callable[[], tuple[str, ...]],
    pages: Mapping[str, str],
) -> push.Plan:
    """For the watcher (:data:`softmax_ui.push.Plan`): how a student on page ``here`` showing
    the lesson query ``shown`` is shown the teacher's next move, by one script run.

    * A move on this page that changes only lesson settings: a run of the follow fragment,
      the page's ``sections()`` (outermost; asked when the move comes, so a whole run can
      register this before its sections are drawn) and the share link: they are all that
      shows those settings, and the page's frame is left as it is.
    * A move to another page (``pages``: slug → script hash): a whole run of that page
      (:class:`softmax_ui.push.PageRun`), which takes the view in place (:func:`arrive`).
    * Else (the presenter options or the deck, a page without sections, a paused teacher,
      no view yet): ``None``, a whole run of this page.

    >>> plan = follow_plan("Playground", "z=2,1&T=1", lambda: ("lesson",), {"Naive": "h3"})
    >>> plan((4, True, "Playground", "z=2,1&T=0.5"))
    ('lesson', 'share_link')
    >>> plan((4, True, "Naive", "z=2,1&T=0.5"))
    PageRun(page='h3')
    >>> plan((4, True, "Playground", "z=2,1&T=1&present=1")) is None  # the presenter view
    True
    >>> plan((4, False, "Naive", "z=2,1")) is None  # paused: this page, drawn as it is
    True
    >>> follow_plan("Live_class", "z=2,1", tuple, {})((4, True, "Live_class", "z=1")) is None
    True
    >>> plan((-1, True, "", "")) is None  # the teacher has shown nothing yet
    True
    """

    def plan(stamp: object) -> tuple[str, ...] | push.PageRun | None:
        if not isinstance(stamp, tuple) or len(stamp) != 4:
            return None
        version, broadcasting, slug, query = stamp
        if not broadcasting or version < 0:
            return None
        if slug != here:
            return push.PageRun(pages[slug]) if pages.get(slug) else None
        if not settings_only(shown, query):
            return None
        drawn = sections()
        return (*drawn, SHARE) if drawn else None

    return plan


_page_hashes: dict[str, str] = {}


def page_hashes() -> Mapping[str, str]:
    """Page slug → the page's script hash in this app (found as ``st.switch_page`` finds a
    page: by its script's path); the same for the whole process."""
    if not _page_hashes:
        ctx = get_script_run_ctx()
        if ctx is None:
            return {}
        here = os.path.dirname(ctx.main_script_path)
        by_path = {info["script_path"]: h for h, info in ctx.pages_manager.get_pages().items()}
        for item in PAGES:
            script = os.path.realpath(os.path.join(here, item.path))
            if script in by_path:
                _page_hashes[item.slug] = by_path[script]
    return _page_hashes


def _watch_view(ident: Identity, room: Room, again: bool = False) -> None:
    """Have this process's watcher show this student the teacher's next move: a whole run of
    this student's page (the page this run draws; the run shows it, :func:`arrive`), or a
    run of this fragment and the page's sections if they are enough, or a whole run of the
    teacher's page (:func:`follow_plan`; :func:`_follow` and :func:`arrive` take the view in
    place). ``again``: show the current view again (its run never reached the browser)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    if not ident.following:
        push.forget(ctx.session_id, VIEW)
        push.watch(ctx.session_id, OPEN, class_open, ident.code, push.current_fragment_id(), True)
        return
    push.forget(ctx.session_id, OPEN)
    seen = _stamp(room)
    if again or (room.broadcasting and room.view and room.view.version != ident.applied):
        seen = None  # read in this run, not applied (or not shown) yet: wake at once
    drawn = memory().get(DRAWN)
    push.watch(
        ctx.session_id,
        VIEW,
        view_stamp,
        ident.code,
        push.current_fragment_id(),
        seen,
        ctx.page_script_hash,
        whole=True,  # the run that shows the move: one run, not a fragment's then a page's
        plan=follow_plan(
            drawn[2] if drawn else "",
            settings_query(ctx.query_string) if again else view_query(current()),
            partial(outermost, drawn_sections()),
            page_hashes(),
        ),
    )


POLL = "poll"
"""The :mod:`softmax_ui.push` topic of a student on the class page: the current question."""


def current_question(code: str) -> tuple[bool, Poll | None]:
    """Whether class ``code`` is still on, and its current question (``None``: none asked),
    from one read of the room."""
    rooms = store()
    room = rooms.room(code)
    if room is None:
        return False, None
    return True, rooms.poll(code, room.poll) if room.poll else None


def poll_stamp(code: str) -> tuple[int, str] | None:
    """What a student's question panel must see change to be redrawn: the current
    question and its status (``None``: the class has ended)."""
    on, current = current_question(code)
    if not on:
        return None
    return (current.id, current.status) if current else (0, "")


def watch_poll(ident: Identity, seen: tuple[int, str]) -> None:
    """Have this process's watcher redraw the student's question panel (the fragment that
    calls this) when the teacher asks, closes or reveals."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        push.watch(
            ctx.session_id,
            POLL,
            poll_stamp,
            ident.code,
            push.current_fragment_id(),
            seen,
            ctx.page_script_hash,
        )


def answer_key(code: str, poll: int | str, lang: str = "") -> str:
    """The widget key of a student's answer to question ``poll`` of class ``code`` (the class
    page's number box; its answer buttons with ``lang``, the language of their labels).

    The browser knows an answer button by its label: after a switch to Spanish the same
    buttons, their labels now Spanish, showed none chosen, though the answer was kept (a
    tour). Buttons of another language are new ones, drawn with the answer kept.

    >>> answer_key("ABCDEF", 3), answer_key("ABCDEF", 3, "es")
    ('live:answer:ABCDEF:3', 'live:answer:ABCDEF:3:es')
    """
    return f"live:answer:{code}:{poll}" + (f":{lang}" if lang else "")


def record_late_answers(ident: Identity | None, widget_states: object) -> list[int]:
    """Record the answers in ``widget_states`` (what a student's browser sent with a run the
    server skipped: :func:`softmax_ui.push.on_skipped_run`) to the class's open questions;
    returns the questions answered.

    On a bad network a student's tap on an answer can reach the server after the teacher's
    move has taken the student's page away from the class page: the run it asks for, of the
    class page's question panel, is one of another page and is skipped, and the answer was
    lost (the student saw it chosen, the projector never counted it: a poor-Wi-Fi tour). A
    skipped run's widget states still say what the student chose: an answer button by its
    label (:func:`softmax_ui.live_questions.answer_labels`, in the student's language), a
    number as typed and sent. An answer is kept only while its question is open, and
    changes nothing if it is the one stored.
    """
    if ident is None or ident.teacher or widget_states is None:
        return []
    prefix = answer_key(ident.code, "")
    rooms = store()
    answered = []
    for widget in getattr(widget_states, "widgets", ()):
        key = user_key_from_element_id(widget.id) or ""
        number, _colon, lang = key[len(prefix) :].partition(":")
        if not key.startswith(prefix) or not number.isdecimal() or len(number) > 9:
            continue  # (a crafted number past SQLite's integers would abort the hook)
        if lang and lang not in i18n.LANGUAGES:
            continue
        question = rooms.poll(ident.code, int(number))
        if question is None or question.status != "open":
            continue
        asked = from_json(question.question)
        sent = widget.WhichOneof("value")
        if asked.options and sent == "string_value":
            with i18n.language(lang or i18n.current()):  # the buttons' labels
                labels = {label: option for option, label in answer_labels(asked).items()}
            value: object = labels.get(widget.string_value)
        elif not asked.options and sent == "double_value":
            value = widget.double_value
        else:
            continue
        try:
            text = answer_text(asked, value)
            if rooms.answer_of(ident.code, question.id, ident.member) != text:
                rooms.answer(ident.code, ident.member, question.id, text)
                answered.append(question.id)
        except (RoomError, ValueError):
            continue  # closed meanwhile, a full room, an answer out of bounds: as on the page
    return answered


def _record_late_answers(widget_states: object) -> None:
    record_late_answers(identity(), widget_states)


push.on_skipped_run(_record_late_answers)


def stay_on_drawn_page() -> None:
    """Called first in every live fragment: redraw the page this session is on if this
    fragment run came in under another page.

    A ``run_every`` tick the browser sent just before a page switch (the teacher's click in
    the sidebar, a student's ``st.switch_page`` while following) is run by Streamlit after
    the new page, under the old page's hash: its ``new_session`` message names the old page,
    and the frontend then clears the new page (``clearAppState``) and draws only fragments,
    leaving loading skeletons until the next whole-page run. The next tick of any fragment
    here finds the mismatch and makes that run.
    """
    ctx = get_script_run_ctx()
    drawn = memory().get(DRAWN)
    if ctx is not None and drawn is not None and ctx.page_script_hash != drawn[0]:
        st.switch_page(drawn[1])


def browser_behind(view: View, shown: str, browser: str) -> bool:
    """Whether a browser whose address bar has the query ``browser`` lacks the teacher's
    ``view`` that this session shows (its lesson query is ``shown``): the run that showed
    it did not reach the browser. Streamlit drops the messages of a run whose script runner
    is replaced before they are sent, which a fragment's tick can do at the end of a busy
    run; the tick after it finds the browser's address bar still on the old settings.
    A student who changed a setting since (``shown`` is not the view) is left alone.

    >>> view = View("Playground", "z=2,1&T=0.5", 4)
    >>> browser_behind(view, "z=2,1&T=0.5", "z=2%2C1&T=1&room=ABC&member=m")
    True
    >>> browser_behind(view, "z=2,1&T=0.5", "?z=2%2C1&T=0.5&room=ABC&member=m")
    False
    >>> browser_behind(view, "z=2,1&T=0.5&seed=3", "z=2%2C1&T=0.5&seed=3")  # changed since
    False
    """
    if shown != view.query:
        return False
    return bool(settings_changed(settings_query(browser), view.query))


def _browser_behind(ident: Identity, room: Room) -> bool:
    """In a fragment's run: :func:`browser_behind` for this session and its browser's
    address bar (the query its last request sent)."""
    ctx = get_script_run_ctx()
    if ctx is None or not (ident.following and room.broadcasting and room.view):
        return False
    if room.view.version != ident.applied:
        return False
    drawn = memory().get(DRAWN)
    if drawn is None or drawn[2] != room.view.slug:
        return False
    if ctx.script_requests is memory().get(SHOWN_IN):
        return False  # this runner sent the run that drew it: its messages went out first
    return browser_behind(canonical_view(room.view), view_query(current()), ctx.query_string)


def _left_to_watcher(ident: Identity, room: Room) -> bool:
    """In a tick of the follow fragment (not a run the watcher started for a move): whether
    to leave a view not applied yet to this process's watcher, whose run for it shows it
    with less (:func:`follow_plan`; a tick's own way is a page switch, two runs). Never two
    ticks in a row: the next one takes a view itself (the watcher did not show it)."""
    new_view = room.view is not None and room.view.version != ident.applied
    switching = memory().get(DRAWN_FOLLOWING, following()) != following()
    left_last = memory().pop(LEFT_TO_WATCHER, False)
    leave = leave_to_watcher(new_view, push.running(), switching, left_last)
    if leave:
        memory()[LEFT_TO_WATCHER] = True
    return leave


def leave_to_watcher(new_view: bool, watching: bool, switching: bool, left_last: bool) -> bool:
    """Whether a tick of the follow fragment leaves a ``new_view`` (not applied yet) to the
    process's watcher: only while the watcher runs (``watching``), not when the student has
    just chosen to follow or explore (``switching``: a whole run comes now), and never two
    ticks in a row (``left_last``: the watcher did not show the last one it was left).

    >>> leave_to_watcher(True, watching=True, switching=False, left_last=False)
    True
    >>> leave_to_watcher(True, watching=True, switching=False, left_last=True)  # the next tick
    False
    >>> leave_to_watcher(True, watching=False, switching=False, left_last=False)
    False
    >>> leave_to_watcher(False, watching=True, switching=False, left_last=False)
    False
    """
    return new_view and watching and not switching and not left_last


def _sections_follow(room: Room) -> str | None:
    """In the follow fragment's run: the slug of this page if this fragment runs first and
    the run goes on to redraw all of the page's sections and the share link (the watcher's
    run for a move that only changes what they show, :func:`follow_plan`), and the room's
    view is of this page and differs from what it shows only in lesson settings (what the
    sections show: the view may have changed since the watcher planned the run); else
    ``None``."""
    ctx = get_script_run_ctx()
    drawn = memory().get(DRAWN)
    sections = outermost(drawn_sections())
    if ctx is None or drawn is None or not sections or ctx.page_script_hash != drawn[0]:
        return None
    try:
        needed = ctx.fragment_storage.resolve_target([*sections, SHARE])
    except Exception:  # a section not drawn any more
        return None
    run = list(ctx.fragment_ids_this_run or ())
    in_place = takes_view_in_place(
        run,
        push.current_fragment_id(),
        needed,
        drawn[2],
        room.view and canonical_view(room.view),
        view_query(current()),
    )
    return drawn[2] if in_place else None


def takes_view_in_place(
    run: list[str], me: str, needed: list[str], here: str, view: View | None, shown: str
) -> bool:
    """Whether a run of the fragments ``run`` (ids, in order) lets the follow fragment ``me``
    take ``view`` in place on page ``here``, which shows the lesson query ``shown``: ``me``
    runs first, the run goes on to redraw every fragment in ``needed`` (the page's outermost
    sections and the share link), and the view is of this page and differs from what it
    shows only in lesson settings, which is all the sections show. (The view may have
    changed since the watcher planned the run.) No view: nothing to take, nothing against.

    >>> move = View("Playground", "z=2,1&T=0.5", 3)
    >>> takes_view_in_place(["f", "s", "l"], "f", ["s", "l"], "Playground", move, "z=2,1&T=1")
    True
    >>> takes_view_in_place(["s", "l", "f"], "f", ["s", "l"], "Playground", move, "z=2,1")
    False
    >>> takes_view_in_place(["f", "s"], "f", ["s", "l"], "Playground", move, "z=2,1&T=1")
    False
    >>> takes_view_in_place(["f", "s", "l"], "f", ["s", "l"], "Naive", move, "z=2,1&T=1")
    False
    >>> present = View("Playground", "z=2,1&T=1&present=1", 4)
    >>> takes_view_in_place(["f", "s", "l"], "f", ["s", "l"], "Playground", present, "z=2,1&T=1")
    False
    """
    if not run or run[0] != me or not set(needed) <= set(run):
        return False
    if view is None:
        return True
    return view.slug == here and settings_only(shown, view.query)


def _apply_new_view(
    ident: Identity, room: Room | None = None, here: str | None = None, again: bool = False
) -> bool:
    """Take a following student to the teacher's view if it changed since the last one, or,
    in a fragment's run, if the page last drawn does not show it (a page switch whose run
    never came: the next check takes the student there again). ``here``: the page this run
    draws, which takes a view of itself in place (a whole run, or a fragment's run that
    redraws the page's sections: :func:`_sections_follow`); ``None``: a fragment's run,
    which switches page (the landing page's slug is ``""``). ``again``: take the view even
    if applied (the browser missed the run that showed it, :func:`browser_missed_page`).
    Returns whether a view was taken in place."""
    room = room or store().room(ident.code)
    if room is None or not (ident.following and room.broadcasting and room.view):
        return False
    view = canonical_view(room.view)
    if again or needs_view(view, ident.applied, memory().get(PENDING), bool(run_of_sections())):
        ident.applied = view.version
        memory().pop(LEFT_TO_WATCHER, None)
        _go(view.slug, view.query, here)
        if run_of_sections():  # in place: the sections this run redraws show it
            memory().pop(PENDING, None)
        return True
    return False


def mark_shown(state: LessonState, slug: str) -> bool:
    """A whole run of page ``slug`` shows ``state`` (called by the frame): a view this
    student was sent to counts as shown then. Returns whether it did."""
    if memory().get(PENDING) == (slug, view_query(state)):
        del memory()[PENDING]
        return True
    return False


def needs_view(
    view: View, applied: int, pending: tuple[str, str] | None, fragment_run: bool
) -> bool:
    """Whether a following student must be taken to ``view``: a version not applied yet, or
    (only in a fragment's run: a whole run that did not show it would loop) the view this
    student was sent to and that no run has shown since (its run never came). A student
    who changed a setting after the view was shown is left alone until the next view.

    >>> view = View("Playground", "z=2,1&T=2", 5)
    >>> needs_view(view, 4, None, fragment_run=False)
    True
    >>> needs_view(view, 5, None, fragment_run=True)
    False
    >>> needs_view(view, 5, ("Playground", "z=2,1&T=2"), fragment_run=True)
    True
    >>> needs_view(view, 5, ("Playground", "z=2,1&T=2"), fragment_run=False)
    False
    """
    if view.version != applied:
        return True
    return fragment_run and pending == (view.slug, view.query)


def _go(slug: str, query: str, here: str | None = None) -> None:
    """Show the teacher's view: a run of the teacher's page with the teacher's settings (this
    run, from here on, if it is a whole run of that page: ``here``)."""
    path = page_path(slug)
    if path is None:
        return
    state = view_state(query)
    memory()[PENDING] = (slug, query)
    commit(state, remount=True)
    if slug != here:
        # with the reader's language: without it the page script read the browser's for a
        # moment (a French student on a Spanish phone), and a phone's sidebar closed
        st.switch_page(path, query_params=to_query(state) | i18n.url_param() | url_params())

"""Live class: the teacher leads, students follow on their own devices, the room answers."""

import io
import secrets

import numpy as np
import segno
import streamlit as st

from softmax_ui import i18n, live
from softmax_ui.catalog import LIVE, LIVE_STUDENT_HEADING
from softmax_ui.figures_live import answers_chart
from softmax_ui.i18n import NP_, _, ngettext, pgettext
from softmax_ui.live_questions import (
    KIND_NAMES,
    answer_labels,
    answer_text,
    as_read,
    ask,
    from_json,
    in_verdict,
    judge,
    kind_name,
    listed_answer,
    question_news,
    report,
    report_csv,
    right_answers,
    shown_answer,
    tally,
    to_json,
)
from softmax_ui.page import (
    answer_place,
    asks,
    chart,
    end_page,
    font_size,
    lesson,
    link_box,
    question_prompt,
    visible,
)
from softmax_ui.quiz import Question, describe, in_reader_language, why_not
from softmax_ui.rooms import MAX_NICKNAME_CHARS, NICKNAME_BOX_CHARS, Poll, RoomError, spaced_code
from softmax_ui.session import per_language
from softmax_ui.spoken import announce
from softmax_ui.state import shown_number
from softmax_ui.tables import markdown_table
from softmax_ui.text import markdown_safe, number_list, semicolon, share_of

KIND_KEY = "live:kind"
"""The teacher's question menu (one per language: :func:`softmax_ui.session.per_language`)."""
POLL_EVERY = 1.0
"""Seconds between redraws of the room's answers on the teacher's page (live counts)."""
QUESTION_EVERY = 4.0
"""Seconds between a student's own redraws of the question: the process's watcher
(softmax_ui.push) redraws it as soon as the teacher asks, closes or reveals."""
AFTER_CLASS_EVERY = 5.0
STATUS = {
    "open": NP_("question status", "open"),
    "closed": NP_("question status", "closed"),
    "revealed": NP_("question status", "revealed"),
}
"""A question's status as the teacher reads it."""

INTRODUCTION = _(
    "Run the class together: students join with a code or by scanning the QR code, follow "
    "every page and setting you show, and answer your questions on their own devices, "
    "anonymously. The projector shows what the room thinks before you reveal the answer."
)
"""The page's reason to exist, for the teacher and for whoever has not joined yet. A joined
student's page starts with the class and the current question instead (on a phone, the
question's answers are on the first screen)."""
STUDENT_INTRODUCTION = _(
    "Join your teacher's class with the code they show, or open their link or QR code: you "
    "follow the teacher's screen and answer their questions on this device, anonymously."
)
"""The page's reason to exist for a student in no class (the class ended, or they left it)."""
joined = live.identity()
as_student = live.was_student()  # in a class, or last in one: the page speaks to a student
state = lesson(
    LIVE,
    INTRODUCTION if not as_student else "" if joined is not None else STUDENT_INTRODUCTION,
    LIVE_STUDENT_HEADING if as_student else None,
)
ident = live.identity()


def qr_png(link: str) -> bytes:
    """The join link as a QR code, drawn here (segno): nothing is fetched."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


NICKNAME_OPEN = "live_nickname_open"
"""Whether the student's nickname popover is open (its widget state)."""
NICKNAME_SAVED = "live:nickname_saved"
"""A nickname was saved in the last run: the popover closes in the next."""


def refused(err: RoomError) -> None:
    st.error(markdown_safe(err.translated()), icon=":material/block:")


# --- not in a class: start one, or join one ------------------------------------------------------

if ident is None:
    if joined is not None and not joined.teacher:  # the class ended or let the student go
        st.markdown(STUDENT_INTRODUCTION)
    ended = st.session_state.pop("live:ended", None)
    if ended:
        st.success(
            _(
                "Class {code} has ended: its students were told, and its questions and answers "
                "are deleted from the server."
            ).format(code=spaced_code(ended)),
            icon=":material/check_circle:",
        )
    # a student's way in comes first (on a phone, the columns stack)
    teach, join = st.columns(2, gap="large")[:: -1 if as_student else 1]
    with teach, st.container(border=True):
        st.header(_("Teach"))
        st.markdown(
            _(
                "Start a class: you get a join code and a QR code to project. Your teacher "
                "link (shown only when you ask) carries a secret key: keep it to yourself."
            )
        )
        if st.button(_("Start a class"), type="primary", icon=":material/cast_for_education:"):
            live.start_class()
            st.rerun()
        with st.form("lead", border=False):
            st.caption(_("Already started a class? Lead it again with your teacher link."))
            teacher_link = st.text_input(
                _("Your teacher link"), type="password", max_chars=2000, key="live:lead_link"
            )
            lead = st.form_submit_button(_("Lead my class"))
        if lead:
            problem = live.resume_class(teacher_link)
            if problem:
                st.error(markdown_safe(problem), icon=":material/block:")
            else:
                st.rerun()
    with join, st.container(border=True):
        st.header(_("Join"))
        with st.form("join", border=False):
            code = st.text_input(_("Class code"), max_chars=12, placeholder=_("e.g. ACD7FH"))
            nickname = st.text_input(
                _("Nickname (optional, only you see it)"),
                # the store keeps MAX_NICKNAME_CHARS; the box takes a longer paste (a paste
                # over a box's limit is dropped whole: a pasted name left the box empty)
                max_chars=NICKNAME_BOX_CHARS,
                placeholder=_("up to {n} characters").format(n=MAX_NICKNAME_CHARS),
            )
            joined = st.form_submit_button(_("Join the class"), type="primary")
        if joined:
            problem = live.join_class(code, nickname)
            if problem:
                st.error(markdown_safe(problem), icon=":material/block:")
            else:
                st.rerun()
    end_page()

rooms = live.store()
room = rooms.room(ident.code)
if room is None:  # ended since the frame looked
    live.class_ended()
    st.rerun()


# --- the teacher -------------------------------------------------------------------------------


def set_broadcasting() -> None:
    broadcast = st.session_state.get("live:broadcast")  # None: see page._switch_language
    if broadcast is not None:
        rooms.set_broadcasting(ident.code, ident.key, bool(broadcast))


def ask_the_room(anyway: int = 0) -> None:
    """The Ask button: the question chosen, about the logits shown. While the current
    question is not revealed (and not asked ``anyway``), nothing is asked: the teacher is
    told and chooses (:data:`UNREVEALED`)."""
    kind = st.session_state.get(per_language(KIND_KEY))
    if kind is None:
        return
    _on, current = live.current_question(ident.code)
    if current is not None and current.status != "revealed" and current.id != anyway:
        # a new question put the open one away for good: its students never learned the
        # answer, and the teacher was not told (a projector tour)
        st.session_state[UNREVEALED] = current.id
        return
    question = ask(kind, state, np.random.default_rng(secrets.randbits(64)))
    try:
        rooms.open_poll(ident.code, ident.key, to_json(question))
    except RoomError as err:
        st.session_state["live:problem"] = err.translated()
        return
    if anyway:  # from the answers' part: the question put away is in the table and the
        # look-back at once, and the end note names the new one (a review)
        st.rerun(scope=list(EVERY_PART))


UNREVEALED = "live:unrevealed"
"""The question Ask the room found not revealed yet (its number), for the teacher to choose."""


ROOM_PARTS = ("live_room_answers", "live_after_class", "live_end_warning")
"""The parts of the class page a close or reveal of the current question changes."""
LOOKED_BACK_PARTS = ("live_look_back_part", "live_after_class")
"""The parts a reveal of an earlier question changes."""
EVERY_PART = (*ROOM_PARTS, "live_look_back_part")
"""The parts a new question asked from the answers' part ("Ask anyway") changes."""


def set_status(poll: int, status: str, parts: tuple[str, ...] = ROOM_PARTS) -> None:
    """Close or reveal question ``poll``, and redraw the ``parts`` that show it (the
    after-class table said "not revealed" for up to its 5-s tick after a reveal: a review)."""
    rooms.set_poll_status(ident.code, ident.key, poll, status)
    st.rerun(scope=list(parts))


@st.fragment(run_every=POLL_EVERY, key="live_room_answers")
def room_answers() -> None:
    """The projector's view of the current question: live counts, then the reveal."""
    live.stay_on_drawn_page()
    with st.container(key="live_room"):
        _room_answers()


@st.fragment(run_every=live.TEACHER_BAR_EVERY)
def tab_behind() -> None:
    """Above Ask the room: whether another tab or device of the teacher has moved the class
    since this tab (``live.behind_note``); below the button, a question was asked first.
    At the pace of the teacher's bar, which says it on every other page: a tab falls behind
    seldom, and the answers' part beside it reads the room every second already."""
    live.stay_on_drawn_page()
    with st.container(key="live_tab_behind"):
        room_now = rooms.room(ident.code)
        if room_now is not None:
            live.behind_note(room_now)


def current_poll() -> Poll | None:
    """The room's current question (one read of the room per tick); the class's end, if it
    has ended (here, on the teacher's other device, or by the teacher while a student waits)."""
    on, current = live.current_question(ident.code)
    if not on:
        live.class_ended()  # a fragment's run starts the page again; a whole run goes on
    return current


def unrevealed_choice(current: Poll | None) -> None:
    """After Ask the room found the current question not revealed: the teacher's choice,
    for as long as that question is current and not revealed (in the answers' part, which
    a reveal reruns: drawn by the page, it stayed after the reveal, a review)."""
    unrevealed = st.session_state.get(UNREVEALED)
    if not unrevealed:
        return
    if current is None or current.id != unrevealed or current.status == "revealed":
        del st.session_state[UNREVEALED]
        return
    with st.container(border=True, key="live_ask_anyway"):
        st.warning(
            _(
                "Question {number} is not revealed yet: ask a new one now and its students "
                "never learn its answer."
            ).format(number=unrevealed),
            icon=":material/visibility_off:",
        )
        first, anyway = st.columns(2)
        first.button(
            _("Reveal question {number} first").format(number=unrevealed),
            type="primary",
            on_click=set_status,
            args=(unrevealed, "revealed"),
        )
        anyway.button(_("Ask anyway"), on_click=ask_the_room, args=(unrevealed,))


def _room_answers() -> None:
    current = current_poll()
    unrevealed_choice(current)
    presence = rooms.presence(ident.code)
    c1, c2, c3 = st.columns(3)
    c1.metric(_("Connected"), presence.connected)
    c2.metric(_("Following you"), presence.following)
    if current is None:
        c3.metric(_("Questions asked"), 0)
        st.caption(_("No question yet: choose one above and ask the room."))
        return
    answers = rooms.answers(ident.code, current.id)
    c3.metric(_("Answers"), len(answers))
    with st.container(border=True, key="live_question"):
        question = show_question(current, answers, put_to(current, len(answers)))
        close, reveal, _space = st.columns([1, 1, 3])
        close.button(
            _("Close answers"),
            key=f"live_close_{current.id}",
            disabled=current.status != "open",
            on_click=set_status,
            args=(current.id, "closed"),
        )
        reveal.button(
            _("Reveal the answer"),
            key=f"live_reveal_{current.id}",
            type="primary",
            disabled=current.status == "revealed",
            on_click=set_status,
            args=(current.id, "revealed"),
        )
        if current.status == "revealed":
            show_answer(question)


def put_to(poll: Poll, answered: int) -> int:
    """How many students ``poll`` is put to (:meth:`RoomStore.asked`: once closed, as many
    as when it closed, :attr:`Poll.asked`), never fewer than answered."""
    asked = poll.asked if poll.asked is not None else rooms.asked(ident.code, poll.id)
    return max(asked, answered)


def show_question(
    poll: Poll, stored: list[str], asked: int | None, *, look_back: bool = False
) -> Question:
    """A question as the projector shows it: its number and state, its logits, its prompt
    and the chart of its answers (the right ones marked once revealed). ``asked``: the
    students it was put to (``None``: not known, a question an earlier version closed, whose
    answers are all it has); ``look_back``: an earlier question, titled with its number.
    Returns the question as the teacher reads it."""
    place = "_look_back" if look_back else ""  # keys: both may be on the page
    # as the teacher reads it: the example's class names in the teacher's language now
    question, answers = as_read(from_json(poll.question), stored)
    status = STATUS.get(poll.status)
    st.caption(
        _("Question {number} · {status}").format(
            number=poll.id,
            status=pgettext("question status", status) if status else markdown_safe(poll.status),
        )
    )
    st.markdown(_("**The logits:** {logits}").format(logits=markdown_safe(describe(question))))
    question_prompt(question.prompt, level=3, key=f"question_prompt{place}")
    right = right_answers(question, answers) if poll.status == "revealed" else None
    n = len(answers)
    if asked is None:  # who was asked is not known: "2 of 2 answered" would say all did
        title = ngettext(
            "Question {number}: {n} student answered",
            "Question {number}: {n} students answered",
            n,
        ).format(number=poll.id, n=n)
        alt = ngettext(
            "The answers to question {number}: {n} student answered",
            "The answers to question {number}: {n} students answered",
            n,
        ).format(number=poll.id, n=n)
    elif look_back:
        title = ngettext(
            "Question {number}: {n} of {asked} student answered",
            "Question {number}: {n} of {asked} students answered",
            asked,
        ).format(number=poll.id, n=n, asked=asked)
        alt = ngettext(
            "The answers to question {number}: {n} of {asked} student answered",
            "The answers to question {number}: {n} of {asked} students answered",
            asked,
        ).format(number=poll.id, n=n, asked=asked)
    else:
        title = ""
        alt = ngettext(
            "The room's answers: {n} of {asked} student answered",
            "The room's answers: {n} of {asked} students answered",
            asked,
        ).format(n=n, asked=asked)
    chart(
        answers_chart(
            tally(question, answers, right=right or ()),
            n if asked is None else asked,
            right=right,
            font_size=font_size(),
            title=title,
        ),
        alt=alt,
        key=f"live_{'look_back' if look_back else 'answers'}_chart",
    )
    return question


def show_answer(question: Question) -> None:
    """A revealed question's answer, with its computation."""
    verdict = judge(question, "")
    st.success(
        _("**The answer:** {answer}").format(answer=markdown_safe(verdict.answer)),
        icon=":material/check_circle:",
    )
    st.markdown("\n".join(f"- {markdown_safe(line)}" for line in verdict.proof))


LOOK_BACK = "live:look_back"
"""The earlier question the teacher looks back at (its number)."""


@st.fragment(run_every=AFTER_CLASS_EVERY, key="live_look_back_part")
def look_back() -> None:
    """An earlier question again, on the projector: its answers, and its answer (revealed
    here if the class moved on before its reveal). The students' devices stay on the
    current question. A teacher could not show an earlier question again (a tour). On the
    after-class table's timer: "Ask anyway" asks from the answers' part, which reruns alone,
    and the question it put away was not listed here until the page was drawn again."""
    live.stay_on_drawn_page()
    polls = rooms.polls(ident.code)
    current = max((p.id for p in polls), default=0)
    earlier = {p.id: p for p in polls if p.id != current}
    if not earlier:
        return
    with st.expander(_("Look back at an earlier question"), icon=":material/history:"):
        number = st.selectbox(
            _("Question"),
            sorted(earlier, reverse=True),
            format_func=lambda n: _("Question {number}").format(number=n),
            key=LOOK_BACK,
        )
        poll = earlier.get(number)
        if poll is None:
            return
        with st.container(border=True, key="live_look_back"):
            answers = rooms.answers(ident.code, poll.id)
            # put to as many as when it closed (not known if an earlier version closed it)
            asked = None if poll.asked is None else max(poll.asked, len(answers))
            question = show_question(poll, answers, asked, look_back=True)
            if poll.status == "revealed":
                show_answer(question)
            else:
                st.caption(
                    _(
                        "Not revealed: the class moved on first. A reveal now shows its answer "
                        "here; the students' devices stay on the current question."
                    )
                )
                st.button(  # (not "Reveal the answer", the current question's button: a review)
                    _("Reveal the answer to question {number}").format(number=poll.id),
                    key=f"live_look_back_reveal_{poll.id}",
                    type="primary",
                    on_click=set_status,
                    args=(poll.id, "revealed", LOOKED_BACK_PARTS),
                )


@st.fragment(run_every=AFTER_CLASS_EVERY, key="live_after_class")
def after_class() -> None:
    """Per question: answered, % right, the answers; and the CSV (no ids, no names)."""
    live.stay_on_drawn_page()
    with st.container(key="live_after"):
        _after_class()


def _after_class() -> None:
    polls = rooms.polls(ident.code)
    rows = results(polls)
    # the projector shows this table: a question's share right would give its answer away
    # before the reveal (2 of 3 right, and 2 said dog: dog is right). One a new question put
    # away is never revealed: its row said "after the reveal" for good (a projector tour);
    # it says so, and its share is in the CSV, the teacher's own.
    current = max((p.id for p in polls), default=0)
    revealed = {p.id for p in polls if p.status == "revealed"}
    if rows:
        st.markdown(
            markdown_table(
                {
                    "#": [r.number for r in rows],
                    # the same question of other logits read as the same row
                    _("question"): [
                        _("{question} (z = [{logits}])").format(question=r.prompt, logits=r.z)
                        for r in rows
                    ],
                    _("answered"): [r.answered for r in rows],
                    _("right (%)"): [
                        share_of(r.right, r.answered)
                        if r.number in revealed
                        else _("after the reveal")
                        if r.number == current
                        else _("not revealed")
                        for r in rows
                    ],
                    _("answers"): [
                        semicolon().join(
                            # "…that sum to 1: 1" read as one more number: the count says what it is
                            ngettext("{answer}: {n} answer", "{answer}: {n} answers", n).format(
                                answer=listed_answer(r.tally, a),
                                n=n,  # the table escapes it
                            )
                            for a, n in zip(r.tally.answers, r.tally.counts, strict=True)
                            if n
                        )
                        for r in rows
                    ],
                }
            )
        )
        download_results("live:download", rows)
        st.caption(_("Counts only: no student ids, no nicknames."))
    else:
        st.caption(_("Per question: how many answered, the share right and the answers, as a CSV."))


@st.fragment(run_every=AFTER_CLASS_EVERY, key="live_end_warning")
def end_warning() -> None:
    """In "End the class": the current question, if it is not revealed yet (a tour ended
    before a reveal), and the results to keep. Kept current: a reveal, a run of the answers'
    part only, left it saying "not revealed" (a projector tour). On the after-class table's
    timer, not the answers' (each tick is a request)."""
    live.stay_on_drawn_page()
    _on, last = live.current_question(ident.code)
    if last is None:
        return
    if last.status != "revealed":
        st.warning(
            _(
                "Question {number} is not revealed yet: end the class now and its students "
                "never learn the answer."
            ).format(number=last.id),
            icon=":material/visibility_off:",
        )
    st.markdown(_("Keep the results? Download them first:"))
    download_results("live:download_before_end", results())


def results(polls: list | None = None) -> list:
    """The after-class report: per question, its answers counted (no ids, no names)."""
    if polls is None:
        polls = rooms.polls(ident.code)
    return report(
        [(p.id, from_json(p.question), rooms.answers(ident.code, p.id)) for p in polls],
        revealed={p.id for p in polls if p.status == "revealed"},
    )


CSV_TAG = "live:csv_tag"
"""A secret of this session's in the results' file name: Streamlit names a file by a hash of
its content and name, and serves it to anyone who asks by that name. Without a secret a
student could write the few files the open question's answer could give and ask for each:
the one found would tell the answer before the reveal (a review)."""


def download_results(key: str, rows: list) -> None:
    """The results' CSV: the report ``rows`` (the table's, with the share right and the
    right answer of every question, revealed or not: the teacher's own), in the teacher's
    language, no ids, no names. Drawn in a part on the table's timer, so it is never older
    than the table.

    The file is made with the button. A file Streamlit made when clicked (a callable) was
    dropped by any whole run of the page, which gave the button a new one, and a click just
    then failed ("canceled": CI runs 98 and 104). This file keeps its name while its content
    is the same (:data:`CSV_TAG` makes the name unguessable); a click fails only in the
    moment an answer changes it, or in a whole run of the page (which makes it again) if
    another session's run ends in it."""
    tag = st.session_state.setdefault(CSV_TAG, secrets.token_hex(4))
    st.download_button(
        _("Download the results (CSV)"),
        report_csv(rows),
        file_name=_("live-class-{code}.csv").format(code=f"{room.code}-{tag}"),
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",  # a download changes nothing on the page
        key=key,
    )


if ident.teacher:
    root = live.app_root(LIVE)
    link = live.join_link(root, room.code)
    asked = room.poll > 0
    spaced = spaced_code(room.code)
    with st.expander(
        _("Join class {code}: the code, the link and the QR code").format(code=spaced),
        expanded=not asked,
    ):
        code_col, qr_col = st.columns([3, 2], vertical_alignment="center")
        with code_col:
            st.markdown(
                _(
                    "Join at the link below, or scan the QR code, or open **Live class** and "
                    "type the code:"
                )
            )
            # the room reads it from the back: large, but not a heading (the page has one title)
            st.container(key="join_code").markdown(spaced)
            link_box(link, key="join", what=_("join the class"))
        qr_col.image(
            qr_png(link),
            caption=_("Scan to join"),
            width=260,
            alt=_("QR code of the join link for class {code}").format(code=spaced),
        )
    st.toggle(
        _("Broadcast my view: students follow every page and setting I show"),
        value=room.broadcasting,
        key="live:broadcast",
        on_change=set_broadcasting,
    )
    # The key is drawn only on demand (not even hidden in a closed expander): this page is
    # on the projector, and its address bar no longer carries the key either.
    if st.toggle(
        _("Show my teacher link (not while projecting: it leads the class)"),
        key="live:show_link",
    ):
        link_box(live.teacher_link(root, ident), key="teacher", what=_("lead the class"))
        st.caption(
            _(
                "Copy it now and keep it private. Open it after a reload or a restart, or on "
                "another device, to lead this class from there. Students never see it: their "
                "link has no key."
            )
        )

    tab_behind()
    st.header(_("Ask the room"))
    logits_now = number_list(
        [
            f"{label} = {shown_number(z)}"
            for label, z in zip(state.labels, state.logits, strict=True)
        ]
    )
    st.markdown(
        _(
            "The question is about the logits on your screen now: {logits}. Students answer on "
            "their devices; you see the count, not the names."
        ).format(logits=markdown_safe(logits_now))
    )
    kind_col, ask_col = st.columns([3, 1], vertical_alignment="bottom")
    kind_key = per_language(KIND_KEY)
    if kind_key not in st.session_state:
        # a reloaded (or another) teacher page offers the kind last asked, not the menu's
        # first (the menu went back to "the winner as T → 0" after a reload: a tour)
        _on, latest = live.current_question(ident.code)
        last_kind = from_json(latest.question).kind if latest is not None else None
        if last_kind in KIND_NAMES:
            st.session_state[kind_key] = last_kind
    kind_col.selectbox(_("Question"), list(KIND_NAMES), format_func=kind_name, key=kind_key)
    ask_col.button(
        _("Ask the room"),
        type="primary",
        on_click=ask_the_room,
        icon=":material/how_to_vote:",
        key=asks("room", "ask"),
    )
    problem = st.session_state.pop("live:problem", None)
    if problem:
        st.error(markdown_safe(problem), icon=":material/block:")
    # brought into view when Ask draws the question (or its "not revealed yet" choice): on a
    # 1280 x 720 projector the question and its chart were drawn below the screen (a tour)
    with answer_place("room"):
        room_answers()

    st.header(_("After class"))
    after_class()
    look_back()
    leave_or_end = st.container(horizontal=True, key="live_leave_or_end")
    # one click gave up the class: the teacher, without the teacher link, could not lead it
    # again, and the students went on following nobody (a French teacher's tour)
    with leave_or_end.popover(_("Leave the class on this device"), icon=":material/logout:"):
        st.markdown(
            _(
                "The class goes on for your students. To lead it again, here or on another "
                "device, you need your teacher link (*Show my teacher link* above, not while "
                "projecting)."
            )
        )
        if st.button(_("Leave the class"), key="live:leave", type="primary"):
            live.leave_class()
            st.rerun()
    # the class ended only when it had been idle for hours: its students went on following
    # a teacher who had gone, and its answers stayed on the server
    with leave_or_end.popover(_("End the class for everyone"), icon=":material/stop_circle:"):
        st.markdown(
            _(
                "Every student is told that the class has ended and stops following you. The "
                "class's questions and answers are deleted from the server at once."
            )
        )
        end_warning()  # (and the results to keep)
        if st.button(_("End the class"), key="live:end", type="primary"):
            st.session_state["live:ended"] = live.end_class()
            st.rerun()
    end_page()


# --- a student ---------------------------------------------------------------------------------


REFUSED = "live:refused"
"""An answer refused: (its box's key, the box's value, the store's refusal or ``None``), said
for as long as the box holds that value (the question's timer redrew the part a second
later, and the reason went, the box still showing the refused 1.40 over "Not answered yet":
a student tour). The box's key names the class and the question."""


def send_answer(poll: int, widget: str) -> None:
    current = rooms.poll(ident.code, poll)
    if current is None:
        return
    value = st.session_state.get(widget)
    try:
        text = answer_text(from_json(current.question), value)
        rooms.answer(ident.code, ident.member, poll, text)
    except RoomError as err:
        st.session_state[REFUSED] = (widget, value, err)
    except ValueError:
        st.session_state[REFUSED] = (widget, value, None)
    else:
        st.session_state.pop(REFUSED, None)


def refusal(question: Question, widget: str) -> str | None:
    """Why the answer in the box was refused, while the box holds it: said again in the
    reader's language now (a switch of language kept "for 33%, type 0.33": a review)."""
    refused = st.session_state.get(REFUSED)
    if refused is None:
        return None
    key, value, err = refused
    if key != widget or st.session_state.get(widget) != value:
        del st.session_state[REFUSED]  # another class, question or answer
        return None
    if err is not None:
        return err.translated()
    try:
        answer_text(question, value)
    except ValueError as why:
        return str(why)
    return None


@st.fragment(run_every=QUESTION_EVERY)
def my_question() -> None:
    live.stay_on_drawn_page()
    with st.container(key="live_student"):
        _my_question()


def _my_question() -> None:
    current = current_poll()
    live.watch_poll(ident, (current.id, current.status) if current else (0, ""))
    if current is None:
        announce("")  # (the same place in the page as a question's, said when one comes)
        st.info(_("No question yet: the teacher will ask one."), icon=":material/hourglass_top:")
        return
    asked = from_json(current.question)  # its options are what the store keeps as answers
    question = in_reader_language(asked)  # as the student reads it: the example's names
    shown = dict(zip(asked.options, question.options, strict=True))  # stored → as read
    stored = rooms.answer_of(ident.code, current.id, ident.member)
    mine = None if stored is None else shown.get(stored, stored)
    open_ = current.status == "open"
    # a screen reader is told when the question comes, closes and is revealed (a tour: the
    # question replaced the "no question yet" note, and nothing was said)
    announce(question_news(current.id, current.status, question, mine))
    with st.container(border=True, key="live_my_question"):
        st.caption(_("Question {number}").format(number=current.id))
        st.markdown(_("**The logits:** {logits}").format(logits=markdown_safe(describe(question))))
        question_prompt(question.prompt, level=2)
        if question.options:
            widget = live.answer_key(ident.code, current.id, i18n.current())
            labels = answer_labels(asked)  # (an answer that comes late is known by its label)
            st.radio(
                _("Your answer"),
                list(asked.options),
                index=asked.options.index(stored) if stored in asked.options else None,
                format_func=labels.__getitem__,
                key=widget,
                disabled=not open_,
                on_change=send_answer,
                args=(current.id, widget),
            )
        else:
            widget = live.answer_key(ident.code, current.id)
            with st.form(f"live_number_{current.id}", border=False):
                st.number_input(
                    _("Your answer (a whole number)")
                    if question.decimals == 0
                    else _("Your answer"),
                    value=float(mine) if mine is not None else None,
                    step=1.0 if question.decimals == 0 else 0.01,
                    # as typed: "%.0f" showed 7.9 as 8 (and it was counted so: a tour); a
                    # number with decimals is refused, with a message (answer_text)
                    format="%g" if question.decimals == 0 else "%.2f",
                    placeholder=_("Type a number"),
                    key=widget,
                    disabled=not open_,
                )
                st.form_submit_button(
                    _("Send"), disabled=not open_, on_click=send_answer, args=(current.id, widget)
                )
        problem = refusal(question, widget)
        if problem:
            st.error(markdown_safe(problem), icon=":material/block:")
        if mine is None:
            st.caption(_("Not answered yet.") if open_ else _("You did not answer this one."))
        elif open_:
            st.caption(
                _(
                    "Your answer: **{answer}**. You can change it until the teacher closes the "
                    "question."
                ).format(answer=markdown_safe(shown_answer(question, mine)))
            )
        if current.status == "closed":
            st.info(_("Answers are closed: wait for the reveal."), icon=":material/lock:")
        if current.status == "revealed":
            verdict = judge(question, mine if mine is not None else "")
            if mine is None:
                st.info(  # quoted as the verdicts and the teacher's line quote it (a tour)
                    _("The answer: **{answer}**.").format(
                        answer=in_verdict(question, verdict.answer)
                    )
                )
            elif verdict.correct:
                st.success(
                    _("**Right.** You said {given}; the answer is {answer}.").format(
                        given=in_verdict(question, shown_answer(question, mine)),
                        answer=in_verdict(question, verdict.answer),
                    ),
                    icon=":material/check_circle:",
                )
            else:
                st.error(
                    _("**Not quite.** You said {given}; the answer is **{answer}**.").format(
                        given=in_verdict(question, shown_answer(question, mine)),
                        answer=in_verdict(question, verdict.answer),
                    )
                    + why_not(verdict),  # a negative loss: why it cannot be
                    icon=":material/cancel:",
                )
            if visible("explanation"):
                st.markdown("\n".join(f"- {markdown_safe(line)}" for line in verdict.proof))


my_question()  # first: on a phone a long question left its answer below the screen
nickname = rooms.nickname(ident.code, ident.member)
st.markdown(
    (
        _(
            "You are in class **{code}** as **{nickname}**. Answer the teacher's questions "
            "here; nobody sees your name."
        )
        if nickname
        else _(
            "You are in class **{code}**. Answer the teacher's questions here; nobody sees "
            "your name."
        )
    ).format(code=spaced_code(room.code), nickname=markdown_safe(nickname or ""))
)
mine = st.container(horizontal=True, key="live_student_actions")
if st.session_state.pop(NICKNAME_SAVED, False):
    # closed once saved: it stayed open over the page, the name in it already saved (a tour)
    st.session_state[NICKNAME_OPEN] = False
# joining by the link or the QR code (the usual way) left no box for a nickname
with mine.popover(
    _("Change your nickname") if nickname else _("Choose a nickname"),
    icon=":material/badge:",
    key=NICKNAME_OPEN,
    on_change="rerun",  # its open state is the page's to close (``NICKNAME_SAVED``)
):
    with st.form("live_nickname", border=False):
        chosen = st.text_input(
            _("Nickname (optional, only you see it)"),
            value=nickname or "",
            max_chars=NICKNAME_BOX_CHARS,
            placeholder=_("up to {n} characters").format(n=MAX_NICKNAME_CHARS),
        )
        save = st.form_submit_button(_("Save"))
    if save:
        try:
            rooms.set_nickname(ident.code, ident.member, chosen)
        except RoomError as err:
            refused(err)
        else:
            live.nickname_chosen(chosen)
            st.session_state[NICKNAME_SAVED] = True
            st.rerun()
if mine.button(_("Leave the class"), icon=":material/logout:"):
    live.leave_class()
    st.rerun()

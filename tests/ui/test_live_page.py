"""The Live class page and the frame's follow logic, in AppTest, on a real (SQLite) store.

Each session is its own AppTest, as each browser would be; they meet in the store.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from softmax_core import softmax
from softmax_ui import catalog, i18n, live, live_questions, push
from softmax_ui.live_questions import TIE, from_json, to_json
from softmax_ui.memory import KEY as MEMORY
from softmax_ui.presets import in_language
from softmax_ui.quiz import Question, option_text
from softmax_ui.rooms.base import device_key
from softmax_ui.session import STATE
from softmax_ui.spoken import ANNOUNCE_CLASS
from softmax_ui.text import join_names, markdown_safe, plain
from tests.link_boxes import links_shown
from tests.ui.conftest import (
    HOME,
    LIVE,
    NAIVE,
    PLAYGROUND,
    QUIZ,
    ROOT,
    TEMPERATURE,
    WORKSHOP,
    assert_healthy,
    chart_values,
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SOFTMAX_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOFTMAX_ROOMS_URL", raising=False)
    return tmp_path


KIND = "live:kind@lang=en"
"""The teacher's question menu on an English page (session.per_language)."""


def session(path: str = LIVE, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params.update(query or {})
    at.switch_page(path)
    return at.run()


def params(at: AppTest) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
    return found[0]


def text_input(at: AppTest, label: str):
    found = [t for t in at.text_input if t.label == label]
    assert found, f"no text input {label!r}: {[t.label for t in at.text_input]}"
    return found[0]


def teacher_link(at: AppTest) -> str:
    """The teacher link, from the class page's explicit "show my teacher link" control."""
    at.toggle(key="live:show_link").set_value(True).run()
    link = next(link for link in links_shown(at) if "teacher=" in link)
    at.toggle(key="live:show_link").set_value(False).run()
    return link


def start_teacher() -> tuple[AppTest, str, str]:
    at = session()
    button(at, "Start a class").click().run()
    assert_healthy(at)
    code = params(at)["room"]
    key = parse_qs(urlsplit(teacher_link(at)).query)["teacher"][0]
    return at, code, key


def everything_shown(at: AppTest) -> str:
    """Every text and code the page draws (a closed expander's content included)."""
    kinds = ("markdown", "code", "caption", "error", "info")
    parts = [e.value for kind in kinds for e in at.get(kind)] + links_shown(at)
    return " ".join(str(p) for p in parts)


def test_the_teacher_gets_a_code_a_student_link_without_key_and_a_qr_code():
    at, code, key = start_teacher()
    links = links_shown(at)
    join = next(link for link in links if "teacher=" not in link and "room=" in link)
    assert parse_qs(urlsplit(join).query) == {"room": [code]}
    assert urlsplit(join).path.endswith("/Live_class")
    (qr,) = at.get("image")  # the QR code, a PNG made by segno, named for a screen reader
    assert qr.proto.imgs[0].alt == f"QR code of the join link for class {code[:3]} {code[3:]}"
    assert key not in everything_shown(at)  # the teacher link only on demand
    assert f"{code[:3]} {code[3:]}" in " ".join(m.value for m in at.markdown)


def test_the_teacher_key_leaves_the_address_bar_and_the_projected_page():
    # The teacher opens their teacher link: the key is read, then gone from the URL.
    _, code, key = start_teacher()
    at = session(query={"room": code, "teacher": key})
    assert_healthy(at)
    assert "teacher" not in params(at) and key not in str(params(at))
    assert params(at)["room"] == code and params(at)["lead"] == "1"
    assert key not in everything_shown(at)  # the projected page, until asked for
    # A rerun (and another page) later the session still leads the room.
    at.run()
    assert key not in str(at.query_params) and params(at)["lead"] == "1"
    at.selectbox(key=KIND).set_value("winner_T_to_0").run()
    button(at, "Ask the room").click().run()
    assert live.store().current_poll(code) is not None
    at.switch_page(NAIVE)
    at.run()
    at.text_input(key="w:paste").input("5, 1, -2").run()
    assert "teacher" not in params(at) and params(at)["z"] == "5,1,-2"
    assert live.store().room(code).view.slug == "Naive_vs_Stable"
    # On demand, the class page shows the teacher link (to copy before projecting).
    at.switch_page(LIVE)
    at.run()
    assert parse_qs(urlsplit(teacher_link(at)).query) == {"room": [code], "teacher": [key]}


def test_a_teacher_who_leads_again_goes_on_from_the_rooms_view():
    """The teacher link opened in a new session (another device; the browser after a server
    restart) takes the room's settings: publishing the example's would move the students."""
    teacher, code, key = start_teacher()
    teacher.switch_page(NAIVE)
    teacher.run()
    teacher.text_input(key="w:paste").input("5, 1, -2").run()
    teacher.number_input(key="w:T_number").set_value(0.5).run()
    assert live.store().room(code).view.query == "z=5,1,-2&labels=dog,cat,bird&T=0.5"
    again = session(query={"room": code, "teacher": key})
    assert_healthy(again)
    assert params(again)["z"] == "5,1,-2" and params(again)["T"] == "0.5"
    view = live.store().room(code).view
    assert (view.slug, view.query) == ("Live_class", "z=5,1,-2&labels=dog,cat,bird&T=0.5")
    # The same by pasting the teacher link on the class page of a reloaded teacher page.
    reload = session(query={"room": code, "lead": "1"})
    text_input(reload, "Your teacher link").input(f"http://x/Live_class?room={code}&teacher={key}")
    button(reload, "Lead my class").click().run()
    assert params(reload)["z"] == "5,1,-2" and params(reload)["T"] == "0.5"


def test_a_reloaded_teacher_page_offers_the_kind_of_question_last_asked():
    """After a reload the teacher's Question menu went back to its first kind, not the one
    just asked (a tour); a page opened before any question still offers the first."""
    teacher, code, key = start_teacher()
    first = teacher.selectbox(key=KIND).value
    teacher.selectbox(key=KIND).set_value("cross_entropy").run()
    button(teacher, "Ask the room").click().run()
    assert_healthy(teacher)
    assert first != "cross_entropy"
    again = session(query={"room": code, "teacher": key})
    assert_healthy(again)
    assert again.selectbox(key=KIND).value == "cross_entropy"
    _other, other_code, other_key = start_teacher()
    fresh = session(query={"room": other_code, "teacher": other_key})
    assert fresh.selectbox(key=KIND).value == first


def test_a_reloaded_teacher_page_asks_for_the_teacher_link_and_never_joins_as_a_student():
    _, code, key = start_teacher()
    reload = session(query={"room": code, "lead": "1"})  # a new session on the teacher's URL
    assert_healthy(reload)
    assert "Ask the room" not in [b.label for b in reload.button]
    assert any("open your teacher link" in e.value for e in reload.error)
    # a student who copied the projector's address is told how to join
    spaced = f"{code[:3]} {code[3:]}"
    assert any(f"A student joins with the code {spaced}" in e.value for e in reload.error)
    assert live.store().presence(code).connected == 0
    text_input(reload, "Your teacher link").input("not the key")
    button(reload, "Lead my class").click().run()
    assert any("not this class's teacher link" in e.value for e in reload.error)
    text_input(reload, "Your teacher link").input(f"http://x/Live_class?room={code}&teacher={key}")
    button(reload, "Lead my class").click().run()
    assert_healthy(reload)
    assert "Ask the room" in [b.label for b in reload.button]
    assert params(reload)["lead"] == "1" and "teacher" not in params(reload)


def test_the_browser_that_started_a_class_leads_it_again_after_a_restart(monkeypatch):
    """After a server restart a teacher who had not kept the teacher link lost the class:
    the open question could never be closed, the students followed nobody (a tour). A class
    started in a browser has the key that browser's own secret (a cookie the page script
    makes) makes: a new session of that browser on the teacher's address leads it again;
    another browser on that address still needs the teacher link."""
    monkeypatch.setattr(live, "_device", lambda: "d" * 32)
    _, code, key = start_teacher()
    assert key == device_key("d" * 32, code)
    again = session(query={"room": code, "lead": "1"})  # the restart's (or a reload's) session
    assert_healthy(again)
    assert "Ask the room" in [b.label for b in again.button]
    assert not again.error and "teacher" not in params(again)
    assert live.store().presence(code).connected == 0  # not joined as a student
    monkeypatch.setattr(live, "_device", lambda: "e" * 32)  # another browser, the same address
    other = session(query={"room": code, "lead": "1"})
    assert "Ask the room" not in [b.label for b in other.button]
    assert any("open your teacher link" in e.value for e in other.error)


def test_every_screen_writes_the_class_code_as_the_projector_does():
    """The projector read "EJU JTD", the teacher's bar and the student's page "EJUJTD" (a
    teacher's tour): every screen writes it in two groups of three."""
    teacher, code, _ = start_teacher()
    spaced = f"{code[:3]} {code[3:]}"
    student = session(query={"room": code})
    teacher.switch_page(PLAYGROUND)
    teacher.run()
    student.run()
    for at in (teacher, student):
        shown = everything_shown(at)
        assert spaced in shown and code not in shown, shown


def test_a_student_joins_by_link_and_a_reload_is_the_same_student():
    _, code, _ = start_teacher()
    student = session(query={"room": code.lower()})
    assert_healthy(student)
    member = params(student)["member"]
    assert "teacher" not in params(student)
    assert live.store().presence(code).connected == 1
    # the student's page is titled for a student (the teacher's says "lead the room")
    assert [t.value for t in student.title] == [
        ":material/cast_for_education: Live class: follow and answer"
    ]
    again = session(query={"room": code, "member": member})  # the reload: a new session
    assert params(again)["member"] == member
    assert live.store().presence(code).connected == 1


def test_a_student_joins_by_code_with_an_escaped_nickname():
    _, code, _ = start_teacher()
    student = session()
    text_input(student, "Class code").input(code.lower())
    text_input(student, "Nickname (optional, only you see it)").input("**[Ada](http://e.vil)")
    button(student, "Join the class").click().run()
    assert_healthy(student)
    assert params(student)["room"] == code
    said = " ".join(m.value for m in student.markdown)
    assert "\\*\\*\\[Ada\\]\\(http\\:" in said
    assert "[Ada](" not in said


def test_a_student_who_joined_by_link_chooses_a_nickname_shown_escaped():
    """Joining by the link or the QR code (the usual way) left no box for a nickname (a
    teacher's tour: a student left and joined again by code to have one). The class page
    offers one; it is shown as typed, never as Markdown."""
    _, code, _ = start_teacher()
    student = session(query={"room": code})
    assert [b.proto.popover.label for b in student.get("popover")] == ["Choose a nickname"]
    student.session_state["live_nickname_open"] = True  # the student opens it
    student.run()
    text_input(student, "Nickname (optional, only you see it)").input("**[Ada](http://e.vil)")
    button(student, "Save").click().run()
    assert_healthy(student)
    # saved, it closes: it stayed open over the page (a tour)
    assert student.session_state["live_nickname_open"] is False
    said = " ".join(m.value for m in student.markdown)
    assert "\\*\\*\\[Ada\\]\\(http\\:" in said and "[Ada](" not in said, said
    member = params(student)["member"]
    assert live.store().nickname(code, member) == "**[Ada](http://e.vil)"
    again = session(query={"room": code, "member": member})  # a reload keeps it
    assert any("as **" in m.value for m in again.markdown)
    assert [b.proto.popover.label for b in again.get("popover")] == ["Change your nickname"]


def test_a_long_nickname_is_kept_to_its_first_24_characters():
    """A pasted 52-character nickname left the box empty (the box refused a paste over its
    24 characters, whole; a teacher's tour). The box takes it, the class keeps 24."""
    _, code, _ = start_teacher()
    student = session()
    text_input(student, "Class code").input(code)
    long = "Maximilienne-Éléonore de la Tour d'Auvergne-Lauraguais"
    text_input(student, "Nickname (optional, only you see it)").input(long)
    button(student, "Join the class").click().run()
    assert_healthy(student)
    said = " ".join(m.value for m in student.markdown)
    assert f"as **{markdown_safe(long[:24])}**" in said, said
    # cut short without a word, a name seemed lost (a tour): said once
    cut = "A nickname is at most 24 characters: yours was shortened."
    assert cut in [i.value for i in student.info]
    student.run()
    assert cut not in [i.value for i in student.info]


def test_a_nickname_cut_after_a_space_keeps_its_bold():
    """Cut after its 24th character, a space, the name read "as **abcdefghijklmnopqrstuvw
    **", the asterisks shown (a tour). A name of 24 or fewer is kept without a note."""
    _, code, _ = start_teacher()
    student = session(query={"room": code})
    text_input(student, "Nickname (optional, only you see it)").input("abcdefghijklmnopqrstuvw xyz")
    button(student, "Save").click().run()
    assert_healthy(student)
    said = " ".join(m.value for m in student.markdown)
    assert "as **abcdefghijklmnopqrstuvw**." in said, said
    cut = "A nickname is at most 24 characters: yours was shortened."
    assert cut in [i.value for i in student.info]
    text_input(student, "Nickname (optional, only you see it)").input("  Ada   Lovelace  ")
    button(student, "Save").click().run()
    assert "as **Ada Lovelace**." in " ".join(m.value for m in student.markdown)
    assert cut not in [i.value for i in student.info]


def test_a_wrong_code_is_refused_with_a_message():
    student = session()
    text_input(student, "Class code").input("ACDEFH")
    button(student, "Join the class").click().run()
    assert any("no open class" in e.value for e in student.error)
    assert "room" not in params(student)


@pytest.mark.parametrize("forged", ["x" * 32, "other room's key"])
def test_a_student_forging_the_teacher_key_in_the_url_is_refused(forged):
    _, code, _ = start_teacher()
    _, _, other_key = start_teacher()
    forged = other_key if forged == "other room's key" else forged
    student = session(query={"room": code})
    member = params(student)["member"]
    attack = session(query={"room": code, "member": member, "teacher": forged})
    assert_healthy(attack)
    assert any("not valid" in e.value for e in attack.error)
    assert "Ask the room" not in [b.label for b in attack.button]
    assert params(attack).get("teacher") is None and params(attack)["member"] == member
    # ...and nothing the forged session did reached the room.
    store = live.store()
    assert store.room(code).view.slug == "Live_class"  # the teacher's, not the attacker's
    assert store.polls(code) == []
    assert store.presence(code).connected == 1


def test_a_student_who_adds_lead_to_the_address_stays_the_same_student():
    """A student who typed "lead=1" into their own address (the teacher's has it) was told it
    had been the teacher's page, and was out of the class. They stay the same student, with
    no teacher's powers and no second count."""
    _, code, _ = start_teacher()
    student = session(query={"room": code})
    member = params(student)["member"]
    again = session(query={"room": code, "member": member, "lead": "1"})
    assert_healthy(again)
    assert params(again)["member"] == member and params(again).get("lead") is None
    assert "teacher's page" not in everything_shown(again)
    assert "Ask the room" not in [b.label for b in again.button]
    assert live.store().presence(code).connected == 1


def test_a_student_who_leaves_is_no_longer_woken_for_the_teachers_moves():
    _, code, _ = start_teacher()
    student = session(query={"room": code})
    assert code in push.watched().values()  # the follow fragment asked to be woken
    button(student, "Leave the class").click().run()
    assert_healthy(student)
    assert code not in push.watched().values()


def test_a_follower_reads_the_teachers_scene_without_the_deck_buttons():
    teacher, code, _ = start_teacher()
    student = session(query={"room": code})
    teacher.switch_page(WORKSHOP)
    teacher.query_params.clear()
    teacher.run()
    button(teacher, "Start the deck at scene 1").click().run()
    assert_healthy(teacher)
    assert "Next" in [b.label for b in teacher.button]  # the teacher moves the deck
    follower = student.run()
    assert_healthy(follower)
    assert any("Scene 1 of" in m.value for m in follower.markdown)
    labels = [b.label for b in follower.button]
    assert not {"Previous", "Next", "Leave deck"} & set(labels), labels
    # (AppTest starts each run on the page it last switched to by hand, the Live class page,
    # where a scene of the landing page is not shown: back to the scene's page by hand.)
    button(follower, "Explore on my own").click()
    follower.switch_page(HOME).run()
    assert {"Previous", "Next", "Leave deck"} <= {b.label for b in follower.button}


def test_a_follower_on_the_quiz_reads_the_teachers_logits_instead_of_the_editor():
    _teacher, _code, follower = teacher_moves(QUIZ, "4, 2, 1")
    assert "The teacher's settings" in everything_shown(follower)
    assert "logits z = 4, 2, 1" in everything_shown(follower)
    assert "The logits new questions are about" not in [e.label for e in follower.expander]
    # (AppTest starts each run on the page it last switched to by hand; see above.)
    button(follower, "Explore on my own").click().run()
    follower.switch_page(QUIZ).run()
    assert_healthy(follower)
    assert "The logits new questions are about" in [e.label for e in follower.expander]


def teacher_moves(path: str, logits: str, tab: str = "") -> tuple[AppTest, str, AppTest]:
    """A class with one student; the teacher opens ``path`` (and its ``tab``) and pastes
    ``logits``. Returns the teacher, the class code and the student after their next check
    (here a run)."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code})
    teacher.switch_page(path)
    teacher.query_params.clear()
    if tab:  # as a click on the tab would (AppTest cannot click one)
        memory = teacher.session_state[MEMORY]
        memory[STATE] = memory[STATE].replace(tab=tab)
    teacher.run()
    teacher.text_input(key="w:paste").input(logits).run()
    follower = student.run()
    assert_healthy(follower)
    return teacher, code, follower


def test_students_follow_the_teachers_page_and_settings():
    # The teacher moves to the Naive vs stable page with other logits.
    teacher, code, follower = teacher_moves(NAIVE, "5, 1, -2")
    assert live.store().room(code).view.slug == "Naive_vs_Stable"
    assert any("Following the teacher" in m.value for m in follower.markdown)
    np.testing.assert_allclose(chart_values(follower, 1), softmax([5, 1, -2]), rtol=1e-12)
    assert params(follower)["z"] == "5,1,-2" and params(follower)["room"] == code
    # Exploring on their own: the teacher's next move does not take them along.
    button(follower, "Explore on my own").click().run()
    assert live.store().presence(code).following == 0
    # no longer woken for the teacher's moves, still for the class's end (push.ENDED)
    watched = {topic for (_, topic), room in push.watched().items() if room == code}
    assert "open" in watched and "view" not in watched, watched
    teacher.switch_page(PLAYGROUND)
    teacher.run()
    follower.run()
    assert "Follow the teacher" in [b.label for b in follower.button]
    assert params(follower)["z"] == "5,1,-2"


def test_a_student_exploring_elsewhere_is_told_of_a_question():
    """A student exploring the Playground saw only "Exploring on your own" while the room
    answered a question (a teacher's tour). Their bar says a question waits, with a link to
    the class page, until they answer it."""
    teacher, _code, follower = teacher_moves(NAIVE, "5, 1, -2")
    button(follower, "Explore on my own").click().run()
    follower.switch_page(PLAYGROUND).run()
    assert "asked the room a question" not in everything_shown(follower)
    teacher.switch_page(LIVE).run()
    teacher.selectbox(key=KIND).set_value("winner_T_to_0").run()
    button(teacher, "Ask the room").click().run()
    follower.run()
    assert_healthy(follower)
    assert "**The teacher asked the room a question.**" in everything_shown(follower)
    (link,) = [e for e in follower.get("page_link") if e.proto.label.startswith("Answer it")]
    assert link.proto.page == catalog.LIVE.slug, link.proto
    follower.switch_page(LIVE).run()  # the link's page: the question is shown there
    assert "asked the room a question" not in everything_shown(follower)
    follower.radio[0].set_value("dog").run()
    follower.switch_page(PLAYGROUND).run()  # answered: nothing waits
    assert "asked the room a question" not in everything_shown(follower)


def test_a_view_stored_by_an_earlier_version_is_taken_once():
    """A room keeps its view across a restart or an upgrade, and a replica not upgraded yet
    publishes its own spelling: class names escaped twice (``p%25C3%25A1jaro``, the app's
    writing before 2026-12-03). A follower shows it, and it counts as shown: before, the text
    never matched what the student's run showed, and every tick of the follow fragment sent
    the student to it again (a whole page run every 8 s)."""
    teacher, code, follower = teacher_moves(PLAYGROUND, "5, 1, -2")
    key = teacher.session_state[MEMORY][live.IDENTITY].key
    old = "z=3%2C1%2C0&labels=p%25C3%25A1jaro,gato,b%2525&T=0.5"  # pájaro, gato, b%
    live.store().set_view(code, key, "Playground", old)
    follower.run()
    assert_healthy(follower)
    assert params(follower)["labels"] == "pájaro,gato,b%25" and params(follower)["T"] == "0.5"
    assert live.PENDING not in follower.session_state[MEMORY]  # shown: nothing left to take
    view = live.canonical_view(live.store().room(code).view)
    shown = live.view_query(live.view_state(view.query))
    assert not live.needs_view(view, view.version, (view.slug, shown), fragment_run=False)
    assert not live.browser_behind(view, shown, f"{shown}&room={code}&member=m")


def test_a_follower_whose_browser_missed_the_teachers_page_is_taken_there_again():
    """A phone's connection stalled while the teacher left the class page for the Playground
    and set T: the runs that took the student there went into it, and were lost when it was
    cut. The browser came back to the same session and asked for a run of the page it still
    showed, the class page, which took the view for shown: the student stayed there,
    "following the teacher", until the teacher's next move (a poor-Wi-Fi tour, 3 of 3)."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code})
    teacher.switch_page(PLAYGROUND)
    teacher.query_params.clear()
    teacher.run()
    teacher.number_input(key="w:T_number").set_value(2.5).run()
    follower = student.run()  # the run that takes the student to the Playground (lost)
    assert follower.session_state[MEMORY][live.DRAWN][2] == "Playground"
    # Back on the same session: a run of the class page, the address bar still on it.
    follower.context = {"url": "http://localhost:8501/Live_class"}
    follower.run()
    assert_healthy(follower)
    assert follower.session_state[MEMORY][live.DRAWN][2] == "Playground"
    assert params(follower)["T"] == "2.5"
    # A follower who opens the class page (the link to a question) stays there: the browser
    # asks for it from the Playground's address bar.
    follower.context = {"url": "http://localhost:8501/Playground"}
    follower.run()
    assert_healthy(follower)
    assert follower.session_state[MEMORY][live.DRAWN][2] == "Live_class"


def test_a_french_student_reads_a_spanish_teachers_example_in_french():
    """The example's class names follow the reader's language on every page; a follower got
    the teacher's (perro, gato, pájaro on a French page: found by a student tour). Names the
    teacher typed stay as typed."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code, "lang": "fr"})
    teacher.switch_page(PLAYGROUND)
    teacher.query_params.clear()
    teacher.run()
    teacher.text_input(key="w:paste").input("3, 1, 0.5").run()
    for i, name in enumerate(("perro", "gato", "pájaro")):  # the example, as a Spanish page has it
        teacher.text_input(key=f"w:label{i}").input(name).run()
    follower = student.run()
    assert_healthy(follower)
    shown = follower.session_state[MEMORY][STATE]
    assert shown.labels == ("chien", "chat", "oiseau") and shown.logits == (3.0, 1.0, 0.5)
    assert params(follower)["labels"] == "chien,chat,oiseau"
    assert live.PENDING not in follower.session_state[MEMORY]  # shown: not taken again
    # the teacher's own names stay as typed
    teacher.text_input(key="w:label1").input("gatito").run()
    follower.run()
    assert follower.session_state[MEMORY][STATE].labels == ("perro", "gatito", "pájaro")


def test_an_english_student_reads_a_spanish_teachers_added_class_in_english():
    """A Spanish teacher's fourth logit made the names "perro, gato, pájaro, clase 4" (nobody
    typed them): an English follower's chart, question and answers read them in Spanish
    (a teacher's tour). They are the example's names for four classes, in the reader's
    language; a name the teacher typed stays as typed."""
    teacher = session(query={"lang": "es"})
    # the teacher's runs read the Spanish widgets (AppTest formats a select box's value with
    # the test's language)
    with i18n.language("es"):
        button(teacher, i18n._("Start a class")).click().run()
        code = params(teacher)["room"]
        student = session(query={"room": code, "lang": "en"})
        teacher.switch_page(PLAYGROUND)
        teacher.run()
        teacher.text_input(key="w:paste").input("2; 2; 0,5; -1").run()
    assert teacher.session_state[MEMORY][STATE].labels == ("perro", "gato", "pájaro", "clase 4")
    follower = student.run()
    assert_healthy(follower)
    shown = follower.session_state[MEMORY][STATE]
    assert shown.labels == ("dog", "cat", "bird", "class 4"), shown.labels
    assert shown.logits == (2.0, 2.0, 0.5, -1.0)
    with i18n.language("es"):
        teacher.text_input(key="w:label3").input("gatito").run()
    follower.run()
    assert follower.session_state[MEMORY][STATE].labels == ("perro", "gato", "pájaro", "gatito")


def test_a_follower_reads_the_teachers_settings_and_gets_the_controls_back_to_explore():
    teacher, _code, follower = teacher_moves(PLAYGROUND, "5, 1, -2")
    # Following: the teacher's settings to read, not controls the next move would undo.
    shown = everything_shown(follower)
    assert r"The teacher's settings:** logits z = 5, 1, \-2 · temperature T = 1" in shown
    assert not [t for t in follower.text_input if t.label.startswith("Paste logits")]
    assert not follower.slider and not follower.number_input
    # A move on the page the student shows is taken in place, by the whole run the watcher
    # starts (here: a run of the page the student is on).
    teacher.number_input(key="w:T_number").set_value(0.5).run()
    follower.switch_page(PLAYGROUND).run()
    assert_healthy(follower)
    assert r"z = 5, 1, \-2 · temperature T = 0\.5" in everything_shown(follower)
    np.testing.assert_allclose(chart_values(follower), softmax(np.array([5, 1, -2]) / 0.5))
    assert params(follower)["T"] == "0.5"
    # Exploring: the controls come back, showing the teacher's settings. (AppTest starts each
    # run on the page it last switched to by hand; the browser stays on the page it shows.)
    button(follower, "Explore on my own").click().run()
    follower.switch_page(PLAYGROUND).run()
    assert_healthy(follower)
    assert text_input(follower, "Paste logits (comma-separated)").value == "5, 1, -2"
    assert [n.value for n in follower.number_input if n.label.startswith("T (")] == [0.5]
    assert follower.slider and "The teacher's settings" not in everything_shown(follower)
    # Following again: the teacher's settings in their place.
    button(follower, "Follow the teacher").click().run()
    follower.switch_page(PLAYGROUND).run()
    assert_healthy(follower)
    assert not follower.slider and "The teacher's settings" in everything_shown(follower)
    # The teacher's own page keeps its controls.
    assert teacher.slider and "The teacher's settings" not in everything_shown(teacher)


def test_a_follower_who_goes_to_another_page_explores_on_their_own():
    """A following student who chose another lesson in the sidebar, or pressed the browser's
    Back, stayed on that page told "Following the teacher", its "teacher's settings" line
    showing the page's own values, until the teacher's next move took them away (a navigation
    tour). They explore on their own from there, and are told why; the teacher's count says
    so; "Follow the teacher" takes them back. The class page, where the room's questions are
    answered, keeps them following."""
    teacher, code, follower = teacher_moves(PLAYGROUND, "5, 1, -2")
    assert "Following the teacher: Playground." in said(follower)  # told of the move
    follower.context = {"url": "http://localhost:8501/Playground"}  # the browser's address
    follower.switch_page(LIVE).run()  # the link to the room's question
    assert_healthy(follower)
    assert "Following the teacher" in everything_shown(follower)
    assert live.store().presence(code).following == 1

    follower.context = {"url": "http://localhost:8501/Live_class"}
    follower.switch_page(TEMPERATURE).run()  # a lesson of the sidebar
    assert_healthy(follower)
    shown = everything_shown(follower)
    assert "Exploring on your own" in shown and "You went to another page" in shown
    assert "The teacher's settings" not in shown and follower.slider
    assert live.store().presence(code).following == 0
    # the teacher's next move leaves them where they are
    teacher.number_input(key="w:T_number").set_value(0.5).run()
    follower.run()
    assert follower.session_state[MEMORY][live.DRAWN][2] == "Temperature_and_Sampling"

    button(follower, "Follow the teacher").click().run()
    follower.switch_page(PLAYGROUND).run()  # where the switch took the browser
    assert_healthy(follower)
    shown = everything_shown(follower)
    assert r"z = 5, 1, \-2 · temperature T = 0\.5" in shown
    assert "You went to another page" not in shown
    assert live.store().presence(code).following == 1


def test_a_students_choice_to_explore_survives_a_reload_and_a_second_tab():
    """A student with the class in two tabs, one following and one exploring: the teacher's
    count of those following went 0, 0, 0, 1, 0 with whichever tab beat last, and a reload
    of the exploring tab put it back to following, the choice lost (a navigation tour)."""
    _teacher, code, follower = teacher_moves(PLAYGROUND, "5, 1, -2")
    explorer = session(PLAYGROUND, params(follower))  # the same address in a second tab
    assert_healthy(explorer)
    button(explorer, "Explore on my own").click().run()
    assert params(explorer).get("explore") == "1"
    assert "explore" not in params(follower)
    # the explorer said so once: the following tab's next beat (3 s at most) counts again
    beats = []
    for _beat in range(4):  # both tabs beat, in turn
        for tab in (follower, explorer, explorer):
            tab.session_state[MEMORY][live.IDENTITY].beat = 0.0  # a beat is due
            tab.run()
            beats.append(live.store().presence(code))
    assert set(beats) == {(1, 1)}, beats
    # a reload of the exploring tab: a new session from its address
    again = session(PLAYGROUND, params(explorer))
    assert_healthy(again)
    assert "Exploring on your own" in everything_shown(again)
    assert again.slider and "The teacher's settings" not in everything_shown(again)
    button(again, "Follow the teacher").click().run()
    again.switch_page(PLAYGROUND).run()
    assert "explore" not in params(again)
    assert "Following the teacher" in everything_shown(again)


def test_a_follower_who_changes_a_page_control_explores_and_keeps_the_change():
    teacher, code, follower = teacher_moves(NAIVE, "5, 1, -2")
    assert "The teacher's settings" in everything_shown(follower)
    # The page's own controls stay for a follower; a change there is the student's own: they
    # explore from here (the teacher's next move would undo it), and the bar says why.
    dtype = next(r for r in follower.radio if r.label == "Precision (dtype)")
    dtype.set_value("float16").run()
    follower.switch_page(NAIVE).run()
    assert_healthy(follower)
    assert "Follow the teacher" in [b.label for b in follower.button]
    assert "You changed a setting, so you are exploring on your own" in everything_shown(follower)
    assert live.store().presence(code).following == 0
    assert params(follower)["dtype"] == "float16" and params(follower)["z"] == "5,1,-2"
    assert text_input(follower, "Paste logits (comma-separated)").value == "5, 1, -2"
    # The teacher's next move leaves the student's values alone.
    teacher.text_input(key="w:paste").input("7, 0, 3").run()
    follower.run()
    assert params(follower)["dtype"] == "float16" and params(follower)["z"] == "5,1,-2"
    # Following again brings the teacher's view back, and the notice goes.
    button(follower, "Follow the teacher").click().run()
    follower.switch_page(NAIVE).run()
    assert_healthy(follower)
    assert params(follower)["z"] == "7,0,3" and params(follower).get("dtype") != "float16"
    shown = everything_shown(follower)
    assert "The teacher's settings" in shown and "You changed a setting" not in shown


def test_a_follower_who_presses_draw_again_explores_with_the_new_draw():
    # the teacher opened the sampling tab: the room sees it open too
    teacher, code, follower = teacher_moves(TEMPERATURE, "5, 1, -2", tab="sampling")
    assert params(follower)["tab"] == "sampling"
    seed = int(params(follower).get("seed", 0))
    button(follower, "Draw again").click().run()
    follower.switch_page(TEMPERATURE).run()
    assert_healthy(follower)
    assert "Follow the teacher" in [b.label for b in follower.button]
    assert live.store().presence(code).following == 0
    assert int(params(follower)["seed"]) == seed + 1
    teacher.text_input(key="w:paste").input("7, 0, 3").run()
    follower.run()
    assert int(params(follower)["seed"]) == seed + 1 and params(follower)["z"] == "5,1,-2"


def test_followers_stay_present_through_a_stream_of_moves(monkeypatch):
    teacher, code, follower = teacher_moves(PLAYGROUND, "5, 1, -2")
    beats = []
    original = type(live.store()).heartbeat
    monkeypatch.setattr(
        type(live.store()),
        "heartbeat",
        lambda self, *args: beats.append(args) or original(self, *args),
    )
    # A move's run leaves the heartbeat out while the last one is recent ...
    teacher.number_input(key="w:T_number").set_value(0.5).run()
    follower.switch_page(PLAYGROUND).run()
    assert params(follower)["T"] == "0.5" and beats == []
    # ... and sends it once the last is getting old: the browser's timer never ticks while
    # the teacher moves more often than it, and a silent student would drop out.
    follower.session_state[MEMORY][live.IDENTITY].beat -= live.BEAT_IN_MOVES_AFTER
    teacher.number_input(key="w:T_number").set_value(0.75).run()
    follower.switch_page(PLAYGROUND).run()
    assert params(follower)["T"] == "0.75" and len(beats) == 1
    assert live.store().presence(code).following == 1


def test_a_student_who_joins_while_the_teacher_has_paused_keeps_the_controls():
    teacher, code, _ = start_teacher()
    teacher.toggle(key="live:broadcast").set_value(False).run()
    student = session(query={"room": code})
    student.switch_page(PLAYGROUND).run()
    assert_healthy(student)
    assert any("the teacher has paused" in m.value for m in student.markdown)
    assert text_input(student, "Paste logits (comma-separated)")
    assert "The teacher's settings" not in everything_shown(student)


def test_a_paused_teacher_resumes_from_the_bar_of_the_page_shown():
    """The switch is on the class page: a paused teacher on a lesson went there to turn it
    on, and the room was taken to the class page first (a teacher's tour). The bar of every
    page offers to resume while paused; the room then shows the page the teacher is on."""
    teacher, code, _ = start_teacher()
    teacher.toggle(key="live:broadcast").set_value(False).run()
    teacher.switch_page(PLAYGROUND).run()
    assert_healthy(teacher)
    assert live.store().room(code).view.slug == "Live_class"
    teacher.button(key="live_resume").click().run()
    assert_healthy(teacher)
    room = live.store().room(code)
    assert room.broadcasting and room.view.slug == "Playground", room
    assert not [b for b in teacher.button if b.key == "live_resume"]  # broadcasting: gone


def answered_poll(choices: list[str]) -> tuple[AppTest, str, list[AppTest]]:
    """A class whose teacher asks which class wins as T → 0, and whose students, one per
    choice, answer it: the teacher, the code, the students."""
    teacher, code, _ = start_teacher()
    students = [session(query={"room": code}) for _ in choices]
    teacher.selectbox(key=KIND).set_value("winner_T_to_0").run()
    button(teacher, "Ask the room").click().run()
    for student, choice in zip(students, choices, strict=True):
        student.run()
        student.radio[0].set_value(choice).run()
        assert_healthy(student)
    return teacher, code, students


def said(at: AppTest) -> list[str]:
    """What the page has a screen reader told (softmax_ui.spoken.announce), as written."""
    return [
        re.sub(r"<[^>]*>", "", plain(m.value)) for m in at.markdown if ANNOUNCE_CLASS in m.value
    ]


def test_asking_before_the_reveal_asks_the_teacher_first():
    """A new question put the open one away for good, without a word: its students never
    learned the answer, and its row said "after the reveal" for good while the CSV gave its
    share (a projector tour). Now Ask the room, before the reveal, asks nothing and says so,
    with "Reveal question 1 first" and "Ask anyway"; a question put away says so."""
    teacher, code, _students = answered_poll(["dog", "cat"])
    store = live.store()
    button(teacher, "Ask the room").click().run()
    assert store.current_poll(code).id == 1  # nothing asked
    (warning,) = [w.value for w in teacher.warning if "ask a new one now" in w.value]
    assert warning.startswith("Question 1 is not revealed yet"), warning
    button(teacher, "Reveal question 1 first").click().run()
    assert store.current_poll(code).status == "revealed"
    assert not [w for w in teacher.warning if "ask a new one now" in w.value]
    teacher.run()  # (the reveal ran the question's parts only: AppTest then shows just those)
    button(teacher, "Ask the room").click().run()
    assert store.current_poll(code).id == 2  # revealed: asked at once
    button(teacher, "Ask the room").click().run()
    assert store.current_poll(code).id == 2
    button(teacher, "Ask anyway").click().run()
    assert store.current_poll(code).id == 3
    (table,) = [plain(m.value) for m in teacher.markdown if m.value.startswith("| \\#")]
    rows = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    assert "50%" in rows["1"] and "after the reveal" not in rows["1"], table  # revealed
    assert "not revealed" in rows["2"] and "%" not in rows["2"], table  # put away
    assert "after the reveal" in rows["3"], table  # the current one, still to reveal


def test_the_teacher_looks_back_at_an_earlier_question():
    """A teacher could not show an earlier question again (a tour): once the class moved on,
    its answers and its answer were in the table's one line only. "Look back at an earlier
    question" shows it as the projector showed it, and reveals one the class left behind;
    the students stay on the current question."""
    teacher, code, students = answered_poll(["dog", "dog", "cat"])
    assert not teacher.expander or all(
        "Look back" not in e.label for e in teacher.expander
    )  # nothing earlier yet
    button(teacher, "Ask the room").click().run()
    button(teacher, "Ask anyway").click().run()  # question 1 put away unrevealed
    assert live.store().current_poll(code).id == 2
    assert [e.label for e in teacher.expander if "Look back" in e.label] == [
        "Look back at an earlier question"
    ]
    assert teacher.selectbox(key="live:look_back").value == 1
    (back,) = [
        c for c in teacher.get("plotly_chart") if c.proto.id.endswith("-live_look_back_chart")
    ]
    assert back.proto.alt == "The answers to question 1: 3 of 3 students answered", back.proto.alt
    bars = {
        t["x"][i]: t["y"][i]
        for t in json.loads(back.proto.spec)["data"]
        for i in range(len(t["x"]))
    }
    assert (bars["dog"], bars["cat"]) == (2, 1), bars
    assert any("Not revealed: the class moved on first." in c.value for c in teacher.caption)
    teacher.button(key="live_look_back_reveal_1").click().run()
    assert live.store().poll(code, 1).status == "revealed"
    # the reveal redraws the look-back and the after-class table at once, and no more (the
    # table said "not revealed" until its 5-s tick: a review); AppTest shows the parts run
    assert not [b for b in teacher.button if b.label == "Ask the room"]
    (table,) = [plain(m.value) for m in teacher.markdown if m.value.startswith("| \\#")]
    rows = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    assert "67%" in rows["1"], table  # 2 of 3 right
    assert live.store().current_poll(code).id == 2  # the room stays on question 2
    assert any("The answer" in s.value and "dog" in s.value for s in teacher.success), [
        s.value for s in teacher.success
    ]
    students[0].run()
    assert not students[0].success  # question 2 is open on the student's device
    teacher.run()
    (table,) = [plain(m.value) for m in teacher.markdown if m.value.startswith("| \\#")]
    rows = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    assert "67%" in rows["1"], table  # 2 of 3 right, now revealed


def test_a_question_closed_is_put_to_the_students_there_while_it_was_open():
    """Three students answered, the teacher revealed, and three more came (or the three left
    and came back by the link): the projector said "3 of 6 students answered" beside 3
    connected (a student tour), and again in a teacher page reloaded or opened on another
    device once its count, kept by the page, was fixed (a review). A question closed is put
    to those there while it was open, as the store recorded it."""
    teacher, code, _students = answered_poll(["dog", "dog", "cat"])
    key = parse_qs(urlsplit(teacher_link(teacher)).query)["teacher"][0]

    def projected(at: AppTest) -> str:
        (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-live_answers_chart")]
        return chart.proto.alt

    assert projected(teacher) == "The room's answers: 3 of 3 students answered"
    button(teacher, "Reveal the answer").click().run()
    for _late in range(3):
        session(query={"room": code})
    teacher.run()
    assert teacher.metric[0].value == "6"  # connected
    assert projected(teacher) == "The room's answers: 3 of 3 students answered"
    elsewhere = session(query={"room": code, "teacher": key})  # a reload, another device
    assert elsewhere.metric[0].value == "6"
    assert projected(elsewhere) == "The room's answers: 3 of 3 students answered"
    # moved on, the question looked back at says the same
    button(elsewhere, "Ask the room").click().run()
    (back,) = [
        c for c in elsewhere.get("plotly_chart") if c.proto.id.endswith("-live_look_back_chart")
    ]
    assert back.proto.alt == "The answers to question 1: 3 of 3 students answered", back.proto.alt


def test_an_earlier_question_closed_without_a_count_says_only_how_many_answered():
    """A question an earlier version of the app closed has no recorded count: "2 of 2
    answered" would say that all did, so the look-back says how many answered, no more."""
    teacher, code, _students = answered_poll(["dog", "dog", "cat"])
    button(teacher, "Reveal the answer").click().run()
    teacher.run()
    button(teacher, "Ask the room").click().run()
    live.store()._db().execute("UPDATE polls SET asked = NULL WHERE code = ? AND id = 1", (code,))
    teacher.run()
    (back,) = [
        c for c in teacher.get("plotly_chart") if c.proto.id.endswith("-live_look_back_chart")
    ]
    assert back.proto.alt == "The answers to question 1: 3 students answered", back.proto.alt
    title = json.loads(back.proto.spec)["layout"]["title"]["text"]
    assert "Question 1: 3 students answered" in title and " of " not in title, title


def test_the_results_file_has_an_address_no_student_can_work_out():
    """Streamlit names a file by a hash of its content and name and serves it to anyone by
    that name: a student could write the few files the open question's answer could give and
    ask for each, the one found telling the answer before the reveal (a review). The name
    holds a secret of the teacher's session."""
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    teacher, code, _students = answered_poll(["dog", "cat"])
    teacher.run()  # the answers in
    (url,) = {d.proto.url for d in teacher.get("download_button")}
    store = live.store()
    polls = [(p.id, from_json(p.question), store.answers(code, p.id)) for p in store.polls(code)]
    data = live_questions.report_csv(live_questions.report(polls)).encode()

    def address(name: str) -> str:
        return _calculate_file_id(data, "text/csv", name)

    tag = teacher.session_state["live:csv_tag"]
    assert address(f"live-class-{code}-{tag}.csv") in url  # the file as the teacher has it
    assert address(f"live-class-{code}.csv") not in url  # not as a student could write it
    assert len(tag) >= 8


def test_a_poll_from_answer_to_reveal():
    teacher, code, students = answered_poll(["dog", "dog", "cat"])
    store = live.store()
    poll = store.current_poll(code)
    prompt = from_json(poll.question).prompt
    assert any(f"Question 1: {prompt}" in text for text in said(students[0])), said(students[0])
    assert sorted(store.answers(code, poll.id)) == ["cat", "dog", "dog"]
    students[2].radio[0].set_value("dog").run()  # changes their mind while open
    assert sorted(store.answers(code, poll.id)) == ["dog", "dog", "dog"]
    teacher.run()
    assert [m.value for m in teacher.metric][2] == "3"
    button(teacher, "Close answers").click().run()
    students[2].run()
    assert students[2].radio[0].disabled
    assert any("Question 1: answers are closed." in text for text in said(students[2]))
    assert any("is not revealed yet" in w.value for w in teacher.warning)  # closed, not yet
    silent = session(query={"room": code})  # joins late, answers nothing
    button(teacher, "Reveal the answer").click().run()
    silent.run()  # told the answer, a choice quoted as the verdicts quote it (a tour)
    assert [i.value for i in silent.info if "The answer" in i.value] == ["The answer: **“dog”**."]
    assert any("The answer" in s.value and "dog" in s.value for s in teacher.success)
    assert not any("is not revealed yet" in w.value for w in teacher.warning)
    students[0].run()
    assert any("Right" in s.value for s in students[0].success)
    assert any("the answer is dog. You were right." in text for text in said(students[0]))
    assert TIE in from_json(poll.question).options


def test_a_negative_loss_is_told_why_it_cannot_be():
    """A student who answered a negative cross-entropy read "Not quite" and the answer, no
    more (a tour): the verdict now says why no loss can be negative."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code})
    teacher.selectbox(key=KIND).set_value("cross_entropy").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    student.number_input[0].set_value(-0.4)
    button(student, "Send").click().run()
    assert live.store().answers(code, 1) == ["-0.40"]
    button(teacher, "Reveal the answer").click().run()
    student.run()
    assert_healthy(student)
    (said,) = [e.value for e in student.error]
    assert said.startswith("**Not quite.**"), said
    assert plain(said).endswith(
        "Cross-entropy is never negative: p ≤ 1, so log p ≤ 0 and −log p ≥ 0."
    ), said


def test_a_refused_answer_says_why_for_as_long_as_the_box_holds_it():
    """A probability of 1.4 was refused, and the reason went a second later (the question's
    timer redrew the part), the box still showing 1.40 over "Not answered yet" (a student
    tour). The reason stays while the box holds that answer; a good one sent takes it away."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code})
    teacher.selectbox(key=KIND).set_value("uniform_T_to_inf").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    why = "A probability is between 0 and 1: for 33%, type 0.33."
    student.number_input[0].set_value(1.4)
    button(student, "Send").click().run()
    assert [e.value for e in student.error] == [markdown_safe(why)]
    student.run()  # the question's timer
    assert [e.value for e in student.error] == [markdown_safe(why)]
    assert live.store().answers(code, 1) == []
    # said again in the reader's language after a switch (it kept the English: a review)
    student.selectbox(key="language_switch").set_value("fr").run()
    assert [e.value for e in student.error] == [
        markdown_safe(
            "Une probabilité est comprise entre 0 et 1\u00a0: pour 33\u00a0%, tapez 0,33."
        )
    ]
    student.selectbox(key="language_switch").set_value("en").run()
    student.number_input[0].set_value(0.33)
    button(student, "Send").click().run()
    assert not student.error and live.store().answers(code, 1) == ["0.33"]


def test_a_whole_number_question_refuses_an_answer_with_decimals():
    """ "How many classes does top-p keep?": 7,9 was shown as 8 in the box and counted as 8,
    without a word (a tour). A number with decimals is refused, with the reason, and the box
    shows what was typed; a whole one is taken."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code, "lang": "fr"})
    teacher.selectbox(key=KIND).set_value("top_p_count").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    (box,) = student.number_input
    assert box.proto.format == "%g"  # as typed, not rounded to "%.0f"
    box.set_value(7.9)
    button(student, "Envoyer").click().run()
    assert [e.value for e in student.error] == [
        markdown_safe("La question demande un nombre entier\u00a0: tapez-en un sans décimales.")
    ], [e.value for e in student.error]
    assert live.store().answers(code, 1) == []
    student.number_input[0].set_value(2)
    button(student, "Envoyer").click().run()
    assert not student.error and live.store().answers(code, 1) == ["2"]


def test_a_french_student_reads_an_english_teachers_poll_in_french():
    """The example's class names follow the reader's language in a poll too: a Spanish
    student read "¿Qué probabilidad da softmax a oiseau…?" and chose among chien, chat,
    oiseau, under a chart of perro, gato, pájaro (found by a student tour). The answer is
    stored under the teacher's names, so the room's count is one count."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code, "lang": "fr"})
    teacher.selectbox(key=KIND).set_value("winner_T_to_0").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    assert_healthy(student)
    shown = everything_shown(student)
    assert "chien\xa0=\xa02" in shown and "dog" not in shown, shown
    (choice,) = student.radio
    assert list(choice.options)[:3] == ["chien", "chat", "oiseau"], choice.options
    choice.set_value("chien").run()  # AppTest picks by the text shown
    assert live.store().answers(code, 1) == ["dog"]
    assert "**chien**" in " ".join(c.value for c in student.caption)
    button(teacher, "Reveal the answer").click().run()
    # (AppTest cannot rerun a radio whose shown text differs from its value: the student's
    # reload, a new session of the same member, reads the verdict.)
    again = session(query={"room": code, "member": params(student)["member"], "lang": "fr"})
    assert_healthy(again)
    (right,) = [s.value for s in again.success]
    assert "chien" in right and "dog" not in right, right


def tie_revealed(logits: tuple[float, ...] | None = None) -> tuple[AppTest, str, AppTest]:
    """A class asked which class wins as T → 0 (of ``logits``, else the example's), one
    student answering "a tie", and the answer revealed: the teacher, the code, the student."""
    teacher, code, _ = start_teacher()
    if logits is not None:
        memory = teacher.session_state[MEMORY]
        memory[STATE] = memory[STATE].replace(logits=logits)
        teacher.run()
    student = session(query={"room": code})
    teacher.selectbox(key=KIND).set_value("winner_T_to_0").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    student.radio[0].set_value(TIE).run()
    button(teacher, "Reveal the answer").click().run()
    return teacher, code, student


def test_the_after_class_table_shows_an_option_as_the_chart_does():
    """The tie option read "Une égalité \\: aucune classe ne prend tout: 1" in the French
    teacher's table: escaped twice for Markdown (found by a student tour)."""
    teacher, _code, _student = tie_revealed()
    tables = [m.value for m in teacher.markdown if m.value.startswith("| \\#")]
    assert tables, [m.value for m in teacher.markdown]
    assert f"“{option_text(TIE)}”: 1 answer" in plain(tables[0]), tables[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_tie_reads_as_a_quoted_choice_in_the_verdict_and_the_table(lang):
    """The tie choice ran into the verdict's sentence: "Exact. Vous avez dit Une égalité :
    aucune classe ne prend tout ; la réponse est Une égalité : …" (other choices are quoted),
    and the after-class table read "Un empate: ninguna clase se lo lleva todo: 2
    respuestas"; two rows asking the same of other logits read the same (a teacher's tour).
    The tie is quoted wherever a sentence goes on after it; a row names its logits."""
    teacher, code, student = tie_revealed(logits=(2.0, 2.0, 0.1))
    again = session(query={"room": code, "member": params(student)["member"], "lang": lang})
    assert_healthy(again)
    (right,) = [plain(s.value) for s in again.success]
    with i18n.language(lang):
        tie = i18n._("“{text}”").format(text=live_questions.option_text(TIE))
        names = join_names(in_language(("dog", "cat"), lang))
    assert right.count(tie) == 2 and names in right, right
    (table,) = [plain(m.value) for m in teacher.markdown if m.value.startswith("| \\#")]
    assert "(z = [2, 2, 0.1])" in table and f"“{option_text(TIE)}”: 1 answer" in table, table


@pytest.mark.parametrize(
    "label",
    ["[win](https://x.invalid)", "<img src=x onerror=f()>", "$x^2$ \\(y\\)", "www.x.invalid"],
)
def test_the_after_class_table_shows_a_hostile_class_name_as_typed(label):
    """The table escapes an answer once (it was escaped twice, 8e251ac): a class name that is
    Markdown, HTML, LaTeX or a bare address still reads as typed and never becomes one."""
    teacher, code, _ = start_teacher()
    memory = teacher.session_state[MEMORY]
    memory[STATE] = memory[STATE].replace(labels=(label, "cat", "bird"))
    teacher.run()
    student = session(query={"room": code})
    teacher.selectbox(key=KIND).set_value("winner_T_to_0").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    choice = student.radio[0]
    choice.set_value(choice.options[0]).run()
    assert live.store().answers(code, 1) == [label]
    button(teacher, "Reveal the answer").click().run()
    (table,) = [m.value for m in teacher.markdown if m.value.startswith("| \\#")]
    assert f"{label}: 1 answer" in plain(table), table
    assert markdown_safe(f"{label}: 1 answer") in table and label not in table, table


def test_the_after_class_table_says_what_each_count_is():
    """An option ending in a number read as one more number before its count: "…que suman 1:
    1" (a teacher's tour). Each count says it counts answers, in the reader's language."""
    teacher, code, _ = start_teacher()
    students = [session(query={"room": code}) for _ in range(2)]
    teacher.selectbox(key=KIND).set_value("naive_c800").run()
    button(teacher, "Ask the room").click().run()
    for n, student in enumerate(students):
        student.run()
        choice = student.radio[0]
        choice.set_value(choice.options[n]).run()
        assert_healthy(student)
    for lang, count in [
        ("en", "adding up to 1”: 1 answer; "),
        ("es", "que suman 1»: 1 respuesta; "),
    ]:
        teacher.session_state[i18n.SESSION_KEY] = lang
        teacher.run()
        (table,) = [plain(m.value) for m in teacher.markdown if m.value.startswith("| \\#")]
        assert count in table, table


def test_the_after_class_table_keeps_the_share_right_for_the_reveal():
    """The table is on the projector: "3 | 67 % | dog: 2; cat: 1" told the room that dog was
    right while the poll was open (a teacher's tour). The share right is shown after the
    reveal, and only then."""
    teacher, _code, _students = answered_poll(["dog", "dog", "cat"])

    def table() -> str:
        teacher.run()
        (found,) = [m.value for m in teacher.markdown if m.value.startswith("| \\#")]
        return plain(found)

    for step in ("open", "Close answers"):
        if step != "open":
            button(teacher, step).click().run()
        shown = table()
        assert "| after the reveal |" in shown and "67" not in shown, (step, shown)
        assert "dog: 2 answers; cat: 1 answer" in shown, shown  # the chart's counts, live
    button(teacher, "Reveal the answer").click().run()
    shown = table()
    assert "| 67% |" in shown and "after the reveal" not in shown, shown


def number_answered(lang: str = "en") -> tuple[AppTest, str, AppTest]:
    """A class whose teacher asks a number question (the top class's probability as T → ∞)
    and whose one student, reading ``lang``, answers 0.33: the teacher, the code, the
    student."""
    teacher, code, _ = start_teacher()
    student = session(query={"room": code, "lang": lang})
    teacher.selectbox(key=KIND).set_value("uniform_T_to_inf").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    student.number_input[0].set_value(0.33)
    button(student, {"en": "Send", "es": "Enviar"}[lang]).click().run()
    assert live.store().answers(code, 1) == ["0.33"]
    return teacher, code, student


def test_a_number_question_and_the_after_class_table():
    teacher, _code, student = number_answered()
    member = params(student)["member"]
    button(teacher, "Reveal the answer").click().run()
    student.run()
    assert any("Right" in s.value for s in student.success)
    tables = [m.value for m in teacher.markdown if m.value.startswith("| \\#")]
    assert tables and "| 1 |" in tables[0] and "100%" in tables[0], tables
    assert member not in " ".join(m.value for m in teacher.markdown)


def test_a_spanish_student_reads_their_own_number_with_a_decimal_comma():
    """The answer is stored the Python way ("0.33", so equal answers count together) and was
    shown so: "Tu respuesta: 0.33" and "Dijiste 0.33; la respuesta es 0,33" (found by a
    student tour)."""
    teacher, _code, student = number_answered("es")
    said = " ".join(c.value for c in student.caption)
    assert "**0,33**" in said and "0.33" not in said, said
    button(teacher, "Reveal the answer").click().run()
    student.run()
    (right,) = [s.value for s in student.success]
    assert "Dijiste 0,33;" in right and "0.33" not in right, right


def test_question_wire_form_round_trips_hostile_labels():
    q = Question("winner_T_to_0", "L", "p", (1.0, 2.0), ("<b>x</b>", "=cmd()"), options=("a", "b"))
    assert from_json(to_json(q)) == q


def test_a_teacher_leaves_only_after_being_told_how_to_come_back():
    """ "Leave the class on this device" gave up the class in one click, and without the
    teacher link the teacher could not lead it again (a French teacher's tour). The button
    opens a note (the class goes on; the teacher link leads it again) with the leaving
    button inside; the key itself is not shown (the page is on the projector)."""
    teacher, code, key = start_teacher()
    assert not [b for b in teacher.button if b.label == "Leave the class on this device"]
    note = everything_shown(teacher)
    assert "The class goes on for your students" in note and key not in note, note
    button(teacher, "Leave the class").click().run()
    assert_healthy(teacher)
    assert [b for b in teacher.button if b.label == "Start a class"], "the teacher left"
    assert live.store().room(code) is not None  # the class goes on


def test_the_teacher_ends_the_class_for_everyone():
    """A class ended only when idle for hours: its students went on following a teacher who
    had gone, and its answers stayed on the server. "End the class for everyone" (behind a
    note that offers the results first) deletes the room; a student answering on the class
    page and one following on a lesson are told "The class has ended." and get the page's
    controls back; the teacher is told what was done, and the teacher link leads nothing."""
    teacher, code, students = answered_poll(["dog", "cat"])
    key = parse_qs(urlsplit(teacher_link(teacher)).query)["teacher"][0]
    follower = session(PLAYGROUND, {"room": code})
    assert any("Following the teacher" in m.value for m in follower.markdown)
    elsewhere = session(query={"room": code, "teacher": key})  # the teacher's other device
    assert "Ask the room" in [b.label for b in elsewhere.button]
    note = everything_shown(teacher)
    assert "deleted from the server at once" in note and "Download them first" in note
    unrevealed = "Question 1 is not revealed yet: end the class now and its students never"
    assert any(unrevealed in w.value for w in teacher.warning)
    assert not [b for b in teacher.button if b.label == "End the class for everyone"]
    button(teacher, "End the class").click().run()
    assert_healthy(teacher)
    assert live.store().room(code) is None
    assert any(f"Class {code[:3]} {code[3:]} has ended" in s.value for s in teacher.success)
    assert [b for b in teacher.button if b.label == "Start a class"]
    for student in (students[0], follower, elsewhere):
        student.run()
        assert_healthy(student)
        assert any("The class has ended." in i.value for i in student.info), everything_shown(
            student
        )
        student.run()  # and then the page is theirs again
        assert "room" not in params(student) and "The class has ended." not in everything_shown(
            student
        )
    assert not any("Following the teacher" in m.value for m in follower.markdown)
    assert [s for s in follower.slider] or [n for n in follower.number_input]  # the controls
    again = session()
    link = f"http://x/Live_class?room={code}&teacher={key}"
    text_input(again, "Your teacher link").set_value(link)
    button(again, "Lead my class").click().run()
    assert any("There is no open class for that link" in e.value for e in again.error)


def late(widget, value) -> object:
    """The widget states a browser sends with a run: ``widget`` (an AppTest element) set to
    ``value`` (a string for answer buttons, a float for a number box)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    states = WidgetStates()
    sent = states.widgets.add()
    sent.id = widget.id
    if isinstance(value, str):
        sent.string_value = value
    else:
        sent.double_value = value
    return states


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_answer_that_comes_after_the_teachers_move_is_counted(lang):
    """On a bad network a student's tap on an answer reached the server after the teacher's
    move had taken the student to a lesson: the run it asked for (of the class page's
    question panel) was skipped as another page's, and the answer was lost: the student saw
    it chosen, the projector never counted it (a poor-Wi-Fi tour). The skipped run's widget
    states are recorded: the answer by its label in the student's language, while the
    question is open, once."""
    teacher, code, _key = start_teacher()
    teacher.selectbox(key=KIND).set_value("winner_T_to_0").run()
    button(teacher, "Ask the room").click().run()
    student = session(query={"room": code, "lang": lang})
    radio = student.radio[0]
    store = live.store()
    poll = store.current_poll(code)
    asked = from_json(poll.question)
    label = radio.options[asked.options.index("cat")]
    assert label == {"en": "cat", "fr": "chat"}[lang]
    ident = student.session_state[MEMORY][live.IDENTITY]
    dog = radio.options[asked.options.index("dog")]
    with i18n.language(lang):
        assert live.record_late_answers(ident, late(radio, label)) == [poll.id]
        assert store.answers(code, poll.id) == ["cat"]
        assert live.record_late_answers(ident, late(radio, label)) == []  # the same: no write
        # not one of the answers, a widget of another class or of a question number past
        # any, or the teacher: nothing (each would otherwise change "cat" to "dog")
        assert live.record_late_answers(ident, late(radio, f"**{dog}**")) == []
        other = type("Other", (), {"id": radio.id.replace(code, "QQQQQQ")})
        assert live.record_late_answers(ident, late(other, dog)) == []
        huge = type("Huge", (), {"id": radio.id.rsplit(":", 1)[0] + ":" + "9" * 30})
        assert live.record_late_answers(ident, late(huge, dog)) == []
        teacher_ident = teacher.session_state[MEMORY][live.IDENTITY]
        assert live.record_late_answers(teacher_ident, late(radio, dog)) == []
        assert live.record_late_answers(None, late(radio, dog)) == []
        assert store.answers(code, poll.id) == ["cat"]
        # a late change of mind, while the question is open, is taken
        assert live.record_late_answers(ident, late(radio, dog)) == [poll.id]
        assert live.record_late_answers(ident, late(radio, label)) == [poll.id]
    teacher.run()
    assert [m.value for m in teacher.metric][2] == "1"  # the projector counts it
    # once the teacher has closed the question, a late answer is too late
    button(teacher, "Close answers").click().run()
    with i18n.language(lang):
        assert live.record_late_answers(ident, late(radio, dog)) == []
    assert store.answers(code, poll.id) == ["cat"]


def test_a_number_answer_that_comes_after_the_teachers_move_is_counted():
    """The same for a question answered with a number (sent by the number box's form)."""
    teacher, code, _key = start_teacher()
    student = session(query={"room": code})
    teacher.selectbox(key=KIND).set_value("top_p_count").run()
    button(teacher, "Ask the room").click().run()
    student.run()
    box = student.number_input[0]
    poll = live.store().current_poll(code)
    ident = student.session_state[MEMORY][live.IDENTITY]
    assert live.record_late_answers(ident, late(box, 2.0)) == [poll.id]
    assert live.store().answers(code, poll.id) == ["2"]
    assert live.record_late_answers(ident, late(box, "3")) == []  # not a number box's value
    assert live.store().answers(code, poll.id) == ["2"]


def test_a_skipped_run_hands_its_widget_states_to_the_hooks():
    """push.drop_ticks_of_other_pages skips a run of another page's fragments; what the
    browser sent with it goes to the hooks (the live class records a late answer from it)."""
    from types import SimpleNamespace

    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    push.drop_ticks_of_other_pages()
    seen = []
    push.on_skipped_run(seen.append)
    try:
        runner = SimpleNamespace(
            _pages_manager=SimpleNamespace(current_page_script_hash="lesson-page")
        )
        states = object()
        rerun = SimpleNamespace(
            fragment_id_queue=["f1"],
            is_fragment_scoped_rerun=False,
            page_script_hash="class-page",
            widget_states=states,
        )
        ScriptRunner._run_script(runner, rerun)  # skipped: the fake runner is never run
        assert seen == [states]
    finally:
        push._skipped_run_hooks.remove(seen.append)


def first_column_says(at: AppTest) -> str:
    """The header of the class page's first column (on a phone, the one on top)."""
    return at.columns[0].header[0].value


def test_a_student_whose_class_ended_is_shown_the_way_into_a_class_not_a_teachers_page():
    """A student whose class ended landed on "Live class: lead the room", with "Start a
    class" first (a tour). The page now speaks to a student: its student title, a student's
    introduction and the Join box first; so for one who left, and for one who opens the
    join link of a class that has gone. The teacher's page stays the teacher's."""
    teacher, code, key = start_teacher()
    student = session(query={"room": code})
    leaver = session(query={"room": code})
    button(leaver, "Leave the class").click().run()
    button(teacher, "End the class").click().run()
    student.run()
    assert_healthy(student)
    assert any("Thank you for taking part" in i.value for i in student.info)
    old_link = session(query={"room": code.lower()})  # a join link kept after the class
    # ...is news, not a mistake: it blamed a code the reader never typed (a tour)
    assert not old_link.error
    gone = (
        f"Class {code[:3]} {code[3:]} is not open: it has ended, or the link's code is not right."
    )
    assert [i.value for i in old_link.info] == [
        gone + " To join a class, type the code your teacher shows under Join."
    ]
    # a follower's old address of a lesson: the way in is on another page
    lesson = session(PLAYGROUND, {"room": code, "member": "x" * 16})
    assert [i.value for i in lesson.info] == [
        gone + " To join a class, type the code your teacher shows on the Live class page."
    ]
    for at in (student, leaver, old_link):
        assert_healthy(at)
        assert [t.value for t in at.title] == [
            ":material/cast_for_education: Live class: follow and answer"
        ]
        assert first_column_says(at) == "Join"
        assert "Join your teacher's class with the code" in everything_shown(at)
        assert "Run the class together" not in everything_shown(at)
    # the teacher's links kept after the class: with its key, and the address bar's
    for query in ({"room": code, "teacher": key}, {"room": code, "lead": "1"}):
        at = session(query=query)
        assert not at.error
        assert [i.value for i in at.info] == [gone + " To teach, start a new class under Teach."]
        assert first_column_says(at) == "Teach"
    for at in (teacher, session()):  # the teacher who ended it, and a newcomer
        assert [t.value for t in at.title] == [
            ":material/cast_for_education: Live class: lead the room"
        ]
        assert first_column_says(at) == "Teach"
        assert not any("Thank you for taking part" in i.value for i in at.info)
    # a former student who starts a class is a teacher
    button(student, "Start a class").click().run()
    assert "Ask the room" in [b.label for b in student.button]
    assert [t.value for t in student.title] == [
        ":material/cast_for_education: Live class: lead the room"
    ]


def test_a_student_who_leaves_is_told_and_gets_their_own_view_back():
    """A student who left a class was told nothing, and a laptop stayed in the teacher's
    presenter view (large type, the sidebar closed), a view the student never chose (a
    tour). "Leave the class" says so once, and the view is the student's again."""
    teacher, code, _ = start_teacher()
    next(t for t in teacher.toggle if t.label.startswith("Presenter view")).set_value(True).run()
    assert live.store().room(code).view.query.count("present=1") == 1
    student = session(query={"room": code})
    assert params(student).get("present") == "1"  # following: the teacher's view
    button(student, "Leave the class").click().run()
    assert_healthy(student)
    assert [i.value for i in student.info] == [
        f"You left class {code[:3]} {code[3:]}: every lesson stays open for you to explore on "
        "your own. To join it again, type its code under Join."
    ]
    assert "present" not in params(student) and "room" not in params(student)
    student.run()
    assert not student.info  # said once


def test_joining_with_no_code_asks_for_the_code():
    """An empty code was answered "There is no open class with that code", which blamed a
    code nobody typed (a tour)."""
    at = session()
    button(at, "Join the class").click().run()
    (said,) = [e.value for e in at.error]
    assert plain(said) == "Type the class code shown on the projector first, e.g. ACD7FH.", said


def test_after_a_language_switch_the_projector_names_the_classes_in_the_new_language():
    """After a French teacher's switch, the projector said "dog = -1 ; cat = 0,5 ; bird = 2"
    inside French sentences, and the results mixed both languages (a projector tour); the
    default deck's scene 6 (cat, dog, outdoors) reached students as typed."""
    teacher, _code, _students = answered_poll(["dog", "cat"])
    switch = next(box for box in teacher.selectbox if box.label.startswith("Language"))
    switch.set_value("fr").run()
    assert_healthy(teacher)
    card = " ".join(plain(m.value) for m in teacher.markdown)
    assert "chien" in card and "oiseau" in card, card
    assert "dog" not in card and "bird" not in card, card
    assert in_language(("cat", "dog", "outdoors"), "es") == ("gato", "perro", "exterior")


def test_a_teacher_tab_left_behind_says_so_and_takes_the_class_view():
    """Two tabs of the teacher: the second moved the class to the Playground with other
    logits; the first, never reloaded, asked the room about its old logits, and its next
    move took the class back (a teacher's tour). It now says it is behind, and takes the
    class's view on demand, publishing nothing of its old one."""
    first, code, key = start_teacher()
    behind = "Another tab or device of yours has moved the class"
    assert not [w for w in first.warning if behind in w.value]
    second = session(PLAYGROUND, {"room": code, "teacher": key})
    assert_healthy(second)
    second.text_input(
        key=next(t.key for t in second.text_input if "logits" in t.label.lower())
    ).input("0.5, 2, -1").run()
    view = live.store().room(code).view
    assert view.slug == "Playground" and "z=0.5,2,-1" in view.query, view
    assert not [w for w in second.warning if behind in w.value]  # the tab that leads
    first.run()  # the class page's next tick
    (warning,) = [w for w in first.warning if behind in w.value]
    assert "**Playground**" in warning.value
    button(first, "Show the class's view here").click().run()
    assert_healthy(first)
    assert live.store().room(code).view == view  # nothing of the old view published
    assert not [w for w in first.warning if behind in w.value]
    assert params(first)["z"] == "0.5,2,-1"


def test_the_quiz_in_a_live_class_says_each_student_has_a_round_of_their_own():
    """The teacher's New question on the Quiz page left the room on question 1, the bar
    saying they followed (a teacher's tour): each has a round of their own, and the page
    says so, to the teacher with the way to ask the whole room."""
    _, code, key = start_teacher()
    lead = session(QUIZ, {"room": code, "teacher": key})  # the class goes to the Quiz
    student = session(QUIZ, {"room": code})
    alone = session(QUIZ)
    said = {at: " ".join(c.value for c in at.caption) for at in (student, lead, alone)}
    assert "**New question** changes only your screen" in said[lead]
    assert "**Ask the room** on the class page" in said[lead]
    assert "teacher's **New question** does not change yours" in said[student]
    assert "New question" not in said[alone]


def test_a_french_teacher_leading_again_reads_the_examples_class_names_in_french():
    """A class started in English on the Playground's example; its teacher link opened in a
    French browser showed dog, cat, bird, where the French students read chien, chat, oiseau
    (a tour). Leading again takes the class's view with the example's names in French, and
    sends the room nothing new."""
    first, code, key = start_teacher()
    first.switch_page(PLAYGROUND)
    first.run()
    view = live.store().room(code).view
    assert view.slug == "Playground" and "dog" in view.query, view
    french = session(PLAYGROUND, {"room": code, "teacher": key, "lang": "fr"})
    assert_healthy(french)
    assert params(french)["labels"] == "chien,chat,oiseau", params(french)
    assert "dog" not in " ".join(m.value for m in french.markdown)
    assert live.store().room(code).view.version == view.version  # the same view, not a move
    assert not [w for w in french.warning if "Another tab" in w.value]  # not behind

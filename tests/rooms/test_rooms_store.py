# ruff: noqa: F811  (pytest fixtures imported from store_fixtures are parameters here)
"""The room store's rules, each checked against SQLite and Redis (the ``backend`` param)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from softmax_ui.rooms import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_ANSWER_CHARS,
    NoSuchRoom,
    NotAllowed,
    NotTeacher,
    RateLimited,
    RoomFull,
    Settings,
    normalise_code,
    open_store,
)
from softmax_ui.rooms.base import (
    MAX_POLLS,
    MAX_QUESTION_CHARS,
    clean_nickname,
    device_key,
    hash_key,
)
from softmax_ui.rooms.sqlite_store import SQLiteRoomStore
from tests.rooms.store_fixtures import (  # noqa: F401 (fixtures)
    backend,
    clock,
    make_store,
    redis_server,
    store,
)

ROOT = Path(__file__).resolve().parents[2]


def test_join_codes_use_only_unambiguous_characters(store):
    codes = {store.create_room().code for _ in range(40)}
    assert len(codes) == 40
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set(CODE_ALPHABET) & set("0O1IL2Z5S6G8B")


def test_a_typed_code_is_read_leniently_but_only_from_the_alphabet():
    assert normalise_code(" acd-efh ") == "ACDEFH"
    assert normalise_code("ACDEF0") == ""  # 0 is not in the alphabet
    assert normalise_code("ACDEF") == ""
    assert normalise_code("x" * 10_000) == ""


def test_the_teacher_key_is_stored_only_as_a_hash(backend, store, tmp_path):
    created = store.create_room()
    assert store.is_teacher(created.code, created.teacher_key)
    if backend == "sqlite":
        dump = "\n".join(sqlite3.connect(tmp_path / "rooms.sqlite3").iterdump())
    else:
        dump = json.dumps(store.redis.hgetall(store._k("room", created.code)))
    assert created.teacher_key not in dump
    assert hash_key(created.teacher_key) in dump


@pytest.mark.parametrize("device", ["d" * 32, "x" * 31, "🔑" * 32, None])
def test_a_browser_that_started_a_class_can_make_its_key_again(store, device):
    """A class started in a browser with its own secret (a cookie) has the teacher key that
    secret makes (so that browser leads it again after a server restart); another secret
    makes another key; a malformed secret, or none, gives a random key."""
    room = store.create_room(device)
    assert store.is_teacher(room.code, room.teacher_key)
    assert (room.teacher_key == device_key("d" * 32, room.code)) == (device == "d" * 32)
    assert not store.is_teacher(room.code, device_key("e" * 32, room.code))
    again = store.create_room(device)  # another class, another key
    assert again.teacher_key != room.teacher_key


@pytest.mark.parametrize("forged", [None, "", "x" * 32, "A" * 31, "🔑" * 32])
def test_only_the_teacher_key_drives_the_room(store, forged):
    room = store.create_room()
    other = store.create_room()
    for key in (forged, other.teacher_key):
        assert not store.is_teacher(room.code, key)
        with pytest.raises(NotTeacher):
            store.set_view(room.code, key, "Playground", "z=1,2")
        with pytest.raises(NotTeacher):
            store.open_poll(room.code, key, '{"q": 1}')
        with pytest.raises(NotTeacher):
            store.set_broadcasting(room.code, key, False)
        with pytest.raises(NotTeacher):
            store.end_class(room.code, key)
    poll = store.open_poll(room.code, room.teacher_key, '{"q": 1}')
    for status in ("closed", "revealed"):
        with pytest.raises(NotTeacher):
            store.set_poll_status(room.code, other.teacher_key, poll, status)
    assert store.room(room.code).view is None
    assert store.poll(room.code, poll).status == "open"


def test_the_view_version_grows_only_when_the_view_changes(store):
    room = store.create_room()
    assert store.room(room.code).view is None
    assert store.set_view(room.code, room.teacher_key, "Playground", "z=2,1") == 1
    assert store.set_view(room.code, room.teacher_key, "Playground", "z=2,1") == 1
    assert store.set_view(room.code, room.teacher_key, "Naive_vs_Stable", "z=2,1") == 2
    view = store.room(room.code).view
    assert (view.slug, view.query, view.version) == ("Naive_vs_Stable", "z=2,1", 2)
    with pytest.raises(NotAllowed):
        store.set_view(room.code, room.teacher_key, "../etc", "")
    with pytest.raises(NotAllowed):
        store.set_view(room.code, room.teacher_key, "Playground", "z=" + "1," * 5000)


def test_a_student_who_rejoins_is_counted_once(store, clock):
    room = store.create_room()
    member = store.join(room.code.lower(), "10.0.0.1", nickname="  Ada  ")
    assert store.join(room.code, "10.0.0.1", member=member) == member
    assert store.join(room.code, "10.0.0.9", member=member) == member  # reloaded elsewhere
    other = store.join(room.code, "10.0.0.2")
    assert other != member
    assert store.presence(room.code) == (2, 2)
    assert store.nickname(room.code, member) == "Ada"
    assert store.heartbeat(room.code, other, following=False)
    assert store.presence(room.code) == (2, 1)
    clock.advance(store.settings.connected_seconds + 1)
    assert store.heartbeat(room.code, member, following=True)
    assert store.presence(room.code) == (1, 1)  # the other one stopped sending heartbeats
    store.leave(room.code, member)
    assert store.presence(room.code) == (0, 0)
    assert not store.heartbeat(room.code, member, following=True)


def test_a_student_following_in_one_tab_and_exploring_in_another_counts_as_following(store, clock):
    """One student, two tabs (two sessions of one member): each beat said following or not,
    and the teacher's count went 0, 0, 0, 1, 0 with whichever tab beat last (a navigation
    tour). A tab that stops following says so once, then beats with no news; the member
    follows while a beat said so within the connected time and none said it stopped since."""
    room = store.create_room()
    member = store.join(room.code, "10.0.0.1")
    assert store.presence(room.code) == (1, 1)  # joining is following
    assert store.heartbeat(room.code, member, following=False)  # "Explore on my own"
    assert store.presence(room.code) == (1, 0)
    for _beat in range(3):  # the exploring tab's beats and the following tab's, in turn
        assert store.heartbeat(room.code, member, following=None)
        assert store.presence(room.code) == (1, 0)
        clock.advance(3)
    assert store.heartbeat(room.code, member, following=True)  # the other tab follows
    for _beat in range(5):
        clock.advance(3)
        assert store.heartbeat(room.code, member, following=None)  # the explorer beats
        assert store.presence(room.code) == (1, 1), _beat
        assert store.heartbeat(room.code, member, following=True)  # the follower beats
        assert store.presence(room.code) == (1, 1), _beat
    # the following tab was closed: only the explorer beats, and the member stops counting
    clock.advance(store.settings.connected_seconds / 2)
    assert store.heartbeat(room.code, member, following=None)
    assert store.presence(room.code) == (1, 1)
    clock.advance(store.settings.connected_seconds / 2 + 1)
    assert store.heartbeat(room.code, member, following=None)
    assert store.presence(room.code) == (1, 0)


def flags_and_times(store, code: str, member: str) -> tuple[int, float]:
    """The member's stored "following" flag (as earlier versions read it) and time."""
    if isinstance(store, SQLiteRoomStore):
        row = (
            store._db()
            .execute(
                "SELECT following, following_at FROM members WHERE code = ? AND member = ?",
                (code, member),
            )
            .fetchone()
        )
        return int(row[0]), float(row[1])
    flag = store.redis.hget(store._k("following", code), member)
    when = store.redis.hget(store._k("following_at", code), member)
    return int(flag), float(when or 0)


def test_following_is_kept_as_earlier_versions_read_it(store, clock):
    """The flag stays 1 or 0, which an earlier version sharing the store during an upgrade
    reads (it summed the column, or counted "1"): a time written in its place made it show
    "following = 1796440187" (a review). A member that version wrote, with no time, counts
    on the flag alone."""
    room = store.create_room()
    member = store.join(room.code, "10.0.0.1")
    assert flags_and_times(store, room.code, member) == (1, clock.now)
    store.heartbeat(room.code, member, following=False)
    assert flags_and_times(store, room.code, member)[0] == 0
    store.heartbeat(room.code, member, following=None)
    assert flags_and_times(store, room.code, member)[0] == 0
    clock.advance(5)
    store.heartbeat(room.code, member, following=True)
    assert flags_and_times(store, room.code, member) == (1, clock.now)
    # as an earlier version left it: the flag, no time
    if isinstance(store, SQLiteRoomStore):
        store._db().execute("UPDATE members SET following_at = 0")
    else:
        store.redis.delete(store._k("following_at", room.code))
    clock.advance(store.settings.connected_seconds - 1)
    store.heartbeat(room.code, member, following=None)
    assert store.presence(room.code) == (1, 1)


def test_a_file_an_earlier_version_wrote_gains_its_new_column(tmp_path, clock):
    """An earlier version's file has no ``following_at``: opened, it gains the column, and
    its members count on their flag."""
    path = tmp_path / "rooms.sqlite3"
    first = SQLiteRoomStore(path, clock=clock)
    room = first.create_room()
    member = first.join(room.code, "10.0.0.1")
    db = first._db()
    db.execute("ALTER TABLE members DROP COLUMN following_at")  # as the file was
    first.close()
    again = SQLiteRoomStore(path, clock=clock)
    assert again.presence(room.code) == (1, 1)
    assert again.heartbeat(room.code, member, following=False)
    assert again.presence(room.code) == (1, 0)
    assert SQLiteRoomStore(path, clock=clock).presence(room.code) == (1, 0)  # added once


def test_a_question_an_earlier_version_closed_is_put_to_those_there_now(tmp_path, clock):
    """An earlier version's file has no ``polls.asked``: opened, it gains the column; its
    closed questions, whose count was not recorded, are put to the students there now (as
    that version said), and the questions closed from then on keep theirs."""
    path = tmp_path / "rooms.sqlite3"
    first = SQLiteRoomStore(path, clock=clock)
    room = first.create_room()
    member = first.join(room.code, "10.0.0.1")
    poll = first.open_poll(room.code, room.teacher_key, "{}")
    first.answer(room.code, member, poll, "dog")
    db = first._db()
    db.execute("ALTER TABLE polls DROP COLUMN asked")  # as the file was
    db.execute("UPDATE polls SET status = 'closed'")  # closed by that version
    first.close()
    again = SQLiteRoomStore(path, clock=clock)
    again.join(room.code, "10.0.0.2")
    assert again.poll(room.code, poll).asked is None
    assert again.asked(room.code, poll) == 2
    second = again.open_poll(room.code, room.teacher_key, "{}")
    again.set_poll_status(room.code, room.teacher_key, second, "closed")
    again.join(room.code, "10.0.0.3")
    assert (again.asked(room.code, poll), again.asked(room.code, second)) == (3, 2)


def forget_the_count(store, code: str, poll: int) -> None:
    """Leave a closed question as an earlier version closed it: no count recorded."""
    if isinstance(store, SQLiteRoomStore):
        store._db().execute("UPDATE polls SET asked = NULL WHERE code = ? AND id = ?", (code, poll))
    else:
        store.redis.hdel(store._k("poll", code, poll), "asked")


def test_a_question_closed_without_a_count_is_put_to_those_there_now(store):
    """A question an earlier version closed (SQLite or Redis, which may be shared with that
    version during an upgrade) has no recorded count: it is put to the students there now,
    as that version said, and a reveal later records none."""
    room = store.create_room()
    member = store.join(room.code, "1")
    poll = store.open_poll(room.code, room.teacher_key, "{}")
    store.answer(room.code, member, poll, "dog")
    store.set_poll_status(room.code, room.teacher_key, poll, "closed")
    forget_the_count(store, room.code, poll)
    store.join(room.code, "2")
    assert store.poll(room.code, poll).asked is None
    assert store.asked(room.code, poll) == 2
    store.set_poll_status(room.code, room.teacher_key, poll, "revealed")
    assert store.poll(room.code, poll).asked is None and store.asked(room.code, poll) == 2


def test_a_room_holds_at_most_max_students(make_store, clock):
    store = make_store(Settings(max_students=3))
    room = store.create_room()
    members = [store.join(room.code, f"10.0.0.{i}") for i in range(3)]
    with pytest.raises(RoomFull):
        store.join(room.code, "10.0.0.9")
    assert store.join(room.code, "10.0.0.0", member=members[0]) == members[0]  # a reload
    assert store.presence(room.code).connected == 3
    clock.advance(store.settings.connected_seconds + 1)  # everyone left without a word
    for member in members[:2]:
        store.heartbeat(room.code, member, following=True)
    store.join(room.code, "10.0.0.9")  # the silent one's place is free again
    with pytest.raises(RoomFull):
        store.join(room.code, "10.0.0.10")


def test_join_code_guessing_is_rate_limited_per_client(make_store, clock):
    store = make_store(Settings(join_failures=5, join_window_seconds=300))
    room = store.create_room()
    for _ in range(5):
        with pytest.raises(NoSuchRoom):
            store.join("AAAAAA", "10.0.0.66")
    with pytest.raises(RateLimited):
        store.join(room.code, "10.0.0.66")  # even the right code, until the window passes
    store.join(room.code, "10.0.0.7")  # another client is not affected
    clock.advance(301)
    store.join(room.code, "10.0.0.66")


def test_one_browsers_wrong_codes_leave_the_others_at_its_address_free(make_store, clock):
    """A class behind one school router shares one address: a student's ten typos kept every
    other student out, also by the QR code's link, with a message blaming "this device" (a
    tour). Each browser has its limit; the address a higher one (a guesser can send a new
    browser secret each time), and its message names the network."""
    store = make_store(Settings(join_failures=3, network_join_failures=7))
    room = store.create_room()
    typist, friend = "t" * 32, "f" * 32
    for _ in range(3):
        with pytest.raises(NoSuchRoom):
            store.join("AAAAAA", "10.0.0.66", browser=typist)
    with pytest.raises(RateLimited) as limited:
        store.join(room.code, "10.0.0.66", browser=typist)  # even the right code
    assert "this device" in str(limited.value)
    store.join(room.code, "10.0.0.66", browser=friend)  # the rest of the room joins
    for i in range(4):  # a guesser with a new secret each time
        with pytest.raises(NoSuchRoom):
            store.join("AAAAAA", "10.0.0.66", browser=f"{i}" * 32)
    with pytest.raises(RateLimited) as limited:
        store.join(room.code, "10.0.0.66", browser="n" * 32)
    assert "this network" in str(limited.value)
    store.join(room.code, "10.0.0.7", browser="n" * 32)  # another address is free
    clock.advance(301)
    store.join(room.code, "10.0.0.66", browser=typist)


def test_a_poll_takes_one_changeable_answer_per_student_until_closed(store):
    room = store.create_room()
    a, b = store.join(room.code, "1"), store.join(room.code, "2")
    poll = store.open_poll(room.code, room.teacher_key, '{"prompt": "which?"}')
    assert store.current_poll(room.code).status == "open"
    store.answer(room.code, a, poll, "dog")
    store.answer(room.code, b, poll, "cat")
    store.answer(room.code, a, poll, "cat")  # changed their mind
    assert sorted(store.answers(room.code, poll)) == ["cat", "cat"]
    assert store.answer_of(room.code, poll, a) == "cat"
    store.set_poll_status(room.code, room.teacher_key, poll, "closed")
    with pytest.raises(NotAllowed):
        store.answer(room.code, b, poll, "dog")
    store.set_poll_status(room.code, room.teacher_key, poll, "revealed")
    assert store.poll(room.code, poll).status == "revealed"
    assert sorted(store.answers(room.code, poll)) == ["cat", "cat"]
    second = store.open_poll(room.code, room.teacher_key, '{"prompt": "next"}')
    assert second == poll + 1 and store.room(room.code).poll == second
    assert [p.id for p in store.polls(room.code)] == [poll, second]
    with pytest.raises(NotAllowed):
        store.set_poll_status(room.code, room.teacher_key, 99, "closed")


def test_a_question_is_put_to_the_connected_and_to_those_who_answered_and_went(store, clock):
    """The projector's "n of m answered": m counts a student who answered and then closed
    the browser (the projector read "4 of 3 connected students answered": a tour), once."""
    room = store.create_room()
    a, b, c = (store.join(room.code, str(i)) for i in range(3))
    poll = store.open_poll(room.code, room.teacher_key, "{}")
    assert store.asked(room.code.lower(), poll) == 3
    store.answer(room.code, a, poll, "dog")
    store.answer(room.code, b, poll, "cat")
    assert store.asked(room.code, poll) == 3  # answered and connected: once
    clock.advance(store.settings.connected_seconds / 2)
    store.heartbeat(room.code, b, following=None)
    store.heartbeat(room.code, c, following=None)
    clock.advance(store.settings.connected_seconds / 2 + 1)  # a closed the browser
    assert store.presence(room.code).connected == 2
    assert store.asked(room.code, poll) == 3
    store.leave(room.code, c)  # left without answering: no longer asked
    assert store.asked(room.code, poll) == 2
    store.join(room.code, "9")  # a late joiner is asked too
    assert store.asked(room.code, poll) == 3
    assert store.asked(room.code, poll + 1) == 2  # no answers to a question not asked


def test_a_closed_question_keeps_the_count_it_was_put_to(store, clock):
    """Three students answered, the teacher revealed, and three more came (or the three left
    and came back by the link): the projector said "3 of 6 students answered" beside 3
    connected (a student tour); the count kept by the teacher's page came back on a reload.
    The store records the count as a question closes, by Close, Reveal or a new question."""
    room = store.create_room()
    a, b, c = (store.join(room.code, str(i)) for i in range(3))
    first = store.open_poll(room.code, room.teacher_key, "{}")
    store.answer(room.code, a, first, "dog")
    assert store.poll(room.code, first).asked is None  # open: not recorded
    store.set_poll_status(room.code, room.teacher_key, first, "closed")
    assert store.poll(room.code, first).asked == 3
    for late in range(3, 6):
        store.join(room.code, str(late))
    assert store.presence(room.code).connected == 6
    assert store.asked(room.code.lower(), first) == 3
    store.set_poll_status(room.code, room.teacher_key, first, "revealed")
    assert store.asked(room.code, first) == 3  # the reveal of a closed one keeps its count
    assert [p.asked for p in store.polls(room.code)] == [3]

    second = store.open_poll(room.code, room.teacher_key, "{}")
    store.answer(room.code, b, second, "cat")
    store.leave(room.code, c)
    assert store.asked(room.code, second) == 5
    store.set_poll_status(room.code, room.teacher_key, second, "revealed")  # from open
    third = store.open_poll(room.code, room.teacher_key, "{}")
    store.leave(room.code, b)  # answered question 2, gone: still counted there
    clock.advance(store.settings.connected_seconds + 1)  # everyone's browser is closed
    assert (store.asked(room.code, second), store.poll(room.code, second).asked) == (5, 5)
    assert store.asked(room.code, third) == 0  # open: those there now

    store.heartbeat(room.code, a, following=None)
    fourth = store.open_poll(room.code, room.teacher_key, "{}")  # closes question 3
    assert store.poll(room.code, third).status == "closed"
    assert (store.asked(room.code, third), store.poll(room.code, third).asked) == (1, 1)
    assert store.poll(room.code, fourth).asked is None


def test_a_student_who_leaves_takes_back_the_answer_to_the_open_question(store):
    """Leave, then join again (a new member), then answer: one person answered three times
    ("6 of 4 answered" on the projector: a tour). Leaving withdraws the answer to the open
    question; an answer to a closed one stays, the class's record."""
    room = store.create_room()
    a, b = store.join(room.code, "1"), store.join(room.code, "2")
    first = store.open_poll(room.code, room.teacher_key, "{}")
    store.answer(room.code, a, first, "dog")
    store.answer(room.code, b, first, "cat")
    store.set_poll_status(room.code, room.teacher_key, first, "revealed")
    second = store.open_poll(room.code, room.teacher_key, "{}")
    store.answer(room.code, a, second, "dog")
    store.answer(room.code, b, second, "cat")
    store.leave(room.code.lower(), a)
    again = store.join(room.code, "1")
    store.answer(room.code, again, second, "dog")
    assert sorted(store.answers(room.code, second)) == ["cat", "dog"]
    assert store.answer_of(room.code, second, a) is None
    assert sorted(store.answers(room.code, first)) == ["cat", "dog"]  # closed: kept
    assert store.asked(room.code, second) == 2
    assert store.asked(room.code, first) == 2  # as when it closed (a came back as another)


def test_opening_a_poll_closes_the_previous_one(store):
    room = store.create_room()
    member = store.join(room.code, "1")
    first = store.open_poll(room.code, room.teacher_key, "{}")
    store.open_poll(room.code, room.teacher_key, "{}")
    assert store.poll(room.code, first).status == "closed"
    with pytest.raises(NotAllowed):
        store.answer(room.code, member, first, "late")


@pytest.mark.parametrize(
    "answer", ["", "   ", "x" * (MAX_ANSWER_CHARS + 1), "dog\x00", "a\nb", "\u202edog"]
)
def test_answer_payloads_are_bounded_and_plain(store, answer):
    room = store.create_room()
    member = store.join(room.code, "1")
    poll = store.open_poll(room.code, room.teacher_key, "{}")
    with pytest.raises(NotAllowed):
        store.answer(room.code, member, poll, answer)
    store.answer(room.code, member, poll, "x" * MAX_ANSWER_CHARS)
    assert store.answers(room.code, poll) == ["x" * MAX_ANSWER_CHARS]


def test_only_members_answer_and_questions_are_bounded(store):
    room = store.create_room()
    poll = store.open_poll(room.code, room.teacher_key, "{}")
    with pytest.raises(NotAllowed):
        store.answer(room.code, "A" * 16, poll, "dog")  # well-formed id, never joined
    with pytest.raises(NotAllowed):
        store.answer(room.code, "../../x", poll, "dog")
    with pytest.raises(NotAllowed):
        store.join(room.code, "1", member="not a member id")
    with pytest.raises(NotAllowed):
        store.open_poll(room.code, room.teacher_key, "x" * (MAX_QUESTION_CHARS + 1))
    assert store.answers(room.code, poll) == []


def test_a_class_holds_at_most_max_polls(store):
    room = store.create_room()
    for _ in range(MAX_POLLS):
        store.open_poll(room.code, room.teacher_key, "{}")
    with pytest.raises(NotAllowed):
        store.open_poll(room.code, room.teacher_key, "{}")


def test_the_teacher_ends_the_class_for_everyone(backend, store, tmp_path):
    """ "End the class" deletes the room and all it holds at once (not after the idle time):
    no student can join or answer, the teacher link leads nothing, and nothing of it is left
    in the store; another class goes on untouched."""
    room, other = store.create_room(), store.create_room()
    member = store.join(room.code, "1", nickname="Zoé")
    store.set_view(room.code, room.teacher_key, "Playground", "z=2,1")
    poll = store.open_poll(room.code, room.teacher_key, '{"prompt": "p"}')
    store.answer(room.code, member, poll, "dog")
    kept = store.join(other.code, "2")
    kept_poll = store.open_poll(other.code, other.teacher_key, "{}")
    store.answer(other.code, kept, kept_poll, "cat")
    store.end_class(room.code.lower(), room.teacher_key)  # the code as typed
    assert store.room(room.code) is None and not store.is_teacher(room.code, room.teacher_key)
    assert not store.heartbeat(room.code, member, following=True)
    with pytest.raises(NoSuchRoom):
        store.join(room.code, "1", member=member)
    with pytest.raises(NoSuchRoom):
        store.answer(room.code, member, poll, "cat")
    with pytest.raises(NoSuchRoom):
        store.end_class(room.code, room.teacher_key)  # ended twice (two teacher devices)
    assert store.polls(room.code) == [] and store.answers(room.code, poll) == []
    assert (
        store.answer_of(room.code, poll, member) is None and store.nickname(room.code, member) == ""
    )
    if backend == "sqlite":
        dump = "\n".join(sqlite3.connect(tmp_path / "rooms.sqlite3").iterdump())
    else:
        dump = json.dumps({k: store.redis.type(k) for k in store.redis.keys(f"*{room.code}*")})
    assert room.code not in dump and "Zoé" not in dump and "dog" not in dump
    assert store.answers(other.code, kept_poll) == ["cat"] and store.room(other.code) is not None
    assert store.cleanup() == 0


def test_idle_rooms_expire_and_are_cleaned(make_store, clock):
    store = make_store(Settings(idle_seconds=3600))
    idle, busy = store.create_room(), store.create_room()
    member = store.join(idle.code, "1")
    poll = store.open_poll(idle.code, idle.teacher_key, "{}")
    store.answer(idle.code, member, poll, "dog")
    clock.advance(1800)
    store.heartbeat(busy.code, store.join(busy.code, "2"), following=True)
    clock.advance(1801)
    assert store.room(idle.code) is None and store.room(busy.code) is not None
    with pytest.raises(NoSuchRoom):
        store.join(idle.code, "1")
    with pytest.raises(NoSuchRoom):
        store.set_view(idle.code, idle.teacher_key, "Playground", "")
    assert store.cleanup() == 1
    assert store.polls(idle.code) == [] and store.answers(idle.code, poll) == []
    assert store.answer_of(idle.code, poll, member) is None
    assert store.room(busy.code) is not None


def test_a_restarted_server_finds_everything(make_store):
    first = make_store()
    room = first.create_room()
    member = first.join(room.code, "1")
    first.set_view(room.code, room.teacher_key, "Temperature_and_Sampling", "z=3,1&T=2")
    poll = first.open_poll(room.code, room.teacher_key, '{"prompt": "p"}')
    first.answer(room.code, member, poll, "dog")
    first.close()
    again = make_store()  # a new connection, as after a restart (or another process)
    view = again.room(room.code).view
    assert (view.slug, view.query) == ("Temperature_and_Sampling", "z=3,1&T=2")
    assert again.current_poll(room.code).question == '{"prompt": "p"}'
    assert again.answers(room.code, poll) == ["dog"]
    assert again.is_teacher(room.code, room.teacher_key)
    assert again.join(room.code, "1", member=member) == member
    assert again.presence(room.code).connected == 1


WORKER = """
import json, sys
from softmax_ui.rooms import open_store, RoomFull
store = open_store()
code, poll = sys.argv[1], int(sys.argv[2])
joined = []
for i in range(int(sys.argv[3])):
    try:
        member = store.join(code, "worker")
    except RoomFull:
        continue
    store.answer(code, member, poll, "dog")
    joined.append(member)
print(json.dumps(joined))
"""


def test_several_processes_share_one_room_and_its_limits(backend, make_store, tmp_path, request):
    """Four app processes let 40 students in at once: exactly max_students get in, each
    answer is counted once."""
    store = make_store(Settings(max_students=25), clock_=time.time)  # as the workers' clock
    room = store.create_room()
    poll = store.open_poll(room.code, room.teacher_key, "{}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOFTMAX_ROOM_MAX_STUDENTS": "25"}
    if backend == "sqlite":
        env["SOFTMAX_ROOMS_URL"] = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    else:
        env["SOFTMAX_ROOMS_URL"] = request.getfixturevalue("redis_server").url
        env["SOFTMAX_ROOMS_PREFIX"] = store.prefix
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, room.code, str(poll), "10"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    joined = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        joined += json.loads(out)
    assert len(joined) == len(set(joined)) == 25
    assert store.presence(room.code).connected == 25
    assert len(store.answers(room.code, poll)) == 25


def test_the_settings_choose_the_store(tmp_path):
    store = open_store({"SOFTMAX_DATA_DIR": str(tmp_path / "d"), "SOFTMAX_ROOM_MAX_STUDENTS": "7"})
    assert isinstance(store, SQLiteRoomStore)
    assert store.path == tmp_path / "d" / "rooms.sqlite3"
    assert store.settings.max_students == 7
    with pytest.raises(ValueError):
        open_store({"SOFTMAX_ROOMS_URL": "http://example.org"})
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_nicknames_are_cleaned_and_bounded():
    assert clean_nickname("  Ada\x00\n  Lovelace ") == "Ada Lovelace"
    assert len(clean_nickname("x" * 1000)) == 24
    # cut after a space: no space left at the end (the page's bold around it held open)
    assert clean_nickname("abcdefghijklmnopqrstuvw xyz") == "abcdefghijklmnopqrstuvw"


def test_a_student_who_joined_by_link_can_choose_a_nickname(store):
    """Joining by the link or the QR code (the usual way) left no box for a nickname: a
    member sets one afterwards, cleaned and bounded as at joining, or removes it; only a
    member of a live room can."""
    room = store.create_room()
    member = store.join(room.code, "1")
    assert store.nickname(room.code, member) == ""
    assert store.set_nickname(room.code.lower(), member, "  Ada\x00\n  Lovelace ") == "Ada Lovelace"
    assert store.nickname(room.code, member) == "Ada Lovelace"
    assert store.set_nickname(room.code, member, "x" * 1000) == "x" * 24
    assert store.set_nickname(room.code, member, "") == ""
    assert store.nickname(room.code, member) == ""
    assert store.join(room.code, "1", member=member) == member  # a reload keeps it
    with pytest.raises(NotAllowed):
        store.set_nickname(room.code, "A" * 16, "intruder")
    store.leave(room.code, member)
    with pytest.raises(NotAllowed):
        store.set_nickname(room.code, member, "gone")
    store.end_class(room.code, room.teacher_key)
    with pytest.raises(NoSuchRoom):
        store.set_nickname(room.code, member, "late")

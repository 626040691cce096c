"""A live class across two app processes behind HAProxy, on each room store: the teacher's
browser on process 1, the students' on process 2 (HAProxy's sticky cookie), all over real
websockets (devtools.streamlit_internals.Tab, which reruns fragments as the frontend does).

The teacher starts a class, moves to another lesson and sets T; every student follows; the
teacher asks the room; each student answers (one changes their mind): each is counted once.

Two of the three students' tabs never fire their ``run_every`` timers (``Tab(timers=False)``,
a phone that froze a background tab): they follow the teacher and see the question only
because the server wakes their fragments itself (softmax_ui.push). The third keeps its
timers, as a browser in front does.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest

from deploy.balanced import Balanced, find_haproxy
from devtools.streamlit_internals import Tab
from softmax_ui.live import FOLLOW_EVERY, TEACHER_BAR_EVERY
from tests.rooms.redis_server import require_redis_server

STUDENTS = 3
WAIT = 60.0
"""Generous: the machine may be busy; nothing here asserts a speed."""
LIVE_KEYS = ("room", "member", "lead", "teacher")


def lesson(query: str) -> dict[str, str]:
    """The lesson state part of an address bar's query (no live-class keys)."""
    return {k: v for k, v in parse_qsl(query) if k not in LIVE_KEYS}


def processes_serving(app: Balanced) -> list[int]:
    """Open connections (from HAProxy) on each app process's port, from /proc/net/tcp."""
    established = "01"
    counts = []
    for server in app.servers:
        port = f"{server.port:04X}"
        with open("/proc/net/tcp") as table:
            rows = [line.split() for line in table.readlines()[1:]]
        counts.append(sum(1 for r in rows if r[1].endswith(f":{port}") and r[3] == established))
    return counts


async def class_across(app: Balanced) -> dict:
    teacher = Tab(app.url, "Live_class", headers=app.pin(1), timeout=WAIT)
    students = [
        Tab(app.url, "Live_class", headers=app.pin(2), timeout=WAIT, timers=i == STUDENTS - 1)
        for i in range(STUDENTS)
    ]
    try:
        await teacher.open()
        await teacher.wait_for(lambda: "Start a class" in teacher.buttons)
        await teacher.click("Start a class")
        await teacher.wait_for(lambda: "lead=1" in teacher.query)
        code = dict(parse_qsl(teacher.query))["room"]
        for student in students:
            student.query = f"room={code}"
            await student.open()
        for student in students:
            await student.wait_for(lambda s=student: "member=" in s.query)
        serving = processes_serving(app)

        # The teacher opens another lesson: every student follows (a whole run of that page).
        await teacher.go("Playground")
        await teacher.wait_for(lambda: teacher.book.by_key("w:T_slider") is not None)
        page = teacher.pages["Playground"]

        def shown(s: Tab, view: dict[str, str], whole: bool = False) -> bool:
            """A run on the teacher's page with the teacher's settings, finished: the whole
            page, or (a change on the page the student shows) the sections that show it.
            (Not "the tab is on that page now": a fragment tick the tab sent before the switch
            can come back announcing the old page; see docs/live-class.md.)"""
            return any(
                d.ok
                and d.page_hash == page
                and lesson(d.query) == view
                and not (whole and d.fragment)
                for d in s.drawn
            )

        opened = lesson(teacher.query)
        for student in students:
            await student.wait_for(lambda s=student: shown(s, opened, whole=True))

        # The teacher changes T on that page: every student follows, by a run of the page's
        # sections (the frame is not redrawn): the timer-less students have no other way.
        # (before the move: a student on the other process may show it before the teacher's
        # own address bar says it)
        marks = [len(s.drawn) for s in students]
        await teacher.set_widget("w:T_slider", [2.5])
        await teacher.wait_for(lambda: lesson(teacher.query).get("T") not in (None, "1"))
        view = lesson(teacher.query)
        for student in students:
            await student.wait_for(lambda s=student: lesson(s.query) == view and shown(s, view))
        followed = [lesson(s.query) for s in students]
        in_place = [
            next(d.fragment for d in s.drawn[mark:] if lesson(d.query) == view and d.ok)
            for s, mark in zip(students[:-1], marks, strict=False)
        ]

        # A tick of the teacher's bar that left the browser before it drew the T box's new
        # value carries the old one. Streamlit reports it as a change of the box; taken as
        # the teacher's, it put T back and every student followed it back (a CI failure).
        bar = next(f for f, every in teacher.every.items() if every == TEACHER_BAR_EVERY)
        box = teacher.book.by_key("w:T_number")
        mark = len(teacher.drawn)
        await teacher.rerun([box.state(1.0)], fragment_id=bar)
        await teacher.wait_for(lambda: len(teacher.drawn) > mark)
        await asyncio.sleep(1.0)  # time for the whole run a change would have asked for
        echoed = (lesson(teacher.query), dict(parse_qsl(app.store().room(code).view.query)))
        assert echoed == (view, view), f"a stale tick changed the teacher's view: {echoed}"

        # The run that showed the move never reached a browser (Streamlit drops the messages
        # of a script runner replaced before they are sent, as a tick at the end of a busy
        # run can do): the student's next check finds its address bar behind the view (the
        # query the tick sends), and the server shows the view again.
        lagging = students[0]
        follow = next(f for f, every in lagging.every.items() if every == FOLLOW_EVERY)
        mark = len(lagging.drawn)
        lagging.query = urlencode(dict(parse_qsl(lagging.query)) | {"T": "1"})
        await lagging.rerun(fragment_id=follow)
        await lagging.wait_for(
            lambda: any(d.ok and lesson(d.query) == view for d in lagging.drawn[mark:]),
            timeout=20,
        )
        redrawn = lesson(lagging.query)

        # A class-page tick the student's browser sent just before it followed the teacher,
        # reaching the server only now: run, it came back under the class page's hash, and
        # the frontend cleared the page it shows (a white page and no more timers, if the
        # class page's fragment is not on this page). The server skips it: nothing comes
        # back under the class page.
        # (Streamlit itself drops a tick of a fragment gone from the session: the class
        # page's question; the follow fragment is on every page, so its tick used to run.)
        student, class_page = students[0], teacher.pages["Live_class"]
        stale = list(student.every)  # the follow fragment (``follow``) and the question's
        before = len(student.started)
        student.page_hash = class_page
        for fragment in stale:
            await student.rerun(fragment_id=fragment)
        student.page_hash = page  # (the ticks were sent from the page the browser had left)
        await teacher.set_widget("w:T_slider", [3.0])  # the next move: shown as before
        await teacher.wait_for(lambda: lesson(teacher.query).get("T") not in (None, "2.5"))
        moved = lesson(teacher.query)
        await student.wait_for(lambda: lesson(student.query) == moved)
        stale_runs = [p for p in student.started[before:] if p != page]
        # The teacher asks the room; students answer (the last one twice).
        await teacher.go("Live_class")
        await teacher.wait_for(lambda: "Ask the room" in teacher.buttons)
        await teacher.click("Ask the room")
        for student in students:
            await student.wait_for(lambda s=student: bool(s.radios))
        choices = ["dog", "dog", "cat"]
        for student, choice in zip(students, choices, strict=True):
            await student.choose(choice)
        await students[-1].choose("bird")
        rooms = app.store()
        poll = rooms.current_poll(code)
        await students[-1].wait_for(
            lambda: sorted(rooms.answers(code, poll.id)) == ["bird", "dog", "dog"], timeout=WAIT
        )
        await asyncio.sleep(2.5)  # two more rounds of every fragment: still counted once
        return {
            "code": code,
            "serving": serving,
            "view": view,
            "followed": followed,
            "in_place": in_place,
            "redrawn": redrawn,
            "stale": (follow in stale, stale_runs),
            "answers": sorted(rooms.answers(code, poll.id)),
            "presence": rooms.presence(code),
            "exceptions": [t.exceptions for t in (teacher, *students)],
        }
    finally:
        for tab in (teacher, *students):
            await tab.close()


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_teacher_on_one_process_students_on_another(store: str, tmp_path: Path) -> None:
    if find_haproxy() is None:
        pytest.skip("haproxy not installed (apt-get install -y haproxy)")
    if store == "redis":
        require_redis_server()
    with Balanced(2, store=store, workdir=tmp_path) as app:
        # Its own thread: the browser suite's session-wide Playwright keeps an event loop
        # running in the main thread, where asyncio.run() refuses to start a second one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            seen = pool.submit(asyncio.run, class_across(app)).result()
        tracebacks = app.tracebacks()
    assert seen["serving"][0] >= 1 and seen["serving"][1] >= STUDENTS, seen["serving"]
    assert seen["view"].get("T") == "2.5", seen["view"]
    assert seen["followed"] == [seen["view"]] * STUDENTS
    assert seen["in_place"] == [True] * (STUDENTS - 1)  # shown by the sections' run
    assert seen["redrawn"] == seen["view"]  # a browser left behind is brought to the view
    follow_ticked, stale_runs = seen["stale"]
    assert follow_ticked and stale_runs == [], seen["stale"]  # ticks of the old page: skipped
    assert seen["answers"] == ["bird", "dog", "dog"]
    assert seen["presence"].connected == STUDENTS
    assert seen["exceptions"] == [0] * (STUDENTS + 1)
    assert not tracebacks, tracebacks

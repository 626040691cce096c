"""The live-class watcher (softmax_ui.push): which sessions it wakes, when, and when it lets go.

Without a server: the watcher's round is run by hand with a recording ``wake``. That the woken
fragment really runs in a real Streamlit server is tests/rooms/test_live_across_processes.py
(students whose tabs never fire their timers still follow the teacher).
"""

from __future__ import annotations

import threading

import pytest

from softmax_ui import push


@pytest.fixture(autouse=True)
def no_watcher_thread(monkeypatch):
    running = push._thread
    monkeypatch.setattr(push, "_thread", None)
    if running is not None:  # started by an in-process page test: it ends on its next round
        running.join(timeout=5)
    monkeypatch.setattr(push, "_watch_forever", lambda: None)
    monkeypatch.setattr(push, "_watches", {})
    monkeypatch.setattr(push, "_readers", {})
    monkeypatch.setattr(push, "_running", {})
    monkeypatch.setattr(push, "_stamps", {})
    monkeypatch.setattr(push, "waiting", 0)
    monkeypatch.setattr(push, "_place_freed", threading.Event())


class Room:
    def __init__(self) -> None:
        self.stamps: dict[str, object] = {"ABC": (1, True), "XYZ": (7, True)}
        self.reads: list[str] = []

    def read(self, code: str):
        self.reads.append(code)
        return self.stamps.get(code)


class Waker:
    def __init__(self, alive=True, started=True) -> None:
        self.calls: list[tuple[str, str]] = []
        self.alive, self.started = alive, started

    def __call__(self, session: str, page: str, fragment, done, ended=None) -> bool:
        self.calls.append((session, fragment))
        if self.alive:
            done(self.started)
        return self.alive


def test_a_session_that_saw_the_current_stamp_is_left_alone():
    room = Room()
    push.watch("s1", "view", room.read, "ABC", "frag", (1, True))
    wake = Waker()
    assert push.watch_once(wake) == 0
    assert wake.calls == []


def test_a_change_wakes_every_watching_session_with_one_read_per_room(monkeypatch):
    monkeypatch.setattr(push, "AT_ONCE", 3)
    room = Room()
    for session in ("s1", "s2", "s3"):
        push.watch(session, "view", room.read, "ABC", f"frag-{session}", (1, True))
    push.watch("s4", "view", room.read, "XYZ", "frag-s4", (7, True))
    room.stamps["ABC"] = (2, True)
    wake = Waker()
    assert push.watch_once(wake) == 3
    assert sorted(wake.calls) == [("s1", "frag-s1"), ("s2", "frag-s2"), ("s3", "frag-s3")]
    assert sorted(room.reads) == ["ABC", "XYZ"]


def test_a_woken_session_is_not_woken_again_for_the_same_change_until_the_retry_time(
    monkeypatch,
):
    room, clock = Room(), [100.0]
    monkeypatch.setattr(push.time, "monotonic", lambda: clock[0])
    push.watch("s1", "view", room.read, "ABC", "frag", (1, True))
    room.stamps["ABC"] = (2, True)
    wake = Waker()
    push.watch_once(wake)
    clock[0] += push.RETRY_AFTER / 2
    push.watch_once(wake)
    assert len(wake.calls) == 1
    clock[0] += push.RETRY_AFTER
    push.watch_once(wake)  # its run never reported the new stamp: woken again
    assert len(wake.calls) == 2
    push.watch("s1", "view", room.read, "ABC", "frag", (2, True))  # its run saw it
    clock[0] += 10 * push.RETRY_AFTER
    push.watch_once(wake)
    assert len(wake.calls) == 2


def test_a_session_busy_running_a_script_is_woken_on_the_next_round():
    room = Room()
    push.watch("s1", "view", room.read, "ABC", "frag", (1, True))
    room.stamps["ABC"] = (1, False)
    busy = Waker(started=False)
    push.watch_once(busy)
    push.watch_once(busy)
    assert len(busy.calls) == 2


def test_an_unseen_stamp_wakes_at_once():
    room = Room()
    push.watch("s1", "view", room.read, "ABC", "frag", None)  # read but not applied yet
    wake = Waker()
    assert push.watch_once(wake) == 1


def test_an_ended_class_runs_each_watching_fragment_then_lets_it_go(monkeypatch):
    """Students were told of the class's end at their fragment's next tick, up to 8 s later
    (a tour): the watcher forgot them. It now runs the watched fragment (not the page the
    move would open: the fragment finds no room and says so), again while its run does not
    let the watch go, and at most RETRIES times more."""
    room, clock = Room(), [100.0]
    monkeypatch.setattr(push.time, "monotonic", lambda: clock[0])
    push.watch("s1", "view", room.read, "ABC", "follow", (1, True), "page", whole=True)
    push.watch("s2", "open", room.read, "ABC", "follow-2", True)
    del room.stamps["ABC"]  # the teacher ended the class
    wake = Waker()
    assert push.watch_once(wake) == 2
    assert sorted(wake.calls) == [("s1", "follow"), ("s2", "follow-2")]
    for _round in range(push.RETRIES + 2):
        clock[0] += push.RETRY_AFTER
        push._running.clear()  # (each run over)
        push.watch_once(wake)
    assert len(wake.calls) == 2 * (push.RETRIES + 1)
    assert push.watched() == {}


def test_a_gone_session_or_an_ended_class_is_forgotten():
    room = Room()
    push.watch("gone", "view", room.read, "ABC", "frag", (0, True))
    push.watch("ended", "poll", room.read, "NOPE", "frag", (0, ""))
    push.watch("kept", "view", room.read, "XYZ", "frag", (7, True))
    push.watch_once(Waker(alive=False))
    assert push.watched() == {("kept", "view"): "XYZ"}


def test_topics_are_watched_apart_and_forget_drops_one():
    room = Room()
    polls = {"ABC": (3, "open")}
    push.watch("s1", "view", room.read, "ABC", "follow", (1, True))
    push.watch("s1", "poll", polls.get, "ABC", "question", (2, "open"))
    wake = Waker()
    push.watch_once(wake)
    assert wake.calls == [("s1", "question")]
    push.forget("s1", "poll")
    assert push.watched() == {("s1", "view"): "ABC"}


def test_a_fragmentless_caller_is_not_watched():
    push.watch("s1", "view", Room().read, "ABC", "", (0, True))
    assert push.watched() == {}


def test_a_store_that_fails_wakes_nobody_and_keeps_the_watch():
    def broken(code: str):
        raise OSError("database is locked")

    push.watch("s1", "view", broken, "ABC", "frag", (1, True))
    wake = Waker()
    assert push.watch_once(wake) == 0
    assert push.watched() == {("s1", "view"): "ABC"}


class FakeStorage:
    """The fragments a session holds: key → ids (as ``st.fragment(key=…)`` registers)."""

    def __init__(self, keyed: dict[str, list[str]], ids: set[str]) -> None:
        self.keyed, self.ids = keyed, ids

    def resolve_target(self, keys):
        missing = [k for k in keys if k not in self.keyed]
        if missing:
            raise KeyError(missing)
        return [i for k in keys for i in self.keyed[k]]


class FakeSession:
    """What :func:`push._wake` uses of a Streamlit ``AppSession``."""

    def __init__(self, running: bool = False, runs: bool = False) -> None:
        from streamlit.proto.ClientState_pb2 import ClientState
        from streamlit.runtime.app_session import AppSessionState

        self._state = AppSessionState.APP_NOT_RUNNING
        self._fragment_storage = FakeStorage(
            {"lesson": ["id-lesson"], "share_link": ["id-share"]}, {"follow"}
        )
        self.runners: list = []
        self._scriptrunner = object() if running else None
        self._client_state = ClientState(query_string="z=1,2", page_script_hash="old-page")
        self._client_state.context_info.locale = "fr-FR"
        self._client_state.context_info.url = "http://127.0.0.1:8501/Playground"
        self.requests: list = []
        self._event_loop = self
        self.runs = runs  # a request creates a script runner, as Streamlit's session does

    def call_soon_threadsafe(self, fn) -> None:
        fn()

    def request_rerun(self, client_state) -> None:
        self.requests.append(client_state)
        if self.runs:
            from streamlit.signal_util import Signal

            self._scriptrunner = type("Runner", (), {})()
            self._scriptrunner.on_event = Signal()

    def has_fragment(self, fragment_id: str) -> bool:
        return fragment_id in self._fragment_storage.ids

    def _create_scriptrunner(self, rerun_data) -> None:
        self.runners.append(rerun_data)


@pytest.fixture
def runtime(monkeypatch):
    import streamlit.runtime

    sessions: dict[str, FakeSession] = {}

    class Info:
        def __init__(self, session) -> None:
            self.session = session

    class Manager:
        def get_active_session_info(self, sid):
            return Info(sessions[sid]) if sid in sessions else None

    class FakeRuntime:
        _session_mgr = Manager()

        @staticmethod
        def exists() -> bool:
            return True

        @staticmethod
        def instance():
            return FakeRuntime

    monkeypatch.setattr(streamlit.runtime, "Runtime", FakeRuntime)
    return sessions


def test_a_follower_is_woken_with_a_whole_run_of_its_page_and_its_browser_context(runtime):
    runtime["s1"] = session = FakeSession()
    started = []
    assert push._wake("s1", "drawn-page", push.WHOLE_RUN, started.append)
    assert started == [True]
    (state,) = session.requests
    assert state.page_script_hash == "drawn-page" and state.query_string == "z=1,2"
    assert not state.fragment_id and not state.is_auto_rerun  # a whole run, as on a source change
    assert not state.widget_states.widgets  # no widget changes: nothing is clicked again
    assert state.context_info.locale == "fr-FR"  # the reader's language and the page's address
    assert state.context_info.url == "http://127.0.0.1:8501/Playground"


def test_a_question_panel_is_woken_as_its_fragment_timer_would(runtime):
    runtime["s1"] = session = FakeSession()
    assert push._wake("s1", "drawn-page", "frag-7", lambda started: None)
    (state,) = session.requests
    assert state.fragment_id == "frag-7" and state.is_auto_rerun
    assert state.page_script_hash == "drawn-page"


def test_a_running_or_gone_session_is_not_woken(runtime):
    runtime["busy"] = busy = FakeSession(running=True)
    started = []
    assert push._wake("busy", "page", push.WHOLE_RUN, started.append)
    assert started == [False] and busy.requests == []
    assert not push._wake("gone", "page", push.WHOLE_RUN, started.append)


def test_a_whole_run_wake_that_is_not_seen_is_retried(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(push.time, "monotonic", lambda: clock[0])
    room = Room()
    push.watch("s1", "view", room.read, "ABC", "follow", (0, True), "page", whole=True)
    wake = Waker()
    push.watch_once(wake)  # a whole run of the page
    clock[0] += push.RETRY_AFTER
    push.watch_once(wake)  # its run never reported the stamp: the same again
    assert wake.calls == [("s1", push.WHOLE_RUN), ("s1", push.WHOLE_RUN)]
    room.stamps["ABC"] = (2, True)  # the next move: a whole run again
    clock[0] += 1
    push.watch_once(wake)
    assert wake.calls[-1] == ("s1", push.WHOLE_RUN)


def test_a_move_the_sections_can_show_wakes_the_fragment_and_the_sections_in_one_run(runtime):
    runtime["s1"] = session = FakeSession()
    started = []
    assert push._wake("s1", "drawn-page", ("follow", "lesson", "share_link"), started.append)
    assert started == [True] and session.requests == []
    (run,) = session.runners
    assert run.fragment_id_queue == ["follow", "id-lesson", "id-share"]  # the follow bar first
    assert run.page_script_hash == "drawn-page" and run.query_string == "z=1,2"
    assert run.widget_states is None  # no widget changes: nothing is clicked again
    assert run.context_info.locale == "fr-FR"
    assert run.context_info is not session._client_state.context_info  # a copy


def test_sections_a_whole_run_dropped_are_shown_by_a_whole_run_instead(runtime):
    runtime["s1"] = session = FakeSession()
    assert push._wake("s1", "page", ("follow", "gone-section"), lambda started: None)
    session._fragment_storage.ids.clear()  # the follow fragment itself is gone
    assert push._wake("s1", "page", ("follow", "lesson"), lambda started: None)
    assert session.runners == []
    assert [bool(state.fragment_id) for state in session.requests] == [False, False]


def test_a_plan_chooses_the_sections_run_again_on_a_retry_and_else_a_whole_run(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(push.time, "monotonic", lambda: clock[0])
    room = Room()
    plans = {(2, True): ("lesson", "share_link"), (3, True): None}

    def plan(stamp):
        if stamp == (4, True):
            raise ValueError("a bad stamp")
        return plans[stamp]

    push.watch("s1", "view", room.read, "ABC", "follow", (1, True), "page", whole=True, plan=plan)
    wake = Waker()
    room.stamps["ABC"] = (2, True)
    push.watch_once(wake)
    clock[0] += push.RETRY_AFTER
    push.watch_once(wake)  # that run never reported the stamp: the same run again
    for stamp in ((3, True), (4, True)):  # no sections for it; a plan that fails
        room.stamps["ABC"] = stamp
        clock[0] += 0.2
        push.watch_once(wake)
    assert wake.calls == [
        ("s1", ("follow", "lesson", "share_link")),
        ("s1", ("follow", "lesson", "share_link")),
        ("s1", push.WHOLE_RUN),
        ("s1", push.WHOLE_RUN),
    ]


def test_a_move_to_another_page_is_a_whole_run_of_that_page(runtime):
    runtime["s1"] = session = FakeSession()
    assert push._wake("s1", "drawn-page", push.PageRun("teachers-page"), lambda started: None)
    (state,) = session.requests
    assert state.page_script_hash == "teachers-page" and not state.fragment_id
    assert state.context_info.locale == "fr-FR"  # the browser's context, as for a page switch


def test_a_plan_may_name_another_page_for_the_new_stamp():
    room = Room()
    push.watch(
        "s1",
        "view",
        room.read,
        "ABC",
        "follow",
        (1, True),
        "page",
        whole=True,
        plan=lambda stamp: push.PageRun("other"),
    )
    room.stamps["ABC"] = (2, True)
    wake = Waker()
    push.watch_once(wake)
    assert wake.calls == [("s1", push.PageRun("other"))]


def test_a_session_whose_runs_never_report_the_stamp_is_let_go_after_the_retries(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(push.time, "monotonic", lambda: clock[0])
    room = Room()
    push.watch("s1", "view", room.read, "ABC", "follow", (1, True), "page", whole=True)
    room.stamps["ABC"] = (2, True)
    wake = Waker()
    for _ in range(push.RETRIES + 5):
        push.watch_once(wake)
        clock[0] += push.RETRY_AFTER
    assert len(wake.calls) == 1 + push.RETRIES  # then its fragment's own timer, if any
    room.stamps["ABC"] = (3, True)  # a new stamp: woken again
    push.watch_once(wake)
    assert len(wake.calls) == 2 + push.RETRIES


def three_followers_and_a_move() -> Room:
    """Students s0, s1 and s2 follow room ABC, which then moves (a new stamp)."""
    room = Room()
    for student in ("s0", "s1", "s2"):
        push.watch(student, "view", room.read, "ABC", "follow", (1, True), "page", whole=True)
    room.stamps["ABC"] = (2, True)
    return room


class Runs:
    """Which sessions are running a script (``busy``), and a ``wake`` that starts a run."""

    def __init__(self, takes: bool = True) -> None:
        self.running: set[str] = set()
        self.calls: list[str] = []
        self.ended: dict[str, object] = {}
        self.takes = takes

    def wake(self, session: str, page: str, target, done, ended) -> bool:
        self.calls.append(session)
        self.ended[session] = ended
        if self.takes:  # the session's event loop takes the wake: its run starts
            self.running.add(session)
            done(True)
        return True

    def busy(self, session: str) -> bool:
        return session in self.running


def test_a_move_wakes_a_few_followers_at_a_time_in_order_and_the_rest_as_runs_end():
    room = Room()
    students = [f"s{i}" for i in range(5)]
    for student in students:
        push.watch(student, "view", room.read, "ABC", "follow", (1, True), "page", whole=True)
    room.stamps["ABC"] = (2, True)
    runs = Runs()
    assert push.watch_once(runs.wake, runs.busy) == push.AT_ONCE == 2
    assert runs.calls == ["s0", "s1"] and push.waiting == 3
    assert push.watch_once(runs.wake, runs.busy) == 0  # both still running: nobody else
    runs.running.discard("s0")  # one run ended: its place goes to the next in order
    assert push.watch_once(runs.wake, runs.busy) == 1
    assert runs.calls == ["s0", "s1", "s2"] and push.waiting == 2
    runs.running.clear()
    push.watch_once(runs.wake, runs.busy)
    runs.running.clear()
    push.watch_once(runs.wake, runs.busy)
    assert runs.calls == students and push.waiting == 0  # each woken once, none left
    for student in students:  # their runs report the stamp: nobody is woken again
        push.watch(student, "view", room.read, "ABC", "follow", (2, True), "page", whole=True)
    runs.running.clear()
    assert push.watch_once(runs.wake, runs.busy) == 0


def test_a_wake_its_session_has_not_taken_yet_holds_its_place_for_a_while(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(push.time, "monotonic", lambda: clock[0])
    three_followers_and_a_move()
    runs = Runs(takes=False)  # the event loop has not run the wake: no run to be seen yet
    push.watch_once(runs.wake, runs.busy)
    clock[0] += 0.5
    push.watch_once(runs.wake, runs.busy)
    assert runs.calls == ["s0", "s1"]  # not taken for ended runs
    clock[0] += push.RUN_AT_MOST
    push.watch_once(runs.wake, runs.busy)  # never taken: the places are given up
    assert runs.calls == ["s0", "s1", "s0", "s1"]  # and those wakes tried again, first
    runs.takes = True
    clock[0] += push.RUN_AT_MOST + 0.1
    push.watch_once(runs.wake, runs.busy)
    assert runs.calls[-2:] == ["s0", "s1"]
    runs.running.clear()
    push.watch_once(runs.wake, runs.busy)
    assert runs.calls[-1] == "s2"


def test_a_session_running_a_script_is_left_for_a_later_round_and_holds_no_place():
    three_followers_and_a_move()
    runs = Runs()
    runs.running.add("s0")  # s0's browser keeps it running runs of its own
    push.watch_once(runs.wake, runs.busy)
    assert runs.calls == ["s1", "s2"] and push.waiting == 0
    runs.running.clear()  # its runs are over: woken now (and only now)
    push.watch_once(runs.wake, runs.busy)
    assert runs.calls == ["s1", "s2", "s0"]


def test_busy_is_whether_the_session_runs_a_script(runtime):
    runtime["idle"], runtime["busy"] = FakeSession(), FakeSession(running=True)
    assert not push._busy("idle") and push._busy("busy") and not push._busy("gone")


def test_a_run_that_ends_gives_its_place_to_the_next_at_once():
    three_followers_and_a_move()
    runs = Runs()
    push._place_freed.clear()
    push.watch_once(runs.wake, runs.busy)
    assert runs.calls == ["s0", "s1"]
    runs.ended["s0"]()  # s0's script runner shut down (the session still looks busy)
    assert push._place_freed.is_set()  # the watcher's next round starts now, not in 0.1 s
    push.watch_once(runs.wake, runs.busy, reread=False)
    assert runs.calls == ["s0", "s1", "s2"]


def test_a_round_for_a_freed_place_reuses_the_stamps_just_read():
    room = Room()
    push.watch("s0", "view", room.read, "ABC", "follow", (1, True), "page", whole=True)
    push.watch_once(Runs().wake)
    push.watch_once(Runs().wake, reread=False)
    assert room.reads == ["ABC"]
    push.watch_once(Runs().wake)
    assert room.reads == ["ABC", "ABC"]


def test_a_woken_run_ends_at_its_first_finish_not_at_a_stop_for_a_rerun(runtime):
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunnerEvent

    for finish in (
        ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS,
        ScriptRunnerEvent.SCRIPT_STOPPED_WITH_COMPILE_ERROR,
        ScriptRunnerEvent.FRAGMENT_STOPPED_WITH_SUCCESS,
        ScriptRunnerEvent.SHUTDOWN,
    ):
        runtime["s1"] = session = FakeSession(runs=True)
        ends: list[bool] = []
        end = lambda ends=ends: ends.append(True)  # noqa: E731
        assert push._wake("s1", "page", push.WHOLE_RUN, lambda s: None, end)
        runner = session._scriptrunner
        for event in (
            ScriptRunnerEvent.SCRIPT_STARTED,
            ScriptRunnerEvent.ENQUEUE_FORWARD_MSG,
            ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN,  # e.g. the run switches the page
        ):
            runner.on_event.send(runner, event=event)
        assert ends == []
        runner.on_event.send(runner, event=finish)
        runner.on_event.send(runner, event=ScriptRunnerEvent.SHUTDOWN)  # a second: not heard
        assert len(ends) == 1


def test_a_wake_that_starts_no_run_listens_to_nothing(runtime):
    runtime["busy"] = FakeSession(running=True)
    ends: list[bool] = []
    assert push._wake("busy", "page", push.WHOLE_RUN, lambda s: None, lambda: ends.append(True))
    push._on_end(None, lambda: ends.append(True))
    assert ends == []

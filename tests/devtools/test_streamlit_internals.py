"""Streamlit's non-public parts that the tools rely on (devtools/streamlit_internals.py).

When a Streamlit upgrade changes one of them, a test here fails and names it, instead of a
benchmark or the warm-up of a classroom deployment failing later without saying why.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from devtools import streamlit_internals as internals
from devtools.pages import page_by_name
from devtools.server import AppServer


def test_every_protocol_field_the_tools_use_exists():
    problems = internals.protocol_problems()
    assert not problems, (
        "Streamlit's websocket protocol changed; update devtools/streamlit_internals.py:\n"
        + "\n".join(problems)
    )


def test_the_protocol_check_names_a_missing_field(monkeypatch):
    monkeypatch.setattr(
        internals,
        "PROTOCOL_FIELDS",
        ("BackMsg.rerun_script.page_name", "BackMsg.rerun_script.gone", "ForwardMsg.hash.x"),
    )
    assert internals.protocol_problems() == [
        "BackMsg.rerun_script.gone: BackMsg.rerun_script has no field 'gone'",
        "ForwardMsg.hash.x: 'hash' is no longer a message",
    ]


def _widget_delta(kind: str, key: str, **fields) -> ForwardMsg:
    msg = ForwardMsg()
    proto = getattr(msg.delta.new_element, kind)
    proto.id = f"$$ID-0123456789abcdef-{key}"
    for name, value in fields.items():
        if isinstance(value, list):
            getattr(proto, name).extend(value)
        else:
            setattr(proto, name, value)
    return msg


def test_widget_book_learns_ids_values_and_builds_the_browser_message():
    book = internals.WidgetBook()
    book.learn(
        _widget_delta(
            "number_input",
            "w:z0",
            value=2.0,
            set_value=True,
            step=0.1,
            data_type=1,  # FLOAT
        )
    )
    book.learn(
        _widget_delta(
            "slider", "w:T_slider", min=0.05, max=5.0, step=0.05, value=[1.0], set_value=True
        )
    )
    text = ForwardMsg()
    text.delta.new_element.markdown.body = "not a widget"
    book.learn(text)
    assert len(book.widgets) == 2
    slider = book.pick()
    assert slider is not None and slider.key == "w:T_slider"
    assert slider.current() == [1.0]
    values = [slider.next_value(i)[0] for i in range(1, 40)]
    assert all(0.05 <= v <= 5.0 for v in values) and len(set(values)) > 5
    assert all(abs(round(v / 0.05) * 0.05 - v) < 1e-9 for v in values)  # on the step grid
    for offset in (-16, 7, 200):  # moved by whole steps, never out of the slider's range
        moved = [slider.next_value(i, offset)[0] for i in range(1, 40)]
        assert all(0.05 <= v <= 5.0 for v in moved)
        assert all(abs(round(v / 0.05) * 0.05 - v) < 1e-9 for v in moved)
    shifted = [slider.next_value(i, 7)[0] for i in range(1, 40)]
    assert all(abs(b - a - 0.35) < 1e-9 for a, b in zip(values, shifted, strict=True))

    raw = internals.rerun_msg(
        page_name="Playground",
        page_hash="abc",
        widgets=[slider.state([2.5]), book.by_key("w:z0").state()],
        cached_hashes=["h1"],
    )
    back = BackMsg()
    back.ParseFromString(raw)
    rerun = back.rerun_script
    assert (rerun.page_name, rerun.page_script_hash, list(rerun.cached_message_hashes)) == (
        "Playground",
        "abc",
        ["h1"],
    )
    states = {w.id.rsplit("-", 1)[-1]: w for w in rerun.widget_states.widgets}
    assert list(states["w:T_slider"].double_array_value.data) == [2.5]
    assert states["w:z0"].double_value == 2.0


def test_the_script_runner_hook_wraps_every_script_body():
    calls = []

    def wrapper(run):
        calls.append("before")
        try:
            return run()
        finally:
            calls.append("after")

    at = AppTest.from_string("import streamlit as st\nst.markdown('ran')")
    with internals.script_runs_wrapped(wrapper):
        at.run()
        at.run()
    assert calls == ["before", "after"] * 2, (
        "Streamlit's script runner no longer calls exec_func_with_error_handling per run; "
        "update script_runs_wrapped in devtools/streamlit_internals.py"
    )
    assert [m.value for m in at.markdown] == ["ran"]
    at.run()  # the hook is gone after the block
    assert len(calls) == 4


@pytest.mark.parametrize(
    ("file", "url_path"),
    [("1_Playground.py", "Playground"), ("10 Two  words.py", "Two_words"), ("Quiz.py", "Quiz")],
)
def test_legacy_page_names(file, url_path):
    assert internals.legacy_url_path(Path("pages") / file) == url_path


def test_a_simulated_tab_talks_to_the_real_server():
    """The whole protocol, end to end: open Playground, move the temperature slider, and the
    server answers with that value in the slider it sends back."""

    async def visit(url: str) -> tuple:
        session = internals.Session(url, page_by_name("Playground"), timeout=60)
        await session.connect()
        try:
            first = await session.first_run()
            before = session.book.by_key("w:T_slider").current()
            moved = await session.interact("w:T_slider")
            sent = session.changed.current()
            after = session.book.by_key("w:T_slider").current()
            number = session.book.by_key("w:T_number").current()
            whole = await session.whole_run()  # nothing changed: every element drawn again
            kept = session.book.by_key("w:T_slider").current()
            return first, moved, before, sent, after, number, whole, kept
        finally:
            await session.close()

    with AppServer(name="streamlit-protocol") as server:
        # Its own thread: the browser suite's session-wide Playwright keeps an event loop running
        # in the main thread, where asyncio.run() refuses to start a second one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            result = pool.submit(asyncio.run, visit(server.url)).result()
        first, moved, before, sent, after, number, whole, kept = result
    assert first.ok and moved.ok and whole.ok, (first, moved, whole)
    assert first.messages > 10 and moved.bytes_received > 0
    assert before == [1.0]
    assert after == sent != before
    assert [number] == sent  # the paired number input follows the slider
    assert whole.messages > moved.messages  # a whole run, not the sections that show T
    assert kept == sent  # and it changed nothing


def test_the_names_the_live_push_uses_still_exist():
    """softmax_ui.push wakes a session's fragment with Streamlit's runtime objects."""
    import inspect

    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner_utils.script_run_context import (
        FragmentThreadState,
        ThreadState,
    )
    from streamlit.runtime.session_manager import SessionManager

    assert callable(Runtime.instance) and callable(Runtime.exists)
    assert "self._session_mgr" in inspect.getsource(Runtime.__init__)
    assert callable(SessionManager.get_active_session_info)
    init = inspect.getsource(AppSession.__init__)
    for name in ("self._scriptrunner", "self._client_state", "self._event_loop"):
        assert name in init, f"AppSession no longer sets {name}"
    assert list(inspect.signature(AppSession.request_rerun).parameters) == [
        "self",
        "client_state",
    ]
    for name in (
        "query_string",
        "page_script_hash",
        "fragment_id",
        "is_auto_rerun",
        "context_info",
    ):
        assert name in ClientState.DESCRIPTOR.fields_by_name, f"ClientState has no {name}"
    assert callable(ThreadState.get)
    assert "fragment_id" in FragmentThreadState.__dataclass_fields__
    # Several fragments in one run (a following student's move shown by the page's sections).
    from streamlit.runtime.app_session import AppSessionState
    from streamlit.runtime.fragment import FragmentStorage
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    for name in ("self._fragment_storage", "self._state"):
        assert name in init, f"AppSession no longer sets {name}"
    assert list(inspect.signature(AppSession._create_scriptrunner).parameters) == [
        "self",
        "initial_rerun_data",
    ]
    assert "self._create_scriptrunner(rerun_data)" in inspect.getsource(AppSession.request_rerun)
    assert callable(AppSession.has_fragment) and AppSessionState.SHUTDOWN_REQUESTED
    assert callable(FragmentStorage.resolve_target)
    assert "fragment_storage" in ScriptRunContext.__dataclass_fields__
    for name in (
        "query_string",
        "page_script_hash",
        "fragment_id_queue",
        "is_auto_rerun",
        "context_info",
        "is_fragment_scoped_rerun",
    ):
        assert name in RerunData.__dataclass_fields__, f"RerunData has no {name}"
    # A page's script hash from its path, as st.switch_page finds it (live.page_hashes).
    from streamlit.runtime.pages_manager import PagesManager

    assert callable(PagesManager.get_pages)
    # A queued run of another page's fragments is skipped (push.drop_ticks_of_other_pages):
    # the script thread takes each request to ScriptRunner._run_script, and the page of the
    # last run is the one the pages manager resolved.
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    assert list(inspect.signature(ScriptRunner._run_script).parameters) == ["self", "rerun_data"]
    # ... and what the browser sent with a skipped run is read by its widgets' keys
    # (live.record_late_answers): a keyed widget's id ends with its key.
    from streamlit.elements.lib.utils import (
        compute_and_register_element_id,
        user_key_from_element_id,
    )

    assert user_key_from_element_id("$$ID-0123abcd-live:answer:ABCDEF:3") == (
        "live:answer:ABCDEF:3"
    )
    assert callable(compute_and_register_element_id)
    # A whole run says the page the browser's address bar was on (live.browser_page): the
    # request's context and whether it came from Back or Forward.
    assert "context_info" in ScriptRunContext.__dataclass_fields__
    assert "is_history_navigation" in ScriptRunContext.__dataclass_fields__
    from streamlit.proto.ClientState_pb2 import ContextInfo

    assert "url" in ContextInfo.DESCRIPTOR.fields_by_name
    # The end of a woken run frees its place (push._on_end): the runner the session has just
    # created sends its stop events on its on_event signal.
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunnerEvent

    assert "self.on_event = Signal()" in inspect.getsource(ScriptRunner.__init__)
    runner = inspect.getsource(ScriptRunner)
    for name in (
        "SCRIPT_STOPPED_WITH_SUCCESS",
        "SCRIPT_STOPPED_FOR_RERUN",
        "SCRIPT_STOPPED_WITH_COMPILE_ERROR",
        "FRAGMENT_STOPPED_WITH_SUCCESS",
        "SHUTDOWN",
    ):
        assert hasattr(ScriptRunnerEvent, name), f"ScriptRunnerEvent has no {name}"
        assert f"ScriptRunnerEvent.{name}" in runner, f"ScriptRunner no longer sends {name}"
    created = inspect.getsource(AppSession._create_scriptrunner)
    assert "self._scriptrunner = ScriptRunner(" in created
    thread = inspect.getsource(ScriptRunner._run_script_thread)
    assert "self._run_script(request.rerun_data)" in thread
    assert "self._pages_manager = pages_manager" in inspect.getsource(ScriptRunner.__init__)
    assert isinstance(PagesManager.current_page_script_hash, property)
    for name in ("main_script_path", "pages_manager"):
        assert name in ScriptRunContext.__dataclass_fields__, f"ScriptRunContext has no {name}"
    from streamlit.commands import execution_control

    assert 'p["script_path"] == requested_page' in inspect.getsource(execution_control)


def test_the_names_the_press_count_uses_still_exist():
    """softmax_ui.session.presses_in_this_request reads the request's widget states that
    Streamlit keeps while the callbacks run."""
    import inspect

    from streamlit.runtime.state.safe_session_state import SafeSessionState
    from streamlit.runtime.state.session_state import SessionState

    assert "_state" in SafeSessionState.__annotations__
    assert "_current_interaction_widget_states" in SessionState.__dataclass_fields__
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    from softmax_ui.session import TRIGGERS

    source = inspect.getsource(SessionState.on_script_will_rerun)
    kept = source.find("self._current_interaction_widget_states = fresh_widget_states")
    assert 0 <= kept < source.find("self._call_callbacks("), "kept before the callbacks run"
    value = WidgetState.DESCRIPTOR.oneofs_by_name["value"]
    assert TRIGGERS.issubset(field.name for field in value.fields)

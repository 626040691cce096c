"""This session's own values (not widgets' values), kept under one key of ``st.session_state``.

Streamlit reads every key of ``st.session_state`` each time a page draws a text box, a
number box, a slider, a select box or a radio (``SessionState.filtered_state``, once per
widget, in Streamlit 1.67). The app's own values — the lesson state, which sections were
drawn, the live class's identity, the quiz round — were some twenty keys of their own, and
every widget of every run paid for each of them. Under one key they cost one entry: a whole
run of a lesson takes 14–21 % less server CPU (docs/benchmarks.md, "Live class").

Widgets' values stay in ``st.session_state`` under their own keys: Streamlit owns those.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

T = TypeVar("T")

KEY = "softmax"
"""The one key of ``st.session_state`` the app's own values live under."""


def memory() -> dict[str, Any]:
    """This session's own values (a dict that lives as long as the session).

    >>> from streamlit.testing.v1 import AppTest
    >>> at = AppTest.from_string(
    ...     "from softmax_ui.memory import memory\\n"
    ...     "memory()['runs'] = memory().get('runs', 0) + 1"
    ... )
    >>> at.run().run().session_state["softmax"]["runs"]
    2
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return st.session_state.setdefault(KEY, {})
    # A run asks ~200 times, and the session state's lock costs more than the lookup.
    return per_run(ctx, "_softmax_memory", lambda: st.session_state.setdefault(KEY, {}))


def per_run(ctx: Any, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time this run of ``ctx`` (a ``ScriptRunContext``) asks for
    ``name``; the same value for the rest of the run.

    ``ctx.cursors`` is a new dict every run, and the one kept with the value stays alive, so
    no later run can match it by accident.
    """
    cached = getattr(ctx, name, None)
    if cached is not None and cached[0] is ctx.cursors:
        return cached[1]
    value = compute()
    set_for_run(ctx, name, value)
    return value


def set_for_run(ctx: Any, name: str, value: object) -> None:
    """Make ``value`` what :func:`per_run` gives for ``name`` for the rest of this run."""
    setattr(ctx, name, (ctx.cursors, value))

"""The one place where the lesson state meets Streamlit: session, widgets and URL.

* The state lives in ``st.session_state`` under one key, so it survives page
  switches (widget values do not: Streamlit drops them when a page is left).
* On a session's first run it is read from the URL, so a shared link (or a
  deep link opened as the first request after a server start) shows that state.
* Widgets are *bound* to it (:func:`bound`): a widget shows the state, a change
  is validated by :class:`~softmax_ui.state.LessonState`; a valid change becomes
  the new state, an invalid one leaves the state alone and shows a message next
  to the widget.
* Every run writes the state back to the URL, so the address bar is always a
  link to exactly what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

import streamlit as st

from softmax_ui.state import LessonState, from_query, to_query
from softmax_ui.text import markdown_safe

STATE = "lesson_state"
ERRORS = "lesson_errors"
URL_PROBLEMS = "lesson_url_problems"
DROPPED = "lesson_dropped_widget_values"
WIDGET_PREFIX = "w:"

WidgetValue = TypeVar("WidgetValue")


def current() -> LessonState:
    """The session's lesson state, read from the URL on the session's first run."""
    if STATE not in st.session_state:
        state, problems = from_query(st.query_params.to_dict())
        st.session_state[STATE] = state
        st.session_state[URL_PROBLEMS] = problems
        st.session_state[ERRORS] = {}
    return st.session_state[STATE]


def commit(state: LessonState, *, keep: str | None = None) -> None:
    """Make ``state`` current and let every bound widget (but ``keep``) show it afresh."""
    st.session_state[STATE] = state
    st.session_state[ERRORS] = {}
    dropped = {}
    for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIX)]:
        if key != keep:
            dropped[key] = st.session_state[key]
            del st.session_state[key]
    # Kept for the callbacks still to come in this rerun: when two controls changed at once,
    # the second one's value is read from here (see _on_change).
    st.session_state[DROPPED] = st.session_state.get(DROPPED, {}) | dropped


def update(**changes: Any) -> LessonState:
    """Apply ``changes`` to the state from page code (e.g. a button); returns the new state."""
    state = current().replace(**changes)
    commit(state)
    return state


def _on_change(key: str, put: Callable[[LessonState, Any], LessonState], keep: bool) -> None:
    if key in st.session_state:
        value = st.session_state[key]
    elif key in st.session_state.get(DROPPED, {}):
        # Two widgets changed in one rerun: the first one's commit dropped this widget's key,
        # and with it the new value, which this change applies on top of the first.
        value = st.session_state[DROPPED][key]
    else:
        return
    try:
        state = put(current(), value)
    except ValueError as err:
        st.session_state[ERRORS] = {key: str(err)}
        return
    commit(state, keep=key if keep else None)


def bound(
    widget: Callable[..., WidgetValue],
    key: str,
    label: str,
    *,
    get: Callable[[LessonState], Any],
    put: Callable[[LessonState, Any], LessonState],
    keep_after_change: bool = True,
    **kwargs: Any,
) -> WidgetValue:
    """Render ``widget`` showing ``get(state)``; a change goes through ``put(state, value)``.

    ``put`` raises :class:`ValueError` for a bad value: the state then stays as it
    was and the message is shown under the widget until the next valid change.
    """
    key = WIDGET_PREFIX + key
    if key not in st.session_state:
        st.session_state[key] = get(current())
    value = widget(
        label, key=key, on_change=_on_change, args=(key, put, keep_after_change), **kwargs
    )
    error = st.session_state.get(ERRORS, {}).get(key)
    if error:
        st.error(markdown_safe(error), icon=":material/error:")
    return value


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


def sync_url(state: LessonState, extra: Mapping[str, str] | None = None) -> None:
    """Write ``state`` into the address bar (only when it differs, to spare messages), with
    ``extra`` parameters that are not lesson state (the live class's room and member)."""
    query = to_query(state) | dict(extra or {})
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def share_url(state: LessonState) -> str:
    """A link that opens the current page with exactly ``state``."""
    base = st.context.url or ""
    return f"{base}?{urlencode(to_query(state), safe=',')}"


def url_problems() -> list[str]:
    """Problems found in the link this session started from (shown once per page)."""
    return list(st.session_state.get(URL_PROBLEMS, []))

"""devtools.browser.Watch: what it counts as a fault of the page."""

from types import SimpleNamespace

from devtools.browser import Watch


def message(kind: str, text: str) -> SimpleNamespace:
    return SimpleNamespace(type=kind, text=text, location={"url": "http://127.0.0.1:1/x.js"})


def test_console_errors_and_plotly_warnings_are_problems_other_messages_are_not() -> None:
    watch = Watch()
    watch._on_console(
        message("trace", 'WARN: Invalid color specifier: Array(3). Defaulting to "#000"')
    )
    watch._on_console(message("error", "TypeError: x is undefined"))
    watch._on_console(message("log", "a log line"))
    watch._on_console(message("warning", "a browser warning"))
    problems = watch.problems()
    assert len(problems) == 2
    assert problems[0].startswith("Plotly warning: WARN: Invalid color specifier")
    assert problems[1].startswith("JavaScript console error: TypeError")

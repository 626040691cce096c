"""Run page scripts with Streamlit's AppTest and read what they show."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

from softmax_ui import catalog
from tests.figure_data import trace_values

# Property tests check facts, never time (timing is the benchmarks'): Hypothesis's default
# 200-ms deadline per example failed test_winner_as_T_goes_to_0_is_the_largest_logit_or_a_tie
# on a machine busy with a browser beside the tests. Loaded as the tests here are collected,
# the profile holds for the tests that run after it; a ``@settings(...)`` made at an earlier
# import keeps the defaults of then, so every one elsewhere names ``deadline=None`` itself.
# (Not in a tests/conftest.py:
# collected for its doctests, it clashed with tests/browser/conftest.py, CI run 106.)
settings.register_profile("softmax", deadline=None)
settings.load_profile("softmax")

ROOT = Path(__file__).resolve().parents[2]
HOME = catalog.HOME.path
PLAYGROUND = catalog.PLAYGROUND.path
VERSUS = catalog.VERSUS.path
NAIVE = catalog.NAIVE.path
TEMPERATURE = catalog.TEMPERATURE.path
GRADIENTS = catalog.GRADIENTS.path
CALIBRATION = catalog.CALIBRATION.path
QUIZ = catalog.QUIZ.path
WORKSHOP = catalog.WORKSHOP.path
LIVE = catalog.LIVE.path
LESSON_PAGES = [PLAYGROUND, VERSUS, NAIVE, TEMPERATURE, GRADIENTS]
"""Pages whose first chart is softmax(z/T) of the shared logits, with the shared editor."""
ALL_PAGES = [page.path for page in catalog.PAGES]
"""Every page in the catalog: a new lesson is tested here as soon as it is in the table."""


def open_page(path: str, query: dict[str, str] | None = None) -> AppTest:
    """Run ``path`` as the first request of a new session, with ``query`` in the URL."""
    at = AppTest.from_file(str(ROOT / HOME), default_timeout=30)
    at.query_params.update(query or {})
    if path != HOME:
        at.switch_page(path)
    return at.run()


def open_every_tab(path: str, query: dict[str, str] | None = None) -> list[AppTest]:
    """``path`` opened once per tab of its further pictures (only the open tab is drawn,
    ``catalog.Page.tabs``), with ``query``; once for a page without tabs."""
    page = next(page for page in catalog.PAGES if page.path == path)
    query = query or {}
    return [open_page(path, query | ({"tab": tab} if tab else {})) for tab in page.tabs or ("",)]


def build_every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Have the pages build every figure afresh, not take it from the figures shared between
    sessions (softmax_ui.shared_figures): for a test that counts builds, or that compares a
    shared view with an unshared one. Pages import ``shared`` on every run; ``pictures``
    holds the one it imported."""
    import softmax_ui.pictures
    import softmax_ui.shared_figures

    def unshared(build, *args, **kwargs):
        return build(*args, **kwargs)

    for holder in (softmax_ui.shared_figures, softmax_ui.pictures):
        monkeypatch.setattr(holder, "shared", unshared)


def assert_healthy(at: AppTest) -> None:
    """No traceback on the page."""
    assert not at.exception, [e.message for e in at.exception]


def chart_values(at: AppTest, index: int = 0, trace: int = 0) -> np.ndarray:
    return trace_values(at.get("plotly_chart")[index].proto.spec, trace)


def _cells(line: str) -> list[str]:
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [re.sub(r"\\(.)", r"\1", part.strip()) for part in parts]


def markdown_tables(at: AppTest) -> list[dict[str, list[str]]]:
    """Every Markdown table on the page (softmax_ui.tables.markdown_table), column by column,
    cells as the reader sees them (Markdown escapes removed)."""
    tables = []
    for element in at.markdown:
        lines = [ln for ln in element.value.splitlines() if ln.startswith("|")]
        if len(lines) < 2 or not set(lines[1]) <= set("|:- "):
            continue
        header, rows = _cells(lines[0]), [_cells(ln) for ln in lines[2:]]
        tables.append({name: [row[i] for row in rows] for i, name in enumerate(header)})
    return tables


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


@pytest.fixture
def page():
    return open_page

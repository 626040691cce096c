"""The floor app's pages 4 and 5 (benchmarks/floor) draw the very charts a lesson draws, so
that bench_latency measures the framework's floor for a lesson's picture (docs/benchmarks.md,
issue 14)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import PLAYGROUND, ROOT, TEMPERATURE, assert_healthy, open_page

FLOOR = ROOT / "benchmarks" / "floor"


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def open_floor(script: str, monkeypatch: pytest.MonkeyPatch, T: float | None = None) -> AppTest:
    monkeypatch.syspath_prepend(str(FLOOR))  # floor_options and lesson_charts, as its server
    at = AppTest.from_file(str(FLOOR / script), default_timeout=30).run()
    if T is not None:
        at.slider(key="w:T_slider").set_value(T).run()
    assert_healthy(at)
    return at


@pytest.mark.parametrize(
    ("script", "lesson", "charts"),
    [("pages/4_Our_main_chart.py", PLAYGROUND, 1), ("pages/5_Our_three_charts.py", TEMPERATURE, 3)],
)
@pytest.mark.parametrize("T", [None, 0.05, 2.5, 20.0])
def test_the_floor_draws_a_lessons_own_charts_and_nothing_else(
    monkeypatch, script, lesson, charts, T
):
    floor = open_floor(script, monkeypatch, T)
    drawn = figures(floor)
    assert len(drawn) == charts
    # the lesson at the same temperature: its first charts are the floor's, in order
    lesson_at = open_page(lesson, {} if T is None else {"T": str(T)})
    assert drawn == figures(lesson_at)[:charts]
    # and nothing but a title and the slider besides
    assert len(floor.markdown) == 0 and len(floor.metric) == 0 and len(floor.slider) == 1


def test_the_floors_two_fragments_redraw_the_chart_at_a_change_of_the_slider(monkeypatch):
    at = open_floor("pages/6_Two_fragments.py", monkeypatch)
    assert figures(at)[0]["data"][0]["y"][2] == pytest.approx(0.099)
    at = open_floor("pages/6_Two_fragments.py", monkeypatch, T=2.0)
    assert len(figures(at)) == 1
    assert figures(at)[0]["data"][0]["y"][2] == pytest.approx(0.198)

"""The floor app's pages 4 to 11 (benchmarks/floor): pages 4, 5 and 7 to 10 draw the very
charts a lesson draws, so that bench_latency measures the framework's floor for each lesson's
pictures; page 6 reruns two fragments from a slider's callback, as a lesson's keypress does;
page 11 holds a still copy of the Playground's elements around page 4's chart, which a
keypress redraws alone (docs/benchmarks.md, issue 14)."""

from __future__ import annotations

import json
import sys
from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from tests.ui.conftest import (
    CALIBRATION,
    GRADIENTS,
    NAIVE,
    PLAYGROUND,
    ROOT,
    TEMPERATURE,
    VERSUS,
    assert_healthy,
    open_page,
)

FLOOR = ROOT / "benchmarks" / "floor"


@pytest.fixture
def floor_path(monkeypatch: pytest.MonkeyPatch):
    """The floor app's folder on the import path, as its server has it, and its modules
    forgotten afterwards (their generic names must not stand in for others later)."""
    monkeypatch.syspath_prepend(str(FLOOR))
    yield
    for name in ("floor_options", "lesson_charts"):
        sys.modules.pop(name, None)


def charts(at: AppTest) -> list[tuple[dict, str, str]]:
    """Each chart's figure, theme and options, as sent to the browser."""
    return [
        (json.loads(c.proto.spec), c.proto.theme, c.proto.config) for c in at.get("plotly_chart")
    ]


def open_floor(script: str, T: float | None = None) -> AppTest:
    at = AppTest.from_file(str(FLOOR / script), default_timeout=30).run()
    if T is not None:
        at.slider(key="w:T_slider").set_value(T).run()
    assert_healthy(at)
    return at


@pytest.mark.usefixtures("floor_path")
@pytest.mark.parametrize(
    ("script", "lesson", "count"),
    [
        ("pages/4_Lesson_main_chart.py", PLAYGROUND, 1),
        ("pages/5_Temperature_three_charts.py", TEMPERATURE, 3),
        ("pages/7_Versus_chart.py", VERSUS, 1),
        ("pages/8_Naive_three_charts.py", NAIVE, 3),
        ("pages/9_Gradients_two_charts.py", GRADIENTS, 2),
    ],
)
@pytest.mark.parametrize("T", [None, 0.05, 2.5, 5.0])
def test_the_floor_draws_a_lessons_own_charts_alone(script, lesson, count, T):
    floor = open_floor(script, T)
    drawn = charts(floor)
    assert len(drawn) == count
    # the lesson at the same temperature: its first charts are the floor's, in order, with
    # the same theme and options
    lesson_at = open_page(lesson, {} if T is None else {"T": str(T)})
    assert drawn == charts(lesson_at)[:count]
    # each under the lesson's title (page.chart), and nothing else but the slider
    assert len(floor.get("html")) == count
    assert len(floor.slider) == 1
    assert len(floor.number_input) == 0
    assert len(floor.metric) == 0
    assert len(floor.markdown) == 0
    assert len(floor.caption) == 0


@pytest.mark.usefixtures("floor_path")
@pytest.mark.parametrize("classes", [None, 3, 7, 10])
def test_the_floor_draws_calibrations_chart_alone(classes):
    floor = AppTest.from_file(str(FLOOR / "pages/10_Calibration_chart.py"), default_timeout=30)
    floor.run()
    if classes is not None:
        floor.slider(key="w:calib_classes").set_value(classes).run()
    assert_healthy(floor)
    lesson_at = open_page(CALIBRATION, {} if classes is None else {"calib_classes": str(classes)})
    assert charts(floor) == charts(lesson_at)
    assert len(floor.get("html")) == 1
    assert [s.label for s in floor.slider] == ["Number of classes"]
    assert len(floor.metric) == len(floor.markdown) == 0


@pytest.mark.usefixtures("floor_path")
def test_the_floors_two_fragments_rerun_both_from_the_sliders_callback():
    at = open_floor("pages/6_Two_fragments.py")
    assert charts(at)[0][0]["data"][0]["y"][2] == pytest.approx(0.099)
    at.slider(key="w:T_slider").set_value(2.0).run()
    assert_healthy(at)
    assert charts(at)[0][0]["data"][0]["y"][2] == pytest.approx(0.198)
    # only the two fragments ran (the callback's rerun took the place of a whole run):
    # AppTest keeps the elements of the fragments that ran, and the title is in neither
    assert len(at.title) == 0
    assert len(at.slider) == 1


def element_kinds(block: Block) -> Counter:
    """How many elements and containers of each kind ``block`` holds, at any depth."""
    kinds: Counter = Counter()
    for child in block.children.values():
        if isinstance(child, Block):
            kinds[f"container: {child.type}"] += 1
            kinds += element_kinds(child)
        else:
            kinds[child.type] += 1
    return kinds


def still_values(at: AppTest) -> list[object]:
    """What page 11's still elements say and hold, in page order."""
    return [
        getattr(e, "value", None)
        for part in (at.sidebar, at.main)
        for e in part
        if e.type not in ("plotly_chart", "html") and getattr(e, "key", None) != "w:T_slider"
    ]


@pytest.mark.usefixtures("floor_path")
def test_the_floors_still_elements_are_the_playgrounds_and_a_keypress_sends_none_of_them():
    """Page 11 measures what the elements a keypress leaves alone cost: it holds what the
    Playground holds, kind by kind (elements and containers, in the sidebar and in the main
    area, at most two more), and its slider, named as the lessons' temperature slider that
    bench_latency presses, reruns its fragment and the chart's, leaving the rest as it was."""
    floor = AppTest.from_file(str(FLOOR / "app.py"), default_timeout=30)
    floor.switch_page("pages/11_Still_elements.py")
    floor.run()
    assert_healthy(floor)
    lesson = open_page(PLAYGROUND, {})
    assert_healthy(lesson)
    for part, least in (("sidebar", 18), ("main", 50)):
        theirs, ours = element_kinds(getattr(lesson, part)), element_kinds(getattr(floor, part))
        assert sum(theirs.values()) >= least, (part, theirs)  # the Playground is all there
        assert all(ours[kind] >= n for kind, n in theirs.items()), (part, theirs, ours)
        assert sum(ours.values()) - sum(theirs.values()) <= 2, (part, theirs, ours)
    assert floor.slider(key="w:T_slider").label == "Temperature T"
    before = [charts(floor)[0][0]["data"][0]["y"], still_values(floor)]
    assert "metric" in element_kinds(floor.main) and len(before[1]) > 40

    floor.slider(key="w:T_slider").set_value(2.0).run()

    assert_healthy(floor)
    assert charts(floor)[0][0]["data"][0]["y"] != before[0]
    # AppTest keeps the elements of the fragments that ran: the slider and its still number
    # box, the chart and its title; the rest was neither run nor sent
    ran = element_kinds(floor.main)
    assert {k: n for k, n in ran.items() if not k.startswith("container")} == {
        "slider": 1,
        "number_input": 1,
        "html": 1,
        "plotly_chart": 1,
    }
    assert not floor.sidebar.children
    floor.run()  # a whole run: every still element as it was
    assert still_values(floor) == before[1]

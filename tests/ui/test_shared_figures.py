"""Figures built once and shared by every session that shows the same view
(softmax_ui.shared_figures): what the browser receives is what building the figure anew would
send, a figure is found again only for equal settings in the same language, and a second
session showing a view builds none of its figures."""

from __future__ import annotations

import copy
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_
from streamlit.testing.v1 import AppTest

import softmax_ui.figures_temperature
from softmax_core import entropy, softmax
from softmax_ui import catalog, shared_figures
from softmax_ui.figures import align, naive_and_stable_charts, probability_bars
from softmax_ui.figures_temperature import (
    entropy_vs_temperature,
    probability_vs_temperature,
    sweep_charts,
    sweep_temperatures,
)
from softmax_ui.i18n import _, language
from softmax_ui.shared_figures import SharedFigure, _key, chart_title, shared
from tests.ui.conftest import NAIVE, TEMPERATURE, assert_healthy, build_every_figure, open_page

SETTINGS = {"z": "2,1,0.1", "labels": "dog,cat,bird", "T": "0.5", "seed": "3"}


@pytest.fixture(autouse=True)
def _empty_cache():
    shared_figures.clear()
    yield
    shared_figures.clear()


def test_the_browser_receives_what_the_figure_itself_would_send():
    """st.plotly_chart's spec of a SharedFigure is byte for byte the figure's own."""

    def script():
        import plotly.graph_objects as go
        import streamlit as st

        from softmax_ui.shared_figures import SharedFigure

        fig = go.Figure(
            go.Bar(x=["a", "b"], y=[0.25, 0.75], marker={"color": ["#0072B2", "#D55E00"]}),
            layout={"title": {"text": "<b>p</b> &amp; q"}, "height": 300},
        )
        st.plotly_chart(fig, theme=None, key="own")
        st.plotly_chart(SharedFigure(fig), theme=None, key="shared")

    at = AppTest.from_function(script).run()
    assert_healthy(at)
    own, frozen = (chart.proto.spec for chart in at.get("plotly_chart"))
    assert frozen == own


def test_a_shared_figure_keeps_its_title_and_refuses_changes():
    fig = probability_bars(["a", "b"], np.array([0.4, 0.6]), title="x &lt; y<br>z", winners=[1])
    frozen = SharedFigure(fig)
    assert frozen.title == chart_title(fig) == "x < y z"
    assert frozen.to_dict() == fig.to_dict()
    with pytest.raises(AttributeError, match="shared between sessions"):
        frozen.layout = {}
    with pytest.raises(AttributeError, match="no traces"):
        frozen.data  # noqa: B018 (no traces to change: only its JSON)
    with pytest.raises(AttributeError, match="no layout"):
        frozen.layout  # noqa: B018


def test_equal_settings_in_the_same_language_find_the_same_figure():
    p, bars = np.array([0.7, 0.2, 0.1]), probability_bars
    first = shared(bars, ("a", "b", "c"), p, title="t", winners=[0], font_size=16)
    again = shared(bars, ["a", "b", "c"], p.copy(), title="t", winners=[0], font_size=16)
    assert again is first
    for other in (
        shared(probability_bars, ("a", "b", "d"), p, title="t", winners=[0], font_size=16),
        shared(probability_bars, ("a", "b", "c"), p, title="t", winners=[0], font_size=24),
        shared(probability_bars, ("a", "b", "c"), p[::-1], title="t", winners=[0], font_size=16),
    ):
        assert other is not first
    with language("es"):
        spanish = shared(probability_bars, ("a", "b", "c"), p, title="t", winners=[0], font_size=16)
    assert spanish is not first


def test_keys_tell_apart_what_a_figure_could_show_differently():
    assert _key(0.0) != _key(-0.0)  # "-0" and "0"
    assert _key(1) != _key(1.0) and _key(1) != _key(True) and _key(1.0) != _key(True)
    assert _key(np.float32(0.1)) != _key(float(np.float32(0.1)))  # prints 0.1, not 0.10000…
    assert _key(np.bool_(True)) == _key(True)
    assert _key(np.array([1.0])) != _key(np.array([1.0], dtype=np.float32))
    assert _key(np.array([[1.0, 2.0]])) != _key(np.array([1.0, 2.0]))  # shape
    assert _key({"a": 1, "b": 2}) != _key({"b": 2, "a": 1})  # a dict's entries, in order
    assert _key(float("nan")) == _key(float("nan"))
    assert _key(np.float64(0.5)) == _key(0.5) and _key(np.int64(3)) == _key(3)
    with pytest.raises(TypeError):
        _key(object())  # anything else could hide a difference
    with pytest.raises(TypeError):
        _key({1.0, 2.0})
    with pytest.raises(TypeError):  # a masked array shows more than its bytes
        _key(np.ma.masked_array([1.0, 2.0], mask=[True, False]))


def test_the_cache_keeps_the_last_views_only(monkeypatch):
    monkeypatch.setattr(shared_figures, "SIZE", 3)
    figures = [shared(probability_bars, ["a"], np.array([1.0]), title=str(i)) for i in range(5)]
    assert shared(probability_bars, ["a"], np.array([1.0]), title="2") is figures[2]  # now last
    shared(probability_bars, ["a"], np.array([1.0]), title="5")  # pushes out 3, not 2
    assert shared(probability_bars, ["a"], np.array([1.0]), title="2") is figures[2]
    assert shared(probability_bars, ["a"], np.array([1.0]), title="3") is not figures[3]
    assert shared(probability_bars, ["a"], np.array([1.0]), title="0") is not figures[0]
    assert len(shared_figures._cache) == 3


def test_a_room_asking_at_once_builds_each_figure_once():
    """At a move every follower asks for the same figures at the same moment: one builds,
    the others wait for it and get the same figure."""
    calls = []

    def slow_bars(values):
        calls.append(values)
        time.sleep(0.2)
        return go.Figure(go.Bar(y=values))

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda _: shared(slow_bars, [1.0, 2.0]), range(8)))
    assert len(calls) == 1
    assert all(figure is got[0] for figure in got)


def test_a_failed_build_leaves_no_one_waiting():
    attempts = []

    def flaky(values):
        attempts.append(values)
        if len(attempts) == 1:
            time.sleep(0.2)
            raise RuntimeError("first build fails")
        return go.Figure(go.Bar(y=values))

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = [pool.submit(shared, flaky, [1.0]) for _ in range(3)]
        outcomes = [r.exception() or r.result() for r in results]
    assert sum(isinstance(o, RuntimeError) for o in outcomes) == 1
    assert all(isinstance(o, SharedFigure) for o in outcomes if not isinstance(o, RuntimeError))
    assert shared_figures._building == {}
    assert isinstance(shared(flaky, [1.0]), SharedFigure)


finite = st_.floats(-1e300, 1e300, allow_nan=False) | st_.sampled_from([0.0, -0.0, 5e-324, 1.0])


@settings(max_examples=60, deadline=None)
@given(st_.lists(finite, min_size=1, max_size=6), st_.sampled_from(["en", "es", "fr"]))
def test_a_shared_figure_is_the_figure_built_anew(values, lang):
    """Oracle: whatever was shared before (ties, huge, tiny, negative and signed zeros
    included), the shared figure's JSON is the one the builder makes now."""
    p = np.array(values)
    labels = [f"c{i}" for i in range(len(p))]
    with language(lang):
        got = shared(probability_bars, labels, p, title="t", winners=[0], font_size=16)
        assert got.to_dict() == probability_bars(labels, p, title="t", winners=[0]).to_dict()


class Builds:
    """Counts the calls of every figure builder of Temperature and sampling."""

    NAMES = ("sweep_charts", "sample_frequencies", "filtered_bars")

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        for name in self.NAMES:
            original = getattr(softmax_ui.figures_temperature, name)

            def counted(*args, _original=original, **kwargs):
                self.calls += 1
                return _original(*args, **kwargs)

            monkeypatch.setattr(softmax_ui.figures_temperature, name, counted)


def test_a_second_session_on_the_same_view_builds_no_figure(monkeypatch):
    """What a live class's followers do at a move: the same page and settings in many
    sessions. The second session shows the same charts and builds none of them; a session
    in another language builds its own (the charts' words differ). Each tab of the page's
    further pictures is a view of its own."""
    builds = Builds(monkeypatch)
    views = [{**SETTINGS, "tab": tab} for tab in catalog.TEMPERATURE.tabs]
    specs, built = [], 0
    for view in views:
        first = open_page(TEMPERATURE, view)
        assert_healthy(first)
        assert builds.calls == built + 1, "the open tab's figures, and only those, are built"
        built = builds.calls
        specs.append([chart.proto.spec for chart in first.get("plotly_chart")])
    assert built == len(Builds.NAMES)
    assert [len(s) for s in specs] == [3, 2, 2]  # the main picture and the open tab's

    for view, first in zip(views, specs, strict=True):
        second = open_page(TEMPERATURE, view)
        assert_healthy(second)
        assert [chart.proto.spec for chart in second.get("plotly_chart")] == first
    assert builds.calls == built, "the second session built figures the first had built"

    french = open_page(TEMPERATURE, {**views[0], "lang": "fr"})
    assert_healthy(french)
    assert builds.calls == built + 1
    assert [chart.proto.spec for chart in french.get("plotly_chart")] != specs[0]

    moved = open_page(TEMPERATURE, {**views[0], "T": "2"})
    assert_healthy(moved)
    assert [chart.proto.spec for chart in moved.get("plotly_chart")] != specs[0]


def test_the_lined_up_pairs_are_what_the_pages_drew_before():
    """Oracle for the two pair builders, written here as the pages used to build them: two
    builder calls, then figures.align."""
    labels, ts = ("mat", "sofa", "floor"), sweep_temperatures(0.8)
    z = np.array([4.1, 3.6, 3.2])
    sweep = softmax(z[np.newaxis, :] / ts[:, np.newaxis])
    sweep_h, p = entropy(sweep), softmax(z / 0.8)
    H = float(entropy(p))
    for font in (16, 24):
        expected = align(
            probability_vs_temperature(
                labels, ts, sweep, temperature=0.8, current=p, font_size=font
            ),
            entropy_vs_temperature(
                ts, sweep_h, temperature=0.8, current=H, n_classes=3, font_size=font
            ),
        )
        got = sweep_charts(labels, ts, sweep, sweep_h, temperature=0.8, p=p, H=H, font_size=font)
        assert [f.to_dict() for f in got] == [f.to_dict() for f in expected]

    naive, stable = np.array([np.nan, np.nan, np.nan]), np.array([0.09, 0.245, 0.665])
    for lang in ("en", "fr"):
        with language(lang):
            expected = align(
                probability_bars(
                    labels,
                    naive,
                    title=_("Naive: exp({x}) / Σ exp({x})").format(x="(z + c)/T"),
                    winners=[],
                    reserve_legend=True,
                    font_size=16,
                ),
                probability_bars(
                    labels,
                    stable,
                    title=_("Stable: subtract max({x}) first").format(x="(z + c)/T"),
                    winners=[2],
                    font_size=16,
                ),
            )
            got = naive_and_stable_charts(
                labels,
                naive,
                stable,
                exponent="(z + c)/T",
                naive_winners=(),
                stable_winners=(2,),
                font_size=16,
            )
        assert [f.to_dict() for f in got] == [f.to_dict() for f in expected]


def test_showing_a_shared_figure_leaves_it_as_it_was():
    """Many sessions read one frozen JSON: showing it (st.plotly_chart) must not change it."""
    open_page(TEMPERATURE, SETTINGS)
    before = {key: copy.deepcopy(_specs(value)) for key, value in shared_figures._cache.items()}
    assert before
    for _visit in range(2):
        assert_healthy(open_page(TEMPERATURE, SETTINGS))
    assert {key: _specs(value) for key, value in shared_figures._cache.items()} == before


def _specs(value):
    return [f.to_dict() for f in value] if isinstance(value, tuple) else value.to_dict()


def test_a_shared_view_shows_what_an_unshared_one_shows(monkeypatch):
    """Every chart of Naive vs stable (a pair lined up, built once) and of Temperature and
    sampling, shared or built afresh, is the same."""
    pages = (NAIVE, TEMPERATURE)
    shared_specs = {}
    for page in pages:
        open_page(page, SETTINGS)  # fills the cache
        at = open_page(page, SETTINGS)  # from the cache
        shared_specs[page] = [chart.proto.spec for chart in at.get("plotly_chart")]
    build_every_figure(monkeypatch)
    for page in pages:
        at = open_page(page, SETTINGS)
        assert_healthy(at)
        assert [chart.proto.spec for chart in at.get("plotly_chart")] == shared_specs[page]


def test_an_unknown_return_is_refused():
    with pytest.raises(TypeError):
        shared(lambda: {"data": []})
    assert isinstance(shared(lambda: (go.Figure(), go.Figure()))[1], SharedFigure)

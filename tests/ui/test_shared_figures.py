"""Figures built once and shared by every session that shows the same view
(softmax_ui.shared_figures): what the browser receives is what building the figure anew would
send, a figure is found again only for equal settings in the same language, and a second
session showing a view builds none of its figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_
from streamlit.testing.v1 import AppTest

import softmax_ui.figures_temperature
from softmax_ui import shared_figures
from softmax_ui.figures import probability_bars
from softmax_ui.i18n import language
from softmax_ui.shared_figures import SharedFigure, _key, chart_title, shared
from tests.ui.conftest import NAIVE, TEMPERATURE, assert_healthy, open_page

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
    with pytest.raises(AttributeError):
        frozen.layout = {}
    with pytest.raises(AttributeError):
        frozen.data  # noqa: B018 (no traces to change: only its JSON)


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
    assert _key(1) != _key(1.0) != _key(True)
    assert _key(np.array([1.0])) != _key(np.array([1.0], dtype=np.float32))
    assert _key(np.array([[1.0, 2.0]])) != _key(np.array([1.0, 2.0]))  # shape
    assert _key({"a": 1, "b": 2}) != _key({"b": 2, "a": 1})  # a dict's entries, in order
    assert _key(float("nan")) == _key(float("nan"))
    assert _key(np.float64(0.5)) == _key(0.5) and _key(np.int64(3)) == _key(3)
    with pytest.raises(TypeError):
        _key(object())  # anything else could hide a difference
    with pytest.raises(TypeError):
        _key({1.0, 2.0})


def test_the_cache_keeps_the_last_views_only(monkeypatch):
    monkeypatch.setattr(shared_figures, "SIZE", 3)
    figures = [shared(probability_bars, ["a"], np.array([1.0]), title=str(i)) for i in range(5)]
    assert shared(probability_bars, ["a"], np.array([1.0]), title="4") is figures[4]
    assert shared(probability_bars, ["a"], np.array([1.0]), title="0") is not figures[0]
    assert len(shared_figures._cache) == 3


finite = st_.floats(-1e300, 1e300, allow_nan=False) | st_.sampled_from([0.0, -0.0, 5e-324, 1.0])


@settings(max_examples=60, deadline=None)
@given(st_.lists(finite, min_size=1, max_size=6), st_.sampled_from(["en", "es", "fr"]))
def test_a_shared_figure_is_the_figure_built_anew(values, lang):
    """Oracle: whatever was shared before (ties, huge, tiny and signed zeros included), the
    shared figure's JSON is the one the builder makes now."""
    p = np.abs(np.array(values))
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
    in another language builds its own (the charts' words differ)."""
    builds = Builds(monkeypatch)
    first = open_page(TEMPERATURE, SETTINGS)
    assert_healthy(first)
    built = builds.calls
    assert built == len(Builds.NAMES)

    second = open_page(TEMPERATURE, SETTINGS)
    assert_healthy(second)
    assert builds.calls == built, "the second session built figures the first had built"
    specs = [chart.proto.spec for chart in first.get("plotly_chart")]
    assert [chart.proto.spec for chart in second.get("plotly_chart")] == specs
    assert len(specs) == 5

    french = open_page(TEMPERATURE, {**SETTINGS, "lang": "fr"})
    assert_healthy(french)
    assert builds.calls == 2 * built
    assert [chart.proto.spec for chart in french.get("plotly_chart")] != specs

    moved = open_page(TEMPERATURE, {**SETTINGS, "T": "2"})
    assert_healthy(moved)
    assert [chart.proto.spec for chart in moved.get("plotly_chart")] != specs


def test_a_shared_view_shows_what_an_unshared_one_shows(monkeypatch):
    """Every chart of Naive vs stable (a pair lined up, built once) and of Temperature and
    sampling, shared or built afresh, is the same."""
    pages = (NAIVE, TEMPERATURE)
    shared_specs = {}
    for page in pages:
        open_page(page, SETTINGS)  # fills the cache
        at = open_page(page, SETTINGS)  # from the cache
        shared_specs[page] = [chart.proto.spec for chart in at.get("plotly_chart")]
    import softmax_ui.pictures

    for holder in (shared_figures, softmax_ui.pictures):
        monkeypatch.setattr(holder, "shared", lambda build, *a, **k: build(*a, **k))
    for page in pages:
        at = open_page(page, SETTINGS)
        assert_healthy(at)
        assert [chart.proto.spec for chart in at.get("plotly_chart")] == shared_specs[page]


def test_an_unknown_return_is_refused():
    with pytest.raises(TypeError):
        shared(lambda: {"data": []})
    assert isinstance(shared(lambda: (go.Figure(), go.Figure()))[1], SharedFigure)

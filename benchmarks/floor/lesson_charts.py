"""The lessons' own charts with nothing else around them, for the floor app's pages 4 and 5.

A lesson's keypress redraws its charts *and* the numbers and words beside them; the floor's
page (2) redraws one plain chart. These pages redraw the very charts a temperature keypress
redraws on a lesson (built by the lessons' figure builders, drawn with the same
``st.plotly_chart`` options as ``softmax_ui.page.chart``), and nothing else: the framework's
floor for that picture. ``bench_latency`` measures them as it measures the app's pages:

    PERF_APP_DIR=benchmarks/floor .venv/bin/python -m benchmarks.bench_latency \\
        --pages Our_main_chart Our_three_charts --presses 40 --loads 1
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from softmax_core import softmax, softmax_entropy, top_classes
from softmax_ui.figures import probability_bars
from softmax_ui.figures_temperature import sweep_charts, sweep_temperatures
from softmax_ui.state import LessonState
from softmax_ui.text import prose_number

FONT_SIZE = 16
"""The lessons' chart font size outside the presenter view (``softmax_ui.page.font_size``)."""


def draw(fig: go.Figure) -> None:
    """As ``softmax_ui.page.chart`` draws a chart (its options, no title or caption)."""
    st.plotly_chart(
        fig,
        theme=None,
        config={"displaylogo": False, "displayModeBar": False, "responsive": True},
    )


def temperature_slider() -> tuple[tuple[str, ...], np.ndarray, float]:
    """The lessons' first example and a temperature slider over their range."""
    state = LessonState()
    T = st.slider("T", 0.05, 20.0, 1.0, key="w:T_slider")  # as the floor's page 2
    return state.labels, np.array(state.logits), T


def main_chart(labels: tuple[str, ...], z: np.ndarray, T: float) -> None:
    """The probability bars every lesson docks beside its editor (the Playground's one chart)."""
    p = softmax(z, temperature=T)
    draw(
        probability_bars(
            labels,
            p,
            title=f"softmax(z / T) with T = {prose_number(T)}",  # as pictures.prediction_picture
            winners=[int(i) for i in top_classes(z)],
            font_size=FONT_SIZE,
        )
    )


def sweep(labels: tuple[str, ...], z: np.ndarray, T: float) -> None:
    """Temperature and sampling's first tab: p(T) and H(T) side by side, T marked."""
    ts = sweep_temperatures(T)
    exponents = z[np.newaxis, :] / ts[:, np.newaxis]
    p = softmax(z, temperature=T)
    H = float(softmax_entropy(z, temperature=T))
    figures = sweep_charts(
        labels,
        ts,
        softmax(exponents),
        softmax_entropy(exponents),
        temperature=T,
        p=p,
        H=H,
        font_size=FONT_SIZE,
    )
    for column, fig in zip(st.columns(2), figures, strict=True):
        with column:
            draw(fig)

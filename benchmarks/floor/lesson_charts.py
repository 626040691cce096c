"""A lesson's own charts with nothing else around them, for the floor app's pages 4 and 5.

A lesson's keypress redraws its charts *and* the numbers and words beside them; the floor's
page 2 (``2_Plotly.py``) redraws one plain chart. Pages 4 and 5 redraw the very charts a
temperature keypress redraws on a lesson, drawn as the lesson draws them: built by the
lessons' figure builders from the lessons' first example, shown by
:func:`softmax_ui.page.chart` (the lesson's title above each chart, its theme, options and
keys; an accessible name of its own), in the wide layout and at the column widths the lesson
gives them, beside a slider with the lesson's range and step. Nothing else is drawn: no
metrics, no explanation, no share link, no lesson CSS or page script. ``bench_latency``
measures them as it measures the app's pages, with Nagle's algorithm off as in the app:

    FLOOR_NODELAY=1 PERF_APP_DIR=benchmarks/floor .venv/bin/python -m benchmarks.bench_latency \\
        --pages Lesson_main_chart Temperature_three_charts --presses 40 --loads 1
"""

import numpy as np
import streamlit as st

from softmax_core import softmax, softmax_entropy, top_classes
from softmax_ui.controls import TEMPERATURE_SLIDERS
from softmax_ui.figures import probability_bars
from softmax_ui.figures_temperature import sweep_charts, sweep_over_temperature
from softmax_ui.page import chart
from softmax_ui.state import LessonState
from softmax_ui.text import prose_number

FONT_SIZE = 16
"""The lessons' chart font size outside the presenter view (``softmax_ui.page.font_size``)."""


def example_and_slider(title: str) -> tuple[tuple[str, ...], np.ndarray, float, object]:
    """A wide page titled ``title``, the lessons' first example, and a temperature slider
    with the lessons' range and step in the left of the lesson's two columns; returns the
    example, T and the right column (where a lesson docks its main picture)."""
    st.set_page_config(layout="wide")
    st.title(title)
    state = LessonState()
    controls, picture = st.columns([2, 3], gap="large")  # as controls.editor_beside_picture
    low, high, step = TEMPERATURE_SLIDERS[""]
    with controls:
        T = st.slider("T", low, high, state.temperature, step=step, key="w:T_slider")
    return state.labels, np.array(state.logits), T, picture


def main_chart(labels: tuple[str, ...], z: np.ndarray, T: float) -> None:
    """The probability bars every lesson docks beside its editor (the Playground's one chart),
    as ``softmax_ui.pictures.prediction_picture`` draws them."""
    chart(
        probability_bars(
            labels,
            softmax(z, temperature=T),
            title=f"softmax(z / T) with T = {prose_number(T)}",
            winners=[int(i) for i in top_classes(z)],
            font_size=FONT_SIZE,
        ),
        alt="Bar chart of the class probabilities.",
        docked=True,
    )


def sweep(labels: tuple[str, ...], z: np.ndarray, T: float) -> None:
    """Temperature and sampling's first tab: p(T) and H(T) side by side, T marked, as the
    lesson's ``temperature_sweep`` draws them."""
    ts, sweep_p, sweep_h = sweep_over_temperature(z, T)
    figures = sweep_charts(
        labels,
        ts,
        sweep_p,
        sweep_h,
        temperature=T,
        p=softmax(z, temperature=T),
        H=float(softmax_entropy(z, temperature=T)),
        font_size=FONT_SIZE,
    )
    keys = ("sweep_chart", "entropy_chart")
    for column, fig, key in zip(st.columns(2), figures, keys, strict=True):
        with column:
            chart(fig, alt="Line chart of the sweep over T.", key=key)

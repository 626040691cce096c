"""A lesson's own charts with nothing else around them, for the floor app's pages 4, 5 and 7
to 10.

A lesson's keypress redraws its charts *and* the numbers and words beside them; the floor's
page 2 (``2_Plotly.py``) redraws one plain chart. Pages 4, 5 and 7 to 9 redraw the very
charts a temperature keypress redraws on a lesson (page 10: Calibration's chart, at a change
of its first slider, the number of classes), drawn as the lesson draws them: built by the
lessons' figure builders from the lessons' first example, shown by
:func:`softmax_ui.page.chart` (the lesson's title above each chart, its theme, options and
keys; an accessible name of its own), in the wide layout and at the column widths the lesson
gives them, beside a slider with the lesson's range and step. Nothing else is drawn: no
metrics, no explanation, no share link, no lesson CSS or page script. ``bench_latency``
measures them as it measures the app's pages, with Nagle's algorithm off as in the app:

    FLOOR_NODELAY=1 PERF_APP_DIR=benchmarks/floor .venv/bin/python -m benchmarks.bench_latency \\
        --pages Lesson_main_chart Versus Naive_three Temperature_three Gradients_two \\
        Calibration_chart --presses 40 --loads 1
"""

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from softmax_core import (
    diagnose_naive,
    exp_limits,
    softmax,
    softmax_entropy,
    top_classes,
)
from softmax_ui.calibration_study import cached_calibration_study
from softmax_ui.controls import TEMPERATURE_SLIDERS
from softmax_ui.explain import naive_winners
from softmax_ui.figures import (
    exponent_bars,
    grouped_bars,
    naive_and_stable_charts,
    probability_bars,
)
from softmax_ui.figures_temperature import sweep_charts, sweep_over_temperature
from softmax_ui.figures_training import (
    before_and_after,
    gradient_bars,
    gradient_title,
    reliability_diagram,
)
from softmax_ui.i18n import _
from softmax_ui.page import chart
from softmax_ui.pictures import activation_outputs
from softmax_ui.state import LessonState
from softmax_ui.text import ordered, prose_number
from softmax_ui.training import loss_and_gradient

FONT_SIZE = 16
"""The lessons' chart font size outside the presenter view (``softmax_ui.page.font_size``)."""


def example_and_slider(
    title: str,
) -> tuple[tuple[str, ...], np.ndarray, float, DeltaGenerator]:
    """A wide page titled ``title``, the lessons' first example, and a temperature slider
    with the lessons' range and step in the left of two columns at the widths of
    ``controls.editor_beside_picture`` (Naive vs stable puts its editor and controls side by
    side instead; its charts come below them either way); returns the example, T and the
    right column (where a lesson docks its main picture)."""
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


def versus_chart(labels: tuple[str, ...], z: np.ndarray, T: float) -> None:
    """Softmax vs sigmoid vs ReLU's one chart: softmax at T beside the lesson's first
    activations on the raw logits, grouped, as the lesson's ``comparison`` draws it."""
    outputs = activation_outputs(LessonState(logits=tuple(z), temperature=T))
    chart(
        grouped_bars(
            labels, outputs, title=_("The same logits, different activations"), font_size=FONT_SIZE
        ),
        alt="Grouped bar chart of the activations.",
        docked=True,
    )


def naive_charts(labels: tuple[str, ...], z: np.ndarray, T: float) -> None:
    """Naive vs stable's three charts: the naive and the stable softmax side by side, then the
    exponents against the precision's limits, as the lesson's ``comparison`` draws them (its
    first example: c = 0, the default precision)."""
    state = LessonState()
    exponent = "(z + c)/T"
    diagnosis = diagnose_naive(z + state.offset, temperature=T, dtype=state.dtype)
    limits = exp_limits(state.dtype)
    naive_figure, stable_figure = naive_and_stable_charts(
        labels,
        diagnosis.naive,
        diagnosis.stable,
        exponent=exponent,
        naive_winners=naive_winners(diagnosis),
        stable_winners=top_classes(diagnosis.stable_exponents),
        font_size=FONT_SIZE,
    )
    naive_col, stable_col = st.columns(2)
    with naive_col:
        chart(naive_figure, alt="Naive softmax bar chart.", key="naive_chart", docked=True)
    with stable_col:
        chart(stable_figure, alt="Stable softmax bar chart.", key="stable_chart")
    chart(
        exponent_bars(
            labels,
            np.asarray(diagnosis.scaled, dtype=np.float64),
            overflow=limits.overflow,
            underflow=limits.underflow,
            dtype=state.dtype,
            exponent=exponent,
            font_size=FONT_SIZE,
        ),
        alt="Bar chart of the exponents.",
        key="exponent_chart",
    )


def gradient_charts(
    labels: tuple[str, ...], z: np.ndarray, T: float, picture: DeltaGenerator
) -> None:
    """Gradients and cross-entropy's two charts: the prediction (docked in ``picture``), and
    the gradient of the loss as the lesson's first tab draws it (without the tab bar)."""
    state = LessonState()
    with picture:
        chart(
            probability_bars(
                labels,
                softmax(z, temperature=T),
                title=_("Prediction: softmax(z / T) with T = {t}").format(t=prose_number(T)),
                font_size=FONT_SIZE,
            ),
            alt="Bar chart of the predicted probabilities.",
            docked=True,
        )
    gradient = loss_and_gradient(state.replace(temperature=T), z).gradient
    left, _right = st.columns([3, 2], gap="large")
    with left:
        chart(
            gradient_bars(
                labels,
                gradient,
                target=state.target,
                title=gradient_title(T),
                font_size=FONT_SIZE,
            ),
            alt="Bar chart of the gradient per class.",
            key="gradient_chart",
        )


def calibration_chart() -> None:
    """Calibration's one chart, the reliability diagram before and after temperature scaling,
    beside the lesson's first control (the number of classes, the slider ``bench_latency``
    presses there) in the first of its three columns; its other settings as the lesson's
    first example has them."""
    st.set_page_config(layout="wide")
    st.title("Calibration's chart")
    state = LessonState()
    classes_col, _over, _seed = st.columns(3, vertical_alignment="bottom")
    with classes_col:
        k = st.slider("Number of classes", 3, 10, state.calib_classes, key="w:calib_classes")
    study = cached_calibration_study(k, state.overconfidence, state.seed)
    before, after = study.before, study.after
    fitted = ordered(study.temperature, 1.0, digits=4)[0]
    chart(
        reliability_diagram(
            before_and_after(before.bins, after.bins, fitted),
            font_size=FONT_SIZE,
        ),
        alt="Reliability diagram.",
        key="reliability_chart",
        docked=True,
    )

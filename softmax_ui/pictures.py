"""Pictures more than one lesson draws, with the numbers behind them.

:func:`predict` is pure (the core's softmax, its winners and entropy); :func:`prediction_picture`
draws the usual main picture of a lesson from it: the probability bars, what a screen reader
hears, and the winner, its probability and the entropy as metrics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from softmax_core import leaky_relu, relu, sigmoid, silu, softmax, softmax_entropy, top_classes
from softmax_ui import speech
from softmax_ui.figures import probability_bars
from softmax_ui.i18n import _
from softmax_ui.page import chart, font_size
from softmax_ui.shared_figures import shared
from softmax_ui.spoken import announce
from softmax_ui.state import ACTIVATION_NAMES, LessonState
from softmax_ui.text import fixed, prose_number, top_probability, unbroken, winner_metric


@dataclass(frozen=True)
class Prediction:
    """softmax(z / T) of a lesson state, with its most likely classes and its entropy."""

    labels: tuple[str, ...]
    temperature: float
    probabilities: np.ndarray
    winners: tuple[int, ...]
    """The classes tied for the largest probability, in class order."""
    entropy: float
    """In nats: 0 (certain) to log K (uniform)."""


def predict(state: LessonState) -> Prediction:
    """The prediction the lesson state's logits and temperature make.

    >>> guess = predict(LessonState(logits=(2.0, 2.0, 0.0), labels=("a", "b", "c")))
    >>> guess.winners, round(guess.entropy, 4)
    ((0, 1), 0.8854)
    """
    z = np.array(state.logits)
    p = softmax(z, temperature=state.temperature)
    return Prediction(
        labels=state.labels,
        temperature=state.temperature,
        probabilities=p,
        # Dividing by T > 0 keeps the order of the logits, so the tied-for-largest logits are
        # the classes with the largest probability, exactly (even where float64 rounds p to a
        # tie).
        winners=tuple(int(i) for i in top_classes(z)),
        entropy=float(softmax_entropy(z, temperature=state.temperature)),
    )


def prediction_picture(guess: Prediction, *, winner_label: str, entropy_help: str) -> None:
    """The probability bars (the page's docked main picture), announced to screen readers,
    and three metrics: the most likely class (``winner_label``), its probability, the
    entropy (``entropy_help`` explains its range)."""
    labels, p, T = guess.labels, guess.probabilities, guess.temperature
    chart(
        shared(
            probability_bars,
            labels,
            p,
            title=_("softmax(z / T) with T = {t}").format(t=prose_number(T)),
            winners=list(guess.winners),
            font_size=font_size(),
        ),
        alt=_("Bar chart of {n} class probabilities at T = {t}: {top}.").format(
            n=len(p), t=prose_number(T), top=speech.top(labels, p, winners=guess.winners)
        ),
        docked=True,
    )
    announce(speech.prediction(labels, p, T, winners=guess.winners))
    # as the bar's label (0.760); a share float64 rounds to 1 is "1 − x" here, where the
    # bar's label, with room for three digits, says ">0.999"
    shown = unbroken(top_probability(p, guess.winners[0], 3, zeros=True))
    each = shown if len(guess.winners) == 1 else _("{value} each").format(value=shown)
    a, b, c = st.columns(3)
    a.metric(winner_label, **winner_metric(labels, guess.winners))
    b.metric(_("Its probability"), each)
    c.metric(
        # the unit in the label: a number and its unit wrapped apart on a narrow column
        _("Entropy (nats)"),
        fixed(guess.entropy, 3),
        help=entropy_help,
    )


ACTIVATION_FUNCTIONS = {"sigmoid": sigmoid, "relu": relu, "leaky_relu": leaky_relu, "silu": silu}
"""Each activation Softmax vs sigmoid vs ReLU offers (``softmax_ui.state.ACTIVATIONS``), by
name."""


def activation_outputs(state: LessonState) -> dict[str, np.ndarray]:
    """Softmax at T, then each chosen activation on the raw logits (named for the reader):
    what Softmax vs sigmoid vs ReLU draws and tables (and the floor app's copy of its chart)."""
    z = np.array(state.logits)
    return {"softmax": softmax(z, temperature=state.temperature)} | {
        _(ACTIVATION_NAMES[name]): ACTIVATION_FUNCTIONS[name](z) for name in state.activations
    }

"""softmax_ui.speech: what a screen reader hears about a chart, checked against an oracle
written apart from it (plain Python: max over the finite values, every class equal to it)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from softmax_core import softmax
from softmax_ui.speech import names, prediction, top
from softmax_ui.text import prose_number

# Labels no other label contains, so "is this class named?" is a substring test.
LABELS = [f"<class {chr(65 + i)}>" for i in range(20)]

values = st.lists(
    st.one_of(
        st.sampled_from([0.0, 1.0, -1.0, 0.5, 1e-300, 5e-324, 1e300, -1e300]),  # ties likely
        st.floats(allow_nan=True, allow_infinity=True, width=64),
    ),
    min_size=2,
    max_size=20,
)


def oracle(xs: list[float]) -> list[int]:
    finite = [x for x in xs if math.isfinite(x)]
    if not finite:
        return []
    best = max(finite)
    return [i for i, x in enumerate(xs) if math.isfinite(x) and x == best]


def written(x: float) -> str:
    """A probability as the chart's bars label it: 3 significant digits, trailing zeros
    kept, more where 3 would round a value below 1 up to 1; anything else as prose."""
    if 0 < x < 1:
        digits = 3
        while digits < 17 and float(f"{x:.{digits}g}") >= 1:
            digits += 1
        return f"{x:#.{digits}g}"
    return prose_number(x, 3)


@given(values)
@example([0.0, -1e300, -1.797693124862316e308])  # the others' sum overflows (a warning leaked)
@example([0.0, 1e300, 1.797693124862316e308, 1.797693124862316e308, -math.inf])  # inf - inf
@example([0.0, math.inf, -math.inf])  # the others are inf − inf (the oracle's own fsum raised)
def test_every_tied_winner_and_only_them_are_named(xs: list[float]) -> None:
    labels = LABELS[: len(xs)]
    sentence = top(labels, xs)
    winners = oracle(xs)
    if not winners:
        assert sentence == "no class has a finite probability (NaN or infinite)"
        return
    value = written(xs[winners[0]])
    x = xs[winners[0]]
    try:
        rest = math.fsum(v for i, v in enumerate(xs) if i != winners[0])
    except (OverflowError, ValueError):  # the others' sum overflows or is inf − inf
        rest = math.nan
    if len(winners) == 1 and rest > 0 and x > 1 - 1e-6 and abs(x + rest - 1) <= 1e-9:
        # a share a hair below 1, of a distribution: at most 6 digits, or "1 − the rest"
        shown = sentence.rsplit(", ", 1)[1]
        if shown.startswith("1 − "):
            assert math.isclose(float(shown[4:]), rest, rel_tol=0.051), (shown, rest)
        else:
            assert len(shown.replace(".", "").lstrip("0")) <= 6 and float(shown) < 1, shown
            assert math.isclose(float(shown), x, rel_tol=1e-6), (shown, x)
        return
    if len(winners) == len(xs) == 2:
        assert sentence == f"both classes tie at {value}"
        return
    if len(winners) == len(xs):
        assert sentence == f"all {len(xs)} classes tie at {value}"
        return
    named = [label for label in labels if label in sentence]
    assert named == [labels[i] for i in winners], (sentence, winners)
    assert sentence.endswith(value + (" each" if len(winners) > 1 else ""))
    assert ("tie" in sentence) == (len(winners) > 1)


@given(st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=20), st.floats(0.01, 100))
def test_prediction_of_softmax_names_the_largest_logits(z: list[float], t: float) -> None:
    """Softmax keeps the order of the logits, so the announced winners are the largest
    logits, unless rounding makes distinct logits' probabilities equal (then those tie)."""
    p = softmax(np.array(z), temperature=t)
    said = prediction(LABELS[: len(z)], p, t)
    assert said.startswith(f"Prediction at T = {prose_number(t)}: ")
    winners = [LABELS[i] for i in oracle(list(p))]
    largest = [LABELS[i] for i in oracle(z)]
    assert set(largest) <= set(winners)
    if len(winners) < len(z):
        assert [label for label in LABELS[: len(z)] if label in said] == winners


def test_ties_are_named_not_hidden_by_argmax() -> None:
    assert top(["heads", "tails", "edge"], softmax([1.0, 1.0, 0.0])) == (
        "heads and tails tie for the largest probability, 0.422 each"
    )
    assert top(["a", "b", "c"], [np.nan, 0.2, np.inf]) == "b has the largest probability, 0.200"
    assert top(["a", "b", "c"], [0.1, 0.7, 0.2], what="exponent") == (
        "b has the largest exponent, 0.7"
    )


def test_names_and_plain_text() -> None:
    assert names(["x"], [0]) == "x"
    assert names(["x", "y"], []) == ""
    # Plain text: user labels are not escaped for Markdown here (an aria-label is not
    # Markdown); the live region escapes them for HTML itself.
    assert top(["**b**", "<i>"], [1.0, 0.0]) == "**b** has the largest probability, 1"

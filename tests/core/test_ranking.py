"""top_classes: the argmax as a set, against a plain-Python oracle, by hypothesis."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from softmax_core import softmax, top_classes

# Values that make ties, huge and tiny values, tiny gaps, and every IEEE special.
VALUES = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, 1.0 + 2**-52, 1e-300, 5e-324, -1e4, 1e4, 88.0, 89.0]),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.floats(-1e4, 1e4),
)


def oracle(values: list[float]) -> list[int]:
    """Every index whose value equals the largest finite value (Python floats only)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return []
    best = max(finite)
    return [i for i, v in enumerate(values) if math.isfinite(v) and v == best]


@settings(max_examples=400, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=12))
@example([1.0, 1.0, 0.0])  # the "A tie" preset: heads and tails
@example([math.nan, 0.0, math.nan])  # a naive chart: the only finite value is not "the max"...
@example([math.nan, math.nan, math.nan])  # ...and an all-NaN one has no winner
@example([-0.0, 0.0])  # IEEE: -0 == 0, a tie
def test_top_classes_is_the_set_of_finite_maxima(values):
    got = top_classes(values)
    assert got.dtype == np.int64 and got.ndim == 1
    assert got.tolist() == oracle(values)
    # sorted, unique, never a NaN or an infinity
    assert got.tolist() == sorted(set(got.tolist()))
    assert all(math.isfinite(values[i]) for i in got)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=10),
    st.floats(0.01, 100.0),
    st.integers(0, 9),
)
def test_ties_in_the_logits_are_ties_in_the_probabilities(z, temperature, copies):
    """softmax maps equal logits to bit-identical probabilities, so the winners of the
    probabilities include the winners of the logits (float64 may add near-ties)."""
    z = list(z) + [max(z)] * (copies % 3)  # sometimes add copies of the maximum
    p = softmax(np.array(z), temperature=temperature)
    from_logits = set(top_classes(z).tolist())
    assert from_logits <= set(top_classes(p).tolist())
    assert len(from_logits) == sum(v == max(z) for v in z)


def test_top_classes_accepts_any_shape_of_one_example_and_returns_a_copy():
    x = np.array([[3.0, 3.0], [1.0, 0.0]])
    assert top_classes(x).tolist() == [0, 1]  # raveled
    assert top_classes(np.float32([2, 2, 1])).tolist() == [0, 1]
    assert top_classes([]).tolist() == []

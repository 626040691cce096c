"""Sampling, counts, and the top-k / top-p filters."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from softmax_core import (
    sample,
    sample_counts,
    softmax,
    top_k_filter,
    top_k_kept,
    top_p_filter,
    top_p_order,
)

P = np.array([0.5, 0.2, 0.15, 0.1, 0.05])


def test_sample_is_seeded_and_in_range():
    a, b = sample(P, 1000, seed=7), sample(P, 1000, seed=7)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.int64 and a.shape == (1000,)
    assert a.min() >= 0 and a.max() < P.size
    assert not np.array_equal(a, sample(P, 1000, seed=8))
    assert sample(P, 0, seed=0).shape == (0,)


def test_counts_are_the_same_draw_and_sum_to_n():
    counts = sample_counts(P, 5000, seed=3)
    assert counts.dtype == np.int64 and counts.sum() == 5000
    np.testing.assert_array_equal(counts, np.bincount(sample(P, 5000, seed=3), minlength=5))


def test_zero_probability_classes_never_come_up():
    p = [0.0, 0.5, 0.0, 0.5, 0.0]
    counts = sample_counts(p, 20_000, seed=0)
    assert counts[[0, 2, 4]].sum() == 0
    assert (sample([0.0, 0.0, 1.0], 100, seed=1) == 2).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chi_square_sanity_on_ten_thousand_draws(seed):
    counts = sample_counts(P, 10_000, seed=seed)
    expected = P * 10_000
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < stats.chi2.ppf(0.999, df=P.size - 1)
    # and it is not just close by accident: a wrong distribution is rejected
    wrong = np.full(5, 2000.0)
    assert float(((counts - wrong) ** 2 / wrong).sum()) > stats.chi2.ppf(0.999, df=4)


def test_accepts_low_precision_softmax_output_and_tiny_rounding():
    p32 = softmax(np.array([3.0, 1.0, 0.2, -1.0], dtype=np.float32))
    assert sample_counts(p32, 100, seed=0).sum() == 100
    assert sample([0.1] * 10, 10, seed=0).shape == (10,)  # sums to 0.9999999999999999


@pytest.mark.parametrize(
    ("p", "match"),
    [
        ([0.5, 0.4], "sum to 1"),
        ([1.5, -0.5], "non-negative"),
        ([np.nan, 1.0], "finite"),
        ([[0.5, 0.5]], "1-D"),
        ([], "1-D"),
    ],
)
def test_bad_probabilities(p, match):
    with pytest.raises(ValueError, match=match):
        sample(p, 10, seed=0)


@pytest.mark.parametrize("n", [-1, 1_000_001, 2.5, True, "10"])
def test_bad_n(n):
    with pytest.raises(ValueError, match="n must be"):
        sample(P, n, seed=0)


# --- top-k ------------------------------------------------------------------------------------


def test_top_k_keeps_k_largest_renormalised():
    np.testing.assert_allclose(top_k_filter(P, 2), [0.5 / 0.7, 0.2 / 0.7, 0, 0, 0])
    np.testing.assert_array_equal(top_k_filter(P, 1), [1.0, 0, 0, 0, 0])


def test_top_k_keeps_ties_at_the_boundary():
    p = [0.4, 0.2, 0.2, 0.2]
    np.testing.assert_allclose(top_k_filter(p, 2), p)
    np.testing.assert_allclose(top_k_filter([0.3, 0.3, 0.3, 0.1], 1), [1 / 3, 1 / 3, 1 / 3, 0])


def test_top_k_identity_and_validation():
    np.testing.assert_array_equal(top_k_filter(P, 5), P)
    np.testing.assert_array_equal(top_k_filter(P, 50), P)
    for bad in (0, -1, 1.5, None):
        with pytest.raises(ValueError, match="k must be"):
            top_k_filter(P, bad)


# --- top-p ------------------------------------------------------------------------------------


def test_top_p_smallest_set_reaching_the_mass():
    np.testing.assert_allclose(top_p_filter(P, 0.6), [0.5 / 0.7, 0.2 / 0.7, 0, 0, 0])
    np.testing.assert_allclose(top_p_filter(P, 0.7), [0.5 / 0.7, 0.2 / 0.7, 0, 0, 0])  # reached
    np.testing.assert_allclose(top_p_filter(P, 0.71), [0.5, 0.2, 0.15, 0, 0] / np.float64(0.85))
    np.testing.assert_allclose(top_p_filter([0.5, 0.3, 0.2], 0.8), [0.625, 0.375, 0.0])
    np.testing.assert_array_equal(top_p_filter(P, 0.01), [1.0, 0, 0, 0, 0])  # at least one


def test_top_p_ties_identity_and_validation():
    # Hugging Face's rule: the fewest classes whose total reaches p; a tie at the cut is
    # counted class by class (here the first of the two tied ones, in class order).
    np.testing.assert_allclose(top_p_filter([0.5, 0.25, 0.25], 0.6), [2 / 3, 1 / 3, 0.0])
    np.testing.assert_allclose(top_p_filter([0.25, 0.5, 0.25], 0.6), [1 / 3, 2 / 3, 0.0])
    np.testing.assert_array_equal(top_p_filter(P, 1.0), P)
    for bad in (0.0, -0.1, 1.1, np.nan, "0.5", True):
        with pytest.raises(ValueError, match="top_p"):
            top_p_filter(P, bad)


probability_vectors = (
    hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(0, 1, allow_subnormal=False))
    .filter(lambda a: a.sum() > 0.1)
    .map(lambda a: a / a.sum())
)


@settings(max_examples=150, deadline=None)
@given(probability_vectors, st.integers(1, 15), st.floats(0.01, 1.0))
def test_filters_keep_a_renormalised_top_set(p, k, top_p):
    for out in (top_k_filter(p, k), top_p_filter(p, top_p)):
        assert out.sum() == pytest.approx(1.0, abs=1e-12)
        kept = out > 0
        assert kept.any()
        # kept classes are all at least as likely as every dropped class
        if (~kept & (p > 0)).any():
            assert p[kept].min() >= p[~kept].max()
        # ratios between kept classes are unchanged
        np.testing.assert_allclose(out[kept] / out[kept].sum(), p[kept] / p[kept].sum())
    assert (top_k_filter(p, k) > 0).sum() >= min(k, (p > 0).sum())
    assert p[top_p_filter(p, top_p) > 0].sum() >= top_p - 1e-9


# --- the top-p rule, against independent references -----------------------------------------


def hf_top_p_keep_count(p: np.ndarray, top_p: float) -> int:
    """Hugging Face transformers' TopPLogitsWarper, transcribed: sort ascending, remove the
    tokens whose ascending cumulative probability is <= 1 - top_p, keep at least one."""
    ascending = np.sort(p)
    cumulative = np.cumsum(ascending)
    remove = cumulative <= (1 - top_p)
    remove[-1:] = False
    return int((~remove).sum())


def exact_top_p_count(p: np.ndarray, top_p: float) -> int:
    """The smallest n whose n largest probabilities (exact rational sums of the floats) reach
    top_p, the decimal a person typed (0.8 means 4/5), with totals rounded to 12 decimals as
    the app states."""
    if top_p == 1:
        return max(1, int(np.count_nonzero(p)))
    target = Fraction(repr(float(top_p)))
    total = Fraction(0)
    for n, value in enumerate(sorted((Fraction(float(v)) for v in p), reverse=True), 1):
        total += value
        if round(total, 12) >= target:
            return n
    return len(p)


def test_top_p_on_three_tied_classes_keeps_two_at_one_half():
    """Issue 10, defect 4b: running totals 1/3, 2/3 reach 0.5 after two classes."""
    order, _, kept = top_p_order(softmax([1.0, 1.0, 1.0]), 0.5)
    assert kept == 2 and order.tolist() == [0, 1, 2]
    assert kept == hf_top_p_keep_count(softmax([1.0, 1.0, 1.0]), 0.5)
    np.testing.assert_allclose(top_p_filter(softmax([1.0, 1.0, 1.0]), 0.5), [0.5, 0.5, 0.0])


def test_top_p_float_rounding_at_the_boundary_does_not_decide():
    """0.1 + 0.7 = 0.7999999999999999 in float64: the total reaches 0.8 after two."""
    p = np.array([0.7, 0.1, 0.2]) / 1.0
    p = p / p.sum()
    order, _, kept = top_p_order(p, 0.8)
    assert order.tolist() == [0, 2, 1] and kept == 2  # 0.7 + 0.2 reaches 0.8 after rounding
    assert top_p_order([0.5, 0.3, 0.2], 0.8)[2] == 2
    assert top_p_order([0.5, 0.3, 0.2], 0.80001)[2] == 3


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 12),
        elements=st.one_of(
            st.sampled_from([0.0, 1.0, 2.0, 0.5]),  # ties
            st.floats(0, 1, allow_subnormal=False),
        ),
    ).filter(lambda a: a.sum() > 0.1),
    st.one_of(st.sampled_from([0.5, 0.8, 0.9, 0.95, 1.0, 0.25, 0.75]), st.floats(0.01, 1.0)),
)
def test_top_p_count_is_the_smallest_set_reaching_p(weights, top_p):
    p = weights / weights.sum()
    order, _, kept = top_p_order(p, top_p)
    q = p / p.sum()
    assert kept == exact_top_p_count(q, top_p)
    # ties in class order: order is a stable sort by decreasing probability
    assert sorted(order.tolist()) == list(range(len(p)))
    for a, b in itertools.pairwise(order):
        assert q[a] > q[b] or (q[a] == q[b] and a < b)
    # away from float ties at the threshold, Hugging Face keeps the same number of classes
    cumulative = np.cumsum(np.sort(q)[::-1])
    if top_p < 1 and np.all(np.abs(cumulative - top_p) > 1e-9):
        assert kept == hf_top_p_keep_count(q, top_p)
    kept_mask = top_p_filter(p, top_p) > 0
    assert set(np.flatnonzero(kept_mask)) <= set(order[:kept].tolist())


def test_top_k_keeps_ties_with_the_kth_as_hugging_face_does():
    # TopKLogitsWarper: indices_to_remove = scores < topk(scores, k)[-1]
    p = np.array([0.4, 0.2, 0.2, 0.2])
    assert top_k_kept(p, 2).tolist() == [0, 1, 2, 3]
    assert top_k_kept(p, 1).tolist() == [0]
    np.testing.assert_array_equal(top_k_filter(p, 2), p)

"""Sampling, counts, and the top-k / top-p filters."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from softmax_core import sample, sample_counts, softmax, top_k_filter, top_p_filter

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
    np.testing.assert_allclose(top_p_filter([0.5, 0.25, 0.25], 0.6), [0.5, 0.25, 0.25])
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

"""Values checked against an independent 50-digit reference computed with mpmath."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from softmax_core import (
    cross_entropy,
    entropy,
    log_softmax,
    logsumexp,
    sigmoid,
    silu,
    softmax,
    softmax_entropy,
)


def mp_log_softmax(z, temperature=1.0) -> list[mpmath.mpf]:
    """log softmax with 50 significant digits (exact inputs: each float is converted exactly)."""
    with mpmath.workdps(50):
        t = mpmath.mpf(float(temperature))
        s = [mpmath.mpf(float(v)) / t for v in z]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in s))
        return [v - lse for v in s]


def mp_softmax(z, temperature=1.0) -> np.ndarray:
    with mpmath.workdps(50):
        return np.array([float(mpmath.exp(v)) for v in mp_log_softmax(z, temperature)])


def mp_logsumexp(z) -> float:
    with mpmath.workdps(50):
        return float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in z)))


def test_classic_example_and_the_wrong_figure_from_the_article():
    p = softmax([2.0, 1.0, 0.1])
    np.testing.assert_allclose(p, mp_softmax([2.0, 1.0, 0.1]), rtol=1e-15)
    np.testing.assert_allclose(p, [0.6590011, 0.2424330, 0.0985659], atol=5e-8)
    # A widely copied article claims [0.7, 0.2, 0.1]; that is not the softmax of these logits.
    assert not np.allclose(p, [0.7, 0.2, 0.1], atol=0.02)


@pytest.mark.parametrize(
    "z",
    [
        [1000.0, 1001.0, 1002.0],
        [-1000.0, -1001.0, -1002.0],
        [700.0, -700.0, 699.0, 0.0, -699.5],
        [1e-3, 2e-3, -5e-4],
        [3.0, 3.0, 3.0, 3.0],
        [50.0, 0.0, -50.0],
        [-745.0, -746.0, -800.0],
    ],
)
def test_softmax_float64_matches_mpmath(z):
    ref = mp_softmax(z)
    np.testing.assert_allclose(softmax(z), ref, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(log_softmax(z), [float(v) for v in mp_log_softmax(z)], rtol=1e-14)
    np.testing.assert_allclose(float(logsumexp(z)), mp_logsumexp(z), rtol=1e-15)


@pytest.mark.parametrize("temperature", [0.05, 0.5, 1.0, 3.0, 100.0])
def test_softmax_with_temperature_matches_mpmath(temperature):
    z = [2.0, 1.0, 0.1, -3.0]
    np.testing.assert_allclose(
        softmax(z, temperature=temperature), mp_softmax(z, temperature), rtol=1e-14, atol=1e-300
    )
    np.testing.assert_allclose(
        log_softmax(z, temperature=temperature),
        [float(v) for v in mp_log_softmax(z, temperature)],
        rtol=1e-14,
    )


@pytest.mark.parametrize(
    ("dtype", "rtol"),
    [(np.float32, 2e-6), (np.float16, 3e-3)],
)
@pytest.mark.parametrize(
    "z",
    [[2.0, 1.0, 0.1], [10.0, 9.5, 8.0, -3.0], [80.0, 79.0, 60.0], [-9.0, -10.0, -11.0]],
)
def test_softmax_low_precision_matches_mpmath(dtype, rtol, z):
    x = np.array(z, dtype=dtype)  # the reference uses the same rounded inputs
    p = softmax(x)
    assert p.dtype == dtype
    np.testing.assert_allclose(p, mp_softmax(x), rtol=rtol, atol=rtol * 1e-3)
    lp = log_softmax(x)
    assert lp.dtype == dtype
    np.testing.assert_allclose(lp, [float(v) for v in mp_log_softmax(x)], rtol=rtol, atol=rtol)


def test_float32_huge_logits_match_mpmath():
    x = np.array([1e38, 1e38 - 1e32 * 4, -1e38], dtype=np.float32)
    np.testing.assert_allclose(softmax(x), mp_softmax(x), atol=1e-7)
    assert softmax(x).dtype == np.float32


def test_logsumexp_values():
    assert float(logsumexp([1000.0, 1000.0])) == pytest.approx(1000 + np.log(2), rel=1e-15)
    assert float(logsumexp([-1000.0, -1000.0])) == pytest.approx(-1000 + np.log(2), rel=1e-15)
    z = [1e308, 1e308]
    assert float(logsumexp(z)) == 1e308  # log 2 is far below one ulp of 1e308
    rows = np.array([[1.0, 2.0, 3.0], [-700.0, 700.0, 0.0]])
    np.testing.assert_allclose(logsumexp(rows), [mp_logsumexp(r) for r in rows], rtol=1e-15)


@pytest.mark.parametrize(
    ("z", "target"),
    [([2.0, 1.0, 0.1], 0), ([2.0, 1.0, 0.1], 2), ([1000.0, -1000.0], 1), ([1e4, 0.0], 1)],
)
def test_cross_entropy_matches_mpmath(z, target):
    ref = -float(mp_log_softmax(z)[target])
    assert float(cross_entropy(z, target)) == pytest.approx(ref, rel=1e-14)


def test_cross_entropy_of_huge_logits_is_exact_and_finite():
    assert float(cross_entropy([1e4, 0.0], 1)) == 1e4
    assert float(cross_entropy([1e4, 0.0], 0)) == 0.0
    assert float(cross_entropy([1000.0, 0.0], 1)) == 1000.0


@pytest.mark.parametrize("p", [[0.5, 0.5], [0.7, 0.2, 0.1], [1.0, 0.0], [0.25] * 4, [1e-300, 1.0]])
def test_entropy_matches_mpmath(p):
    with mpmath.workdps(50):
        ref = -mpmath.fsum(mpmath.mpf(v) * mpmath.log(mpmath.mpf(v)) for v in p if v > 0)
    assert float(entropy(p)) == pytest.approx(float(ref), rel=1e-14, abs=1e-300)


@pytest.mark.parametrize("z", [-1e5, -745.0, -700.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 1e5])
def test_sigmoid_and_silu_match_mpmath(z):
    with mpmath.workdps(50):
        ref = 1 / (1 + mpmath.exp(-mpmath.mpf(z)))
        assert float(sigmoid(z)) == pytest.approx(float(ref), rel=1e-15, abs=1e-320)
        assert float(silu(z)) == pytest.approx(float(mpmath.mpf(z) * ref), rel=1e-15, abs=1e-300)


def test_sigmoid_float32_matches_mpmath():
    x = np.array([-90.0, -20.0, -1.0, 0.0, 2.5, 20.0, 90.0], dtype=np.float32)
    s = sigmoid(x)
    assert s.dtype == np.float32
    with mpmath.workdps(50):
        ref = [float(1 / (1 + mpmath.exp(-mpmath.mpf(float(v))))) for v in x]
    np.testing.assert_allclose(s, ref, rtol=1e-6, atol=1e-44)


def mp_softmax_entropy(z, temperature=1.0) -> float:
    """The entropy of softmax(z/T) from exact inputs, 80 digits: with the exponents shifted
    so the largest is 0, log Σ e^s is log1p of the other terms (no digit of a tiny sum lost
    against 1), and each class contributes p_i (L - s_i)."""
    with mpmath.workdps(80):
        t = mpmath.mpf(float(temperature))
        exact = [mpmath.mpf(float(v)) for v in z]
        top = max(exact)
        s = [(v - top) / t for v in exact]
        first = s.index(0)
        rest = mpmath.fsum(mpmath.exp(v) for i, v in enumerate(s) if i != first)
        lse = mpmath.log1p(rest)
        return float(mpmath.fsum(mpmath.exp(v - lse) * (lse - v) for v in s))


spread = st.one_of(
    st.floats(-1e4, 1e4, allow_nan=False),
    st.sampled_from([0.0, 1.0, -1.0, 100.0, -100.0, 745.0, -745.0, 1e-300, 5e-324]),
)


@settings(max_examples=150, deadline=None)
@given(
    z=st.lists(spread, min_size=1, max_size=8),
    temperature=st.sampled_from([0.01, 0.1, 0.5, 1.0, 2.0, 10.0, 100.0]),
)
@example(z=[100.0, -100.0, 0.0], temperature=1.0)  # the winner's part: 1 % of H
@example(z=[1000.0, -1000.0, 0.0], temperature=10.0)
@example(z=[3.0, 3.0, 1.0], temperature=1.0)  # a tie
@example(z=[5.0] * 8, temperature=0.01)  # uniform: log 8
@example(z=[0.0, 1e-300], temperature=1.0)
def test_softmax_entropy_matches_mpmath(z, temperature):
    """Every digit a float64 can hold, for ties, huge gaps (a winner whose p rounds to 1
    keeps its part of H) and tiny ones; never above log K, never below 0."""
    h = float(softmax_entropy(z, temperature=temperature))
    ref = mp_softmax_entropy(z, temperature)
    assert h == pytest.approx(ref, rel=1e-12, abs=1e-300), (z, temperature, h, ref)
    assert 0.0 <= h <= np.log(len(z)) * (1 + 1e-15)

"""Properties that must hold for every finite input (hypothesis).

Any RuntimeWarning fails these tests: pytest runs with ``filterwarnings = error``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmax_core import (
    cross_entropy,
    entropy,
    log_softmax,
    logsumexp,
    naive_softmax,
    sigmoid,
    sigmoid_derivative,
    silu,
    silu_derivative,
    softmax,
    softmax_jacobian,
)
from softmax_core.softmax import _shift_by_max, _softmax_unshifted

SETTINGS = settings(max_examples=100, deadline=None)

any_finite = st.floats(allow_nan=False, allow_infinity=False)  # includes +-1.8e308, subnormals
moderate = st.floats(-1e3, 1e3, allow_nan=False)
mixed = st.one_of(moderate, any_finite, st.sampled_from([0.0, 700.0, -700.0, 1e308, -1e308]))


def logits(elements=mixed, dtype=np.float64, min_side=1, max_side=12):
    """1-D or 2-D float arrays of the given elements."""
    shapes = hnp.array_shapes(min_dims=1, max_dims=2, min_side=min_side, max_side=max_side)
    return hnp.arrays(dtype, shapes, elements=elements)


temperatures = st.floats(0.05, 20.0)


@SETTINGS
@given(logits())
def test_probabilities_in_unit_interval_and_sum_to_one(x):
    p = softmax(x)
    assert p.shape == x.shape and p.dtype == x.dtype
    assert np.isfinite(p).all()
    assert ((p >= 0) & (p <= 1)).all()
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-13)


@SETTINGS
@given(
    st.sampled_from([np.float16, np.float32]).flatmap(
        lambda dt: logits(
            hnp.from_dtype(np.dtype(dt), allow_nan=False, allow_infinity=False), dtype=dt
        )
    )
)
@example(np.array([9.3400496e33, -3.4027302e38], dtype=np.float32))  # log p = -3.4028236e38
def test_low_precision_stays_in_dtype_and_sums_to_one(x):
    p = softmax(x)
    assert p.dtype == x.dtype
    assert ((p >= 0) & (p <= 1)).all()
    tol = 20 * float(np.finfo(x.dtype).eps)
    np.testing.assert_allclose(p.astype(np.float64).sum(axis=-1), 1.0, atol=tol)
    # log p is finite wherever it is in the dtype's range (f16's is tiny; in f32 a log p just
    # past -3.4e38, e.g. [9.34e33, -3.40273e38], is -inf by IEEE rounding, not by instability)
    exact = log_softmax(x.astype(np.float64))
    fits = np.abs(exact) <= float(np.finfo(x.dtype).max) * (1 - float(np.finfo(x.dtype).eps))
    assert np.isfinite(log_softmax(x)[fits]).all()


@SETTINGS
@given(logits(moderate), st.floats(-1e3, 1e3))
def test_shift_invariance(x, c):
    np.testing.assert_allclose(softmax(x + c), softmax(x), rtol=1e-9, atol=1e-12)


@SETTINGS
@given(logits())
def test_largest_logit_gets_largest_probability_and_order_is_kept(x):
    p = softmax(x)
    rows_x, rows_p = np.atleast_2d(x), np.atleast_2d(p)
    for zx, zp in zip(rows_x, rows_p, strict=True):
        assert zp[np.argmax(zx)] == zp.max()
        order = np.argsort(zx, kind="stable")
        assert (np.diff(zp[order]) >= 0).all()  # monotone: bigger logit, no smaller probability


@SETTINGS
@given(any_finite, any_finite)
def test_two_class_softmax_is_sigmoid_of_difference(z1, z2):
    with np.errstate(over="ignore"):  # z1 - z2 may overflow to +-inf; sigmoid handles that
        d = np.float64(z1) - np.float64(z2)
    np.testing.assert_allclose(softmax([z1, z2])[0], sigmoid(d), rtol=1e-12, atol=1e-15)


@SETTINGS
@given(logits())
def test_log_softmax_is_log_of_softmax_where_representable(x):
    lp, p = log_softmax(x), softmax(x)
    assert not np.isnan(lp).any() and (lp <= 0).all()
    normal = p >= np.finfo(np.float64).smallest_normal
    np.testing.assert_allclose(lp[normal], np.log(p[normal]), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(np.exp(lp), p, rtol=1e-12, atol=1e-300)


@SETTINGS
@given(logits())
def test_logsumexp_bounds_and_relation_to_log_softmax(x):
    lse = logsumexp(x)
    m = x.max(axis=-1)
    k = x.shape[-1]
    assert np.isfinite(lse).all()
    assert (lse >= m).all() and (lse <= m + np.log(k) * (1 + 1e-15) + 1e-300).all()
    moderate_rows = np.abs(x).max(axis=-1) < 1e6
    with np.errstate(over="ignore"):  # only moderate rows are compared
        direct = x - lse[..., None]
    np.testing.assert_allclose(
        direct[moderate_rows], log_softmax(x)[moderate_rows], rtol=1e-12, atol=1e-9
    )


@SETTINGS
@given(logits(st.floats(-10, 10), min_side=1, max_side=6).filter(lambda a: a.ndim == 1))
def test_jacobian_matches_central_finite_differences(x):
    h = 1e-6
    jac = softmax_jacobian(x)
    fd = np.empty_like(jac)
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        fd[:, j] = (softmax(x + step) - softmax(x - step)) / (2 * h)
    np.testing.assert_allclose(jac, fd, atol=1e-8)
    np.testing.assert_allclose(jac, jac.T, atol=1e-17)
    np.testing.assert_allclose(jac.sum(axis=1), 0, atol=1e-15)


@SETTINGS
@given(logits(st.floats(-100, 100)), temperatures)
def test_temperature_equals_scaling_logits(x, t):
    np.testing.assert_allclose(softmax(x, temperature=t), softmax(x / t), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        log_softmax(x, temperature=t), log_softmax(x / t), rtol=1e-9, atol=1e-9
    )


@SETTINGS
@given(logits(), temperatures)
def test_temperature_never_changes_the_winner(x, t):
    p = softmax(x, temperature=t)
    for zx, zp in zip(np.atleast_2d(x), np.atleast_2d(p), strict=True):
        assert zp[np.argmax(zx)] == zp.max()


@SETTINGS
@given(logits(moderate))
def test_unshifted_fast_path_agrees_with_shifted_path(x):
    fast = _softmax_unshifted(x, -1)
    shifted, _ = _shift_by_max(x, -1)
    ref = np.exp(shifted)
    ref /= ref.sum(axis=-1, keepdims=True)
    if fast is not None:
        np.testing.assert_allclose(fast, ref, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(softmax(x), ref, rtol=1e-13, atol=1e-300)


@SETTINGS
@given(logits(st.floats(-50, 50)))
def test_naive_formula_is_fine_for_small_logits(x):
    np.testing.assert_allclose(naive_softmax(x), softmax(x), rtol=1e-12, atol=1e-300)


@SETTINGS
@given(logits(), st.data())
def test_cross_entropy_is_logsumexp_minus_target_logit(x, data):
    x2 = np.atleast_2d(x)
    target = data.draw(hnp.arrays(np.int64, x2.shape[0], elements=st.integers(0, x2.shape[1] - 1)))
    ce = cross_entropy(x2, target)
    assert (ce >= 0).all() and not np.isnan(ce).any()
    moderate_rows = np.abs(x2).max(axis=-1) < 1e6
    with np.errstate(over="ignore"):  # only moderate rows are compared
        expected = logsumexp(x2) - x2[np.arange(x2.shape[0]), target]
    np.testing.assert_allclose(ce[moderate_rows], expected[moderate_rows], rtol=1e-12, atol=1e-9)


@SETTINGS
@given(logits())
def test_entropy_of_softmax_between_zero_and_log_k(x):
    h = entropy(softmax(x))
    assert (h >= 0).all() and (h <= np.log(x.shape[-1]) + 1e-12).all()


@SETTINGS
@given(logits())
def test_elementwise_activations_are_finite_and_bounded_for_finite_input(x):
    s = sigmoid(x)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(s + sigmoid(-x), 1.0, atol=1e-15)
    d = sigmoid_derivative(x)
    assert ((d >= 0) & (d <= 0.25)).all()
    assert np.isfinite(silu(x)).all()
    sd = silu_derivative(x)
    assert np.isfinite(sd).all() and (sd >= -0.1).all() and (sd <= 1.1).all()

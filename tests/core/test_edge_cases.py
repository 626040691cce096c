"""Edge cases: empty, masking, NaN, axes, dtypes, temperatures, scalars, extremes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import softmax_core
from softmax_core import (
    cross_entropy,
    diagnose_naive,
    entropy,
    leaky_relu,
    log_softmax,
    logsumexp,
    naive_softmax,
    nll,
    relu,
    sigmoid,
    silu,
    softmax,
    softmax_jacobian,
)

inf, nan = np.inf, np.nan
DTYPES = [np.float16, np.float32, np.float64]


# --- empty and scalar input -----------------------------------------------------------------


@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3)])
def test_empty_in_empty_out(shape):
    x = np.zeros(shape)
    for f in (softmax, log_softmax, naive_softmax):
        out = f(x)
        assert out.shape == shape and out.dtype == np.float64
    assert softmax([]).shape == (0,)


def test_logsumexp_of_empty_is_minus_infinity():
    assert logsumexp([]) == -inf
    np.testing.assert_array_equal(logsumexp(np.zeros((2, 0))), [-inf, -inf])
    assert logsumexp(np.zeros((0, 3))).shape == (0,)
    assert entropy([]) == 0.0


def test_scalar_is_a_single_logit():
    assert float(softmax(3.0)) == 1.0
    assert float(log_softmax(-5.0)) == 0.0
    assert float(logsumexp(2.5)) == 2.5


# --- masking, NaN and infinities -------------------------------------------------------------


def test_minus_inf_gets_exactly_zero_probability():
    p = softmax([0.0, -inf, 0.0])
    np.testing.assert_array_equal(p, [0.5, 0.0, 0.5])
    lp = log_softmax([0.0, -inf, 0.0])
    assert lp[1] == -inf
    np.testing.assert_allclose(lp[[0, 2]], np.log(0.5))
    # also on the max-shift path (huge logits)
    np.testing.assert_array_equal(softmax([1e300, -inf, 1e300]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(softmax([1.0, -inf], temperature=0.3), [1.0, 0.0])


def test_all_minus_inf_slice_is_nan_only_there():
    x = np.array([[-inf, -inf], [0.0, 0.0]])
    for temperature in (1.0, 2.0):
        p = softmax(x, temperature=temperature)
        assert np.isnan(p[0]).all()
        np.testing.assert_array_equal(p[1], [0.5, 0.5])
        lp = log_softmax(x, temperature=temperature)
        assert np.isnan(lp[0]).all()
        np.testing.assert_allclose(lp[1], np.log(0.5))
    np.testing.assert_allclose(logsumexp(x), [-inf, np.log(2)])


def test_nan_propagates_in_its_slice_only():
    x = np.array([[nan, 1.0], [1.0, 2.0]])
    p = softmax(x)
    assert np.isnan(p[0]).all()
    np.testing.assert_allclose(p[1], [0.26894142, 0.73105858], rtol=1e-8)
    assert np.isnan(log_softmax(x)[0]).all() and np.isfinite(log_softmax(x)[1]).all()
    lse = logsumexp(x)
    assert np.isnan(lse[0]) and np.isfinite(lse[1])
    assert np.isnan(softmax(x, axis=None)).all()
    assert np.isnan(softmax(x, axis=0)[:, 0]).all() and np.isfinite(softmax(x, axis=0)[:, 1]).all()
    assert np.isnan(entropy([nan, 0.5]))
    assert np.isnan(cross_entropy([nan, 1.0], 1))


def test_plus_inf_slice_is_nan_and_logsumexp_is_inf():
    x = np.array([[inf, 0.0], [0.0, 0.0]])
    assert np.isnan(softmax(x)[0]).all() and np.isnan(log_softmax(x)[0]).all()
    np.testing.assert_allclose(logsumexp(x), [inf, np.log(2)])


def test_extreme_finite_logits():
    np.testing.assert_array_equal(softmax([1e308, -1e308, 0.0]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(softmax([-1e308, 1e308]), [0.0, 1.0])
    np.testing.assert_array_equal(log_softmax([1000.0, 0.0]), [0.0, -1000.0])
    np.testing.assert_array_equal(log_softmax([1e308, 1e308]), [-np.log(2), -np.log(2)])
    assert log_softmax([1e308, -1e308])[1] == -inf  # the true -2e308 is beyond float64
    f = np.finfo(np.float64)
    np.testing.assert_array_equal(softmax([f.max, f.max]), [0.5, 0.5])
    np.testing.assert_array_equal(softmax([f.smallest_subnormal, 0.0]), [0.5, 0.5])
    np.testing.assert_array_equal(softmax(np.array([6e4, -6e4], dtype=np.float16)), [1.0, 0.0])


def test_extreme_temperatures():
    np.testing.assert_array_equal(softmax([1.0, 2.0, 3.0], temperature=1e-300), [0, 0, 1])
    np.testing.assert_allclose(softmax([1.0, 2.0, 3.0], temperature=1e300), [1 / 3] * 3)
    np.testing.assert_array_equal(softmax([1e308, 0.0], temperature=0.01), [1.0, 0.0])
    np.testing.assert_array_equal(log_softmax([1.0, 2.0], temperature=1e-300)[1], 0.0)


def test_log_probability_logits_round_trip():
    p = np.array([0.7, 0.2, 0.1, 0.0])
    with np.errstate(divide="ignore"):
        z = np.log(p)
    np.testing.assert_allclose(softmax(z), p, rtol=1e-15)


# --- axes -----------------------------------------------------------------------------------


def test_axis_none_normalises_whole_array():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    p = softmax(x, axis=None)
    assert p.shape == (2, 2)
    assert p.sum() == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(p.ravel(), softmax(x.ravel()))
    np.testing.assert_allclose(log_softmax(x, axis=None), np.log(p))
    assert float(logsumexp(x, axis=None)) == pytest.approx(float(logsumexp(x.ravel())))
    assert float(entropy(p, axis=None)) == pytest.approx(float(entropy(p.ravel())))


def test_axis_zero_on_2d_and_middle_axis_on_3d():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(softmax(x, axis=0), softmax(x.T, axis=-1).T)
    np.testing.assert_allclose(softmax(x, axis=0).sum(axis=0), 1.0)
    np.testing.assert_allclose(log_softmax(x, axis=0), log_softmax(x.T).T)
    np.testing.assert_allclose(logsumexp(x, axis=0), logsumexp(x.T))
    y = np.random.default_rng(0).standard_normal((2, 3, 4)) * 300
    np.testing.assert_allclose(
        softmax(y, axis=1), np.moveaxis(softmax(np.moveaxis(y, 1, -1)), -1, 1)
    )
    np.testing.assert_allclose(softmax(y, axis=1).sum(axis=1), 1.0)
    np.testing.assert_allclose(cross_entropy(y, np.zeros((2, 4), int), axis=1).shape, (2, 4))


def test_non_contiguous_input():
    x = np.random.default_rng(0).standard_normal((6, 8))[:, ::2]
    np.testing.assert_allclose(softmax(x), softmax(np.ascontiguousarray(x)))
    np.testing.assert_allclose(softmax(x.T), softmax(np.ascontiguousarray(x.T)))


# --- dtypes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_float_dtypes_are_preserved(dtype):
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]], dtype=dtype)
    for f in (softmax, log_softmax, naive_softmax, sigmoid, relu, leaky_relu, silu):
        assert f(x).dtype == dtype, f.__name__
    assert softmax(x, temperature=0.5).dtype == dtype
    assert logsumexp(x).dtype == dtype
    assert entropy(softmax(x)).dtype == dtype
    assert softmax_jacobian(x[0]).dtype == dtype
    assert cross_entropy(x, [0, 1]).dtype == dtype


@pytest.mark.parametrize("x", [[1, 2, 3], [True, False], np.array([1, 2], dtype=np.uint8)])
def test_integer_and_bool_input_becomes_float64(x):
    assert softmax(x).dtype == np.float64
    assert log_softmax(x).dtype == np.float64
    assert sigmoid(x).dtype == np.float64
    np.testing.assert_allclose(softmax([1, 2]), softmax([1.0, 2.0]))


def test_complex_input_is_rejected_and_input_is_not_modified():
    with pytest.raises(TypeError):
        softmax([1 + 1j, 2])
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    for f in (softmax, log_softmax, naive_softmax, sigmoid):
        f(x)
    np.testing.assert_array_equal(x, before)
    assert softmax(x) is not x


# --- temperature validation -----------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 0.0, -1.0, nan, inf, -inf, "1", None, True, 1j])
def test_bad_temperature_is_a_value_error_naming_temperature(bad):
    calls = [
        lambda: softmax([1.0, 2.0], temperature=bad),
        lambda: log_softmax([1.0, 2.0], temperature=bad),
        lambda: naive_softmax([1.0, 2.0], temperature=bad),
        lambda: softmax_jacobian([1.0, 2.0], temperature=bad),
        lambda: diagnose_naive([1.0, 2.0], temperature=bad),
        lambda: nll([[1.0, 2.0]], [0], temperature=bad),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="temperature"):
            call()


def test_numpy_scalar_temperature_is_fine():
    np.testing.assert_allclose(
        softmax([1.0, 2.0], temperature=np.float32(2.0)), softmax([0.5, 1.0])
    )


# --- the package itself ---------------------------------------------------------------------


def test_public_api_is_exported():
    expected = {
        "softmax", "naive_softmax", "log_softmax", "logsumexp", "softmax_jacobian",
        "sigmoid", "relu", "leaky_relu", "silu", "sigmoid_derivative", "relu_derivative",
        "leaky_relu_derivative", "silu_derivative", "cross_entropy", "cross_entropy_gradient",
        "entropy", "exp_limits", "ExpLimits", "diagnose_naive", "NaiveDiagnosis", "sample",
        "sample_counts", "top_k_filter", "top_p_filter", "nll", "fit_temperature",
        "reliability_bins", "ReliabilityBins", "expected_calibration_error",
        "make_overconfident_classifier", "train_test_split_indices",
    }  # fmt: skip
    assert expected <= set(softmax_core.__all__)
    for name in softmax_core.__all__:
        assert getattr(softmax_core, name) is not None


def test_core_imports_only_numpy():
    code = (
        "import sys, softmax_core\n"
        "bad = [m for m in ('scipy', 'streamlit', 'plotly', 'pandas') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == ""


def test_huge_logit_missed_by_the_fast_path_probe_is_still_handled():
    # The probe only looks at every other entry here; index 1 is never probed.
    x = np.zeros(10_000)
    x[1] = 1000.0
    p = softmax(x)
    assert p[1] == 1.0 and (np.delete(p, 1) == 0.0).all()
    rows = np.zeros((5000, 4))
    rows[3, 1] = 800.0
    p = softmax(rows)
    np.testing.assert_array_equal(p[3], [0.0, 1.0, 0.0, 0.0])
    np.testing.assert_array_equal(p[0], [0.25] * 4)
    # every row summing below 1 (very negative logits) also falls back correctly
    np.testing.assert_allclose(softmax(np.full((3, 4), -800.0)), 0.25)

"""The naive formula really fails, exp_limits are exact, and diagnose_naive explains why."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from softmax_core import ExpLimits, diagnose_naive, exp_limits, naive_softmax, softmax

DTYPES = [np.float16, np.float32, np.float64]


def exp_in(dtype, value) -> np.floating:
    """IEEE exp of ``value`` in ``dtype`` (array path, as the library uses)."""
    with np.errstate(all="ignore"):
        return np.exp(np.array([value], dtype=dtype))[0]


# --- the naive formula fails exactly where IEEE arithmetic does ----------------------------


def test_float64_overflow_gives_nan():
    out = naive_softmax([1000.0, 1001.0])
    assert out.dtype == np.float64
    assert np.isnan(out).all()
    np.testing.assert_allclose(softmax([1000.0, 1001.0]), [0.26894142, 0.73105858], rtol=1e-8)


def test_float32_89_and_0_is_exactly_nan_and_zero():
    x = np.array([89.0, 0.0], dtype=np.float32)
    out = naive_softmax(x)
    assert out.dtype == np.float32
    assert np.isnan(out[0]) and out[1] == 0.0  # inf/inf and 1/inf
    # ... while 88 is still inside float32's range and gives the right answer
    np.testing.assert_allclose(
        naive_softmax(np.array([88.0, 0.0], dtype=np.float32)), [1.0, 0.0], atol=1e-7
    )
    np.testing.assert_allclose(softmax(x), [1.0, 0.0], atol=1e-30)


def test_all_very_negative_gives_zero_over_zero():
    out = naive_softmax([-1000.0, -1000.0])
    assert np.isnan(out).all()
    np.testing.assert_array_equal(softmax([-1000.0, -1000.0]), [0.5, 0.5])


def test_float32_vector_fine_at_t1_overflows_at_low_temperature():
    x = np.array([10.0, 9.0, 8.0], dtype=np.float32)
    np.testing.assert_allclose(naive_softmax(x), softmax(x), rtol=1e-6)
    cold = naive_softmax(x, temperature=0.1)  # z/T = 100 > 88.72
    assert cold.dtype == np.float32
    assert np.isnan(cold[:2]).all() and cold[2] == 0.0
    stable = softmax(x, temperature=0.1)
    assert np.isfinite(stable).all()
    np.testing.assert_allclose(stable.sum(), 1.0, rtol=1e-6)


def test_naive_matches_literal_ieee_arithmetic_and_never_warns():
    rng = np.random.default_rng(1)
    for dtype in DTYPES:
        x = (rng.standard_normal((4, 6)) * 40).astype(dtype)
        for t in (0.1, 1.0, 3.0):
            with np.errstate(all="ignore"):
                e = np.exp(x / dtype(t))
                expected = e / e.sum(axis=-1, keepdims=True)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                got = naive_softmax(x, temperature=t)
            assert got.dtype == dtype
            np.testing.assert_array_equal(got, expected)


# --- exp_limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dtype", "overflow", "subnormal", "underflow"),
    [
        (np.float64, 709.78, -708.40, -745.13),
        (np.float32, 88.72, -87.34, -103.97),
        (np.float16, 11.09, -9.70, -17.33),
    ],
)
def test_exp_limits_values_and_exact_boundaries(dtype, overflow, subnormal, underflow):
    lim = exp_limits(dtype)
    assert isinstance(lim, ExpLimits) and lim.dtype == np.dtype(dtype).name
    assert lim.overflow == pytest.approx(overflow, abs=0.01)
    assert lim.subnormal == pytest.approx(subnormal, abs=0.01)
    assert lim.underflow == pytest.approx(underflow, abs=0.01)
    for v in (lim.overflow, lim.subnormal, lim.underflow):
        assert float(dtype(v)) == v  # exactly representable in the dtype
    up, down = dtype(np.inf), dtype(-np.inf)
    tiny = np.finfo(dtype).smallest_normal
    over, sub, under = dtype(lim.overflow), dtype(lim.subnormal), dtype(lim.underflow)
    assert np.isfinite(exp_in(dtype, over))
    assert np.isposinf(exp_in(dtype, np.nextafter(over, up)))
    assert exp_in(dtype, sub) >= tiny
    assert 0 < exp_in(dtype, np.nextafter(sub, down)) < tiny
    assert exp_in(dtype, under) > 0
    assert exp_in(dtype, np.nextafter(under, down)) == 0


def test_exp_limits_accepts_dtype_type_and_name():
    assert exp_limits("float32") == exp_limits(np.float32) == exp_limits(np.dtype("float32"))
    assert exp_limits(float) == exp_limits("float64") == exp_limits()
    with pytest.raises(dataclasses.FrozenInstanceError):
        exp_limits("float64").overflow = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["int32", "float128", np.longdouble, "complex128", None, "nope", 3])
def test_exp_limits_rejects_other_dtypes(bad):
    with pytest.raises(ValueError, match="float16, float32 or float64"):
        exp_limits(bad)


# --- diagnose_naive -------------------------------------------------------------------------


def test_diagnosis_of_float64_overflow():
    d = diagnose_naive([1000.0, 1001.0])
    assert d.dtype == "float64" and not d.ok
    assert d.exp_overflow.tolist() == [True, True]
    assert d.nan_inf_over_inf.tolist() == [True, True]
    assert not d.nan_zero_over_zero.any() and not d.exp_underflow.any()
    assert d.total == np.inf
    np.testing.assert_allclose(d.stable, [0.26894142, 0.73105858], rtol=1e-8)
    assert d.reasons[1] == (
        "z/T = 1001 is above 709.78, the largest exponent float64 can hold, "
        "so exp overflowed to inf; inf/inf is NaN."
    )
    assert "2 of 2 exponentials overflowed" in d.summary and "NaN" in d.summary
    assert d.limits == exp_limits("float64")


def test_diagnosis_of_float32_89_and_0():
    d = diagnose_naive([89.0, 0.0], dtype="float32")
    assert d.exps.dtype == np.float32 and d.scaled.dtype == np.float32
    assert np.isposinf(d.exps[0]) and d.exps[1] == 1.0
    assert np.isnan(d.naive[0]) and d.naive[1] == 0.0
    assert d.exp_overflow.tolist() == [True, False]
    assert d.nan_inf_over_inf.tolist() == [True, False]
    assert d.wrong_but_finite.tolist() == [False, False]  # 1/inf = 0 and the truth is 2e-39
    assert "88.72" in d.reasons[0] and "inf/inf is NaN" in d.reasons[0]
    assert "1/inf = 0" in d.reasons[1]


def test_diagnosis_of_zero_over_zero():
    d = diagnose_naive([-1000.0, -1000.0])
    assert d.exp_underflow.all() and d.nan_zero_over_zero.all() and not d.exp_overflow.any()
    assert d.total == 0.0
    np.testing.assert_array_equal(d.stable, [0.5, 0.5])
    assert "-745.13" in d.reasons[0] and "0/0 is NaN" in d.reasons[0]
    assert "underflowed to 0" in d.summary


def test_diagnosis_of_low_temperature_overflow_in_float32():
    fine = diagnose_naive([10.0, 9.0, 8.0], temperature=1.0, dtype="float32")
    assert fine.ok and "works" in fine.summary
    assert all("matches the stable softmax" in r for r in fine.reasons)
    cold = diagnose_naive([10.0, 9.0, 8.0], temperature=0.1, dtype="float32")
    assert not cold.ok
    assert cold.exp_overflow.tolist() == [True, True, False]
    np.testing.assert_allclose(cold.scaled, [100.0, 90.0, 80.0], rtol=1e-6)
    assert "z/T = 100 is above 88.72" in cold.reasons[0]


def test_wrong_but_finite_cases():
    # float32: 1.65e38 / inf = 0 although the true probability is 0.27
    d = diagnose_naive([89.0, 88.0], dtype="float32")
    assert d.wrong_but_finite.tolist() == [False, True]
    assert "although the true probability is 0.2689" in d.reasons[1]
    # float16: each exp(11) = 59872 is finite, but the sum overflows
    d = diagnose_naive([11.0, 11.0], dtype="float16")
    assert not d.exp_overflow.any() and d.wrong_but_finite.all() and d.total == np.inf
    assert "sum overflowed to inf" in d.reasons[0]
    # float64: subnormal exponentials keep only a few digits
    d = diagnose_naive([-740.0, -741.0])
    assert d.wrong_but_finite.all() and "subnormal" in d.reasons[0]


def test_underflow_of_a_negligible_term_is_flagged_but_ok():
    d = diagnose_naive([-800.0, -740.0])
    assert d.exp_underflow.tolist() == [True, False]
    assert d.ok and "too small to matter" in d.reasons[0]


def test_masked_logit_is_not_an_underflow():
    d = diagnose_naive([1.0, -np.inf, 2.0])
    assert d.ok and not d.exp_underflow.any()
    assert "masked" in d.reasons[1]


def test_value_beyond_float16_range():
    d = diagnose_naive([70000.0, 0.0], dtype="float16")
    assert np.isposinf(d.scaled[0]) and d.exp_overflow[0]
    assert "does not fit in float16" in d.reasons[0]
    np.testing.assert_allclose(d.stable, [1.0, 0.0])


def test_diagnosis_is_consistent_with_the_library_and_read_only():
    rng = np.random.default_rng(3)
    for dtype in ("float16", "float32", "float64"):
        for t in (0.1, 1.0, 5.0):
            x = rng.standard_normal(7) * 60
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                d = diagnose_naive(x, temperature=t, dtype=dtype)
            stored = x.astype(dtype)
            np.testing.assert_array_equal(d.naive, naive_softmax(stored, temperature=t))
            assert d.naive.dtype == np.dtype(dtype) and d.stable.dtype == np.float64
            assert len(d.reasons) == 7 and all(r.endswith(".") for r in d.reasons)
            assert d.ok == bool(np.isfinite(d.naive).all() and not d.wrong_but_finite.any())
            assert isinstance(d.summary, str) and d.summary
            with pytest.raises(ValueError):
                d.naive[0] = 0.0
            with pytest.raises(dataclasses.FrozenInstanceError):
                d.ok = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x": [[1.0, 2.0]]}, "1-D"),
        ({"x": []}, "1-D"),
        ({"x": [1.0], "temperature": 0.0}, "temperature"),
        ({"x": [1.0], "dtype": "int8"}, "float16, float32 or float64"),
    ],
)
def test_diagnosis_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagnose_naive(**kwargs)

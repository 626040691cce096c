"""The naive formula really fails, exp_limits are exact, and diagnose_naive records why."""

from __future__ import annotations

import dataclasses
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmax_core import (
    Division,
    ExpLimits,
    ExpOutcome,
    diagnose_naive,
    exp_limits,
    naive_softmax,
    softmax,
)

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


def outcomes(d):
    return [(e.exp_outcome, e.division) for e in d.elements]


def test_diagnosis_of_float64_overflow():
    d = diagnose_naive([1000.0, 1001.0])
    assert d.dtype == "float64" and not d.ok
    assert d.exp_overflow.tolist() == [True, True]
    assert d.nan_inf_over_inf.tolist() == [True, True]
    assert not d.nan_zero_over_zero.any() and not d.exp_underflow.any()
    assert d.total == np.inf
    np.testing.assert_allclose(d.stable, [0.26894142, 0.73105858], rtol=1e-8)
    assert outcomes(d) == [(ExpOutcome.OVERFLOW, Division.INF_OVER_INF)] * 2
    assert d.elements[1].exponent == 1001.0 > d.limits.overflow
    assert d.limits == exp_limits("float64")


def test_diagnosis_of_float32_89_and_0():
    d = diagnose_naive([89.0, 0.0], dtype="float32")
    assert d.exps.dtype == np.float32 and d.scaled.dtype == np.float32
    assert np.isposinf(d.exps[0]) and d.exps[1] == 1.0
    assert np.isnan(d.naive[0]) and d.naive[1] == 0.0
    assert d.exp_overflow.tolist() == [True, False]
    assert d.nan_inf_over_inf.tolist() == [True, False]
    # 1/inf = 0, and the truth, 2.2e-39, is a float32 (subnormal): wrong
    assert d.wrong_but_finite.tolist() == [False, True]
    assert outcomes(d) == [
        (ExpOutcome.OVERFLOW, Division.INF_OVER_INF),
        (ExpOutcome.NORMAL, Division.SUM_INF_WRONG),
    ]
    d = diagnose_naive([104.0, 0.0], dtype="float32")  # the truth, e^-104, is not a float32
    assert outcomes(d)[1] == (ExpOutcome.NORMAL, Division.SUM_INF_MATCHES)


def test_diagnosis_of_zero_over_zero():
    d = diagnose_naive([-1000.0, -1000.0])
    assert d.exp_underflow.all() and d.nan_zero_over_zero.all() and not d.exp_overflow.any()
    assert d.total == 0.0
    np.testing.assert_array_equal(d.stable, [0.5, 0.5])
    assert outcomes(d) == [(ExpOutcome.UNDERFLOW, Division.ZERO_OVER_ZERO)] * 2
    assert d.elements[0].exponent < d.limits.underflow


def test_diagnosis_of_low_temperature_overflow_in_float32():
    fine = diagnose_naive([10.0, 9.0, 8.0], temperature=1.0, dtype="float32")
    assert fine.ok and outcomes(fine) == [(ExpOutcome.NORMAL, Division.MATCHES)] * 3
    cold = diagnose_naive([10.0, 9.0, 8.0], temperature=0.1, dtype="float32")
    assert not cold.ok
    assert cold.exp_overflow.tolist() == [True, True, False]
    np.testing.assert_allclose(cold.scaled, [100.0, 90.0, 80.0], rtol=1e-6)
    np.testing.assert_allclose(cold.exact_scaled, [100.0, 90.0, 80.0], rtol=1e-15)
    assert cold.elements[0].exp_outcome is ExpOutcome.OVERFLOW


def test_wrong_but_finite_cases():
    # float32: 1.65e38 / inf = 0 although the true probability is 0.27
    d = diagnose_naive([89.0, 88.0], dtype="float32")
    assert d.wrong_but_finite.tolist() == [False, True]
    assert d.elements[1].division is Division.SUM_INF_WRONG
    assert d.elements[1].stable == pytest.approx(0.2689414, rel=1e-6)
    # float16: each exp(11) = 59872 is finite, but the sum overflows
    d = diagnose_naive([11.0, 11.0], dtype="float16")
    assert not d.exp_overflow.any() and d.wrong_but_finite.all() and d.total == np.inf
    assert d.sum_overflowed and d.elements[0].division is Division.SUM_INF_WRONG
    # float64: subnormal exponentials keep only a few digits
    d = diagnose_naive([-740.0, -741.0])
    assert d.wrong_but_finite.all() and d.exp_subnormal.all()
    assert outcomes(d)[0] == (ExpOutcome.SUBNORMAL, Division.WRONG)


def test_underflow_of_a_negligible_term_is_flagged_but_ok():
    """A 0 is right where the dtype cannot hold the true probability either."""
    d = diagnose_naive([-3.0, -120.0], dtype="float32")  # p = e^-117 = 1.5e-51
    assert d.exp_underflow.tolist() == [False, True]
    assert d.ok and d.elements[1].division is Division.NEGLIGIBLE


def test_a_zero_where_the_dtype_holds_the_true_probability_is_wrong():
    """e^-60 = 8.8e-27 is a normal float64, and the naive 0 is wrong: it counted as right
    within an absolute 16 eps, and so did float32's 0 for a true 2e-09 (a quiz marked the
    student who said so wrong) and float16's 0 for 2.27e-05 (a sentence said it matched)."""
    for z, dtype, index in (
        ([-800.0, -740.0], "float64", 0),
        ([-100.0, -120.0, -120.0], "float32", 1),
        ([11.0, 11.0, 1.0], "float16", 2),
    ):
        d = diagnose_naive(z, dtype=dtype)
        assert d.naive[index] == 0 and d.stable[index] > 16 * np.finfo(dtype).smallest_subnormal
        assert d.wrong_but_finite[index] and not d.ok, (z, dtype)


@settings(deadline=None)  # (made before tests/ui/conftest.py loads the project's profile)
@given(
    hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-2e4, 2e4)),
    st.sampled_from(DTYPES),
    st.sampled_from([0.01, 0.5, 1.0, 3.0]),
)
@example(np.array([-100.0, -120.0, -120.0]), np.float32, 1.0)
@example(np.array([5.0, 5.0, 5.0]), np.float16, 1.0)
@example(np.array([-1.0, -10000.0]), np.float64, 100.0)  # the reference 22 eps off (CI run 78)
def test_a_naive_probability_counts_as_right_only_within_the_dtypes_precision(z, dtype, t):
    """Oracle, apart from the library: the true probabilities in exact arithmetic (mpmath,
    from the logits as the dtype stores them and divides them). A finite naive probability
    is wrong when it is off by more than the dtype's precision; one within a few units of
    its last place is right."""
    d = diagnose_naive(z, temperature=t, dtype=dtype)
    info = np.finfo(dtype)
    with mpmath.workdps(50):
        scaled = [mpmath.mpf(float(v)) for v in d.scaled]
        if not all(mpmath.isfinite(v) for v in scaled):
            return
        top = max(scaled)
        weights = [mpmath.exp(v - top) for v in scaled]
        exact = [float(w / mpmath.fsum(weights)) for w in weights]
    used = d.stable_exponents
    spreads = 1 + np.abs(used - np.max(used))  # the rounding of the reference's exponents
    rows = zip(d.naive.tolist(), exact, d.wrong_but_finite, spreads, strict=True)
    for naive, true, wrong, spread in rows:
        if not np.isfinite(naive):
            continue
        error = abs(naive - true)
        if error > 32 * info.eps * spread * true + 32 * info.smallest_subnormal:
            assert wrong, (z, dtype, t, naive, true)
        if error <= 2 * info.eps * true + info.smallest_subnormal:
            assert not wrong, (z, dtype, t, naive, true)


def test_masked_logit_is_not_an_underflow():
    d = diagnose_naive([1.0, -np.inf, 2.0])
    assert d.ok and not d.exp_underflow.any()
    assert d.elements[1].exp_outcome is ExpOutcome.MASKED
    assert not d.logits_finite


def test_value_beyond_float16_range():
    d = diagnose_naive([70000.0, 0.0], dtype="float16")
    assert np.isposinf(d.scaled[0]) and d.exp_overflow[0]
    assert d.elements[0].exp_outcome is ExpOutcome.EXPONENT_OUT_OF_RANGE
    assert d.elements[0].exact_exponent == 70000.0
    np.testing.assert_allclose(d.stable, [1.0, 0.0])
    np.testing.assert_array_equal(d.stable_exponents, [70000.0, 0.0])


def test_the_core_returns_facts_not_sentences():
    """Issue 11: no user-facing sentence in softmax_core; the UI words the facts."""
    d = diagnose_naive([1000.0, 1.0], dtype="float32")
    assert not hasattr(d, "reasons") and not hasattr(d, "summary")
    for f in dataclasses.fields(d):
        assert not isinstance(getattr(d, f.name), str) or f.name == "dtype"
    for e in d.elements:
        assert isinstance(e.exp_outcome, ExpOutcome) and isinstance(e.division, Division)


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
            assert len(d.elements) == 7 and [e.index for e in d.elements] == list(range(7))
            assert d.ok == bool(np.isfinite(d.naive).all() and not d.wrong_but_finite.any())
            assert d.ok == all(
                e.division in (Division.MATCHES, Division.NEGLIGIBLE, Division.SUM_INF_MATCHES)
                for e in d.elements
            ) or np.isinf(d.total)
            np.testing.assert_array_equal(d.valid, np.isfinite(d.naive) & ~d.wrong_but_finite)
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

r"""Where does :math:`e^x` break, and why does the naive softmax fail?

A float type can only hold numbers up to ``finfo.max`` and down to the
smallest subnormal, so :math:`e^x` has three thresholds in every dtype:

* ``overflow``  -- the largest x with finite :math:`e^x`
  (:math:`\approx \log(\text{max})`: 709.78 in float64, 88.72 float32, 11.09 float16);
* ``subnormal`` -- below it :math:`e^x` is *subnormal* (smaller than the smallest
  normal number, :math:`\approx \log(\text{smallest normal})`) and keeps only a few
  significant digits (-708.40 / -87.34 / -9.70);
* ``underflow`` -- below it :math:`e^x` rounds to exactly 0
  (:math:`\approx \log(\text{smallest subnormal}/2)`: -745.13 / -103.97 / -17.33).

:func:`exp_limits` finds these exactly, by bisection between neighbouring
floats, and :func:`diagnose_naive` uses them to explain, element by element,
what the textbook formula :math:`e^{z_i/T}/\sum_j e^{z_j/T}` does to some logits.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._validation import FLOAT_DTYPES, as_float_array, check_temperature
from .softmax import naive_softmax, softmax

__all__ = ["ExpLimits", "NaiveDiagnosis", "diagnose_naive", "exp_limits"]


@dataclass(frozen=True)
class ExpLimits:
    """Thresholds of :math:`e^x` in one float dtype (see :func:`exp_limits`)."""

    dtype: str
    #: largest x with finite exp(x)
    overflow: float
    #: smallest x with exp(x) a normal number; below it exp(x) is subnormal
    subnormal: float
    #: smallest x with exp(x) > 0; below it exp(x) rounds to exactly 0
    underflow: float


def _float_dtype(dtype: object) -> np.dtype:
    """Accept ``np.dtype``, a type or a name for float16/32/64; else ``ValueError``."""
    if dtype is None or isinstance(dtype, bool):
        raise ValueError(f"dtype must be float16, float32 or float64, got {dtype!r}")
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"dtype must be float16, float32 or float64, got {dtype!r}") from exc
    if dt not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be float16, float32 or float64, got {dt}")
    return dt


def _boundary(holds: Callable[[np.floating], bool], inside: float, outside: float, dt) -> float:
    """The float ``t`` (in ``dt``) nearest ``outside`` for which ``holds(t)`` is true.

    ``holds(inside)`` must be true and ``holds(outside)`` false. Bisection stops
    when the two ends are neighbouring floats (``np.nextafter``), so the answer
    is exact: ``holds(t)`` and not ``holds(np.nextafter(t, outside))``.
    """
    a, b = dt.type(inside), dt.type(outside)
    assert holds(a) and not holds(b)
    while np.nextafter(a, b) != b:
        mid = dt.type((float(a) + float(b)) / 2)
        if mid in (a, b):
            mid = np.nextafter(a, b)
        if holds(mid):
            a = mid
        else:
            b = mid
    return float(a)


@functools.cache
def _exp_limits(name: str) -> ExpLimits:
    dt = np.dtype(name)
    info = np.finfo(dt)

    def exp(t: np.floating) -> np.floating:
        with np.errstate(all="ignore"):
            return np.exp(np.array([t], dtype=dt))[0]  # the array path, as softmax uses

    def near(v: float) -> tuple[float, float]:
        return math.log(v) - 1.0, math.log(v) + 1.0

    lo, hi = near(float(info.max))
    overflow = _boundary(lambda t: bool(np.isfinite(exp(t))), lo, hi, dt)
    lo, hi = near(float(info.smallest_normal))
    subnormal = _boundary(lambda t: bool(exp(t) >= info.smallest_normal), hi, lo, dt)
    lo, hi = near(float(info.smallest_subnormal))
    underflow = _boundary(lambda t: bool(exp(t) > 0), hi, lo, dt)
    return ExpLimits(name, overflow, subnormal, underflow)


def exp_limits(dtype: object = "float64") -> ExpLimits:
    r"""The exact range of :math:`e^x` in a float dtype.

    Computed from ``np.finfo`` (``log(max)``, ``log(smallest_normal)``,
    ``log(smallest_subnormal)``) and refined by bisection until the boundary
    sits between two neighbouring floats of that dtype, using NumPy's own
    ``np.exp`` in that dtype:

    * ``exp(overflow)`` is finite, ``exp(nextafter(overflow, inf))`` is ``inf``;
    * ``exp(subnormal) >= smallest_normal`` and the next float down is subnormal;
    * ``exp(underflow) > 0`` and ``exp(nextafter(underflow, -inf)) == 0``.

    Parameters
    ----------
    dtype : numpy.dtype, type or str
        ``float16``, ``float32`` or ``float64`` (as ``np.float32``, ``"float32"``, ...).

    Returns
    -------
    ExpLimits
        Frozen dataclass with ``dtype`` (name), ``overflow``, ``subnormal`` and
        ``underflow`` (Python floats, exactly representable in the dtype).

    Raises
    ------
    ValueError
        For any other dtype.

    Examples
    --------
    >>> lim = exp_limits("float64")
    >>> round(lim.overflow, 2), round(lim.subnormal, 2), round(lim.underflow, 2)
    (709.78, -708.4, -745.13)
    >>> round(exp_limits(np.float32).overflow, 2)
    88.72
    >>> exp_limits("float16")
    ExpLimits(dtype='float16', overflow=11.0859375, subnormal=-9.703125, underflow=-17.328125)
    """
    return _exp_limits(_float_dtype(dtype).name)


@dataclass(frozen=True, eq=False)
class NaiveDiagnosis:
    """What the naive softmax formula did to each logit (see :func:`diagnose_naive`).

    Arrays have one entry per logit and are read-only.
    """

    dtype: str
    #: z/T computed in ``dtype``
    scaled: np.ndarray
    #: exp(z/T) in ``dtype`` (IEEE: may be inf or 0)
    exps: np.ndarray
    #: the IEEE sum of ``exps`` in ``dtype`` (may be inf or 0)
    total: float
    #: the naive probabilities exps / total (may contain NaN)
    naive: np.ndarray
    #: the stable softmax, float64, from the same scaled values
    stable: np.ndarray
    #: exp(z/T) overflowed to inf
    exp_overflow: np.ndarray
    #: exp(z/T) rounded to exactly 0 although the true value is > 0
    exp_underflow: np.ndarray
    #: the naive result is NaN because of inf/inf
    nan_inf_over_inf: np.ndarray
    #: the naive result is NaN because of 0/0
    nan_zero_over_zero: np.ndarray
    #: the naive result is a finite number, but not the right one
    wrong_but_finite: np.ndarray
    #: one plain-English sentence per logit
    reasons: tuple[str, ...]
    #: every naive probability is finite and agrees with the stable one
    ok: bool
    #: one or two sentences about the whole vector
    summary: str

    @property
    def limits(self) -> ExpLimits:
        """The :func:`exp_limits` of :attr:`dtype`."""
        return exp_limits(self.dtype)


def _g(value: float, digits: int = 6) -> str:
    """Format a number for a sentence: ``1001``, ``0.7311``, ``8.7e-27``, ``inf``."""
    v = float(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.{digits}g}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def diagnose_naive(
    x: ArrayLike, temperature: float = 1.0, dtype: object = "float64"
) -> NaiveDiagnosis:
    r"""Explain, element by element, what the naive softmax does to ``x``.

    The logits are stored in ``dtype``, divided by :math:`T` (cast to
    ``dtype``) and pushed through :math:`e^{z_i/T}/\sum_j e^{z_j/T}` with IEEE
    arithmetic, exactly as :func:`~softmax_core.naive_softmax` does. Each step
    is recorded and compared with the stable softmax (float64, computed from
    the same scaled values; if some ``z/T`` does not fit in ``dtype`` at all,
    from ``x/T`` in float64). No warnings are emitted.

    A naive probability counts as correct if it is within ``16 * eps`` of the
    stable one (absolute or relative; ``eps`` of ``dtype``).

    Parameters
    ----------
    x : array_like
        1-D logits (at least one).
    temperature : float, default 1.0
        :math:`T > 0`.
    dtype : numpy.dtype, type or str, default "float64"
        float16, float32 or float64.

    Returns
    -------
    NaiveDiagnosis
        Arrays ``scaled``, ``exps``, ``naive``, ``stable``; flags
        ``exp_overflow``, ``exp_underflow``, ``nan_inf_over_inf``,
        ``nan_zero_over_zero``, ``wrong_but_finite``; ``total``; ``reasons``
        (one sentence per logit); ``ok``; ``summary``; and ``limits``.

    Raises
    ------
    ValueError
        If ``x`` is not a non-empty 1-D array, or for a bad temperature or dtype.

    Examples
    --------
    >>> d = diagnose_naive([1000.0, 1001.0])
    >>> d.naive, d.ok
    (array([nan, nan]), False)
    >>> print(d.reasons[1])
    z/T = 1001 is above 709.78, the largest exponent float64 can hold,
    so exp overflowed to inf; inf/inf is NaN.
    >>> diagnose_naive([-1000.0, -1000.0]).nan_zero_over_zero
    array([ True,  True])
    >>> diagnose_naive([1.0, 2.0], temperature=0.1, dtype="float32").ok
    True
    """
    dt = _float_dtype(dtype)
    t = check_temperature(temperature)
    x64 = as_float_array(x).astype(np.float64)
    if x64.ndim != 1 or x64.size == 0:
        raise ValueError(f"diagnose_naive needs non-empty 1-D logits, got shape {x64.shape}")
    lim = exp_limits(dt)
    info = np.finfo(dt)
    k = x64.size

    with np.errstate(all="ignore"):
        stored = x64.astype(dt)  # the logits as `dtype` holds them
        scaled = stored / dt.type(t)
        exps = np.exp(scaled)
        total = np.sum(exps)
        naive = naive_softmax(stored, temperature=t)
        true_scaled = x64 / t
        if np.isfinite(scaled).all():
            stable = softmax(scaled.astype(np.float64))
        else:
            stable = softmax(x64, temperature=t)
        tol = 16 * float(info.eps)
        close = np.isclose(naive, stable, rtol=tol, atol=tol)

    finite_in = np.isfinite(x64)
    exp_overflow = np.isposinf(exps)
    exp_underflow = (exps == 0) & (x64 > -np.inf)
    subnormal = (exps > 0) & (exps < info.smallest_normal)
    nan = np.isnan(naive)
    nan_inf_over_inf = nan & np.isinf(exps) & bool(np.isinf(total))
    nan_zero_over_zero = nan & (exps == 0) & bool(total == 0)
    wrong_but_finite = np.isfinite(naive) & ~close
    ok = bool(np.all(np.isfinite(naive) & close))

    reasons = []
    for i in range(k):
        s, e, n, q = scaled[i], exps[i], naive[i], stable[i]
        if np.isnan(x64[i]):
            reasons.append("z/T is NaN, so exp(z/T) and the probability are NaN as well.")
            continue
        if x64[i] == -np.inf:
            if nan[i]:
                reasons.append(
                    "z/T is -inf (a masked logit), so exp(z/T) is 0; every logit is masked, "
                    "so the sum is 0 and 0/0 is NaN."
                )
            else:
                reasons.append(
                    "z/T is -inf (a masked logit), so exp(z/T) is exactly 0 and the "
                    "probability is 0, as intended."
                )
            continue
        if not finite_in[i]:
            reasons.append("z/T is inf, so exp(z/T) is inf and the probability is NaN.")
            continue
        # What happened to exp(z/T)?
        if not np.isfinite(s):
            first = (
                f"z/T = {_g(true_scaled[i])} does not fit in {dt.name} (largest "
                f"{_g(info.max)}), so it became {_g(s)} and exp(z/T) = {_g(e)}"
            )
        elif exp_overflow[i]:
            first = (
                f"z/T = {_g(s)} is above {lim.overflow:.2f}, the largest exponent "
                f"{dt.name} can hold, so exp overflowed to inf"
            )
        elif exp_underflow[i]:
            first = f"z/T = {_g(s)} is below {lim.underflow:.2f}, so exp underflowed to exactly 0"
        elif subnormal[i]:
            first = (
                f"z/T = {_g(s)} is below {lim.subnormal:.2f}, so exp(z/T) = {_g(e, 4)} is "
                "subnormal and keeps only a few significant digits"
            )
        else:
            first = f"exp(z/T) = exp({_g(s)}) = {_g(e)}"
        # What happened in the division?
        if nan_inf_over_inf[i]:
            second = "inf/inf is NaN."
        elif nan_zero_over_zero[i]:
            second = "every term underflowed, so the sum is 0 and 0/0 is NaN."
        elif nan[i]:
            second = f"the sum is {_g(total)} and the result is NaN."
        elif np.isinf(total):
            cause = (
                "another term overflowed, so the sum is inf"
                if exp_overflow.any()
                else "the terms are finite but their sum overflowed to inf"
            )
            if wrong_but_finite[i]:
                second = (
                    f"{cause}, and {_g(e)}/inf = 0 although the true probability is {_g(q, 4)}."
                )
            else:
                second = f"{cause}, and {_g(e)}/inf = 0, which matches the true {_g(q, 4)}."
        elif wrong_but_finite[i]:
            second = f"the probability came out as {_g(n, 4)} instead of {_g(q, 4)}."
        elif exp_underflow[i]:
            second = f"the probability came out as 0; the true {_g(q, 3)} is too small to matter."
        else:
            second = f"the probability {_g(n, 4)} matches the stable softmax."
        reasons.append(f"{first}; {second}")

    n_nan, n_wrong = int(nan.sum()), int(wrong_but_finite.sum())
    n_over, n_under, n_sub = int(exp_overflow.sum()), int(exp_underflow.sum()), int(subnormal.sum())
    if ok:
        summary = (
            f"The naive formula works here in {dt.name}: every exp(z/T) is finite and their "
            f"sum is {_g(total)}, so it agrees with the stable softmax."
        )
        if n_under:
            summary += (
                f" ({_plural(n_under, 'exponential')} underflowed to 0, but the true "
                "probabilities there are negligible.)"
            )
    else:
        problems = []
        if n_over:
            problems.append(
                f"{n_over} of {k} exponentials overflowed to inf (z/T above {lim.overflow:.2f})"
            )
        if n_under:
            problems.append(
                f"{n_under} of {k} exponentials underflowed to 0 (z/T below {lim.underflow:.2f})"
            )
        if np.isinf(total) and not n_over:
            problems.append("the sum of the exponentials overflowed to inf")
        if n_sub and n_wrong:
            problems.append(f"{_plural(n_sub, 'exponential')} lost precision as subnormal numbers")
        if not finite_in.all():
            problems.append("the logits include NaN or infinite values")
        outcome = []
        if n_nan:
            outcome.append(f"{n_nan} of {k} probabilities are NaN")
        if n_wrong:
            outcome.append(f"{n_wrong} of {k} are finite but wrong")
        head = _join(problems) + ", so " if problems else ""
        summary = f"The naive formula fails in {dt.name}: {head}{_join(outcome)}."
        if finite_in.all():
            summary += (
                f" The stable softmax subtracts the largest z/T ({_g(np.max(true_scaled))}) "
                "first, so every exponent is at most 0 and this cannot happen."
            )

    def frozen(a: np.ndarray) -> np.ndarray:
        a = np.array(a, copy=True)
        a.flags.writeable = False
        return a

    return NaiveDiagnosis(
        dtype=dt.name,
        scaled=frozen(scaled),
        exps=frozen(exps),
        total=float(total),
        naive=frozen(naive),
        stable=frozen(stable),
        exp_overflow=frozen(exp_overflow),
        exp_underflow=frozen(exp_underflow),
        nan_inf_over_inf=frozen(nan_inf_over_inf),
        nan_zero_over_zero=frozen(nan_zero_over_zero),
        wrong_but_finite=frozen(wrong_but_finite),
        reasons=tuple(reasons),
        ok=ok,
        summary=summary,
    )

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
floats, and :func:`diagnose_naive` uses them to record, element by element,
what the textbook formula :math:`e^{z_i/T}/\sum_j e^{z_j/T}` does to some logits:
typed facts (which element, which limit, overflow or underflow), never sentences.
``softmax_ui.explain`` words them for a student.
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._validation import FLOAT_DTYPES, as_float_array, check_temperature
from .softmax import naive_softmax, softmax

__all__ = [
    "Division",
    "ElementFacts",
    "ExpLimits",
    "ExpOutcome",
    "NaiveDiagnosis",
    "diagnose_naive",
    "exp_limits",
]


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


class ExpOutcome(enum.Enum):
    """What :math:`e^{x}` gave for one exponent :math:`x = z/T` in the chosen dtype."""

    #: a normal float: every significant digit kept
    NORMAL = "normal"
    #: :math:`x` is below ``limits.subnormal``: :math:`e^x` is subnormal, few digits kept
    SUBNORMAL = "subnormal"
    #: :math:`x` is below ``limits.underflow``: :math:`e^x` rounded to exactly 0
    UNDERFLOW = "underflow"
    #: :math:`x` is above ``limits.overflow``: :math:`e^x` is inf
    OVERFLOW = "overflow"
    #: :math:`x` itself does not fit in the dtype (it became ±inf), so :math:`e^x` is inf or 0
    EXPONENT_OUT_OF_RANGE = "exponent out of range"
    #: the logit is -inf (a masked class): :math:`e^x = 0` by design
    MASKED = "masked"
    #: the logit is +inf
    INFINITE_LOGIT = "infinite logit"
    #: the logit is NaN
    NAN_LOGIT = "NaN logit"


class Division(enum.Enum):
    r"""What the division :math:`e^{x_i} / \sum_j e^{x_j}` gave for one class."""

    #: the naive probability agrees with the stable one
    MATCHES = "matches"
    #: :math:`e^{x_i}` underflowed to 0 and the true probability is negligible, so 0 is right
    NEGLIGIBLE = "negligible"
    #: another term overflowed, the sum is inf and :math:`e^{x_i}/\infty = 0` is right
    SUM_INF_MATCHES = "sum inf, matches"
    #: the sum is inf and :math:`e^{x_i}/\infty = 0` although the true probability is not 0
    SUM_INF_WRONG = "sum inf, wrong"
    #: a finite number, but not the right one (e.g. subnormal terms lost their digits)
    WRONG = "wrong"
    #: :math:`\infty/\infty` is NaN
    INF_OVER_INF = "inf/inf"
    #: every term underflowed, the sum is 0, and :math:`0/0` is NaN
    ZERO_OVER_ZERO = "0/0"
    #: NaN for another reason (a NaN or infinite logit)
    NAN = "NaN"


@dataclass(frozen=True)
class ElementFacts:
    """What the naive formula did to one class (see :func:`diagnose_naive`)."""

    index: int
    #: the exponent x = z/T as computed in the dtype (may be ±inf)
    exponent: float
    #: z/T computed in float64 from the logit as given
    exact_exponent: float
    #: exp(exponent) in the dtype
    exp: float
    #: the naive probability (may be NaN)
    naive: float
    #: the stable probability
    stable: float
    exp_outcome: ExpOutcome
    division: Division


@dataclass(frozen=True, eq=False)
class NaiveDiagnosis:
    """What the naive softmax formula did to each logit (see :func:`diagnose_naive`).

    Facts only: arrays with one entry per logit (read-only), counts and flags. The
    sentences a person reads are written from them by the UI.
    """

    dtype: str
    #: z/T computed in ``dtype``
    scaled: np.ndarray
    #: z/T computed in float64 from the logits as given
    exact_scaled: np.ndarray
    #: exp(z/T) in ``dtype`` (IEEE: may be inf or 0)
    exps: np.ndarray
    #: the IEEE sum of ``exps`` in ``dtype`` (may be inf or 0)
    total: float
    #: the naive probabilities exps / total (may contain NaN)
    naive: np.ndarray
    #: the stable softmax, float64, of ``stable_exponents``
    stable: np.ndarray
    #: the float64 exponents the stable softmax was computed from: ``scaled`` if every
    #: entry fits in ``dtype``, else ``exact_scaled``
    stable_exponents: np.ndarray
    #: exp(z/T) overflowed to inf
    exp_overflow: np.ndarray
    #: exp(z/T) rounded to exactly 0 although the true value is > 0
    exp_underflow: np.ndarray
    #: exp(z/T) is a subnormal number (few significant digits)
    exp_subnormal: np.ndarray
    #: the naive result is NaN because of inf/inf
    nan_inf_over_inf: np.ndarray
    #: the naive result is NaN because of 0/0
    nan_zero_over_zero: np.ndarray
    #: the naive result is a finite number, but not the right one
    wrong_but_finite: np.ndarray
    #: every term is finite but their sum overflowed to inf
    sum_overflowed: bool
    #: one record per logit, in order
    elements: tuple[ElementFacts, ...]
    #: every naive probability is finite and agrees with the stable one
    ok: bool

    @property
    def limits(self) -> ExpLimits:
        """The :func:`exp_limits` of :attr:`dtype`."""
        return exp_limits(self.dtype)

    @property
    def valid(self) -> np.ndarray:
        """Naive probabilities that are finite and agree with the stable ones."""
        return np.isfinite(self.naive) & ~self.wrong_but_finite

    @property
    def logits_finite(self) -> bool:
        """No logit is NaN or infinite."""
        return bool(np.isfinite(self.exact_scaled).all())


def _exp_outcome(x: float, s: float, e: float, smallest_normal: float) -> ExpOutcome:
    """Classify one element from its logit ``x``, exponent ``s`` and ``e = exp(s)``."""
    if math.isnan(x):
        return ExpOutcome.NAN_LOGIT
    if x == -math.inf:
        return ExpOutcome.MASKED
    if x == math.inf:
        return ExpOutcome.INFINITE_LOGIT
    if not math.isfinite(s):
        return ExpOutcome.EXPONENT_OUT_OF_RANGE
    if math.isinf(e):
        return ExpOutcome.OVERFLOW
    if e == 0:
        return ExpOutcome.UNDERFLOW
    if e < smallest_normal:
        return ExpOutcome.SUBNORMAL
    return ExpOutcome.NORMAL


def diagnose_naive(
    x: ArrayLike, temperature: float = 1.0, dtype: object = "float64"
) -> NaiveDiagnosis:
    r"""Record, element by element, what the naive softmax does to ``x``.

    The logits are stored in ``dtype``, divided by :math:`T` (cast to
    ``dtype``) and pushed through :math:`e^{z_i/T}/\sum_j e^{z_j/T}` with IEEE
    arithmetic, exactly as :func:`~softmax_core.naive_softmax` does. Each step
    is recorded and compared with the stable softmax (float64, computed from
    the same scaled values; if some ``z/T`` does not fit in ``dtype`` at all,
    from ``x/T`` in float64). No warnings are emitted.

    A naive probability counts as correct if it is within ``16 * eps`` of the
    stable one, relatively (``eps`` of ``dtype``; times ``1 + |z_i/T − max|``, the
    rounding of the stable formula's own exponent), or within 16 of ``dtype``'s
    smallest subnormal numbers of it: the precision ``dtype`` has. A 0 where
    the true probability is 2e-09, which float32 holds, is wrong (it counted
    as right within an absolute ``16 * eps``: a quiz marked the student who
    said so wrong).

    The result is facts (values, flags, an :class:`ExpOutcome` and a
    :class:`Division` per element), never sentences: the UI words them.

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
        Arrays ``scaled``, ``exact_scaled``, ``exps``, ``naive``, ``stable``,
        ``stable_exponents``; flags ``exp_overflow``, ``exp_underflow``,
        ``exp_subnormal``, ``nan_inf_over_inf``, ``nan_zero_over_zero``,
        ``wrong_but_finite``, ``sum_overflowed``; ``total``; ``elements`` (one
        :class:`ElementFacts` per logit); ``ok``; and ``limits``.

    Raises
    ------
    ValueError
        If ``x`` is not a non-empty 1-D array, or for a bad temperature or dtype.

    Examples
    --------
    >>> d = diagnose_naive([1000.0, 1001.0])
    >>> d.naive, d.ok
    (array([nan, nan]), False)
    >>> d.elements[1].exp_outcome, d.elements[1].division
    (<ExpOutcome.OVERFLOW: 'overflow'>, <Division.INF_OVER_INF: 'inf/inf'>)
    >>> d.elements[1].exponent > d.limits.overflow
    True
    >>> diagnose_naive([-1000.0, -1000.0]).nan_zero_over_zero
    array([ True,  True])
    >>> diagnose_naive([1.0, 2.0], temperature=0.1, dtype="float32").ok
    True
    >>> diagnose_naive([-1.0, -10000.0], temperature=100.0).ok  # 3.757e-44 both ways
    True
    >>> d = diagnose_naive([-100.0, -120.0], dtype="float32")  # exp(-120) is 0 in float32
    >>> d.naive, d.stable.round(11), d.wrong_but_finite
    (array([1., 0.], dtype=float32), array([1.e+00, 2.e-09]), array([False,  True]))
    """
    dt = _float_dtype(dtype)
    t = check_temperature(temperature)
    x64 = as_float_array(x).astype(np.float64)
    if x64.ndim != 1 or x64.size == 0:
        raise ValueError(f"diagnose_naive needs non-empty 1-D logits, got shape {x64.shape}")
    info = np.finfo(dt)

    with np.errstate(all="ignore"):
        stored = x64.astype(dt)  # the logits as `dtype` holds them
        scaled = stored / dt.type(t)
        exps = np.exp(scaled)
        total = np.sum(exps)
        naive = naive_softmax(stored, temperature=t)
        exact_scaled = x64 / t
        stable_exponents = scaled.astype(np.float64) if np.isfinite(scaled).all() else exact_scaled
        stable = softmax(stable_exponents)
        tol = 16 * float(info.eps)
        # the stable reference rounds z_i/T − max: exp of it is off by about eps·|z_i/T − max|
        # relatively (22 eps at −99.99 in float64), which the tolerance allows for
        spread = 1.0 + np.abs(stable_exponents - np.max(stable_exponents))
        spread = np.where(np.isfinite(spread), spread, 1.0)  # a masked logit (−inf): p = 0
        close = np.abs(naive - stable) <= np.maximum(
            tol * spread * np.abs(stable), 16 * float(info.smallest_subnormal)
        )

    exp_overflow = np.isposinf(exps)
    exp_underflow = (exps == 0) & (x64 > -np.inf)
    exp_subnormal = (exps > 0) & (exps < info.smallest_normal)
    nan = np.isnan(naive)
    nan_inf_over_inf = nan & np.isinf(exps) & bool(np.isinf(total))
    nan_zero_over_zero = nan & (exps == 0) & bool(total == 0)
    wrong_but_finite = np.isfinite(naive) & ~close
    sum_overflowed = bool(np.isinf(total)) and not bool(np.isinf(exps).any())
    ok = bool(np.all(np.isfinite(naive) & close))

    elements = []
    for i in range(x64.size):
        outcome = _exp_outcome(
            float(x64[i]), float(scaled[i]), float(exps[i]), float(info.smallest_normal)
        )
        if nan_inf_over_inf[i]:
            division = Division.INF_OVER_INF
        elif nan_zero_over_zero[i]:
            division = Division.ZERO_OVER_ZERO
        elif nan[i]:
            division = Division.NAN
        elif np.isinf(total):
            division = Division.SUM_INF_WRONG if wrong_but_finite[i] else Division.SUM_INF_MATCHES
        elif wrong_but_finite[i]:
            division = Division.WRONG
        elif exp_underflow[i]:
            division = Division.NEGLIGIBLE
        else:
            division = Division.MATCHES
        elements.append(
            ElementFacts(
                index=i,
                exponent=float(scaled[i]),
                exact_exponent=float(exact_scaled[i]),
                exp=float(exps[i]),
                naive=float(naive[i]),
                stable=float(stable[i]),
                exp_outcome=outcome,
                division=division,
            )
        )

    def frozen(a: np.ndarray) -> np.ndarray:
        a = np.array(a, copy=True)
        a.flags.writeable = False
        return a

    return NaiveDiagnosis(
        dtype=dt.name,
        scaled=frozen(scaled),
        exact_scaled=frozen(exact_scaled),
        exps=frozen(exps),
        total=float(total),
        naive=frozen(naive),
        stable=frozen(stable),
        stable_exponents=frozen(stable_exponents),
        exp_overflow=frozen(exp_overflow),
        exp_underflow=frozen(exp_underflow),
        exp_subnormal=frozen(exp_subnormal),
        nan_inf_over_inf=frozen(nan_inf_over_inf),
        nan_zero_over_zero=frozen(nan_zero_over_zero),
        wrong_but_finite=frozen(wrong_but_finite),
        sum_overflowed=sum_overflowed,
        elements=tuple(elements),
        ok=ok,
    )

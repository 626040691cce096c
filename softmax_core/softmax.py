r"""Softmax and its relatives, computed so that they never overflow.

The softmax of logits :math:`z_1, \dots, z_K` at temperature :math:`T > 0` is

.. math::

    p_i = \frac{e^{z_i/T}}{\sum_{j=1}^{K} e^{z_j/T}}.

Written like that it breaks on a computer: :math:`e^{1000}` is ``inf`` in
float64, and :math:`e^{-1000}` is ``0``. The cure is one line of algebra. For
any constant :math:`c`,

.. math::

    \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}
    = \frac{e^{(z_i - c)/T}}{\sum_j e^{(z_j - c)/T}},

and with :math:`c = \max_j z_j` every exponent is :math:`\le 0` (nothing can
overflow) and the largest term is exactly :math:`e^0 = 1` (the sum cannot
underflow to zero). The same shift gives the stable ``logsumexp`` and
``log_softmax``:

.. math::

    \operatorname{logsumexp}(z) = c + \log \sum_j e^{z_j - c}, \qquad
    \log p_i = \frac{z_i - c}{T} - \log \sum_j e^{(z_j - c)/T}.

Conventions shared by every function here: ``axis=-1`` by default and
``axis=None`` means the whole array; float16/32/64 inputs keep their dtype,
integers and booleans become float64; a ``-inf`` logit gets probability exactly
0 (masking); a slice that is entirely ``-inf`` has no distribution and gives
NaN, as does a slice containing NaN or ``+inf``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._validation import FLOAT_DTYPES, as_float_array, check_temperature

__all__ = ["log_softmax", "logsumexp", "naive_softmax", "softmax", "softmax_jacobian"]

# exp(x) is finite for x <= log(largest float), per dtype (used as a cheap pre-check).
_LOG_MAX = {dt: math.log(float(np.finfo(dt).max)) for dt in FLOAT_DTYPES}


def _as_at_least_1d(x: np.ndarray) -> tuple[np.ndarray, bool]:
    """Treat a scalar as a vector of one logit; report whether it was a scalar."""
    return (x.reshape(1), True) if x.ndim == 0 else (x, False)


def _axis_length(x: np.ndarray, axis: int | None) -> int:
    return x.size if axis is None else x.shape[axis]


def _sum_keepdims(e: np.ndarray, axis: int | None) -> np.ndarray:
    """``np.sum(e, axis, keepdims=True)``; along the last axis via ``einsum``.

    ``np.sum`` over a short last axis (e.g. 100000 x 10) spends most of its
    time in per-row overhead; ``einsum`` is several times faster there and as
    fast for long rows. Very long rows and float16 keep NumPy's pairwise sum.
    """
    if (
        axis is not None
        and e.ndim >= 1
        and axis in (-1, e.ndim - 1)
        and e.shape[-1] <= 4096
        and e.dtype != np.float16
    ):
        subscripts = "ij->i" if e.ndim == 2 else "...j->..."  # explicit is a bit faster
        return np.einsum(subscripts, e)[..., np.newaxis]
    return np.sum(e, axis=axis, keepdims=True)


def _softmax_unshifted(x: np.ndarray, axis: int | None) -> np.ndarray | None:
    r"""Fast path for T = 1: :math:`e^{x} / \sum e^{x}` *without* the max shift, if safe.

    Skipping the shift saves a full pass over the data. It is as accurate
    whenever every row sum :math:`S = \sum_j e^{x_j}` lies in :math:`[1, \infty)`:
    then no term overflowed, and a term that underflowed or became subnormal
    has :math:`p = e/S \le e`, a probability that is itself that small, so the
    shifted formula could not do better. The check costs one pass over
    :math:`S` (one number per row). Returns ``None`` when it fails (huge or very
    negative logits, NaN, all-``-inf`` rows); the caller then uses the shifted
    formula. A probe of ~4096 evenly spaced entries skips the attempt up front
    when it would obviously overflow (correctness never depends on the probe).

    For T != 1 the shifted formula is always used: rounding x/T costs accuracy
    in proportion to |x|/T, rounding (x - max)/T only to |x - max|/T.
    """
    probe = x.flat[:: max(1, x.size // 4096)]
    if not float(np.max(probe)) <= _LOG_MAX[x.dtype]:  # also False for NaN
        return None
    with np.errstate(over="ignore", under="ignore"):
        out = np.exp(x)
        total = _sum_keepdims(out, axis)
    if not (float(np.min(total)) >= 1.0 and float(np.max(total)) < math.inf):
        return None
    return np.divide(out, total, out=out)


def _shift_by_max(x: np.ndarray, axis: int | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Return ``(x - max, bad)``; ``bad`` marks slices whose max is not finite.

    Such slices (all ``-inf``, or containing ``+inf`` or NaN) are shifted by 0
    instead, and the caller sets them to NaN (or to their limit) afterwards.
    ``x - max`` may overflow to ``-inf`` (e.g. ``-1e308 - 1e308``); exp of that
    is exactly the correct 0, so the overflow is silenced.
    """
    m = np.max(x, axis=axis, keepdims=True)
    finite = np.isfinite(m)
    bad = None
    if not finite.all():
        bad = ~finite
        m = np.where(finite, m, 0).astype(x.dtype, copy=False)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.subtract(x, m), bad


def _log_sum_exp_of_shifted(shifted: np.ndarray, axis: int | None) -> np.ndarray:
    r""":math:`\log \sum_j e^{s_j}` (keepdims) for slices whose maximum is exactly 0.

    After the max shift one term is exactly :math:`e^0 = 1`, so the sum is
    :math:`1 + r` with :math:`r` the sum of the other terms, and
    ``log1p(r)`` keeps the digits of a tiny :math:`r` that ``log(1 + r)``
    would round away (``log_softmax([50, 0, -50])[0]`` is -1.9e-22, not 0).
    """
    e = np.exp(shifted)
    if axis is None:
        e.flat[np.argmax(shifted)] = 0
    else:
        np.put_along_axis(e, np.argmax(shifted, axis=axis, keepdims=True), 0, axis=axis)
    rest = _sum_keepdims(e, axis)
    return np.log1p(rest, out=rest)


def softmax(x: ArrayLike, axis: int | None = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Numerically stable softmax of ``x / temperature``.

    .. math::

        p_i = \frac{e^{(z_i - c)/T}}{\sum_j e^{(z_j - c)/T}},
        \qquad c = \max_j z_j .

    Subtracting the maximum does not change the result but keeps every
    exponent :math:`\le 0`, so nothing overflows and the denominator is at
    least 1. At :math:`T = 1`, when a cheap check shows that the shift would
    change nothing (every row sum of :math:`e^{z_i}` is finite and at least 1),
    it is skipped to save a pass over the data.

    Parameters
    ----------
    x : array_like
        Logits. Integer/bool input becomes float64; float16/32/64 keep their dtype.
    axis : int or None, default -1
        Axis along which the probabilities sum to 1; ``None`` = whole array.
    temperature : float, default 1.0
        :math:`T > 0`. Large T flattens the distribution, small T sharpens it.

    Returns
    -------
    numpy.ndarray
        Probabilities, same shape and float dtype as ``x``. ``-inf`` logits get
        exactly 0. A slice that is all ``-inf``, or contains NaN or ``+inf``,
        is NaN (no well-defined distribution).

    Raises
    ------
    ValueError
        If ``temperature`` is not a finite number > 0.

    Examples
    --------
    >>> softmax([2.0, 1.0, 0.1])
    array([0.65900114, 0.24243297, 0.09856589])
    >>> softmax([1000.0, 1001.0, 1002.0])          # the naive formula gives NaN here
    array([0.09003057, 0.24472847, 0.66524096])
    >>> softmax([2.0, 1.0, 0.1], temperature=10.0)  # high T: flatter
    array([0.36605947, 0.33122431, 0.30271622])
    >>> softmax([1.0, 2.0, -np.inf])                # -inf masks a class
    array([0.26894142, 0.73105858, 0.        ])
    >>> softmax([[1, 2], [3, 3]], axis=0)
    array([[0.11920292, 0.26894142],
           [0.88079708, 0.73105858]])
    """
    x = as_float_array(x)
    t = check_temperature(temperature)
    x, scalar = _as_at_least_1d(x)
    if x.size == 0:
        return np.array(x, copy=True)
    out = _softmax_unshifted(x, axis) if t == 1.0 else None
    if out is None:
        out, bad = _shift_by_max(x, axis)
        with np.errstate(all="ignore" if bad is not None else None, over="ignore", under="ignore"):
            if t != 1.0:
                np.divide(out, t, out=out)
            np.exp(out, out=out)
            np.divide(out, _sum_keepdims(out, axis), out=out)
        if bad is not None:
            out[np.broadcast_to(bad, out.shape)] = np.nan
    return out.reshape(()) if scalar else out


def log_softmax(x: ArrayLike, axis: int | None = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Numerically stable logarithm of :func:`softmax`.

    .. math::

        \log p_i = \frac{z_i - c}{T} - \log \sum_j e^{(z_j - c)/T},
        \qquad c = \max_j z_j .

    The sum is :math:`1 + r` (the max term is :math:`e^0`) and is taken as
    ``log1p(r)``, so even a log-probability as close to 0 as -1.9e-22 keeps
    its digits. Computing ``log(softmax(x))`` instead would turn every probability that
    underflows to 0 into ``-inf``; here the result stays finite, e.g.
    ``log_softmax([1000, 0]) == [0, -1000]``. (Only when the true value is
    itself beyond the float range, e.g. ``-2e308``, is it ``-inf``.)

    Parameters
    ----------
    x : array_like
        Logits (see :func:`softmax` for dtype rules).
    axis : int or None, default -1
        Axis of the distribution; ``None`` = whole array.
    temperature : float, default 1.0
        :math:`T > 0`.

    Returns
    -------
    numpy.ndarray
        Log-probabilities, same shape and dtype as ``x``; ``-inf`` logits give
        ``-inf``; all-``-inf``/NaN/``+inf`` slices give NaN.

    Examples
    --------
    >>> log_softmax([1000.0, 0.0])
    array([    0., -1000.])
    >>> log_softmax([2.0, 1.0, 0.1])
    array([-0.41703002, -1.41703002, -2.31703002])
    """
    x = as_float_array(x)
    t = check_temperature(temperature)
    x, scalar = _as_at_least_1d(x)
    if x.size == 0:
        return np.array(x, copy=True)
    out, bad = _shift_by_max(x, axis)
    with np.errstate(all="ignore" if bad is not None else None, over="ignore", under="ignore"):
        if t != 1.0:
            np.divide(out, t, out=out)
        np.subtract(out, _log_sum_exp_of_shifted(out, axis), out=out)
    if bad is not None:
        out[np.broadcast_to(bad, out.shape)] = np.nan
    return out.reshape(()) if scalar else out


def logsumexp(x: ArrayLike, axis: int | None = -1) -> np.ndarray | np.floating:
    r"""Numerically stable :math:`\log \sum_j e^{z_j}`.

    .. math::

        \operatorname{logsumexp}(z) = c + \log \sum_j e^{z_j - c},
        \qquad c = \max_j z_j ,

    with the sum (:math:`1 + r`, the max term being :math:`e^0`) taken as
    ``log1p(r)`` for full accuracy. It is the log of the softmax denominator, so
    ``log_softmax(z) = z - logsumexp(z)``, and a smooth version of ``max``:
    :math:`\max_j z_j \le \operatorname{logsumexp}(z) \le \max_j z_j + \log K`.

    Parameters
    ----------
    x : array_like
        Values (see :func:`softmax` for dtype rules).
    axis : int or None, default -1
        Axis to reduce; ``None`` = whole array.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``x`` with ``axis`` removed (a NumPy scalar for 1-D input or
        ``axis=None``). An empty or all-``-inf`` slice gives ``-inf``
        (:math:`\log 0`), a slice with ``+inf`` gives ``+inf``, NaN gives NaN.

    Examples
    --------
    >>> logsumexp([1000.0, 1000.0])        # 1000 + log 2, no overflow
    np.float64(1000.6931471805599)
    >>> logsumexp([[0.0, 0.0], [1.0, -np.inf]])
    array([0.69314718, 1.        ])
    """
    x = as_float_array(x)
    x, _ = _as_at_least_1d(x)
    if x.size == 0 or _axis_length(x, axis) == 0:
        shape = np.sum(x, axis=axis).shape
        out = np.full(shape, -np.inf, dtype=x.dtype)
        return out[()] if out.ndim == 0 else out
    m = np.max(x, axis=axis, keepdims=True)
    finite = np.isfinite(m)
    shift = m if finite.all() else np.where(finite, m, 0).astype(x.dtype, copy=False)
    with np.errstate(all="ignore"):  # non-finite slices are replaced by m below
        out = _log_sum_exp_of_shifted(np.subtract(x, shift), axis)
        np.add(out, shift, out=out)
    if shift is not m:
        out = np.where(finite, out, m)  # all -inf -> -inf, +inf -> +inf, NaN -> NaN
    out = np.squeeze(out, axis=axis) if axis is not None else out.reshape(())
    return out[()] if out.ndim == 0 else out


def naive_softmax(x: ArrayLike, axis: int | None = -1, temperature: float = 1.0) -> np.ndarray:
    r"""The textbook formula :math:`e^{z_i/T} / \sum_j e^{z_j/T}`, computed literally.

    This is the *broken* version, kept to show what goes wrong. Everything is
    done in ``x``'s own dtype (``T`` is cast to it too), so it fails exactly
    where IEEE arithmetic does, and returns the failure instead of warning:

    * an exponent above ~709.78 (float64; 88.72 float32; 11.09 float16) makes
      :math:`e^{z/T} = \infty`, and :math:`\infty/\infty` is NaN;
    * if every exponent is below ~-745.13 (float64), all terms round to 0 and
      :math:`0/0` is NaN.

    See :func:`softmax_core.exp_limits` for the exact limits and
    :func:`softmax_core.diagnose_naive` for an element-by-element explanation.

    Parameters
    ----------
    x : array_like
        Logits (see :func:`softmax` for dtype rules).
    axis : int or None, default -1
        Axis of the distribution; ``None`` = whole array.
    temperature : float, default 1.0
        :math:`T > 0`, cast to ``x``'s dtype before dividing.

    Returns
    -------
    numpy.ndarray
        The IEEE result, possibly containing NaN, inf or wrong zeros.

    Examples
    --------
    >>> naive_softmax([1.0, 2.0])            # fine for small logits
    array([0.26894142, 0.73105858])
    >>> naive_softmax([1000.0, 1001.0])      # e^1000 = inf; inf/inf = NaN
    array([nan, nan])
    >>> naive_softmax([-1000.0, -1000.0])    # e^-1000 = 0; 0/0 = NaN
    array([nan, nan])
    """
    x = as_float_array(x)
    t = check_temperature(temperature)
    x, scalar = _as_at_least_1d(x)
    with np.errstate(all="ignore"):
        e = np.exp(x / x.dtype.type(t))
        out = e / np.sum(e, axis=axis, keepdims=True)
    return out.reshape(()) if scalar else out


def _sum_of_others(p: np.ndarray) -> np.ndarray:
    """For each i, the sum of the other entries, without the cancellation of sum(p) - p_i."""
    out = np.empty_like(p)
    for i in range(p.size):
        out[i] = np.sum(np.delete(p, i))
    return out


def softmax_jacobian(x: ArrayLike, temperature: float = 1.0) -> np.ndarray:
    r"""Jacobian :math:`\partial p_i / \partial z_j` of ``softmax(x, temperature=T)``.

    .. math::

        \frac{\partial p_i}{\partial z_j} = \frac{p_i(\delta_{ij} - p_j)}{T},
        \qquad J = \frac{\operatorname{diag}(p) - p\,p^\top}{T}.

    Each row sums to 0 (the probabilities always sum to 1, so pushing any
    logit cannot change the total) and :math:`J` is symmetric. The diagonal is computed
    as :math:`p_i \sum_{j \ne i} p_j`, which equals :math:`p_i(1 - p_i)` but keeps its
    digits when :math:`p_i` rounds to 1.

    Parameters
    ----------
    x : array_like
        1-D logits of length K.
    temperature : float, default 1.0
        :math:`T > 0`.

    Returns
    -------
    numpy.ndarray
        K x K matrix, dtype of ``softmax(x)``.

    Raises
    ------
    ValueError
        If ``x`` is not 1-D or the temperature is invalid.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> float(softmax_jacobian([40.0, 0.0])[0, 0])   # p(1 - p) with p = 1 - 4.2e-18
    4.248354255291589e-18
    """
    x = as_float_array(x)
    if x.ndim != 1:
        raise ValueError(f"softmax_jacobian needs 1-D logits, got shape {x.shape}")
    t = check_temperature(temperature)
    p = softmax(x, temperature=t)
    jac = -np.outer(p, p)
    # p_i(1 - p_i) = p_i * (sum of the other p): keeps its digits when p_i rounds to 1.
    np.fill_diagonal(jac, p * _sum_of_others(p))
    if t != 1.0:
        jac /= t
    return jac

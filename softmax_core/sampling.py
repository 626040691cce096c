r"""Drawing classes from a softmax distribution, and the top-k / top-p filters.

Sampling by *inverse CDF*: with cumulative sums :math:`c_i = p_1 + \dots + p_i`
and :math:`u \sim \mathrm{Uniform}[0, 1)`, the class is the first :math:`i`
with :math:`u < c_i`, which happens with probability exactly :math:`p_i`.

Language models rarely sample from the full distribution. *Top-k* keeps the
:math:`k` most probable classes (and every class tied with the k-th), *top-p*
(nucleus) the smallest set whose total probability reaches :math:`p` (ties at the
cut taken in class order); both renormalise what is left. Both follow the rules of
Hugging Face transformers' ``TopKLogitsWarper`` and ``TopPLogitsWarper``.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_float_array, check_int

__all__ = [
    "MAX_SAMPLES",
    "TOP_P_DECIMALS",
    "sample",
    "sample_counts",
    "top_k_filter",
    "top_k_kept",
    "top_p_filter",
    "top_p_order",
]

#: Largest number of draws :func:`sample` accepts.
MAX_SAMPLES = 1_000_000


def _as_probabilities(p: ArrayLike) -> np.ndarray:
    """Check a 1-D probability vector and return it, renormalised, as float64.

    It must be finite, non-negative and sum to 1 up to rounding
    (``1e-6 + K * eps`` of its dtype); the tiny rounding error is removed.
    """
    q = as_float_array(p, "p")
    if q.ndim != 1 or q.size == 0:
        raise ValueError(f"p must be a non-empty 1-D probability vector, got shape {q.shape}")
    if not np.isfinite(q).all():
        raise ValueError("probabilities p must be finite")
    if (q < 0).any():
        raise ValueError("probabilities p must be non-negative")
    total = float(np.sum(q, dtype=np.float64))
    tol = 1e-6 + q.size * float(np.finfo(q.dtype).eps)
    if abs(total - 1.0) > tol:
        raise ValueError(f"probabilities p must sum to 1, got {total!r}")
    return q.astype(np.float64) / total


def sample(p: ArrayLike, n: int, seed: int | None) -> np.ndarray:
    r"""Draw ``n`` independent class indices from the probabilities ``p``.

    Each draw takes :math:`u \sim \mathrm{Uniform}[0, 1)` from
    ``np.random.default_rng(seed)`` and returns the first class :math:`i` with
    :math:`u < \sum_{j \le i} p_j`, so class :math:`i` comes up with
    probability :math:`p_i` (and a class with :math:`p_i = 0` never does).

    Parameters
    ----------
    p : array_like
        1-D probabilities: finite, non-negative, summing to 1 (tiny rounding
        errors are renormalised away).
    n : int
        Number of draws, ``0 <= n <= 1_000_000``.
    seed : int or None
        Seed for ``np.random.default_rng``; the same seed gives the same draws.

    Returns
    -------
    numpy.ndarray
        ``n`` class indices, dtype int64.

    Raises
    ------
    ValueError
        For an invalid ``p`` or ``n``.

    Examples
    --------
    >>> sample([0.5, 0.0, 0.5], 8, seed=0)
    array([2, 0, 0, 0, 2, 2, 2, 2])
    """
    q = _as_probabilities(p)
    n = check_int(n, "n", 0, MAX_SAMPLES)
    cdf = np.cumsum(q)
    cdf /= cdf[-1]  # exactly 1 at the end, so every u in [0, 1) finds a class
    u = np.random.default_rng(seed).random(n)
    return np.searchsorted(cdf, u, side="right").astype(np.int64)


def sample_counts(p: ArrayLike, n: int, seed: int | None) -> np.ndarray:
    """How often each class came up in ``sample(p, n, seed)`` (the same draws).

    Returns
    -------
    numpy.ndarray
        One int64 count per class; the counts sum to ``n``.

    Examples
    --------
    >>> sample_counts([0.5, 0.0, 0.5], 8, seed=0)
    array([3, 0, 5])
    """
    q = _as_probabilities(p)
    return np.bincount(sample(q, n, seed), minlength=q.size).astype(np.int64)


def _ranking_scores(q: np.ndarray, scores: ArrayLike | None) -> np.ndarray:
    """The values classes are ranked by: ``scores`` (checked against ``q``) or ``q``."""
    if scores is None:
        return q
    s = as_float_array(scores, "scores").astype(np.float64)
    if s.shape != q.shape or not np.isfinite(s).all():
        raise ValueError(f"scores must be finite and of shape {q.shape}, got shape {s.shape}")
    return s


def top_k_filter(p: ArrayLike, k: int, *, scores: ArrayLike | None = None) -> np.ndarray:
    r"""Keep the ``k`` most probable classes, set the rest to 0, renormalise.

    .. math::

        \tilde p_i = \frac{p_i\,[p_i \ge p_{(k)}]}{\sum_j p_j\,[p_j \ge p_{(k)}]},

    where :math:`p_{(k)}` is the k-th largest probability. Classes tied with
    :math:`p_{(k)}` are all kept (as Hugging Face's ``TopKLogitsWarper``
    does), so more than ``k`` may survive. ``k >= K`` returns ``p`` unchanged.

    Parameters
    ----------
    p : array_like
        1-D probabilities (see :func:`sample`).
    k : int
        Number of classes to keep, ``k >= 1``.
    scores : array_like, optional
        The logits ``p`` came from (any values in the same order as ``p``, e.g. ``z`` for
        ``p = softmax(z / T)``). They decide the ranking and its ties, exactly, where float64
        probabilities may round two different logits to the same number
        (``z = [0, 1e-300]``); Hugging Face's warpers also rank logits. Default: ``p``.

    Returns
    -------
    numpy.ndarray
        Filtered probabilities, float64, summing to 1.

    Examples
    --------
    >>> top_k_filter([0.5, 0.3, 0.2], 2)
    array([0.625, 0.375, 0.   ])
    >>> top_k_filter([0.4, 0.2, 0.2, 0.2], 2)   # ties at the boundary are kept
    array([0.4, 0.2, 0.2, 0.2])
    """
    q = _as_probabilities(p)
    kept = top_k_kept(q, k, scores=scores)
    if kept.size == q.size:
        return q
    out = np.zeros_like(q)
    out[kept] = q[kept]
    return out / out.sum()


def top_k_kept(p: ArrayLike, k: int, *, scores: ArrayLike | None = None) -> np.ndarray:
    r"""The classes :func:`top_k_filter` keeps: the ``k`` most probable and every class
    tied with the k-th (:math:`s_i \ge s_{(k)}` for the ranking scores ``s``: ``scores``
    if given, else ``p``), in class order.

    Examples
    --------
    >>> top_k_kept([0.4, 0.2, 0.2, 0.2], 2)
    array([0, 1, 2, 3])
    >>> top_k_kept([0.1, 0.6, 0.3], 2)
    array([1, 2])
    >>> top_k_kept([0.5, 0.5], 1, scores=[0.0, 1e-300])   # equal floats, different logits
    array([1])
    """
    q = _as_probabilities(p)
    s = _ranking_scores(q, scores)
    k = check_int(k, "k", low=1)
    if k >= q.size:
        return np.arange(q.size)
    kth_largest = np.partition(s, s.size - k)[s.size - k]
    return np.flatnonzero(s >= kth_largest)


#: Decimal places a running total of top-p is rounded to before it is compared with p,
#: so that float rounding (0.1 + 0.7 = 0.7999999999999999) does not decide the count.
TOP_P_DECIMALS = 12


def top_p_order(
    p: ArrayLike, top_p: float, *, scores: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    r"""The classes in nucleus order, their running totals, and how many top-p keeps.

    Sort the classes by probability (by ``scores`` if given), largest first, ties in class
    order (a stable sort);
    the running totals :math:`c_n = \sum_{j \le n} p_{(j)}` are rounded to
    :data:`TOP_P_DECIMALS` places; top-p keeps the smallest :math:`n` with
    :math:`c_n \ge` ``top_p`` (at least one class; for ``top_p = 1`` every class
    with :math:`p_i > 0`, without rounding).

    This is the rule of Hugging Face transformers' ``TopPLogitsWarper`` (and of the
    usual nucleus sampling): the smallest set whose probability reaches ``top_p``.
    Where tied classes straddle the cut, exactly :math:`n` are kept; which of the tied
    ones a library keeps depends on its sort, here the first in class order.

    Parameters
    ----------
    p : array_like
        1-D probabilities (see :func:`sample`).
    top_p : float
        Target mass in ``(0, 1]``.
    scores : array_like, optional
        The logits that rank the classes, as in :func:`top_k_filter`. Default: ``p``.

    Returns
    -------
    order : numpy.ndarray of int
        Class indices, most probable first.
    running : numpy.ndarray
        The rounded running totals along ``order``.
    kept : int
        How many classes top-p keeps: ``order[:kept]``.

    Raises
    ------
    ValueError
        If ``top_p`` is not in ``(0, 1]`` or ``p`` is not a probability vector.

    Examples
    --------
    >>> order, running, kept = top_p_order([1 / 3, 1 / 3, 1 / 3], 0.5)
    >>> order, running.round(4), kept       # 1/3 < 0.5 <= 2/3: two of the three tied
    (array([0, 1, 2]), array([0.3333, 0.6667, 1.    ]), 2)
    >>> top_p_order([0.5, 0.3, 0.2], 0.8)[2]   # 0.5 + 0.3 reaches 0.8
    2
    """
    if isinstance(top_p, bool) or not isinstance(top_p, numbers.Real) or not 0 < top_p <= 1:
        raise ValueError(f"top_p must be a number in (0, 1], got {top_p!r}")
    q = _as_probabilities(p)
    order = np.argsort(-_ranking_scores(q, scores), kind="stable")
    running = np.round(np.cumsum(q[order]), TOP_P_DECIMALS)
    if top_p == 1:  # every class that has any probability (exactly the smallest set of mass 1)
        return order, running, max(1, int(np.count_nonzero(q)))
    kept = min(int(np.searchsorted(running, float(top_p), side="left")) + 1, q.size)
    return order, running, kept


def top_p_filter(p: ArrayLike, top_p: float, *, scores: ArrayLike | None = None) -> np.ndarray:
    r"""Nucleus filter: keep the most probable classes until their mass reaches ``top_p``.

    Keeps the classes :func:`top_p_order` selects: the smallest most-probable set whose
    running total (rounded to :data:`TOP_P_DECIMALS` places) is :math:`\ge` ``top_p``,
    ties at the cut taken in class order, as Hugging Face's ``TopPLogitsWarper`` keeps
    that many. The survivors are renormalised. ``top_p = 1`` returns ``p`` unchanged (the
    classes it drops have probability 0).

    Parameters
    ----------
    p, top_p, scores
        As in :func:`top_p_order`.

    Returns
    -------
    numpy.ndarray
        Filtered probabilities, float64, summing to 1.

    Raises
    ------
    ValueError
        If ``top_p`` is not in ``(0, 1]``.

    Examples
    --------
    >>> top_p_filter([0.5, 0.3, 0.15, 0.05], 0.75)   # 0.5 + 0.3 >= 0.75
    array([0.625, 0.375, 0.   , 0.   ])
    >>> top_p_filter([0.5, 0.3, 0.15, 0.05], 0.1)    # always at least one class
    array([1., 0., 0., 0.])
    >>> top_p_filter([0.4, 0.3, 0.3], 0.5)           # a tie at the cut: one of the two
    array([0.57142857, 0.42857143, 0.        ])
    """
    order, _, kept = top_p_order(p, top_p, scores=scores)
    q = _as_probabilities(p)
    if kept == q.size:
        return q
    out = np.zeros_like(q)
    out[order[:kept]] = q[order[:kept]]
    return out / out.sum()

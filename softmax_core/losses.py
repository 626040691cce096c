r"""Cross-entropy, its gradient, and entropy -- the quantities softmax is trained with.

For logits :math:`z` and a true class :math:`y`, the cross-entropy loss is the
negative log-probability the model gives the truth:

.. math::

    L(z, y) = -\log p_y = -z_y + \log \sum_j e^{z_j},

computed here with :func:`~softmax_core.log_softmax`, so it is finite even for
logits like 1e4 (``-log(softmax(z))`` would give ``inf``). Its gradient is the
famous "prediction minus truth":

.. math::

    \frac{\partial L}{\partial z_j} = p_j - [j = y].

All values are in nats (natural log); divide by :math:`\log 2` for bits.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_class_indices, as_float_array
from .softmax import log_softmax, softmax

__all__ = ["cross_entropy", "cross_entropy_gradient", "entropy", "softmax_entropy"]


def _targets_for(logits: np.ndarray, target: ArrayLike, axis: int) -> np.ndarray:
    """Check class indices: one per slice along ``axis``, each in ``[0, K)``."""
    if logits.ndim == 0:
        raise ValueError("logits must have at least one dimension (one entry per class)")
    t = as_class_indices(target, logits.shape[axis])
    expected = logits.shape[: axis % logits.ndim] + logits.shape[axis % logits.ndim + 1 :]
    if t.shape != expected:
        raise ValueError(
            f"target must have shape {expected} (one class index per row), got {t.shape}"
        )
    return t


def cross_entropy(logits: ArrayLike, target: ArrayLike, axis: int = -1) -> np.ndarray | np.floating:
    r"""Cross-entropy :math:`-\log \operatorname{softmax}(z)_y` in nats.

    .. math::

        L = -z_y + \log \sum_j e^{z_j}
          = -\log \operatorname{softmax}(z)_y .

    Parameters
    ----------
    logits : array_like
        1-D logits of length K, or 2-D of shape (N, K) (classes along ``axis``).
    target : int or array_like of int
        The true class index; for 2-D logits one index per row, shape (N,).
    axis : int, default -1
        Class axis.

    Returns
    -------
    numpy scalar or numpy.ndarray
        The loss (a scalar for 1-D logits, one value per row for 2-D).

    Raises
    ------
    ValueError
        If a target is not an integer in ``[0, K)`` or has the wrong shape.

    Examples
    --------
    >>> cross_entropy([2.0, 1.0, 0.1], 0)          # -log 0.659
    np.float64(0.4170300162778335)
    >>> cross_entropy([1e4, 0.0], 1)                # stable: exactly 1e4
    np.float64(10000.0)
    >>> cross_entropy([[0.0, 0.0], [5.0, 0.0]], [1, 0])
    array([0.69314718, 0.00671535])
    """
    z = as_float_array(logits, "logits")
    t = _targets_for(z, target, axis)
    logp = log_softmax(z, axis=axis)
    picked = np.take_along_axis(logp, np.expand_dims(t, axis), axis=axis)
    out = -np.squeeze(picked, axis=axis)
    return out[()] if out.ndim == 0 else out


def cross_entropy_gradient(logits: ArrayLike, target: ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits.

    .. math::

        \frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - [j = y].

    The entries sum to 0; the true class gets a negative gradient (gradient
    descent raises its logit) and every other class a positive one. The true class's
    entry is computed as :math:`-\sum_{j \ne y} p_j`, which equals :math:`p_y - 1` but
    keeps its digits when :math:`p_y` rounds to 1.

    Parameters
    ----------
    logits : array_like
        1-D logits (K,) or 2-D (N, K); classes along the last axis.
    target : int or array_like of int
        True class, one per row for 2-D logits.

    Returns
    -------
    numpy.ndarray
        Same shape as ``logits``.

    Examples
    --------
    >>> cross_entropy_gradient([2.0, 1.0, 0.1], 0)
    array([-0.34099886,  0.24243297,  0.09856589])
    >>> cross_entropy_gradient([40.0, 0.0, 0.0], 0)   # p_y = 1 - 8.5e-18 rounds to 1
    array([-8.49670851e-18,  4.24835426e-18,  4.24835426e-18])
    """
    z = as_float_array(logits, "logits")
    t = _targets_for(z, target, -1)
    grad = softmax(z, axis=-1)
    idx = t[..., np.newaxis]
    # p_target - 1 = -(sum of the other p): computed that way it keeps its digits when
    # p_target rounds to 1 (z = [40, 0, 0]: -8.5e-18, not 0), so its sign is never lost
    # while another class still has a representable probability.
    np.put_along_axis(grad, idx, 0.0, axis=-1)
    others = np.sum(grad, axis=-1, keepdims=True)
    np.put_along_axis(grad, idx, -others, axis=-1)
    return grad


def entropy(p: ArrayLike, axis: int | None = -1) -> np.ndarray | np.floating:
    r"""Shannon entropy :math:`H(p) = -\sum_i p_i \log p_i` in nats.

    Uses the convention :math:`0 \log 0 = 0` (the limit of :math:`p \log p`),
    so zero probabilities contribute nothing and raise no warning. ``p`` is
    not renormalised. :math:`H` ranges from 0 (one certain class) to
    :math:`\log K` (uniform).

    Parameters
    ----------
    p : array_like
        Probabilities (non-negative), e.g. the output of ``softmax``.
    axis : int or None, default -1
        Axis of the distribution; ``None`` = whole array.

    Returns
    -------
    numpy scalar or numpy.ndarray
        ``p`` with ``axis`` removed. NaN in a slice gives NaN.

    Raises
    ------
    ValueError
        If any probability is negative.

    Examples
    --------
    >>> entropy([0.5, 0.5])            # log 2
    np.float64(0.6931471805599453)
    >>> entropy([1.0, 0.0, 0.0])
    np.float64(0.0)
    """
    q = as_float_array(p, "p")
    if np.any(q < 0):
        raise ValueError("probabilities p must be non-negative")
    log_q = np.zeros_like(q)
    np.log(q, out=log_q, where=q > 0)  # log 0 is never evaluated: 0 log 0 = 0
    out = 0.0 - np.sum(q * log_q, axis=axis)  # 0.0 - 0.0 is +0.0, unlike -(0.0)
    return out[()] if np.ndim(out) == 0 else out


def softmax_entropy(
    x: ArrayLike, axis: int | None = -1, temperature: float = 1.0
) -> np.ndarray | np.floating:
    r"""Entropy of :math:`\operatorname{softmax}(z/T)`, in nats, from the logits.

    .. math::

        H = -\sum_i p_i \log p_i, \qquad \log p_i = rac{z_i}{T} - \log \sum_j e^{z_j/T},

    with :math:`\log p` from :func:`~softmax_core.log_softmax`. ``entropy(softmax(z))``
    loses the largest class's part when its probability rounds to 1: its
    :math:`-p \log p = \log(1 + r) pprox r` becomes :math:`-1 \cdot \log 1 = 0`, and for
    ``z = [100, -100, 0]`` the result is 1 % low (3.72e-42 for 3.757e-42). Here that
    part keeps its digits (``log1p``), and a class whose probability underflows to 0
    contributes nothing (:math:`0 \log 0 = 0`).

    Parameters
    ----------
    x : array_like
        Logits (see :func:`~softmax_core.softmax` for dtype rules).
    axis : int or None, default -1
        Axis of the classes; ``None`` = whole array.
    temperature : float, default 1.0
        :math:`T > 0`.

    Returns
    -------
    numpy scalar or numpy.ndarray
        ``x`` with ``axis`` removed; from 0 (one certain class) to :math:`\log K`
        (equal logits). A slice with NaN or ``+inf`` gives NaN.

    Examples
    --------
    >>> float(softmax_entropy([100.0, -100.0, 0.0]))   # 101 e^-100, every digit
    3.757276735781045e-42
    >>> float(entropy(softmax([100.0, -100.0, 0.0])))  # the winner's part lost
    3.720075976020836e-42
    >>> round(float(softmax_entropy([2.0, 1.0, 0.1], temperature=0.5)), 6)
    0.453668
    >>> softmax_entropy([[0.0, 0.0], [1e308, -1e308]])
    array([0.69314718, 0.        ])
    >>> float(softmax_entropy([1.0, 745.5]))  # 744.5 e^-744.5, a subnormal
    3.47e-321
    """
    log_p = log_softmax(x, axis=axis, temperature=temperature)
    with np.errstate(divide="ignore", under="ignore", invalid="ignore"):
        p = np.exp(log_p)
        terms = p * (0.0 - log_p)
        # a subnormal p has few bits (e^-744.5 is one bit, 5 % off), and its -p log p is
        # taken as exp(log p + log(-log p)) instead, from log p, which has them all
        small = p < np.finfo(log_p.dtype).tiny
        terms[small] = np.exp(log_p[small] + np.log(0.0 - log_p[small]))
    terms[np.isneginf(log_p)] = 0.0  # p = 0: 0 log 0 = 0
    terms[np.isnan(log_p)] = np.nan
    out = np.sum(terms, axis=axis)
    return out[()] if np.ndim(out) == 0 else out

r"""Element-wise activations and their derivatives, for comparison with softmax.

Softmax turns a *vector* of scores into probabilities; these act on each number
on its own. The sigmoid is the two-class softmax:

.. math::

    \sigma(z) = \frac{1}{1 + e^{-z}} = \operatorname{softmax}([z, 0])_0 .

All functions keep float16/32/64 dtypes (integers and booleans become float64),
propagate NaN, and never warn: the sigmoid only ever evaluates
:math:`e^{-|z|} \le 1`, so it cannot overflow.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_float_array

__all__ = [
    "leaky_relu",
    "leaky_relu_derivative",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "silu",
    "silu_derivative",
]


def _check_slope(negative_slope: float) -> float:
    s = float(negative_slope)
    if not math.isfinite(s):
        raise ValueError(f"negative_slope must be finite, got {negative_slope!r}")
    return s


def _keep_nan(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Put NaN back wherever ``x`` was NaN (for derivatives built from comparisons)."""
    nan = np.isnan(x)
    if nan.any():
        out[nan] = np.nan
    return out


def sigmoid(x: ArrayLike) -> np.ndarray:
    r"""Logistic sigmoid, evaluated without overflow.

    .. math::

        \sigma(z) = \frac{1}{1 + e^{-z}} =
        \begin{cases}
            \dfrac{1}{1 + e^{-|z|}} & z \ge 0, \\[1ex]
            \dfrac{e^{-|z|}}{1 + e^{-|z|}} & z < 0.
        \end{cases}

    Both branches use :math:`e^{-|z|} \in (0, 1]`, so ``sigmoid(-1e5)`` is 0
    and ``sigmoid(1e5)`` is 1 with no warning.

    Examples
    --------
    >>> sigmoid([-1e5, -1.0, 0.0, 1.0, 1e5])
    array([0.        , 0.26894142, 0.5       , 0.73105858, 1.        ])
    """
    x = as_float_array(x)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(x >= 0, r, e * r)


def sigmoid_derivative(x: ArrayLike) -> np.ndarray:
    r"""Derivative of the sigmoid.

    .. math::

        \sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = \sigma(z)\,\sigma(-z)
        = \frac{e^{-|z|}}{(1 + e^{-|z|})^2},

    the last form has no cancellation and never overflows. It peaks at
    :math:`\sigma'(0) = 1/4`; the result is clipped there so rounding can
    never push it above.

    Examples
    --------
    >>> sigmoid_derivative([0.0, 2.0, 1e5])
    array([0.25      , 0.10499359, 0.        ])
    """
    x = as_float_array(x)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        r = 1 / (1 + e)
        out = e * r * r
    return np.minimum(out, x.dtype.type(0.25))


def relu(x: ArrayLike) -> np.ndarray:
    r"""Rectified linear unit :math:`\max(z, 0)`.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    x = as_float_array(x)
    return np.maximum(x, 0)


def relu_derivative(x: ArrayLike) -> np.ndarray:
    r"""Derivative of ReLU: 1 for :math:`z > 0`, 0 for :math:`z \le 0`.

    ReLU has no derivative at exactly 0; like PyTorch and TensorFlow we use the
    convention :math:`\operatorname{relu}'(0) = 0`.

    Examples
    --------
    >>> relu_derivative([-1.0, 0.0, 2.0])
    array([0., 0., 1.])
    """
    x = as_float_array(x)
    return _keep_nan(x, (x > 0).astype(x.dtype))


def leaky_relu(x: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU: :math:`z` for :math:`z > 0`, :math:`\alpha z` otherwise.

    Examples
    --------
    >>> leaky_relu([-100.0, 0.0, 5.0])
    array([-1.,  0.,  5.])
    """
    x = as_float_array(x)
    slope = _check_slope(negative_slope)
    return np.where(x > 0, x, x * x.dtype.type(slope))


def leaky_relu_derivative(x: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    r"""Derivative of leaky ReLU: 1 for :math:`z > 0`, :math:`\alpha` for :math:`z \le 0`.

    At exactly 0 we use :math:`\alpha` (the left derivative), matching
    :func:`relu_derivative` when :math:`\alpha = 0`.

    Examples
    --------
    >>> leaky_relu_derivative([-1.0, 0.0, 2.0], negative_slope=0.1)
    array([0.1, 0.1, 1. ])
    """
    x = as_float_array(x)
    slope = _check_slope(negative_slope)
    out = np.where(x > 0, x.dtype.type(1), x.dtype.type(slope))
    return _keep_nan(x, out)


def silu(x: ArrayLike) -> np.ndarray:
    r"""SiLU (a.k.a. swish): :math:`z\,\sigma(z)`.

    :math:`\operatorname{silu}(-\infty) = 0` (its limit), not ``-inf * 0 = NaN``.

    Examples
    --------
    >>> silu([-1e5, 0.0, 1.0])
    array([-0.        ,  0.        ,  0.73105858])
    """
    x = as_float_array(x)
    with np.errstate(invalid="ignore"):
        out = x * sigmoid(x)
    return np.where(np.isneginf(x), x.dtype.type(0), out)


def silu_derivative(x: ArrayLike) -> np.ndarray:
    r"""Derivative of SiLU.

    .. math::

        \frac{d}{dz}\, z\sigma(z) = \sigma(z) + z\,\sigma(z)(1 - \sigma(z))
        = \sigma(z)\,\bigl(1 + z\,\sigma(-z)\bigr).

    Its limits are 0 at :math:`-\infty` and 1 at :math:`+\infty`.

    Examples
    --------
    >>> silu_derivative([0.0, 1.0, 1e5, -1e5])
    array([ 0.5       ,  0.92767051,  1.        , -0.        ])
    """
    x = as_float_array(x)
    s_pos, s_neg = sigmoid(x), sigmoid(-x)
    with np.errstate(invalid="ignore"):
        out = s_pos * (1 + x * s_neg)
    out = np.where(np.isposinf(x), x.dtype.type(1), out)
    return np.where(np.isneginf(x), x.dtype.type(0), out)

"""Which classes are on top: the argmax as a *set*, so ties are never hidden.

``np.argmax`` returns the first of several equal maxima, which makes a tie look like a
single winner. A lesson about softmax must say "heads and tails tie", so every page asks
this module instead.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def top_classes(values: ArrayLike) -> np.ndarray:
    r"""Indices of every class that attains the largest finite value.

    .. math:: \operatorname{argmax}(x) = \{\, i : x_i = \max_{j,\ x_j \text{ finite}} x_j \,\}

    Only finite entries compete: NaN and ±inf (an overflowed or invalid naive result) are
    never a winner, and an array with no finite entry has no winner (an empty result).
    Equality is exact: softmax maps equal logits to bit-for-bit equal probabilities, so a
    tie in the logits is a tie in the probabilities.

    Parameters
    ----------
    values : array_like, shape (K,)
        Logits or probabilities of one example.

    Returns
    -------
    numpy.ndarray of int
        The winning indices in increasing order; empty if no entry is finite.

    Examples
    --------
    >>> top_classes([2.0, 1.0, 0.1])
    array([0])
    >>> top_classes([1.0, 1.0, 0.0])
    array([0, 1])
    >>> top_classes([np.nan, np.inf, 0.5])
    array([2])
    >>> top_classes([np.nan, np.nan])
    array([], dtype=int64)
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    finite = np.isfinite(x)
    if not finite.any():
        return np.array([], dtype=np.int64)
    best = np.max(x[finite])
    return np.flatnonzero(finite & (x == best)).astype(np.int64)

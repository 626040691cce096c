"""Input checks shared by every function in :mod:`softmax_core`.

Two rules live here so that each formula file can stay short:

* **arrays** -- anything array-like becomes a floating NumPy array. ``float16``,
  ``float32`` and ``float64`` keep their dtype (so results come back in the same
  precision); integers and booleans become ``float64``.
* **temperature** -- must be a finite number ``T > 0``; anything else is a
  ``ValueError`` whose message names the temperature.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike

#: The floating dtypes that are kept as they are.
FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def as_float_array(x: ArrayLike, name: str = "x") -> np.ndarray:
    """Convert ``x`` to a floating NumPy array without copying when possible.

    Parameters
    ----------
    x : array_like
        Numbers: a list, tuple, scalar or ndarray.
    name : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        ``x`` itself if it already is a float16/32/64 array, otherwise a
        ``float64`` array (integers, booleans, other float types).

    Raises
    ------
    TypeError
        If ``x`` holds complex numbers or values that are not numbers.

    Examples
    --------
    >>> as_float_array([1, 2, 3]).dtype
    dtype('float64')
    >>> as_float_array(np.array([1.0], dtype=np.float32)).dtype
    dtype('float32')
    """
    arr = np.asarray(x)
    if arr.dtype in FLOAT_DTYPES:
        return arr
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex dtype {arr.dtype}")
    if arr.dtype.kind not in "biuf":
        try:
            return arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}") from exc
    return arr.astype(np.float64)


def check_temperature(temperature: float) -> float:
    """Return ``temperature`` as a Python float after checking ``0 < T < inf``.

    Raises
    ------
    ValueError
        If the temperature is not a real number, not finite, or not positive.

    Examples
    --------
    >>> check_temperature(0.5)
    0.5
    >>> check_temperature(0)
    Traceback (most recent call last):
    ...
    ValueError: temperature must be a finite number > 0, got 0
    """
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    t = float(temperature)
    if not math.isfinite(t) or t <= 0.0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    return t


def check_int(value: int, name: str, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking it is an integer in ``[low, high]``.

    Examples
    --------
    >>> check_int(3, "k", low=1)
    3
    >>> check_int(0, "k", low=1)
    Traceback (most recent call last):
    ...
    ValueError: k must be an integer >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if low is not None and high is not None and not low <= v <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {v}")
    if low is not None and v < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {v}")
    if high is not None and v > high:
        raise ValueError(f"{name} must be an integer <= {high}, got {v}")
    return v


def as_class_indices(target: ArrayLike, n_classes: int, name: str = "target") -> np.ndarray:
    """Convert class indices to an ``int64`` array and check ``0 <= t < n_classes``.

    Raises
    ------
    ValueError
        If the values are not integers or lie outside ``[0, n_classes)``.

    Examples
    --------
    >>> as_class_indices([0, 2], 3)
    array([0, 2])
    >>> as_class_indices(3, 3)
    Traceback (most recent call last):
    ...
    ValueError: target must be class indices in [0, 3), got values in [3, 3]
    """
    t = np.asarray(target)
    if t.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integer class indices, got dtype {t.dtype}")
    t = t.astype(np.int64, copy=False)
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise ValueError(
            f"{name} must be class indices in [0, {n_classes}), "
            f"got values in [{t.min()}, {t.max()}]"
        )
    return t

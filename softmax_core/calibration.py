r"""Calibration: do the probabilities mean what they say? And temperature scaling.

A classifier is *calibrated* if, among all predictions made with confidence
0.8, about 80 % are right. Modern networks are often *overconfident*: their
softmax is too sharp. *Temperature scaling* (Guo et al., 2017) fixes that with
a single number: divide the logits by the :math:`T` that minimises the
negative log-likelihood on held-out data,

.. math::

    \mathrm{NLL}(T) = \frac{1}{N}\sum_{n=1}^{N} -\log
        \operatorname{softmax}(z_n / T)_{y_n}.

Dividing every logit of a row by the same :math:`T > 0` never changes which
class is largest, so accuracy is untouched; only the confidence moves. The
*expected calibration error* measures the mismatch:

.. math::

    \mathrm{ECE} = \sum_{b=1}^{B} \frac{n_b}{N}\,
        \bigl|\mathrm{acc}_b - \mathrm{conf}_b\bigr|,

over :math:`B` equal-width bins of the top probability.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_class_indices, as_float_array, check_int, check_temperature
from .softmax import log_softmax, softmax

__all__ = [
    "ReliabilityBins",
    "expected_calibration_error",
    "fit_temperature",
    "make_overconfident_classifier",
    "nll",
    "reliability_bins",
    "train_test_split_indices",
]


def _logits_and_labels(logits: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check finite 2-D logits (N, K) and N integer labels in [0, K)."""
    z = as_float_array(logits, "logits")
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"logits must be a non-empty 2-D array (N, K), got shape {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError("logits must be finite")
    y = as_class_indices(labels, z.shape[1], "labels")
    if y.shape != (z.shape[0],):
        raise ValueError(f"labels must have shape ({z.shape[0]},), got {y.shape}")
    return z, y


def nll(logits: ArrayLike, labels: ArrayLike, temperature: float = 1.0) -> float:
    r"""Mean cross-entropy (negative log-likelihood, nats) at temperature ``T``.

    .. math::

        \mathrm{NLL}(T) = -\frac{1}{N}\sum_n \log\operatorname{softmax}(z_n/T)_{y_n}.

    Parameters
    ----------
    logits : array_like
        Shape (N, K), finite.
    labels : array_like of int
        Shape (N,), true classes in ``[0, K)``.
    temperature : float, default 1.0
        :math:`T > 0`.

    Returns
    -------
    float

    Examples
    --------
    >>> nll([[0.0, 0.0], [2.0, 0.0]], [0, 0])
    0.41004
    """
    z, y = _logits_and_labels(logits, labels)
    t = check_temperature(temperature)
    logp = log_softmax(z, axis=-1, temperature=t)
    return float(-np.mean(logp[np.arange(y.size), y]))


def _nll_slope_and_curvature(z: np.ndarray, y: np.ndarray, beta: float) -> tuple[float, float]:
    r"""First and second derivative of NLL with respect to :math:`\beta = 1/T`.

    With :math:`p = \operatorname{softmax}(\beta z)`:
    :math:`\mathrm{NLL}'(\beta) = \overline{\mathbb{E}_p[z] - z_y}` and
    :math:`\mathrm{NLL}''(\beta) = \overline{\operatorname{Var}_p[z]} \ge 0`,
    so NLL is convex in :math:`\beta`.
    """
    p = softmax(z, axis=-1, temperature=1.0 / beta)
    mean_z = np.sum(p * z, axis=1)
    slope = float(np.mean(mean_z - z[np.arange(y.size), y]))
    curvature = float(np.mean(np.sum(p * (z - mean_z[:, None]) ** 2, axis=1)))
    return slope, curvature


def fit_temperature(
    logits: ArrayLike, labels: ArrayLike, bounds: tuple[float, float] = (0.05, 20.0)
) -> float:
    r"""The temperature in ``bounds`` that minimises :func:`nll` on these logits.

    Fit it on held-out data (not the data the model was trained on). Works on
    :math:`\beta = 1/T`, where :math:`\mathrm{NLL}(\beta)` is convex with

    .. math::

        \mathrm{NLL}'(\beta) = \frac{1}{N}\sum_n \bigl(\mathbb{E}_{p_n}[z_n] - z_{n,y_n}\bigr),
        \qquad
        \mathrm{NLL}''(\beta) = \frac{1}{N}\sum_n \operatorname{Var}_{p_n}[z_n],

    by Newton's method, safeguarded by bisection on the sign of the slope.

    Parameters
    ----------
    logits : array_like
        Shape (N, K), finite.
    labels : array_like of int
        Shape (N,).
    bounds : (float, float), default (0.05, 20.0)
        ``0 < low < high``; the answer is clipped to this range.

    Returns
    -------
    float
        The fitted temperature (``> 1`` means the model was overconfident).

    Examples
    --------
    >>> logits, labels = make_overconfident_classifier(overconfidence=3.0, seed=0)
    >>> fit_temperature(logits, labels)    # close to the true factor 3
    2.92
    """
    z, y = _logits_and_labels(logits, labels)
    low, high = (float(b) for b in bounds)
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low < high):
        raise ValueError(f"bounds must satisfy 0 < low < high (finite), got {bounds!r}")
    a, b = 1.0 / high, 1.0 / low  # bracket for beta = 1/T
    if _nll_slope_and_curvature(z, y, a)[0] >= 0:
        return high  # NLL increases over the whole range: smallest beta wins
    if _nll_slope_and_curvature(z, y, b)[0] <= 0:
        return low
    beta = min(max(1.0, a), b)
    for _ in range(200):
        slope, curvature = _nll_slope_and_curvature(z, y, beta)
        if slope == 0:
            break
        if slope < 0:
            a = beta  # minimum lies to the right
        else:
            b = beta
        new = beta - slope / curvature if curvature > 0 else math.nan
        if not a < new < b:
            new = 0.5 * (a + b)  # Newton left the bracket: bisect instead
        done = abs(new - beta) <= 1e-12 * beta or b - a <= 1e-12 * b
        beta = new
        if done:
            break
    return 1.0 / beta


@dataclass(frozen=True, eq=False)
class ReliabilityBins:
    """A reliability diagram: per confidence bin, how confident and how right."""

    #: bin edges, ``n_bins + 1`` values from 0 to 1
    edges: np.ndarray
    #: mean top probability of the predictions in each bin (NaN if empty)
    confidence: np.ndarray
    #: fraction of correct predictions in each bin (NaN if empty)
    accuracy: np.ndarray
    #: number of predictions in each bin
    counts: np.ndarray


def _probs_and_labels(probs: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    q = as_float_array(probs, "probs")
    if q.ndim != 2 or q.shape[0] == 0 or q.shape[1] == 0:
        raise ValueError(f"probs must be a non-empty 2-D array (N, K), got shape {q.shape}")
    if not np.isfinite(q).all() or (q < 0).any():
        raise ValueError("probs must be finite and non-negative")
    y = as_class_indices(labels, q.shape[1], "labels")
    if y.shape != (q.shape[0],):
        raise ValueError(f"labels must have shape ({q.shape[0]},), got {y.shape}")
    return q, y


def reliability_bins(probs: ArrayLike, labels: ArrayLike, n_bins: int = 10) -> ReliabilityBins:
    r"""Group predictions by confidence into ``n_bins`` equal-width bins.

    The prediction is :math:`\hat y_n = \arg\max_k p_{nk}` and its confidence
    :math:`c_n = \max_k p_{nk}`. Bin :math:`b` holds the :math:`c_n` in
    :math:`(\tfrac{b-1}{B}, \tfrac{b}{B}]` (the first bin also holds 0); per bin

    .. math::

        \mathrm{conf}_b = \frac{1}{n_b}\sum_{n \in b} c_n, \qquad
        \mathrm{acc}_b = \frac{1}{n_b}\sum_{n \in b} [\hat y_n = y_n].

    Parameters
    ----------
    probs : array_like
        Shape (N, K), e.g. ``softmax(logits)``.
    labels : array_like of int
        Shape (N,).
    n_bins : int, default 10
        Number of bins, at least 1.

    Returns
    -------
    ReliabilityBins
        ``edges`` (n_bins + 1), ``confidence``, ``accuracy`` (NaN for empty
        bins) and ``counts`` (int64).

    Examples
    --------
    >>> rb = reliability_bins([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    >>> rb.counts, rb.confidence, rb.accuracy
    (array([0, 3]), array([ nan, 0.73333333]), array([       nan, 0.66666667]))
    """
    q, y = _probs_and_labels(probs, labels)
    n_bins = check_int(n_bins, "n_bins", low=1)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    conf = q.max(axis=1).astype(np.float64)
    correct = (q.argmax(axis=1) == y).astype(np.float64)
    idx = np.digitize(conf, edges[1:-1], right=True)  # bin b holds (edge_b, edge_b+1]
    counts = np.bincount(idx, minlength=n_bins).astype(np.int64)
    nonempty = counts > 0
    confidence = np.full(n_bins, np.nan)
    accuracy = np.full(n_bins, np.nan)
    np.divide(np.bincount(idx, conf, n_bins), counts, out=confidence, where=nonempty)
    np.divide(np.bincount(idx, correct, n_bins), counts, out=accuracy, where=nonempty)
    return ReliabilityBins(edges, confidence, accuracy, counts)


def expected_calibration_error(probs: ArrayLike, labels: ArrayLike, n_bins: int = 10) -> float:
    r"""Expected calibration error :math:`\sum_b \frac{n_b}{N}|\mathrm{acc}_b - \mathrm{conf}_b|`.

    Uses the equal-width bins of :func:`reliability_bins`; empty bins count 0.
    0 means perfectly calibrated (on this data); the worst is 1.

    Examples
    --------
    >>> expected_calibration_error([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    0.0667
    """
    rb = reliability_bins(probs, labels, n_bins)
    used = rb.counts > 0
    weights = rb.counts[used] / rb.counts.sum()
    return float(np.sum(weights * np.abs(rb.accuracy[used] - rb.confidence[used])))


#: Signal added to the true class's feature in the synthetic classifier.
_SIGNAL = 2.0


def make_overconfident_classifier(
    n_samples: int = 3000, n_classes: int = 5, seed: int = 0, overconfidence: float = 3.0
) -> tuple[np.ndarray, np.ndarray]:
    r"""A synthetic classifier whose softmax is ``overconfidence`` times too sharp.

    Labels are uniform; each sample has one feature per class,
    :math:`x_k = \mu\,[k = y] + \varepsilon_k` with
    :math:`\varepsilon_k \sim \mathcal N(0, 1)` and :math:`\mu = 2`. By Bayes'
    rule the true posterior is exactly :math:`\operatorname{softmax}(\mu x)`, so
    :math:`\mu x` are perfectly calibrated logits. They are returned multiplied
    by ``overconfidence``: the best temperature is then about ``overconfidence``
    (1 gives a calibrated model, below 1 an underconfident one).

    Parameters
    ----------
    n_samples : int, default 3000
        N, between 100 and 100 000.
    n_classes : int, default 5
        K, between 3 and 10.
    seed : int, default 0
        Seed for ``np.random.default_rng``.
    overconfidence : float, default 3.0
        Factor > 0 applied to the calibrated logits.

    Returns
    -------
    logits : numpy.ndarray
        Shape (N, K), float64.
    labels : numpy.ndarray
        Shape (N,), int64.

    Examples
    --------
    >>> logits, labels = make_overconfident_classifier(n_samples=100, n_classes=3)
    >>> logits.shape, labels.shape, labels.dtype
    ((100, 3), (100,), dtype('int64'))
    """
    n = check_int(n_samples, "n_samples", 100, 100_000)
    k = check_int(n_classes, "n_classes", 3, 10)
    if (
        isinstance(overconfidence, bool)
        or not isinstance(overconfidence, numbers.Real)
        or not math.isfinite(overconfidence)
        or overconfidence <= 0
    ):
        raise ValueError(f"overconfidence must be a finite number > 0, got {overconfidence!r}")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, size=n).astype(np.int64)
    features = rng.standard_normal((n, k))
    features[np.arange(n), labels] += _SIGNAL
    logits = (_SIGNAL * float(overconfidence)) * features
    return logits, labels


def train_test_split_indices(
    n: int, test_fraction: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle ``range(n)`` and split it into (train, test) index arrays.

    Fit the temperature on one part and measure calibration on the other.
    Both parts get at least one index; each is sorted.

    Examples
    --------
    >>> train, test = train_test_split_indices(10, test_fraction=0.3)
    >>> len(train), len(test), sorted(np.concatenate([train, test])) == list(range(10))
    (7, 3, True)
    """
    n = check_int(n, "n", low=2)
    if isinstance(test_fraction, bool) or not 0 < float(test_fraction) < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    n_test = min(max(round(n * float(test_fraction)), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])

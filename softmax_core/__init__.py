"""softmax_core -- the NumPy numerical core of an app that teaches softmax.

Pure functions, NumPy only, one idea per module:

* :mod:`~softmax_core.softmax` -- ``softmax``, ``log_softmax``, ``logsumexp``,
  the deliberately broken ``naive_softmax``, and ``softmax_jacobian``;
* :mod:`~softmax_core.activations` -- sigmoid, ReLU, leaky ReLU, SiLU and derivatives;
* :mod:`~softmax_core.losses` -- cross-entropy, its gradient, entropy;
* :mod:`~softmax_core.overflow` -- the limits of ``exp`` per dtype and the
  facts, element by element, of why the naive formula fails;
* :mod:`~softmax_core.ranking` -- ``top_classes``, the argmax as a set (ties named);
* :mod:`~softmax_core.sampling` -- drawing classes, top-k and top-p filters;
* :mod:`~softmax_core.calibration` -- NLL, temperature fitting, reliability
  bins, ECE and a synthetic overconfident classifier.

>>> import softmax_core as sc
>>> sc.softmax([2.0, 1.0, 0.1])
array([0.65900114, 0.24243297, 0.09856589])
"""

from .activations import (
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    silu,
    silu_derivative,
)
from .calibration import (
    ReliabilityBins,
    expected_calibration_error,
    fit_temperature,
    make_overconfident_classifier,
    nll,
    reliability_bins,
    train_test_split_indices,
)
from .losses import cross_entropy, cross_entropy_gradient, entropy, softmax_entropy
from .overflow import (
    Division,
    ElementFacts,
    ExpLimits,
    ExpOutcome,
    NaiveDiagnosis,
    diagnose_naive,
    exp_limits,
)
from .ranking import top_classes
from .sampling import (
    MAX_SAMPLES,
    TOP_P_DECIMALS,
    sample,
    sample_counts,
    top_k_filter,
    top_k_kept,
    top_p_filter,
    top_p_order,
)
from .softmax import log_softmax, logsumexp, naive_softmax, softmax, softmax_jacobian

__all__ = [
    "MAX_SAMPLES",
    "TOP_P_DECIMALS",
    "Division",
    "ElementFacts",
    "ExpLimits",
    "ExpOutcome",
    "NaiveDiagnosis",
    "ReliabilityBins",
    "cross_entropy",
    "cross_entropy_gradient",
    "diagnose_naive",
    "entropy",
    "exp_limits",
    "expected_calibration_error",
    "fit_temperature",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_softmax",
    "logsumexp",
    "make_overconfident_classifier",
    "naive_softmax",
    "nll",
    "reliability_bins",
    "relu",
    "relu_derivative",
    "sample",
    "sample_counts",
    "sigmoid",
    "sigmoid_derivative",
    "silu",
    "silu_derivative",
    "softmax",
    "softmax_entropy",
    "softmax_jacobian",
    "top_classes",
    "top_k_filter",
    "top_k_kept",
    "top_p_filter",
    "top_p_order",
    "train_test_split_indices",
]

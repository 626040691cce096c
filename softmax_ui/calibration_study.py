"""The Calibration lesson's experiment: an overconfident classifier, temperature-scaled.

:func:`calibration_study` is pure (the core's functions, numbers out); the page calls
:func:`cached_calibration_study`, the same function cached per setting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from softmax_core import (
    ReliabilityBins,
    expected_calibration_error,
    fit_temperature,
    make_overconfident_classifier,
    nll,
    reliability_bins,
    softmax,
    train_test_split_indices,
)

N_SAMPLES = 3000
N_BINS = 10
NEAR_ONE = 0.05
"""A fitted T this close to 1 is read as "close to calibrated", not as a direction: the fit
on 1 500 examples of a calibrated model gives 0.96 to 1.06."""


@dataclass(frozen=True)
class Scores:
    """How one set of predictions on the test half fares."""

    bins: ReliabilityBins
    ece: float
    """Expected calibration error over :data:`N_BINS` bins."""
    nll: float
    """Negative log-likelihood per example, nats."""
    mean_confidence: float
    """Mean top probability."""
    predictions: np.ndarray
    """The predicted class of each test example."""
    accuracy: float
    """Fraction of test examples predicted right."""


@dataclass(frozen=True)
class CalibrationStudy:
    """T fitted on one half of the data, the scores before and after on the other half."""

    temperature: float
    n_fit: int
    n_test: int
    before: Scores
    """softmax(z) on the test half."""
    after: Scores
    """softmax(z / T) on the test half."""
    fit_nll_before: float
    """NLL on the validation half at T = 1 (what the fit starts from)."""
    fit_nll_after: float
    """NLL on the validation half at the fitted T (what the fit reached)."""

    @property
    def close_to_one(self) -> bool:
        """Whether the fitted T is within :data:`NEAR_ONE` of 1: the sample's noise, no
        direction (T = 0.985 at overconfidence 1 read "underconfident": a student tour)."""
        return abs(self.temperature - 1) < NEAR_ONE

    @property
    def worse_on_test(self) -> tuple[str, ...]:
        """Which of ``"ece"`` and ``"nll"`` the scaling made worse on the test half (near a
        calibrated model the T fitted on one half can be that half's chance)."""
        pairs = (("ece", self.before.ece, self.after.ece), ("nll", self.before.nll, self.after.nll))
        return tuple(name for name, before, after in pairs if after > before)

    @property
    def predictions_changed(self) -> int:
        """How many test predictions scaling changed (0 but for float rounding in a near-tie)."""
        return int(np.sum(self.before.predictions != self.after.predictions))


def _scores(logits: np.ndarray, labels: np.ndarray, temperature: float) -> Scores:
    probs = softmax(logits, temperature=temperature)
    predictions = np.argmax(probs, axis=1)
    return Scores(
        bins=reliability_bins(probs, labels, n_bins=N_BINS),
        ece=float(expected_calibration_error(probs, labels, n_bins=N_BINS)),
        nll=float(nll(logits, labels, temperature=temperature)),
        mean_confidence=float(probs.max(axis=1).mean()),
        predictions=predictions,
        accuracy=float(np.mean(predictions == labels)),
    )


def calibration_study(classes: int, overconfidence: float, seed: int) -> CalibrationStudy:
    """Make the synthetic classifier, fit T on one half, measure on the other half.

    >>> study = calibration_study(5, 3.0, 0)
    >>> study.temperature > 1, study.after.ece < study.before.ece, study.n_fit + study.n_test
    (True, True, 3000)
    """
    logits, labels = make_overconfident_classifier(
        n_samples=N_SAMPLES, n_classes=classes, seed=seed, overconfidence=overconfidence
    )
    fit, test = train_test_split_indices(len(labels), test_fraction=0.5, seed=seed)
    fit_z, fit_y = logits[fit], labels[fit]
    test_z, test_y = logits[test], labels[test]
    temperature = float(fit_temperature(fit_z, fit_y))
    return CalibrationStudy(
        temperature=temperature,
        n_fit=len(fit),
        n_test=len(test),
        before=_scores(test_z, test_y, 1.0),
        after=_scores(test_z, test_y, temperature),
        fit_nll_before=float(nll(fit_z, fit_y)),
        fit_nll_after=float(nll(fit_z, fit_y, temperature=temperature)),
    )


cached_calibration_study = st.cache_data(max_entries=64, show_spinner=False)(calibration_study)
"""The study, cached; the page shows its own spinner, in the reader's language."""

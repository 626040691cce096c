"""NLL, temperature fitting (against a brute-force grid), reliability bins and ECE."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmax_core import (
    cross_entropy,
    expected_calibration_error,
    fit_temperature,
    make_overconfident_classifier,
    nll,
    reliability_bins,
    softmax,
    train_test_split_indices,
)


def grid_search_temperature(logits, labels, bounds=(0.05, 20.0), n=3001):
    grid = np.exp(np.linspace(np.log(bounds[0]), np.log(bounds[1]), n))
    values = np.array([nll(logits, labels, t) for t in grid])
    i = int(np.argmin(values))
    return grid[i], values[i], np.log(grid[1] / grid[0])


def test_nll_is_mean_cross_entropy_at_temperature():
    logits, labels = make_overconfident_classifier(n_samples=200, seed=1)
    for t in (0.5, 1.0, 3.0):
        assert nll(logits, labels, t) == pytest.approx(
            float(np.mean(cross_entropy(logits / t, labels))), rel=1e-12
        )


@pytest.mark.parametrize(("overconfidence", "seed"), [(0.5, 0), (1.0, 1), (3.0, 2), (8.0, 3)])
def test_fit_temperature_matches_brute_force_grid(overconfidence, seed):
    logits, labels = make_overconfident_classifier(
        n_samples=1000, seed=seed, overconfidence=overconfidence
    )
    t_fit = fit_temperature(logits, labels)
    t_grid, nll_grid, step = grid_search_temperature(logits, labels)
    assert abs(np.log(t_fit) - np.log(t_grid)) <= step
    assert nll(logits, labels, t_fit) <= nll_grid + 1e-12


def test_fit_temperature_recovers_the_overconfidence_factor():
    logits, labels = make_overconfident_classifier(n_samples=20_000, seed=5, overconfidence=4.0)
    assert fit_temperature(logits, labels) == pytest.approx(4.0, rel=0.1)


def test_fit_temperature_clips_to_bounds_and_validates():
    logits, labels = make_overconfident_classifier(n_samples=500, seed=0, overconfidence=1.0)
    assert fit_temperature(logits * 100, labels) == 20.0
    assert fit_temperature(logits * 0.001, labels) == 0.05
    assert fit_temperature(logits, labels, bounds=(2.0, 5.0)) == 2.0
    for bad in [(0.0, 1.0), (2.0, 1.0), (1.0, np.inf)]:
        with pytest.raises(ValueError, match="bounds"):
            fit_temperature(logits, labels, bounds=bad)
    with pytest.raises(ValueError, match="finite"):
        fit_temperature([[np.inf, 0.0]], [0])
    with pytest.raises(ValueError, match="labels"):
        fit_temperature(logits, labels[:-1])


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(
        np.float64, st.tuples(st.integers(1, 20), st.integers(2, 6)), elements=st.floats(-50, 50)
    ),
    st.floats(0.05, 20.0),
)
def test_temperature_scaling_never_changes_the_argmax(logits, t):
    p = softmax(logits, temperature=t)
    rows = np.arange(logits.shape[0])
    assert (p[rows, np.argmax(logits, axis=1)] == p.max(axis=1)).all()


def test_reliability_bins_by_hand():
    probs = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.5, 0.5]])
    labels = np.array([0, 1, 1, 1])
    rb = reliability_bins(probs, labels, n_bins=2)
    np.testing.assert_allclose(rb.edges, [0.0, 0.5, 1.0])
    # confidence 0.5 belongs to the first bin (0, 0.5]; the rest to (0.5, 1]
    np.testing.assert_array_equal(rb.counts, [1, 3])
    np.testing.assert_allclose(rb.confidence, [0.5, (0.9 + 0.6 + 0.7) / 3])
    np.testing.assert_allclose(rb.accuracy, [0.0, 2 / 3])
    ece = expected_calibration_error(probs, labels, n_bins=2)
    assert ece == pytest.approx(0.25 * 0.5 + 0.75 * abs(2 / 3 - 2.2 / 3))


def test_empty_bins_are_nan_and_validation():
    rb = reliability_bins([[0.95, 0.05]], [0], n_bins=10)
    assert rb.counts.sum() == 1 and rb.counts[-1] == 1
    assert np.isnan(rb.confidence[:-1]).all() and np.isnan(rb.accuracy[:-1]).all()
    with pytest.raises(ValueError, match="n_bins"):
        reliability_bins([[0.5, 0.5]], [0], n_bins=0)
    with pytest.raises(ValueError, match="labels"):
        reliability_bins([[0.5, 0.5]], [2])
    with pytest.raises(ValueError, match="probs"):
        reliability_bins([0.5, 0.5], [0])


def test_ece_small_when_calibrated_large_when_overconfident_and_fixed_by_temperature():
    calibrated, y_cal = make_overconfident_classifier(n_samples=20_000, seed=11, overconfidence=1.0)
    assert expected_calibration_error(softmax(calibrated), y_cal) < 0.015

    logits, labels = make_overconfident_classifier(n_samples=6000, seed=12, overconfidence=3.0)
    train, test = train_test_split_indices(len(labels), test_fraction=0.5, seed=0)
    before = expected_calibration_error(softmax(logits[test]), labels[test])
    t = fit_temperature(logits[train], labels[train])
    after = expected_calibration_error(softmax(logits[test], temperature=t), labels[test])
    assert before > 0.1
    assert after < 0.03 and after < before / 4
    assert nll(logits[test], labels[test], t) < nll(logits[test], labels[test])
    # accuracy is untouched by temperature scaling
    acc = (softmax(logits[test]).argmax(1) == labels[test]).mean()
    acc_t = (softmax(logits[test], temperature=t).argmax(1) == labels[test]).mean()
    assert acc == acc_t


def test_make_overconfident_classifier_shape_seed_and_validation():
    logits, labels = make_overconfident_classifier(n_samples=300, n_classes=7, seed=4)
    assert logits.shape == (300, 7) and logits.dtype == np.float64
    assert labels.shape == (300,) and labels.dtype == np.int64
    assert labels.min() >= 0 and labels.max() < 7
    again = make_overconfident_classifier(n_samples=300, n_classes=7, seed=4)
    np.testing.assert_array_equal(logits, again[0])
    np.testing.assert_array_equal(labels, again[1])
    assert not np.array_equal(logits, make_overconfident_classifier(300, 7, seed=5)[0])
    accuracy = (logits.argmax(1) == labels).mean()
    assert 0.4 < accuracy < 0.95  # a useful but imperfect classifier
    for kwargs in (
        {"n_classes": 2},
        {"n_classes": 11},
        {"n_samples": 99},
        {"n_samples": 100_001},
        {"overconfidence": 0.0},
        {"overconfidence": np.nan},
        {"n_samples": 500.0},
    ):
        with pytest.raises(ValueError):
            make_overconfident_classifier(**kwargs)


def test_train_test_split_indices():
    train, test = train_test_split_indices(101, test_fraction=0.3, seed=2)
    assert len(test) == 30 and len(train) == 71
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(101))
    np.testing.assert_array_equal(test, train_test_split_indices(101, 0.3, seed=2)[1])
    assert len(train_test_split_indices(2, 0.01)[1]) == 1
    for bad in ({"n": 1}, {"n": 10, "test_fraction": 0.0}, {"n": 10, "test_fraction": 1.0}):
        with pytest.raises(ValueError):
            train_test_split_indices(**bad)

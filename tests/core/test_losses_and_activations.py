"""Cross-entropy, its gradient, entropy, the Jacobian, and the element-wise activations."""

from __future__ import annotations

import numpy as np
import pytest

from softmax_core import (
    cross_entropy,
    cross_entropy_gradient,
    entropy,
    leaky_relu,
    leaky_relu_derivative,
    log_softmax,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    silu,
    silu_derivative,
    softmax,
    softmax_jacobian,
)

inf, nan = np.inf, np.nan


def central_difference(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    return (f(x + h) - f(x - h)) / (2 * h)


# --- cross-entropy ----------------------------------------------------------------------------


def test_cross_entropy_1d_and_2d():
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    ce = cross_entropy(z, [0, 2])
    assert ce.shape == (2,)
    np.testing.assert_allclose(ce, [-np.log(softmax(z[0])[0]), np.log(3)], rtol=1e-14)
    assert np.ndim(cross_entropy(z[0], 1)) == 0
    assert float(cross_entropy(z[0], np.int32(1))) == pytest.approx(-log_softmax(z[0])[1])
    np.testing.assert_allclose(cross_entropy(z.T, [0, 2], axis=0), ce)


@pytest.mark.parametrize(
    ("target", "match"),
    [(3, r"\[0, 3\)"), (-1, r"\[0, 3\)"), (1.0, "integer"), (True, "integer"), ([0, 1], "shape")],
)
def test_cross_entropy_validates_target(target, match):
    with pytest.raises(ValueError, match=match):
        cross_entropy([1.0, 2.0, 3.0], target)


def test_cross_entropy_2d_target_shape_and_range():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="shape"):
        cross_entropy(z, 0)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        cross_entropy(z, [0, 3])


def test_cross_entropy_of_masked_target_is_infinite():
    assert cross_entropy([0.0, -inf], 1) == inf
    assert cross_entropy([0.0, -inf], 0) == 0.0


def test_gradient_is_softmax_minus_one_hot_and_matches_finite_differences():
    z = np.array([2.0, 1.0, 0.1, -1.0])
    g = cross_entropy_gradient(z, 2)
    expected = softmax(z)
    expected[2] -= 1
    np.testing.assert_allclose(g, expected, rtol=1e-15)
    assert abs(g.sum()) < 1e-15 and g[2] < 0 and (np.delete(g, 2) > 0).all()
    fd = np.array(
        [
            (cross_entropy(z + 1e-6 * e, 2) - cross_entropy(z - 1e-6 * e, 2)) / 2e-6
            for e in np.eye(4)
        ]
    )
    np.testing.assert_allclose(g, fd, atol=1e-8)


def test_gradient_2d_and_stable_for_huge_logits():
    z = np.array([[1000.0, 0.0], [0.0, 1000.0]])
    g = cross_entropy_gradient(z, [1, 1])
    np.testing.assert_array_equal(g, [[1.0, -1.0], [0.0, 0.0]])
    with pytest.raises(ValueError):
        cross_entropy_gradient(z, [0, 2])


# --- entropy ----------------------------------------------------------------------------------


def test_entropy_extremes_and_zeros_without_warnings():
    assert float(entropy([0.25] * 4)) == pytest.approx(np.log(4), rel=1e-15)
    assert float(entropy([1.0, 0.0, 0.0])) == 0.0
    assert float(entropy([0.5, 0.5, 0.0])) == pytest.approx(np.log(2))
    np.testing.assert_allclose(entropy([[1.0, 0.0], [0.5, 0.5]]), [0.0, np.log(2)])
    np.testing.assert_allclose(entropy([[1.0, 0.5], [0.0, 0.5]], axis=0), [0.0, np.log(2)])
    with pytest.raises(ValueError, match="non-negative"):
        entropy([1.5, -0.5])


# --- Jacobian ---------------------------------------------------------------------------------


def test_jacobian_formula_temperature_and_shape_checks():
    z = np.array([1.0, 2.0, 0.5])
    for t in (0.5, 1.0, 4.0):
        p = softmax(z, temperature=t)
        np.testing.assert_allclose(
            softmax_jacobian(z, temperature=t), (np.diag(p) - np.outer(p, p)) / t, rtol=1e-15
        )
        fd = np.column_stack(
            [
                (softmax(z + 1e-6 * e, temperature=t) - softmax(z - 1e-6 * e, temperature=t)) / 2e-6
                for e in np.eye(3)
            ]
        )
        np.testing.assert_allclose(softmax_jacobian(z, temperature=t), fd, atol=1e-8)
    assert softmax_jacobian([]).shape == (0, 0)
    with pytest.raises(ValueError, match="1-D"):
        softmax_jacobian([[1.0, 2.0]])
    with pytest.raises(ValueError, match="1-D"):
        softmax_jacobian(1.0)


# --- activations ------------------------------------------------------------------------------


def test_sigmoid_is_stable_at_extremes():
    np.testing.assert_array_equal(sigmoid([-1e5, 1e5, -inf, inf]), [0.0, 1.0, 0.0, 1.0])
    assert float(sigmoid(0.0)) == 0.5
    assert np.isnan(sigmoid([nan]))[0]
    np.testing.assert_array_equal(sigmoid_derivative([-1e5, 1e5, 0.0]), [0.0, 0.0, 0.25])
    assert sigmoid(np.float16(20.0)).dtype == np.float16


def test_relu_and_leaky_relu_values_and_derivative_conventions():
    x = np.array([-2.0, -0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu(x), [0.0, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu_derivative(x), [0.0, 0.0, 0.0, 1.0])  # 0 at x = 0
    np.testing.assert_array_equal(leaky_relu(x, 0.1), [-0.2, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(leaky_relu_derivative(x, 0.1), [0.1, 0.1, 0.1, 1.0])
    np.testing.assert_array_equal(leaky_relu([-100.0]), [-1.0])  # default slope 0.01
    with pytest.raises(ValueError, match="negative_slope"):
        leaky_relu(x, nan)


def test_derivatives_propagate_nan():
    for f in (relu_derivative, leaky_relu_derivative, sigmoid_derivative, silu_derivative):
        out = f([nan, 1.0])
        assert np.isnan(out[0]) and np.isfinite(out[1]), f.__name__
    for f in (relu, leaky_relu, sigmoid, silu):
        assert np.isnan(f([nan]))[0], f.__name__


def test_silu_limits():
    np.testing.assert_array_equal(silu([-inf, inf, 0.0]), [0.0, inf, 0.0])
    np.testing.assert_array_equal(silu_derivative([-inf, inf]), [0.0, 1.0])
    assert float(silu_derivative(0.0)) == 0.5


@pytest.mark.parametrize(
    ("f", "df"),
    [
        (sigmoid, sigmoid_derivative),
        (silu, silu_derivative),
        (relu, relu_derivative),
        (leaky_relu, leaky_relu_derivative),
    ],
)
def test_derivatives_match_central_differences_away_from_kinks(f, df):
    x = np.array([-20.0, -3.0, -0.7, -0.1, 0.1, 0.4, 2.0, 15.0])
    np.testing.assert_allclose(df(x), central_difference(f, x), atol=1e-8)

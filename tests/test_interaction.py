"""Claims about x1·x2: sin makes it in its Taylor series, ReLUs make it by polarisation."""
from __future__ import annotations

from math import comb, factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_core import square_approximation
from relu_core.interaction import (
    MAX_TAYLOR_ORDER, ReluProduct, polarisation, polynomial_latex, product_error_grid, relu_product,
    taylor_coefficients, taylor_latex,
)

weights = st.tuples(*[st.floats(-3, 3)] * 3)
small = st.floats(-0.2, 0.2)


def taylor_value(c: dict[tuple[int, int], float], x1: float, x2: float) -> float:
    return sum(coefficient * x1**i * x2**j for (i, j), coefficient in c.items())


# -- sin makes the interaction ---------------------------------------------------------------
@given(w=weights)
def test_x1_x2_coefficient_is_minus_sin_w0_w1_w2(w):
    w0, w1, w2 = w
    assert taylor_coefficients(w, 2)[(1, 1)] == pytest.approx(-np.sin(w0) * w1 * w2, abs=1e-15)


def test_seed_series_of_sin_expands_into_every_mixed_power():
    # Seed 000: sin(z) ≈ z - z³/6 + z⁵/120 with z = x1 + x2 (w0 = 0, w1 = w2 = 1).
    c = taylor_coefficients([0.0, 1.0, 1.0], 5)
    for (i, j), value in c.items():
        k = i + j
        expected = {1: 1, 3: -1 / 6, 5: 1 / 120}.get(k, 0) * comb(k, i)
        assert value == pytest.approx(expected, abs=1e-15)
    assert c[(2, 1)] == -0.5 and c[(3, 2)] == pytest.approx(10 / 120)


@pytest.mark.parametrize("order", [0, 1, 2, 5])
def test_taylor_keys_are_every_monomial_up_to_the_order_by_degree(order):
    keys = list(taylor_coefficients([0.3, 1.0, -2.0], order))
    assert len(keys) == (order + 1) * (order + 2) // 2
    assert keys == sorted(keys, key=lambda ij: (ij[0] + ij[1], -ij[0]))


@settings(max_examples=100)
@given(w=weights)
def test_taylor_coefficients_match_finite_difference_derivatives(w):
    w0, w1, w2 = w

    def f(x1: float, x2: float) -> float:
        return np.sin(w0 + w1 * x1 + w2 * x2)

    h = 1e-3
    derivative = {
        (0, 0): f(0, 0),
        (1, 0): (f(h, 0) - f(-h, 0)) / (2 * h),
        (0, 1): (f(0, h) - f(0, -h)) / (2 * h),
        (2, 0): (f(h, 0) - 2 * f(0, 0) + f(-h, 0)) / h**2,
        (0, 2): (f(0, h) - 2 * f(0, 0) + f(0, -h)) / h**2,
        (1, 1): (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h**2),
    }
    c = taylor_coefficients(w, 2)
    for (i, j), value in derivative.items():
        assert c[(i, j)] * factorial(i) * factorial(j) == pytest.approx(value, abs=1e-4)


@settings(max_examples=200)
@given(w=weights, x1=small, x2=small, order=st.integers(0, 9))
def test_taylor_polynomial_is_within_the_lagrange_remainder_of_sin(w, x1, x2, order):
    w0, w1, w2 = w
    remainder = (abs(w1 * x1) + abs(w2 * x2)) ** (order + 1) / factorial(order + 1)
    error = abs(np.sin(w0 + w1 * x1 + w2 * x2) - taylor_value(taylor_coefficients(w, order), x1, x2))
    assert error <= remainder + 1e-12


@pytest.mark.parametrize("w, order, max_terms, latex", [
    ([0.0, 1.0, 1.0], 3, 6, "x_1 + x_2 - 0.167x_1^{3} - 0.5x_1^{2} x_2 - 0.5x_1 x_2^{2} - 0.167x_2^{3}"),
    ([0.0, 1.0, 1.0], 3, 2, r"x_1 + x_2 + \cdots"),
    ([np.pi / 2, 1.0, 2.0], 2, 6, "1 - 0.5x_1^{2} - 2x_1 x_2 - 2x_2^{2}"),
    ([0.0, 0.0, 0.0], 4, 6, "0"),
    ([1.0, 0.0, 0.0], 0, 6, "0.841"),
])
def test_taylor_latex_shows_the_leading_terms(w, order, max_terms, latex):
    assert taylor_latex(w, order, max_terms) == latex


def test_polynomial_latex_keeps_the_dicts_order_and_skips_zeros():
    coefficients = {(0, 0): -2.0, (1, 0): 0.0, (0, 3): -1.0, (1, 1): 1.0}
    assert polynomial_latex(coefficients) == "-2 - x_2^{3} + x_1 x_2"
    assert polynomial_latex({}) == "0"


# -- ReLUs make it by polarisation -----------------------------------------------------------
def test_polarisation_identity_is_exact_with_true_squares_on_integers():
    x1, x2 = np.meshgrid(np.arange(-20.0, 21.0), np.arange(-20.0, 21.0))
    np.testing.assert_array_equal(polarisation(np.square, x1, x2), x1 * x2)


@given(x1=st.floats(-1e3, 1e3), x2=st.floats(-1e3, 1e3))
def test_polarisation_identity_holds_with_true_squares(x1, x2):
    assert polarisation(np.square, x1, x2) == pytest.approx(x1 * x2, abs=1e-9 * (1 + x1**2 + x2**2))


@settings(max_examples=300)
@given(n=st.integers(1, 8), s=st.floats(-1, 1), d=st.floats(-1, 1))
def test_relu_product_error_is_at_most_one_sixteenth_on_the_diamond(n, s, d):
    # x1 = (s + d)/2, x2 = (s - d)/2 scaled by n sweeps exactly the diamond |x1| + |x2| <= n.
    x1, x2 = n * (s + d) / 2, n * (s - d) / 2
    p = relu_product(n)
    assert abs(p(x1, x2) - x1 * x2) <= p.error_bound() + 1e-12


@pytest.mark.parametrize("n", [1, 2, 5])
def test_relu_product_error_bound_is_reached_on_a_dense_diamond(n):
    X1, X2, err = product_error_grid(relu_product(n), -n, n, 8 * n + 1)  # step 1/4
    inside = np.abs(X1) + np.abs(X2) <= n
    assert err[inside].max() == 1 / 16
    assert relu_product(n)(0.25, 0.25) - 0.25**2 == 1 / 16


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_relu_product_is_exact_where_x1_plus_and_minus_x2_are_integers_in_range(n):
    s, d = np.meshgrid(np.arange(-n, n + 1.0), np.arange(-n, n + 1.0))
    x1, x2 = (s + d) / 2, (s - d) / 2
    np.testing.assert_array_equal(relu_product(n)(x1, x2), x1 * x2)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_relu_product_error_grows_outside_the_diamond(n):
    # h_n continues as its last chord beyond n: h_n(2n) = 3n² - n, so p(n, n) = (3n² - n)/4.
    assert n * n - relu_product(n)(n, n) == (n * n + n) / 4 > 1 / 16


@pytest.mark.parametrize("n", [1, 3, 7])
def test_relu_product_uses_4n_relu_units_in_two_copies_of_h_n(n):
    p = ReluProduct(n)
    assert p.square == square_approximation(n)
    assert p.units() == 2 * len(p.square.terms) == 4 * n


@pytest.mark.parametrize("n, latex", [
    (2, r"\tfrac14\big(h_2(x_1 + x_2) - h_2(x_1 - x_2)\big)"),
    (12, r"\tfrac14\big(h_{12}(x_1 + x_2) - h_{12}(x_1 - x_2)\big)"),
])
def test_relu_product_latex_fills_in_n(n, latex):
    assert relu_product(n).latex() == latex


def test_relu_product_broadcasts_like_numpy():
    p = relu_product(2)
    assert p(np.zeros((3, 1)), np.zeros(4)).shape == (3, 4)
    assert p(1.0, [0.0, 1.0, 2.0]).tolist() == [0.0, 1.0, 1.5]


def test_relu_products_are_values():
    assert relu_product(3) == ReluProduct(3) != ReluProduct(4)
    assert hash(relu_product(3)) == hash(ReluProduct(3))


def test_product_error_grid_is_the_pointwise_error():
    X1, X2, err = product_error_grid(relu_product(2), -3, 3, 7)
    assert X1.shape == X2.shape == err.shape == (7, 7)
    assert X1[0].tolist() == X2[:, 0].tolist() == [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    np.testing.assert_array_equal(err, np.abs(relu_product(2)(X1, X2) - X1 * X2))


# -- error paths -----------------------------------------------------------------------------
@pytest.mark.parametrize("w, order, message", [
    ([1.0, 2.0], 2, "three numbers"),
    ([1.0, np.nan, 2.0], 2, "finite"),
    ([0.0, 1.0, 1.0], -1, "order must be between"),
    ([0.0, 1.0, 1.0], 1.5, "order must be a whole number"),
    ([0.0, 1.0, 1.0], MAX_TAYLOR_ORDER + 1, f"at most {MAX_TAYLOR_ORDER}"),
])
def test_bad_taylor_arguments_raise(w, order, message):
    with pytest.raises(ValueError, match=message):
        taylor_coefficients(w, order)


def test_taylor_latex_needs_at_least_one_term():
    with pytest.raises(ValueError, match="max_terms"):
        taylor_latex([0.0, 1.0, 1.0], 2, max_terms=0)


@pytest.mark.parametrize("n", [0, -1, 1.5, True, "2"])
def test_bad_relu_product_size_raises(n):
    with pytest.raises(ValueError, match="n must be"):
        relu_product(n)


@pytest.mark.parametrize("p, lo, hi, samples, message", [
    (square_approximation(2), -1, 1, 5, "ReluProduct"),
    (ReluProduct(2), 1, -1, 5, "lo < hi"),
    (ReluProduct(2), -1, 1, 1, "samples must be between"),
])
def test_bad_error_grid_arguments_raise(p, lo, hi, samples, message):
    with pytest.raises(ValueError, match=message):
        product_error_grid(p, lo, hi, samples)


def _area(polygon):
    x, y = polygon[:, 0], polygon[:, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) / 2)


@pytest.mark.parametrize("n, lo, hi", [(1, -1.0, 1.0), (3, -1.5, 1.5), (2, 0.3, 2.9)])
def test_product_facets_tile_the_square_and_each_is_flat_on_p(n, lo, hi):
    from relu_core.interaction import ReluProduct
    p = ReluProduct(n)
    facets = p.facets(lo, hi)
    assert sum(_area(f[:, :2]) for f in facets) == pytest.approx((hi - lo) ** 2)
    for f in facets:
        assert np.allclose(f[:, 2], p(f[:, 0], f[:, 1]))
        inside = f.mean(axis=0)  # a point inside the facet: p there is the facet's plane, so p is linear on it
        assert p(inside[0], inside[1]) == pytest.approx(inside[2])


def test_product_facets_are_the_diamonds_between_kink_lines():
    from relu_core.interaction import ReluProduct
    assert len(ReluProduct(3).facets(-1.5, 1.5)) == 24  # x1 ± x2 cross the kinks ±1, ±2 and 0 of h_3


def test_ridge_facets_are_one_relu_unit_flat_then_rising():
    from relu_core.interaction import ridge_facets
    w, b = np.array([1.0, 1.0]), -0.5
    flat, ramp = ridge_facets(w, b, -1.0, 1.0)
    assert np.all(flat[:, 2] == 0) and np.allclose(ramp[:, 2], np.maximum(ramp[:, :2] @ w + b, 0))
    assert _area(flat[:, :2]) + _area(ramp[:, :2]) == pytest.approx(4.0)
    assert len(ridge_facets(w, 5.0, -1.0, 1.0)) == 1  # the kink line misses the square: one ramp


@pytest.mark.parametrize("w, b", [([0.0, 0.0], 0.0), ([1.0], 0.0), ([1.0, float("nan")], 0.0), ([1.0, 1.0], float("inf"))])
def test_ridge_facets_refuse_a_unit_without_a_kink_line(w, b):
    from relu_core.interaction import ridge_facets
    with pytest.raises(ValueError):
        ridge_facets(w, b, -1.0, 1.0)

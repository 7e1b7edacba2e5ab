"""The seeds' h_n and piecewise-linear interpolants, checked as maths."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_core import (MAX_TERMS, ReluSum, ReluTerm, interpolant, max_error, relu,
                       square_approximation, square_term, uniform_knots)


@pytest.mark.parametrize("x, expected", [(-2, 4.0), (-1, 1.0), (0, 0.0), (1, 1.0), (2, 4.0)])
def test_h2_is_square_at_the_seed_points(x, expected):
    assert square_approximation(2)(np.array([float(x)])).tolist() == [expected]


@pytest.mark.parametrize("n", range(1, 9))
def test_h_n_equals_square_at_integers(n):
    x = np.arange(-n, n + 1, dtype=float)
    assert square_approximation(n)(x).tolist() == (x ** 2).tolist()


def test_h1_equals_abs():
    x = np.linspace(-4, 4, 81)
    np.testing.assert_array_equal(square_approximation(1)(x), np.abs(x))


@pytest.mark.parametrize("n", range(1, 7))
def test_max_error_of_h_n_on_its_interval_is_exactly_a_quarter(n):
    h = square_approximation(n)
    assert max_error(np.square, h, -n, n, knots=h.breakpoints()) == 0.25
    half = np.arange(-n, n) + 0.5
    assert (half ** 2 - h(half) == -0.25).all()  # h_n overshoots x² by 1/4 at every half-integer


def test_prose_h2_is_a_typo_worth_two_at_zero():
    """The answer's prose writes g(x)+g(-x)+g(2x-2)+g(-2x+2); g(-2x+2) is active at 0 and adds 2.

    The R code's relu(-2(x+1)) = g(-2x-2) is what we build: it is the one that equals x² on -2..2.
    """
    prose = ReluSum((ReluTerm(1, 0), ReluTerm(-1, 0), ReluTerm(2, -2), ReluTerm(-2, 2)))
    assert prose(np.array([0.0])).tolist() == [2.0]
    assert prose(np.arange(-2.0, 3.0)).tolist() != [4.0, 1.0, 0.0, 1.0, 4.0]
    assert prose != square_approximation(2)


@pytest.mark.parametrize("n, latex", [
    (1, "g(x) + g(-x)"),
    (2, "g(x) + g(-x) + g(2x - 2) + g(-2x - 2)"),
    (3, "g(x) + g(-x) + g(2x - 2) + g(-2x - 2) + g(2x - 4) + g(-2x - 4)"),
])
def test_h_n_latex_matches_the_seed_code(n, latex):
    assert square_approximation(n).latex() == latex


@pytest.mark.parametrize("k, kinks", [(1, [0.0, 0.0]), (2, [1.0, -1.0]), (5, [4.0, -4.0])])
def test_square_term_k_kinks_at_plus_minus_k_minus_one(k, kinks):
    assert [t.kink for t in square_term(k)] == kinks


@pytest.mark.parametrize("n", [1, 2, 5])
def test_h_n_has_2n_terms_and_breakpoints_at_the_integers_inside(n):
    h = square_approximation(n)
    assert len(h.terms) == 2 * n
    assert h.breakpoints().tolist() == list(np.arange(-(n - 1), n, dtype=float))


def test_h_n_continues_with_its_end_slopes_outside():
    h = square_approximation(3)
    assert h.slopes(-10, 10)[[0, -1]].tolist() == [-5.0, 5.0]


def test_uniform_knots_are_equally_spaced():
    assert uniform_knots(-1, 1, 4).tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]


# -- interpolants --------------------------------------------------------------------------------
@pytest.mark.parametrize("f", [np.sin, np.exp, lambda x: x ** 3, relu], ids=["sin", "exp", "cube", "relu"])
@pytest.mark.parametrize("pieces", [1, 2, 7, 50])
def test_interpolant_equals_f_at_its_knots(f, pieces):
    knots = uniform_knots(-2, 3, pieces)
    np.testing.assert_allclose(interpolant(f, knots)(knots), f(knots), rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=6),
       st.lists(st.floats(-4, 4), min_size=2, max_size=30, unique=True))
def test_interpolant_of_a_random_polynomial_equals_it_at_the_knots(coefficients, knots):
    knots = np.sort(knots)
    if np.min(np.diff(knots)) < 1e-3:
        knots = np.linspace(-4, 4, len(knots))
    p = np.polynomial.Polynomial(coefficients)
    scale = 1 + np.abs(p(knots)).max() * (1 + np.abs(knots).max() / np.min(np.diff(knots)))
    np.testing.assert_allclose(interpolant(p, knots)(knots), p(knots), rtol=0, atol=1e-9 * scale)


@settings(max_examples=100, deadline=None)
@given(st.floats(-10, 10), st.floats(0.01, 3), st.integers(1, 40))
def test_interpolating_square_with_spacing_h_errs_by_h_squared_over_four(lo, h, pieces):
    knots = lo + h * np.arange(pieces + 1)
    p = interpolant(np.square, knots)
    worst = max_error(np.square, p, knots[0], knots[-1], knots=knots, samples=101)
    assert worst == pytest.approx(h ** 2 / 4, abs=1e-9 * (1 + knots[-1] ** 2 + knots[0] ** 2))


def test_interpolant_is_linear_outside_the_knots():
    p = interpolant(np.square, [0.0, 1.0, 2.0])
    assert p(np.array([-1.0, 3.0])).tolist() == [-1.0, 7.0]  # the end chords continue


def test_interpolant_broadcasts_constant_functions():
    p = interpolant(lambda x: 2.0, [0.0, 1.0, 3.0])
    assert p(np.array([-1.0, 2.0])).tolist() == [2.0, 2.0] and p.terms[0].c == 0.0


def test_interpolant_of_square_on_integers_is_h_n():
    knots = np.arange(-4.0, 5.0)
    x = np.linspace(-4, 4, 161)
    np.testing.assert_allclose(interpolant(np.square, knots)(x), square_approximation(4)(x), atol=1e-12)


# -- error paths ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, -1, MAX_TERMS // 2 + 1, MAX_TERMS + 1])
def test_square_approximation_refuses_out_of_range_n(n):
    with pytest.raises(ValueError):
        square_approximation(n)


@pytest.mark.parametrize("n", [2.0, 1.5, "2", True, None])
def test_square_approximation_refuses_non_integer_n(n):
    with pytest.raises(ValueError, match="whole number"):
        square_approximation(n)  # type: ignore[arg-type]


def test_square_approximation_accepts_numpy_integers():
    assert square_approximation(np.int64(2)) == square_approximation(2)


@pytest.mark.parametrize("k", [0, 1.0])
def test_square_term_refuses_bad_k(k):
    with pytest.raises(ValueError):
        square_term(k)  # type: ignore[arg-type]


@pytest.mark.parametrize("lo, hi, pieces", [(1, 0, 2), (0, 0, 2), (0, np.inf, 2), (np.nan, 1, 2),
                                            (0, 1, 0), (0, 1, 2.5)])
def test_uniform_knots_refuses_bad_intervals_and_counts(lo, hi, pieces):
    with pytest.raises(ValueError):
        uniform_knots(lo, hi, pieces)


@pytest.mark.parametrize("knots, message", [
    ([0.0], "at least two"), ([[0.0, 1.0]], "at least two"), ([1.0, 0.0], "strictly increasing"),
    ([0.0, 0.0, 1.0], "strictly increasing"), ([0.0, np.nan], "finite"), ([0.0, np.inf], "finite"),
    (np.arange(MAX_TERMS + 3.0), "at most"),
])
def test_interpolant_refuses_bad_knots(knots, message):
    with pytest.raises(ValueError, match=message):
        interpolant(np.square, knots)


def test_interpolant_refuses_a_function_that_is_not_finite_at_a_knot():
    with pytest.raises(ValueError, match="not finite at knot x = 0"):
        interpolant(lambda x: 1 / x, [-1.0, 0.0, 1.0])

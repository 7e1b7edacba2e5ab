"""Claims about grow_from_centre: the seeds' h_n for x², and the same growth for any target."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core import square_approximation, uniform_knots
from relu_core.growing import grow_from_centre, hinge_left, hinge_right


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_growing_x_squared_on_the_integers_gives_the_seeds_h_n_term_for_term(n):
    sums = grow_from_centre(np.square, uniform_knots(-n, n, 2 * n))
    assert [h.terms for h in sums] == [square_approximation(k).terms for k in range(1, n + 1)]


@pytest.mark.parametrize("f", [np.sin, np.exp, lambda x: np.sin(3 * x) + x / 2, lambda x: 2 * x + 1])
def test_h_k_equals_the_target_at_the_middle_knots_and_extends_straight(f):
    knots = uniform_knots(-2, 3, 8)
    for k, h in enumerate(grow_from_centre(f, knots), start=1):
        inner = knots[4 - k:4 + k + 1]
        np.testing.assert_allclose(h(inner), f(inner), atol=1e-12)
        assert all(np.min(np.abs(inner[1:-1] - x)) < 1e-12 for x in h.breakpoints())
        outside = np.array([inner[0] - 1, inner[0] - 0.5])
        assert np.ptp(np.diff(h(outside))) < 1e-12  # one straight piece beyond the last knot


def test_each_step_adds_exactly_two_terms_after_the_previous_ones():
    sums = grow_from_centre(np.cos, uniform_knots(0, 1, 6))
    for before, after in zip(sums, sums[1:]):
        assert after.terms[:len(before.terms)] == before.terms
        assert len(after.terms) == len(before.terms) + 2


@pytest.mark.parametrize("f, terms", [
    (lambda x: 2 * x + 1, 2), (np.abs, 2), (lambda x: np.maximum(x, 0), 1), (lambda x: 9 + 0 * x, 0),
    (lambda x: np.abs(x - 1) - np.abs(x + 2), 4),
])
def test_a_piecewise_linear_target_gets_only_terms_that_bend(f, terms):
    """Two for the slope at the centre (fewer where it is 0), then one per kink: no 0·g(...) terms."""
    knots = uniform_knots(-3, 3, 6)
    sums = grow_from_centre(f, knots)
    assert all(t.c != 0 for h in sums for t in h.terms)
    assert len(sums[-1].terms) == terms
    np.testing.assert_allclose(sums[-1](knots), f(knots), atol=1e-12)
    for before, after in zip(sums, sums[1:]):
        assert after.terms[:len(before.terms)] == before.terms


def test_a_constant_target_is_its_intercept_with_no_terms():
    assert [(h.terms, h.intercept) for h in grow_from_centre(lambda x: 9 + 0 * x, [-1, 0, 1])] == [((), 9.0)]


@pytest.mark.parametrize("turn", [2.0, -0.5, 0.0])
def test_hinges_bend_by_turn_on_their_side_only(turn):
    x = np.array([-3.0, -2.0, 1.0, 2.0])
    np.testing.assert_allclose(hinge_right(0.0, turn)(x), turn * np.maximum(x, 0))
    np.testing.assert_allclose(hinge_left(0.0, turn)(x), turn * np.maximum(-x, 0))


@pytest.mark.parametrize("knots", [[0, 1], [0, 1, 2, 3], [0, 2, 1], [0, np.nan, 2]])
def test_bad_knots_raise_value_error(knots):
    with pytest.raises(ValueError):
        grow_from_centre(np.sin, knots)


def test_a_target_not_finite_at_a_knot_raises_value_error():
    with pytest.raises(ValueError, match="not finite at knot x = 0"):
        grow_from_centre(lambda x: 1 / x, [-1.0, 0.0, 1.0])

"""Claims about knot placement: curvature-spread knots are uniform for x² and beat uniform elsewhere."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_core import compare_knots, interpolant, max_error, optimal_knots, uniform_knots
from relu_core.knots import UNIFORM_SHARE


@pytest.mark.parametrize("pieces, lo, hi", [(1, 0, 1), (4, -2, 2), (16, 0, 1), (33, -1, 5)])
def test_optimal_knots_for_x_squared_are_uniform(pieces, lo, hi):
    assert np.allclose(optimal_knots(np.square, pieces, lo, hi), uniform_knots(lo, hi, pieces),
                       rtol=0, atol=1e-6 * (hi - lo))


@pytest.mark.parametrize("f", [lambda x: 3 * x - 1, lambda x: np.zeros_like(x)])
def test_optimal_knots_for_a_straight_line_are_uniform(f):
    assert np.allclose(optimal_knots(f, 5, 0, 1), uniform_knots(0, 1, 5), rtol=0, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 200), st.floats(-5, 5), st.floats(0.1, 10),
       st.sampled_from([np.exp, np.sin, np.abs, np.square, np.cos]))
def test_optimal_knots_are_pieces_plus_1_strictly_increasing_from_lo_to_hi(pieces, lo, width, f):
    knots = optimal_knots(f, pieces, lo, lo + width)
    assert len(knots) == pieces + 1
    assert knots[0] == lo and knots[-1] == lo + width
    assert np.all(np.diff(knots) > 0)


@pytest.mark.parametrize("f, lo, hi, pieces", [
    (np.exp, 0, 4, 4), (np.exp, 0, 4, 8), (np.exp, 0, 4, 16),
    (np.sqrt, 0.01, 1, 4), (np.sqrt, 0.01, 1, 8), (np.sqrt, 0.01, 1, 16),
])
def test_optimal_knots_beat_uniform_max_error_with_the_same_pieces(f, lo, hi, pieces):
    result = compare_knots(f, pieces, lo, hi)
    assert result["optimal_error"] < result["uniform_error"] / 3
    assert result["ratio"] == result["uniform_error"] / result["optimal_error"]


def test_optimal_max_error_approaches_the_asymptotic_constant_for_exp():
    """error ≈ (∫ √f'' / N)² / 8, here ∫_0^4 e^(x/2) dx = 2(e² - 1), up to the uniform share."""
    pieces = 64
    asymptotic = (2 * (np.e ** 2 - 1) / pieces) ** 2 / 8
    measured = compare_knots(np.exp, pieces, 0, 4)["optimal_error"]
    assert asymptotic <= measured <= asymptotic / (1 - UNIFORM_SHARE) ** 2 * 1.05


def test_optimal_knots_crowd_where_the_curve_bends():
    knots = optimal_knots(np.sqrt, 8, 0.01, 1)
    assert np.all(np.diff(np.diff(knots)) > 0)  # pieces widen as sqrt straightens


def test_compare_knots_gives_the_knots_the_interpolants_and_their_errors():
    result = compare_knots(np.exp, 8, 0, 4)
    assert np.array_equal(result["uniform_knots"], uniform_knots(0, 4, 8))
    assert np.array_equal(result["optimal_knots"], optimal_knots(np.exp, 8, 0, 4))
    for name in ("uniform", "optimal"):
        knots, p = result[f"{name}_knots"], result[f"{name}_interpolant"]
        assert np.allclose(p(knots), np.exp(knots), rtol=1e-12, atol=0)
        assert result[f"{name}_error"] == max_error(np.exp, interpolant(np.exp, knots), 0, 4, knots=knots)


@pytest.mark.parametrize("f, ratio", [(np.square, 1.0), (lambda x: 2 * x, 1.0)])
def test_compare_knots_ratio_is_1_when_both_errors_agree_or_vanish(f, ratio):
    assert compare_knots(f, 4, 0, 1)["ratio"] == pytest.approx(ratio)


def test_compare_knots_ratio_is_infinite_when_only_the_optimal_error_vanishes():
    kinked = lambda x: np.abs(x - 0.3)  # noqa: E731  a kink the uniform knots miss
    result = compare_knots(kinked, 2, 0, 1)
    if result["optimal_error"] == 0:
        assert result["ratio"] == np.inf
    else:
        assert result["ratio"] > 1


# -- error paths --------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    ({"pieces": 0}, "pieces"), ({"pieces": 2.5}, "pieces"), ({"samples": 2}, "samples"),
    ({"lo": 1.0, "hi": 0.0}, "interval"), ({"lo": 0.0, "hi": np.inf}, "interval"),
])
def test_bad_knot_requests_are_refused(kwargs, message):
    args = {"f": np.exp, "pieces": 4, "lo": 0.0, "hi": 1.0} | kwargs
    with pytest.raises(ValueError, match=message):
        optimal_knots(**args)


def test_non_finite_function_is_refused():
    with pytest.raises(ValueError, match="not finite at x = 0"):
        optimal_knots(lambda x: 1 / np.where(x == 0, np.nan, x), 4, 0, 1)


def test_more_pieces_than_room_between_samples_is_refused():
    with pytest.raises(ValueError, match="too many"):
        optimal_knots(np.exp, 10_000, 1, 1 + 1e-12, samples=3)


def test_bend_interval_of_tanh_holds_the_shares_of_the_slopes_turning_it_is_asked_for():
    from relu_core.knots import bend_interval
    f = lambda x: np.tanh(3 * x)  # noqa: E731; f' = 3 sech²(3x), so ∫_a^b |f''| is a difference of f'
    a, b = bend_interval(f, -2, 2)
    turn = lambda x: 3 / np.cosh(3 * x) ** 2  # noqa: E731
    held = (turn(0) - turn(a)) + (turn(0) - turn(b))
    assert held == pytest.approx(0.95 * 2 * (turn(0) - turn(2)), rel=2e-3)
    assert a == pytest.approx(-b, abs=2e-3) and b < 0.8
    half = bend_interval(f, -2, 2, share=0.5)
    assert a < half[0] < half[1] < b


def test_bend_interval_of_a_constant_curvature_is_the_middle_and_of_a_line_is_none():
    from relu_core.knots import bend_interval
    assert np.allclose(bend_interval(np.square, 0, 4), (0.1, 3.9), atol=2e-3)
    assert bend_interval(lambda x: 3 * x - 1, 0, 1) is None
    assert bend_interval(lambda x: np.zeros_like(x), 0, 1) is None


@pytest.mark.parametrize("share", [0, -0.5, 1.5, float("nan")])
def test_bend_interval_refuses_a_share_outside_0_to_1(share):
    from relu_core.knots import bend_interval
    with pytest.raises(ValueError):
        bend_interval(np.square, 0, 1, share=share)

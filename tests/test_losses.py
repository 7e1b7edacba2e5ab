"""Errors and the seed's 0.5·(y - ŷ)² loss."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relu_core import error_grid, l2_loss, max_error, mean_l2_loss, pointwise_error, square_approximation

values = st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=20)


@pytest.mark.parametrize("y, y_hat, loss", [(1.0, 0.0, 0.5), (4.0, 2.0, 2.0), (0.0, 0.0, 0.0),
                                            (-1.0, 1.0, 2.0), (0.5, 0.0, 0.125)])
def test_l2_loss_is_half_the_squared_error(y, y_hat, loss):
    assert l2_loss([y], [y_hat]).tolist() == [loss]


@given(values, values)
def test_l2_loss_is_half_the_square_and_mean_l2_is_its_mean(y, y_hat):
    n = min(len(y), len(y_hat))
    y, y_hat = np.array(y[:n]), np.array(y_hat[:n])
    np.testing.assert_allclose(l2_loss(y, y_hat), 0.5 * (y - y_hat) ** 2)
    assert mean_l2_loss(y, y_hat) == pytest.approx(np.mean(0.5 * (y - y_hat) ** 2))
    assert np.all(l2_loss(y, y_hat) >= 0) and np.array_equal(l2_loss(y, y_hat), l2_loss(y_hat, y))


def test_mean_l2_loss_is_a_float():
    assert mean_l2_loss([1.0, 4.0], [0.0, 2.0]) == 1.25 and isinstance(mean_l2_loss([1], [0]), float)


def test_pointwise_error_is_the_absolute_difference():
    assert pointwise_error(np.square, square_approximation(1), [-0.5, 0.5, 2.0]).tolist() == [0.25, 0.25, 2.0]


def test_error_grid_adds_knots_and_midpoints_inside_the_interval():
    grid = error_grid(0, 1, knots=[0.3, 2.0, -1.0], samples=2)
    assert grid.tolist() == [0.0, 0.15, 0.3, 0.65, 1.0]


def test_error_grid_is_sorted_and_unique():
    grid = error_grid(-2, 2, knots=np.arange(-2.0, 3.0), samples=9)
    assert np.all(np.diff(grid) > 0) and grid[0] == -2 and grid[-1] == 2


def test_max_error_finds_the_midpoint_a_coarse_grid_misses():
    h = square_approximation(1)  # |x| against x², worst at x = ±1/2
    assert max_error(np.square, h, -1, 1, knots=h.breakpoints(), samples=2) == 0.25


@pytest.mark.parametrize("lo, hi", [(1, 0), (0, 0), (np.nan, 1), (0, np.inf)])
def test_error_grid_refuses_bad_intervals(lo, hi):
    with pytest.raises(ValueError, match="interval"):
        error_grid(lo, hi)

"""ReluSum has two ways to find each point's piece: cutting a sorted grid, searching unsorted points.
Both must give the same numbers, equal to the sum of the terms."""
import numpy as np
import pytest

from relu_core import ReluSum, ReluTerm


@pytest.fixture(scope="module")
def long_sum():
    rng = np.random.default_rng(7)
    return ReluSum.of([ReluTerm(a, b, c) for a, b, c in rng.normal(size=(300, 3))], slope=0.5)


def direct(s: ReluSum, x: np.ndarray) -> np.ndarray:
    return s.slope * x + s.intercept + sum(t.c * np.maximum(t.a * x + t.b, 0) for t in s.terms)


def test_sorted_grid_and_shuffled_points_give_the_same_values(long_sum):
    grid = np.linspace(-6, 6, 20_001)           # sorted and long: the grid path
    order = np.random.default_rng(1).permutation(grid.size)
    shuffled = grid[order]                      # the same points, unsorted: the search path
    np.testing.assert_allclose(long_sum(shuffled), long_sum(grid)[order], rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(long_sum(grid), direct(long_sum, grid), rtol=1e-12, atol=1e-9)


def test_grid_that_hits_breakpoints_exactly_takes_the_right_piece():
    h = ReluSum.of([ReluTerm(1, -k) for k in range(-50, 51)])   # kinks at every integer
    grid = np.repeat(np.arange(-60.0, 61.0), 60)                # sorted, with duplicates, on the kinks
    np.testing.assert_allclose(h(grid), direct(h, grid), rtol=0, atol=1e-9)


def test_grid_path_keeps_the_input_shape(long_sum):
    grid = np.linspace(-3, 3, 10_000).reshape(100, 100)
    assert long_sum(grid).shape == (100, 100)
    np.testing.assert_allclose(long_sum(grid), direct(long_sum, grid), rtol=1e-12, atol=1e-9)

"""piece_index is np.searchsorted(breaks, x, side="right") on every route: sorted grids, buckets, plain."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from relu_core.search import BUCKET_MIN_BREAKS, bucketed_index, piece_index

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def reference(breaks, x):
    return np.searchsorted(breaks, x, side="right")


@settings(max_examples=300, deadline=None)
@given(arrays(float, st.integers(1, 200), elements=finite), arrays(float, st.integers(1, 400), elements=finite))
def test_bucketed_index_equals_searchsorted(breaks, x):
    breaks = np.unique(breaks)
    np.testing.assert_array_equal(bucketed_index(breaks, x), reference(breaks, x))


@settings(max_examples=100, deadline=None)
@given(arrays(float, st.integers(1, 50), elements=st.integers(-20, 20).map(float)),
       st.integers(0, 3), st.integers(1, 4))
def test_points_exactly_on_breakpoints_and_bucket_edges_count_the_breakpoint(breaks, shift, step):
    """Points at breakpoints, their neighbours in floating point, and the ends of the range."""
    breaks = np.unique(breaks)
    x = np.concatenate([breaks, np.nextafter(breaks, np.inf), np.nextafter(breaks, -np.inf),
                        np.arange(-25.0, 25.0, step / 4) + shift / 8])
    np.testing.assert_array_equal(bucketed_index(breaks, x), reference(breaks, x))


@pytest.mark.parametrize("name, breaks", [
    ("Cauchy-spread, as -b/a of normal weights", -np.random.default_rng(1).standard_cauchy(1000)),
    ("clustered in a tiny interval", 1e-9 * np.random.default_rng(2).normal(size=500)),
    ("a grid", np.linspace(-3, 3, 301)),
    ("far outside the points", np.linspace(100, 200, 100)),
])
def test_every_route_agrees_on_a_million_points(name, breaks):
    breaks = np.unique(breaks)
    rng = np.random.default_rng(3)
    random = rng.uniform(-5, 5, 10**6)
    grid = np.linspace(-5, 5, 10**6)
    assert len(breaks) >= BUCKET_MIN_BREAKS
    np.testing.assert_array_equal(piece_index(breaks, random), reference(breaks, random))
    np.testing.assert_array_equal(piece_index(breaks, grid), reference(breaks, grid))
    np.testing.assert_array_equal(piece_index(breaks, random.reshape(1000, 1000)),
                                  reference(breaks, random).reshape(1000, 1000))


@pytest.mark.parametrize("x", [
    np.array([np.nan] * 5000 + [0.0]), np.array([np.inf, -np.inf] * 3000), np.full(5000, 2.5), np.array([]),
    np.array([5e-324, 0.0] * 3000), np.array([-1e308, 1e308, 0.0] * 2000),  # spans too narrow or wide
])
def test_nan_inf_constant_and_empty_inputs_fall_back_to_plain_search(x):
    breaks = np.linspace(-3, 3, 100)
    np.testing.assert_array_equal(bucketed_index(breaks, x), reference(breaks, x))
    np.testing.assert_array_equal(piece_index(breaks, x), reference(breaks, x))

"""clip_polyline cuts a polyline to a horizontal band exactly: what the scenes draw inside the axes."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from relu_core import ReluSum, ReluTerm, clip_polyline, square_approximation

finite = st.floats(-50, 50, allow_nan=False)


@settings(max_examples=150)
@given(ys=st.lists(finite, min_size=2, max_size=12), band=st.tuples(finite, finite).filter(lambda b: b[0] < b[1]))
def test_clipped_runs_stay_in_the_band_and_on_the_polyline(ys, band):
    xs = np.arange(len(ys), dtype=float)
    runs = clip_polyline(np.column_stack([xs, ys]), *band)
    for run in runs:
        assert np.all((run[:, 1] >= band[0]) & (run[:, 1] <= band[1]))
        np.testing.assert_allclose(run[:, 1], np.interp(run[:, 0], xs, ys), atol=1e-9)
        assert np.all(np.diff(run[:, 0]) >= 0)


def test_every_corner_inside_the_band_is_kept():
    h3 = square_approximation(3)
    runs = clip_polyline(h3.vertices(-3, 3), -1, 5)
    kept = np.vstack(runs)
    for x, y in h3.vertices(-3, 3)[1:-1]:
        if -1 <= y <= 5:
            assert any(np.allclose(p, (x, y)) for p in kept)


def test_a_curve_leaving_and_coming_back_gives_two_runs_cut_on_the_edge():
    tent_up = ReluSum.of([ReluTerm(1, 0), ReluTerm(1, -1, -2)])  # 0 at 0, 1 at 1, back to 0 at 2
    runs = clip_polyline(tent_up.vertices(0, 2) * [1, 4], 0, 2)   # peak 4, band [0, 2]
    assert [r.tolist() for r in runs] == [[[0.0, 0.0], [0.5, 2.0]], [[1.5, 2.0], [2.0, 0.0]]]


@pytest.mark.parametrize("points, band", [
    ([[0, 0]], (0, 1)), ([0, 1, 2], (0, 1)), ([[0, 0], [1, 1]], (1, 1)), ([[0, 0], [1, 1]], (2, 1)),
])
def test_bad_input_raises_value_error(points, band):
    with pytest.raises(ValueError):
        clip_polyline(points, *band)

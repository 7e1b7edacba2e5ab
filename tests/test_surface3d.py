"""scenes/surface3d.py: the orthographic camera and the BSP painter that orders flat pieces far to near."""
from __future__ import annotations

import numpy as np
import pytest

from scenes.surface3d import DepthOrder, Piece, project, viewer_direction

SQUARE = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])


def _face(heights, style):
    return Piece(np.column_stack([SQUARE, heights]), "face", style)


def _painted(order, **view):
    return [order.fragments[i] for i in order.order(**view)]


def test_depth_is_the_dot_product_with_the_viewer_direction():
    points = np.random.default_rng(0).normal(size=(20, 3))
    for azimuth, elevation in ((0.3, 1.0), (-0.6, 0.2)):
        _, depth = project(points, azimuth, elevation)
        assert np.allclose(depth, points @ viewer_direction(azimuth, elevation))


@pytest.mark.parametrize("elevation", [0.3, 1.0, 1.4])
def test_a_higher_flat_piece_is_painted_after_a_lower_one_seen_from_above(elevation):
    order = DepthOrder([_face([1, 1, 1, 1], "high"), _face([0, 0, 0, 0], "low")])
    assert [f.style for f in _painted(order, lift=1.0, azimuth=0.4, elevation=elevation)] == ["low", "high"]


def test_a_crossing_plane_is_cut_and_painted_behind_where_it_is_below():
    # a tilted plane z = x1 crosses the floor z = 0 along x1 = 0: each half must be painted on its side
    order = DepthOrder([_face([0, 0, 0, 0], "floor"), _face(SQUARE[:, 0], "tilted")])
    painted = _painted(order, lift=1.0, azimuth=0.0, elevation=0.8)
    styles = [f.style for f in painted]
    assert styles.count("tilted") == 2 and styles.index("floor") == 1  # below half, floor, above half
    below, above = painted[0], painted[2]
    assert np.all(below.points[:, 2] <= 1e-12) and np.all(above.points[:, 2] >= -1e-12)


def test_a_line_on_a_face_is_painted_after_it():
    line = Piece(np.array([[-1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]), "line", "edge")
    order = DepthOrder([line, _face([0, 0, 0, 0], "face")])
    assert [f.style for f in _painted(order, lift=1.0, azimuth=0.2, elevation=0.7)] == ["face", "edge"]

"""Plane geometry for drawing: clip a polyline to a horizontal band, exactly, keeping its corners."""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["clip_polyline"]


def clip_polyline(points: ArrayLike, y_lo: float, y_hi: float) -> list[np.ndarray]:
    """The parts of a polyline inside y_lo <= y <= y_hi, as a list of (k, 2) runs.

    Segments are straight, so cutting one where it crosses y_lo or y_hi is exact: the kept runs
    still pass through every corner inside the band, and new end points lie on the band's edges.

    >>> [r.tolist() for r in clip_polyline([[-2, 2], [0, 0], [2, 2]], -1, 1)]
    [[[-1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]]
    >>> len(clip_polyline([[0, 0], [1, 5], [2, 0]], -1, 1))
    2
    """
    pts = np.asarray(points, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2:
        raise ValueError("clip_polyline needs a (k, 2) array with k >= 2")
    if not y_lo < y_hi:
        raise ValueError(f"need y_lo < y_hi, got {y_lo}, {y_hi}")
    runs: list[np.ndarray] = []
    current: list[np.ndarray] = []
    for p, q in zip(pts[:-1], pts[1:]):
        dy = q[1] - p[1]
        cuts = [0.0, 1.0]
        if dy != 0:
            cuts += [t for t in ((y_lo - p[1]) / dy, (y_hi - p[1]) / dy) if 0 < t < 1]
        cuts = sorted(cuts)
        for t0, t1 in zip(cuts[:-1], cuts[1:]):
            start, end = p + t0 * (q - p), p + t1 * (q - p)
            middle_y = (start[1] + end[1]) / 2
            if y_lo <= middle_y <= y_hi:
                if not current:
                    current.append(start)
                current.append(end)
            elif current:
                runs.append(np.array(current))
                current = []
    if current:
        runs.append(np.array(current))
    return [np.clip(r, [-np.inf, y_lo], [np.inf, y_hi]) for r in runs if len(r) >= 2]

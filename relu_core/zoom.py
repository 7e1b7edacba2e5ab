"""Zooming into one piece of a ReLU interpolant while its kinks double: each halving of the window is one
more kink in the middle of every piece, and the window follows the half whose gap is larger.

So the zoomed window is always exactly one straight piece of the sum drawn on the full view, and its gap
(the largest |f - sum| on the window) is the gap of that piece.

>>> steps = halving_steps(np.square, uniform_knots(-2, 2, 4), piece=2, zooms=2)
>>> [(s.pieces, s.window, s.gap) for s in steps]
[(4, (-1.0, 0.0), 0.25), (8, (-1.0, -0.5), 0.0625), (16, (-1.0, -0.75), 0.015625)]
>>> gap_ratios(steps)
[0.25, 0.25]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .approximations import interpolant, uniform_knots
from .losses import error_grid, pointwise_error
from .terms import ReluSum

__all__ = ["ZoomStep", "doubled_knots", "piece_gap", "halving_steps", "gap_ratios", "blend"]

GAP_SAMPLES = 801
"""Grid points per window for a piece's gap (plus its ends and middle, see relu_core.error_grid)."""


@dataclass(frozen=True)
class ZoomStep:
    """One stage of the zoom: the interpolant on `knots`, the window (one of its pieces) and its gap."""

    knots: np.ndarray
    approx: ReluSum
    window: tuple[float, float]
    gap: float
    at: float
    """Where in the window the gap is largest."""

    @property
    def pieces(self) -> int:
        return len(self.knots) - 1

    @property
    def width(self) -> float:
        return self.window[1] - self.window[0]


def doubled_knots(knots: ArrayLike) -> np.ndarray:
    """The knots with the middle of every piece added: twice the pieces.

    >>> doubled_knots([0.0, 1.0, 3.0]).tolist()
    [0.0, 0.5, 1.0, 2.0, 3.0]
    """
    x = np.asarray(knots, dtype=float)
    out = np.empty(2 * len(x) - 1)
    out[0::2], out[1::2] = x, (x[:-1] + x[1:]) / 2
    return out


def piece_gap(f: Callable, approx: Callable, lo: float, hi: float) -> tuple[float, float]:
    """The largest |f - approx| on [lo, hi] (as relu_core.max_error measures it) and where it is.

    >>> piece_gap(np.square, interpolant(np.square, [0.0, 1.0]), 0.0, 1.0)
    (0.25, 0.5)
    """
    xs = error_grid(lo, hi, (), GAP_SAMPLES)
    errors = pointwise_error(f, approx, xs)
    worst = int(np.argmax(errors))
    return float(errors[worst]), float(xs[worst])


def halving_steps(f: Callable, knots: ArrayLike, piece: int, zooms: int) -> list[ZoomStep]:
    """zooms + 1 stages: the interpolant of f on `knots` with the window on piece `piece` (from 1), then
    each time twice the pieces and the window on the half of the last window with the larger gap (the
    left one on a tie)."""
    x = np.asarray(knots, dtype=float)
    if not 1 <= piece < len(x):
        raise ValueError(f"piece must be between 1 and {len(x) - 1}, got {piece}")
    approx = interpolant(f, x)
    window = (float(x[piece - 1]), float(x[piece]))
    steps = [ZoomStep(x, approx, window, *piece_gap(f, approx, *window))]
    for _ in range(zooms):
        x = doubled_knots(x)
        approx = interpolant(f, x)
        lo, hi = steps[-1].window
        mid = float((lo + hi) / 2)
        halves = [(lo, mid, *piece_gap(f, approx, lo, mid)), (mid, hi, *piece_gap(f, approx, mid, hi))]
        a, b, gap, at = max(halves, key=lambda h: h[2])  # max keeps the first (left) on a tie
        steps.append(ZoomStep(x, approx, (a, b), gap, at))
    return steps


def gap_ratios(steps: list[ZoomStep]) -> list[float]:
    """Each halving's gap after / gap before (nan when both are 0, inf when only the first is).

    >>> gap_ratios(halving_steps(lambda x: 2 * x, uniform_knots(0, 1, 2), 1, 1))
    [nan]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return [float(np.float64(b.gap) / np.float64(a.gap)) for a, b in zip(steps, steps[1:])]


def blend(a: ReluSum, b: ReluSum, share: float) -> ReluSum:
    """(1 - share)·a + share·b: a ReLU sum at every share, a at 0 and b at 1 (heights adding, no morph).

    >>> s = blend(ReluSum(slope=1.0), ReluSum(slope=3.0), 0.25)
    >>> s(np.array([2.0])).tolist()
    [3.0]
    """
    share = float(share)
    if share <= 0.0:
        return a
    if share >= 1.0:
        return b
    return a.scaled(1.0 - share) + b.scaled(share)

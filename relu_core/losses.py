"""Errors and losses between a target and its approximation, as in the seed's R code."""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["pointwise_error", "max_error", "l2_loss", "mean_l2_loss", "error_grid"]

Function = Callable[[np.ndarray], ArrayLike]


def pointwise_error(f: Function, h: Function, x: ArrayLike) -> np.ndarray:
    """|f(x) - h(x)| at each point.

    >>> from relu_core import square_approximation
    >>> pointwise_error(np.square, square_approximation(1), [0.5, 1.0]).tolist()
    [0.25, 0.0]
    """
    x = np.asarray(x, dtype=float)
    return np.abs(np.asarray(f(x), dtype=float) - np.asarray(h(x), dtype=float))


def error_grid(lo: float, hi: float, knots: ArrayLike = (), samples: int = 4001) -> np.ndarray:
    """Points to measure an error on: a uniform grid, plus the knots and the midpoints between them.

    The midpoints make the grid catch the exact worst point of a linear interpolant of a parabola.

    >>> error_grid(0, 1, knots=[0.5], samples=3).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"need a finite interval lo < hi, got [{lo}, {hi}]")
    k = np.asarray(knots, dtype=float)
    k = np.unique(np.concatenate([[lo, hi], k[(k > lo) & (k < hi)]]))
    return np.unique(np.concatenate([np.linspace(lo, hi, samples), k, (k[:-1] + k[1:]) / 2]))


def max_error(f: Function, h: Function, lo: float, hi: float, knots: ArrayLike = (),
              samples: int = 4001) -> float:
    """The largest |f - h| on [lo, hi], measured on `error_grid` (exact for h_n against x²).

    >>> from relu_core import square_approximation
    >>> h3 = square_approximation(3)
    >>> max_error(np.square, h3, -3, 3, knots=h3.breakpoints())
    0.25
    """
    return float(np.max(pointwise_error(f, h, error_grid(lo, hi, knots, samples))))


def l2_loss(y_true: ArrayLike, y_hat: ArrayLike) -> np.ndarray:
    """The seed's loss 0.5·(y - ŷ)², elementwise.

    >>> l2_loss([1.0, 4.0], [0.0, 2.0]).tolist()
    [0.5, 2.0]
    """
    return 0.5 * (np.asarray(y_true, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2


def mean_l2_loss(y_true: ArrayLike, y_hat: ArrayLike) -> float:
    """The mean of 0.5·(y - ŷ)².

    >>> mean_l2_loss([1.0, 4.0], [0.0, 2.0])
    1.25
    """
    return float(np.mean(l2_loss(y_true, y_hat)))

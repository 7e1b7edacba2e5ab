"""Where to put the knots: spread them by curvature, |f''|^(1/2), instead of evenly."""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .approximations import _check_count, interpolant, uniform_knots
from .losses import max_error
from .terms import _check_interval

__all__ = ["UNIFORM_SHARE", "BEND_SHARE", "optimal_knots", "compare_knots", "bend_interval"]

UNIFORM_SHARE = 0.05
"""The share of the knot density spread evenly, so that stretches where f'' = 0 still get knots."""

BEND_SHARE = 0.95
"""`bend_interval`'s default: the stretch where this share of the slope's whole turning happens."""

Function = Callable[[np.ndarray], ArrayLike]

_NOISE = 64 * np.finfo(float).eps
"""Second differences below this share of max|f| / step² count as 0 (rounding, not curvature)."""


def _curvature(f: Function, lo: float, hi: float, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """A grid on [lo, hi] and |f''| there, by central second differences (ends copy their neighbour)."""
    x = np.linspace(lo, hi, samples)
    y = np.asarray(f(x), dtype=float) * np.ones_like(x)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"the function is not finite at x = {x[~np.isfinite(y)][0]:g}")
    step = (hi - lo) / (samples - 1)
    inner = np.abs(y[2:] - 2 * y[1:-1] + y[:-2]) / step ** 2
    # below this, a second difference is rounding noise (a straight line would get random knots)
    inner[inner < _NOISE * float(np.max(np.abs(y))) / step ** 2] = 0.0
    return x, np.concatenate([inner[:1], inner, inner[-1:]])


def optimal_knots(f: Function, pieces: int, lo: float, hi: float, samples: int = 4001) -> np.ndarray:
    """pieces + 1 knots from lo to hi that equidistribute the density ρ = |f''|^(1/2).

    On a piece of width h, the linear interpolant's error is about |f''| h²/8, so the max error is
    smallest, as pieces → ∞, when h ∝ |f''|^(-1/2): knots x_j with ∫_lo^(x_j) ρ = (j/N) ∫_lo^hi ρ,
    and then error ≈ (∫ρ / N)² / 8. f'' is estimated by second differences on `samples` grid
    points, and ρ is mixed with a uniform density (share `UNIFORM_SHARE`), so straight stretches
    still get knots and the knots are strictly increasing. For x² (constant f'') they are uniform.

    References: de Boor, "A Practical Guide to Splines" (1978), ch. III and XII (knot placement);
    Burchard 1974, "Splines (with optimal knots) are better".

    Examples
    --------
    >>> np.round(optimal_knots(np.square, 4, 0, 1), 9).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> np.round(optimal_knots(np.exp, 2, 0, 4), 3).tolist()  # more knots where exp bends more
    [0.0, 2.834, 4.0]
    """
    pieces = _check_count("pieces", pieces)
    samples = _check_count("samples", samples, lo=3)
    lo, hi = _check_interval(lo, hi)
    x, curvature = _curvature(f, lo, hi, samples)
    density = np.sqrt(curvature)
    total = float(np.trapezoid(density, x))
    if total > 0:
        density = (1 - UNIFORM_SHARE) * density / total + UNIFORM_SHARE / (hi - lo)
    else:
        density = np.full_like(x, 1 / (hi - lo))
    mass = np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2 * np.diff(x))])
    knots = np.interp(np.linspace(0.0, mass[-1], pieces + 1), mass, x)
    knots[0], knots[-1] = lo, hi
    if not np.all(np.diff(knots) > 0):
        raise ValueError(f"{pieces} pieces are too many to place apart on [{lo}, {hi}]")
    return knots


def compare_knots(f: Function, pieces: int, lo: float, hi: float) -> dict:
    """Uniform against curvature-placed knots for the interpolant of f with the same number of pieces.

    Returns a dict with "uniform_knots", "optimal_knots" (arrays), "uniform_interpolant",
    "optimal_interpolant" (ReluSums to draw), "uniform_error", "optimal_error" (max |f - p| on
    [lo, hi], from `max_error`) and "ratio" = uniform_error / optimal_error (1 when both are 0,
    inf when only the optimal error is 0).

    References: de Boor 1978; Burchard 1974.

    Examples
    --------
    >>> result = compare_knots(np.exp, 8, 0, 4)
    >>> round(result["uniform_error"], 3), round(result["optimal_error"], 3)
    (1.338, 0.337)
    """
    result: dict = {}
    candidates = {"uniform": uniform_knots(lo, hi, pieces), "optimal": optimal_knots(f, pieces, lo, hi)}
    for name, knots in candidates.items():
        p = interpolant(f, knots)
        result[f"{name}_knots"] = knots
        result[f"{name}_interpolant"] = p
        result[f"{name}_error"] = max_error(f, p, lo, hi, knots=knots)
    uniform, optimal = result["uniform_error"], result["optimal_error"]
    result["ratio"] = uniform / optimal if optimal > 0 else (1.0 if uniform == 0 else np.inf)
    return result


def bend_interval(f: Function, lo: float, hi: float, share: float = BEND_SHARE,
                  samples: int = 4001) -> tuple[float, float] | None:
    """The shortest [a, b] in [lo, hi] where `share` of f's bending happens: ∫_a^b |f''| = share · ∫_lo^hi |f''|.

    ∫|f''| is how much the slope turns in all, and a ReLU sum turns its slope only at its kinks, so
    this is where a good fit needs its kinks. Among equally short intervals (f'' constant, as for
    x²) the one nearest the middle. None when f does not bend at all (a line, a constant).
    f'' is estimated by second differences on `samples` grid points, as for `optimal_knots`.

    >>> [round(v, 2) for v in bend_interval(lambda x: np.tanh(3 * x), -2, 2)]
    [-0.73, 0.73]
    >>> [round(v, 2) for v in bend_interval(np.square, -2, 2)], bend_interval(lambda x: 2 * x, 0, 1)
    ([-1.9, 1.9], None)
    """
    share = float(share)
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    samples = _check_count("samples", samples, lo=3)
    lo, hi = _check_interval(lo, hi)
    x, curvature = _curvature(f, lo, hi, samples)
    mass = np.concatenate([[0.0], np.cumsum((curvature[1:] + curvature[:-1]) / 2 * np.diff(x))])
    if mass[-1] <= 0:
        return None
    need = share * mass[-1] * (1 - 1e-12)  # rounding must not push the whole range out of reach
    ends = np.searchsorted(mass, mass + need)  # the first grid point past each start holding `need`
    starts = np.nonzero(ends < len(x))[0]
    widths = x[ends[starts]] - x[starts]
    short = starts[widths <= widths.min() + 1e-9 * (hi - lo)]
    middle = short[np.argmin(np.abs(x[short] + x[ends[short]] - (lo + hi)))]
    return float(x[middle]), float(x[ends[middle]])

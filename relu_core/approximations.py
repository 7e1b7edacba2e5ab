"""Piecewise-linear approximations built from ReLU terms: the seeds' h_n and interpolants of any f."""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .terms import ReluSum, ReluTerm

__all__ = ["MAX_TERMS", "square_approximation", "square_term", "interpolant", "uniform_knots"]

MAX_TERMS = 10_000
"""The most ReLU terms a construction here will build: past it, a clear error instead of a stall."""


def _check_count(name: str, n: int, lo: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {n!r}")
    if not lo <= n <= MAX_TERMS:
        raise ValueError(f"{name} must be between {lo} and {MAX_TERMS}, got {n}")
    return int(n)


def square_term(k: int) -> tuple[ReluTerm, ...]:
    """The terms that h_k adds to h_(k-1): g(x) + g(-x) for k = 1, else g(2(x - m)) + g(-2(x + m)), m = k - 1.

    Written with a and b as in g(ax + b): g(2x - 2m) and g(-2x - 2m). (The seed's prose has
    g(-2x + 2), a typo; its R code, relu(-2(x + 1)), is right: see shared/seeds/README.md.)

    >>> [t.latex() for t in square_term(2)]
    ['g(2x - 2)', 'g(-2x - 2)']
    """
    k = _check_count("k", k)
    if k == 1:
        return (ReluTerm(1, 0), ReluTerm(-1, 0))
    m = k - 1
    return (ReluTerm(2, -2 * m), ReluTerm(-2, -2 * m))


def square_approximation(n: int) -> ReluSum:
    """The seeds' h_n, a sum of 2n ReLU terms that approximates x².

    h_1 = g(x) + g(-x) = |x|, and h_n = h_(n-1) + g(2(x - (n-1))) + g(-2(x + (n-1))).
    h_n equals x² at every integer of [-n, n] and is the linear interpolant of x² there, so its
    largest error on [-n, n] is exactly 1/4, at the half-integers. (Seed 000, Sycorax's answer.)

    >>> square_approximation(2)(np.array([-2.0, 0.0, 1.0])).tolist()
    [4.0, 0.0, 1.0]
    >>> square_approximation(2).latex()
    'g(x) + g(-x) + g(2x - 2) + g(-2x - 2)'
    """
    n = _check_count("n", n)
    if 2 * n > MAX_TERMS:
        raise ValueError(f"h_n has 2n terms; n must be at most {MAX_TERMS // 2}, got {n}")
    return ReluSum(tuple(t for k in range(1, n + 1) for t in square_term(k)))


def uniform_knots(lo: float, hi: float, pieces: int) -> np.ndarray:
    """pieces + 1 equally spaced knots from lo to hi.

    >>> uniform_knots(0, 1, 4).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    pieces = _check_count("pieces", pieces)
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"need a finite interval lo < hi, got [{lo}, {hi}]")
    return np.linspace(lo, hi, pieces + 1)


def knot_values(f: Callable[[np.ndarray], ArrayLike], knots: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The knots as a checked float array and f at them: finite, strictly increasing, f finite there.

    >>> [v.tolist() for v in knot_values(np.square, [0, 1, 2])]
    [[0.0, 1.0, 2.0], [0.0, 1.0, 4.0]]
    """
    x = np.asarray(knots, dtype=float)
    if len(x) - 2 > MAX_TERMS:
        raise ValueError(f"at most {MAX_TERMS + 2} knots, got {len(x)}")
    if not np.all(np.isfinite(x)) or not np.all(np.diff(x) > 0):
        raise ValueError("knots must be finite and strictly increasing")
    with np.errstate(all="ignore"):
        y = np.asarray(f(x), dtype=float) * np.ones_like(x)
    if not np.all(np.isfinite(y)):
        bad = x[~np.isfinite(y)][0]
        raise ValueError(f"the function is not finite at knot x = {bad:g}")
    return x, y


def interpolant(f: Callable[[np.ndarray], ArrayLike], knots: ArrayLike) -> ReluSum:
    """The ReluSum equal to the piecewise-linear interpolant of f through the knots.

    With knots x_0 < ... < x_N and chord slopes s_i on [x_(i-1), x_i]:
    p(x) = f(x_0) + s_1·(x - x_0) + Σ_{i=1..N-1} (s_(i+1) - s_i)·g(x - x_i),
    one term per interior knot, each turning the slope by the change of chord slope there.
    Outside [x_0, x_N] the end pieces continue as straight lines.

    >>> p = interpolant(np.sin, uniform_knots(0, np.pi, 2))
    >>> np.round(p(np.array([0.0, np.pi / 2, np.pi])), 12).tolist()
    [0.0, 1.0, 0.0]
    >>> len(p.terms)
    1
    """
    x = np.asarray(knots, dtype=float)
    if x.ndim != 1 or len(x) < 2:
        raise ValueError("interpolant needs at least two knots in a 1-D array")
    x, y = knot_values(f, x)
    chord = np.diff(y) / np.diff(x)
    turns = np.diff(chord)
    terms = tuple(ReluTerm(1.0, -xi, float(t)) for xi, t in zip(x[1:-1], turns))
    return ReluSum(terms, slope=float(chord[0]), intercept=float(y[0] - chord[0] * x[0]))

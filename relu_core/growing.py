"""Grow a ReLU approximation outwards from the centre, two terms a step, as the seeds' h_n grows."""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .approximations import knot_values
from .terms import ReluSum, ReluTerm

__all__ = ["grow_from_centre", "hinge_right", "hinge_left"]

_NOISE = 64 * np.finfo(float).eps


def hinge_right(knot: float, turn: float) -> ReluTerm:
    """The term that bends a line by `turn` to the right of `knot`: turn·g(x - knot), in g(ax + b) form.

    The weight is folded into a = |turn| as in the seeds' g(2x - 2); only its sign stays outside.

    >>> hinge_right(1.0, 2.0).latex(), hinge_right(1.0, -0.5).latex()
    ('g(2x - 2)', '-g(0.5x - 0.5)')
    """
    size = abs(float(turn))
    return ReluTerm(size or 1.0, -(size or 1.0) * float(knot), float(np.sign(turn)))


def hinge_left(knot: float, turn: float) -> ReluTerm:
    """The term that bends a line by `turn` to the left of `knot`: turn·g(knot - x), in g(ax + b) form.

    Walking left past the knot, the slope changes by -turn (the term falls as x falls when turn > 0).

    >>> hinge_left(-1.0, 2.0).latex(), hinge_left(0.0, 1.0).latex()
    ('g(-2x - 2)', 'g(-x)')
    """
    size = abs(float(turn))
    return ReluTerm(-(size or 1.0), (size or 1.0) * float(knot), float(np.sign(turn)))


def grow_from_centre(f: Callable[[np.ndarray], ArrayLike], knots: ArrayLike) -> tuple[ReluSum, ...]:
    """The approximations h_1, ..., h_m of f that grow outwards from the middle of 2m + 1 knots.

    With knots x_0 < ... < x_2m and centre c = x_m, h_k is the piecewise-linear interpolant of f
    through x_(m-k), ..., x_(m+k), continued as straight lines beyond them. h_1 = f(c) + a right
    and a left hinge at c; h_k adds at most two terms to h_(k-1): a hinge right of x_(m+k-1) and
    one left of x_(m-k+1), each turning the slope by the change of chord slope there. A hinge that
    would turn by 0 (f is straight across that knot, as a line, |x| or a constant are) is left
    out, so a term always bends and a piecewise-linear f needs no more terms than kinks. On the
    integers of [-m, m] and f = x² this is the seeds' h_n term for term (seed 000, Sycorax).

    Parameters
    ----------
    f : the function to approximate, vectorised.
    knots : an odd number (at least 3) of strictly increasing, finite knots.

    Returns
    -------
    tuple of ReluSum
        h_1 .. h_m; h_k has at most 2k terms, none with weight 0, and h_k.terms starts with
        h_(k-1).terms.

    Examples
    --------
    >>> hs = grow_from_centre(np.square, [-2, -1, 0, 1, 2])
    >>> [h.latex() for h in hs]
    ['g(x) + g(-x)', 'g(x) + g(-x) + g(2x - 2) + g(-2x - 2)']
    >>> hs[1](np.array([-2.0, -0.5, 2.0])).tolist()
    [4.0, 0.5, 4.0]
    >>> [h.latex() for h in grow_from_centre(np.abs, [-2, -1, 0, 1, 2])]  # |x| is done at h_1
    ['g(x) + g(-x)', 'g(x) + g(-x)']
    """
    x = np.asarray(knots, dtype=float)
    if x.ndim != 1 or len(x) < 3 or len(x) % 2 == 0:
        raise ValueError(f"need an odd number of knots, at least 3, got {x.size}")
    x, y = knot_values(f, x)
    chord = np.diff(y) / np.diff(x)          # chord[i] is the slope on [x_i, x_(i+1)]
    # Below this a turn is rounding (a line's chords differ by ~1e-16), not a bend worth a term.
    straight = _NOISE * max(1.0, float(np.max(np.abs(chord))))
    m = len(x) // 2
    terms: tuple[ReluTerm, ...] = ()
    sums = []
    for k in range(1, m + 1):
        right_before = chord[m + k - 2] if k > 1 else 0.0   # slope just left of the new right knot's piece
        left_before = chord[m - k + 1] if k > 1 else 0.0
        right_turn = chord[m + k - 1] - right_before
        left_turn = left_before - chord[m - k]
        if abs(right_turn) > straight:
            terms += (hinge_right(x[m + k - 1], right_turn),)
        if abs(left_turn) > straight:
            terms += (hinge_left(x[m - k + 1], left_turn),)
        sums.append(ReluSum(terms, intercept=float(y[m])))
    return tuple(sums)

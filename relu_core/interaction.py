"""How x1·x2 appears: the Taylor terms of sin(w0 + w1 x1 + w2 x2), and the same product built from ReLUs."""
from __future__ import annotations

from dataclasses import dataclass, field
from math import factorial
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .approximations import _check_count, square_approximation
from .terms import ReluSum, _check_interval, _coefficient, format_number

__all__ = [
    "MAX_TAYLOR_ORDER", "ReluProduct", "polarisation", "polynomial_latex", "product_error_grid",
    "relu_product", "ridge_facets", "taylor_coefficients", "taylor_latex",
]

MAX_TAYLOR_ORDER = 40
"""The highest Taylor order computed: beyond it the factorials say nothing a viewer could see."""

Monomial = tuple[int, int]


def _check_weights(w: ArrayLike) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    if w.shape != (3,):
        raise ValueError(f"w must be the three numbers (w0, w1, w2), got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"w must be finite, got {w.tolist()}")
    return w


def taylor_coefficients(w: ArrayLike, order: int) -> dict[Monomial, float]:
    """The coefficients c_ij of x1^i x2^j (i + j <= order) in the Taylor polynomial of sin(w0 + w1x1 + w2x2).

    With s = w1 x1 + w2 x2, sin(w0 + s) = Σ_k sin^(k)(w0) s^k / k!, and the binomial theorem gives
    c_ij = sin^(i+j)(w0) · w1^i · w2^j / (i! j!), where sin^(k)(w0) = sin(w0 + kπ/2) cycles through
    sin, cos, -sin, -cos. The x1·x2 coefficient is -sin(w0)·w1·w2: the interaction the sin neuron
    makes. Keys run by degree, then by falling power of x1. (Seed 000, the question.)

    Examples
    --------
    >>> c = taylor_coefficients([0.0, 1.0, 1.0], 3)
    >>> c[(1, 0)], c[(2, 1)], c[(1, 1)]
    (1.0, -0.5, -0.0)
    >>> list(taylor_coefficients([0.0, 1.0, 2.0], 1))
    [(0, 0), (1, 0), (0, 1)]
    """
    w0, w1, w2 = _check_weights(w)
    order = _check_count("order", order, lo=0)
    if order > MAX_TAYLOR_ORDER:
        raise ValueError(f"order must be at most {MAX_TAYLOR_ORDER}, got {order}")
    derivatives = (np.sin(w0), np.cos(w0), -np.sin(w0), -np.cos(w0))
    return {
        (i, k - i): float(derivatives[k % 4] * w1**i * w2 ** (k - i) / (factorial(i) * factorial(k - i)))
        for k in range(order + 1) for i in range(k, -1, -1)
    }


def _monomial_latex(i: int, j: int) -> str:
    """'x_1^{2} x_2' for (2, 1); '' for the constant."""
    powers = ((f"x_{v}" if p == 1 else f"x_{v}^{{{p}}}") for v, p in ((1, i), (2, j)) if p)
    return " ".join(powers)


def polynomial_latex(coefficients: dict[Monomial, float], max_terms: int | None = None) -> str:
    """The polynomial Σ c_ij x1^i x2^j in LaTeX, in the dict's order, zero terms left out.

    After `max_terms` non-zero terms the rest is written '+ \\cdots'. Numbers use `format_number`.

    Examples
    --------
    >>> polynomial_latex({(1, 0): 1.5, (0, 1): -0.5, (0, 0): 0.25})
    '1.5x_1 - 0.5x_2 + 0.25'
    >>> polynomial_latex({(0, 0): 0.0, (2, 1): -1.0, (0, 2): 3.0}, max_terms=1)
    '-x_1^{2} x_2 + \\\\cdots'
    """
    if max_terms is not None:
        max_terms = _check_count("max_terms", max_terms)
    parts = []
    for (i, j), c in coefficients.items():
        if format_number(c) == "0":
            continue
        monomial = _monomial_latex(i, j)
        parts.append(_coefficient(c) + monomial if monomial else format_number(c))
    shown = parts if max_terms is None else parts[:max_terms]
    if not shown:
        return "0"
    text = shown[0]
    for part in shown[1:]:
        text += " - " + part[1:] if part.startswith("-") else " + " + part
    return text + (r" + \cdots" if len(shown) < len(parts) else "")


def taylor_latex(w: ArrayLike, order: int, max_terms: int = 6) -> str:
    """The leading terms of the Taylor polynomial of sin(w0 + w1 x1 + w2 x2) at x = 0, in LaTeX.

    Terms come lowest degree first, so the x1·x2 interaction shows up among the degree-2 terms.
    (Seed 000: "all kinds of combinations of different powers of the features".)

    Examples
    --------
    >>> taylor_latex([0.0, 1.0, 1.0], 3)
    'x_1 + x_2 - 0.167x_1^{3} - 0.5x_1^{2} x_2 - 0.5x_1 x_2^{2} - 0.167x_2^{3}'
    >>> taylor_latex([np.pi / 2, 1.0, 2.0], 2, max_terms=3)
    '1 - 0.5x_1^{2} - 2x_1 x_2 + \\\\cdots'
    """
    return polynomial_latex(taylor_coefficients(w, order), max_terms)


def polarisation(square: Callable[[np.ndarray], ArrayLike], x1: ArrayLike, x2: ArrayLike) -> np.ndarray:
    """(square(x1 + x2) - square(x1 - x2)) / 4: the product x1·x2 when `square` is the true square.

    The polarisation identity x1·x2 = ((x1 + x2)² - (x1 - x2)²) / 4 turns any approximation of x²
    into one of the product: a function of one variable, applied to two affine maps of the inputs.

    Examples
    --------
    >>> polarisation(np.square, [3.0, -2.0], [5.0, 0.5]).tolist()
    [15.0, -1.0]
    """
    x1, x2 = np.broadcast_arrays(np.asarray(x1, dtype=float), np.asarray(x2, dtype=float))
    return (np.asarray(square(x1 + x2), dtype=float) - np.asarray(square(x1 - x2), dtype=float)) / 4


@dataclass(frozen=True)
class ReluProduct:
    """p(x1, x2) = (h_n(x1 + x2) - h_n(x1 - x2)) / 4: the interaction x1·x2 made of 4n ReLUs.

    Since h_n(s) - s² lies in [0, 1/4] for |s| <= n, and |x1 ± x2| <= |x1| + |x2|, the error
    |p - x1·x2| is at most 1/16 on the diamond |x1| + |x2| <= n (reached at x1 = x2 = 1/4). It is
    zero where x1 + x2 and x1 - x2 are both integers in [-n, n]. (Seed 000: h_n; the product by
    polarisation.)

    Examples
    --------
    >>> p = ReluProduct(2)
    >>> p([1.0, 0.5, 0.25], [1.0, -0.5, 0.25]).tolist(), p.units(), p.error_bound()
    ([1.0, -0.25, 0.125], 8, 0.0625)
    """

    n: int
    _square: ReluSum = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", _check_count("n", self.n))
        object.__setattr__(self, "_square", square_approximation(self.n))

    @property
    def square(self) -> ReluSum:
        """h_n, the seeds' 2n-term ReLU approximation of x² used for both squares."""
        return self._square

    def __call__(self, x1: ArrayLike, x2: ArrayLike) -> np.ndarray:
        return polarisation(self._square, x1, x2)

    def error_bound(self) -> float:
        """1/16: the largest |p(x1, x2) - x1·x2| where |x1| + |x2| <= n.

        >>> ReluProduct(3).error_bound()
        0.0625
        """
        return 1 / 16

    def units(self) -> int:
        """The ReLU units used: 2n inside each of the two copies of h_n, 4n in all.

        >>> ReluProduct(3).units()
        12
        """
        return 2 * 2 * self.n

    def facets(self, lo: float, hi: float) -> list[np.ndarray]:
        """The graph of p over [lo, hi]², one flat (k, 3) polygon (x1, x2, p) per linear piece.

        p is linear where both x1 + x2 and x1 - x2 stay between two kinks of h_n, so the square is cut
        along the lines x1 ± x2 = kink into diamonds: the faceted saddle. The areas add up to (hi - lo)².

        On [0, 1]² only x1 - x2 crosses a kink of h_1 = |s|: two triangles, folded along x1 = x2.

        >>> [f.tolist() for f in ReluProduct(1).facets(0, 1)]
        [[[0.0, 0.0, 0.0], [1.0, 1.0, 0.5], [0.0, 1.0, 0.0]], [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.5]]]
        """
        return _product_facets(self, lo, hi)

    def latex(self) -> str:
        """The construction in LaTeX, with n filled in.

        >>> ReluProduct(2).latex()
        '\\\\tfrac14\\\\big(h_2(x_1 + x_2) - h_2(x_1 - x_2)\\\\big)'
        """
        sub = str(self.n) if self.n < 10 else f"{{{self.n}}}"
        return rf"\tfrac14\big(h_{sub}(x_1 + x_2) - h_{sub}(x_1 - x_2)\big)"


def _cut_square(lo: float, hi: float, half_planes: list[tuple[tuple[float, float], float]]) -> np.ndarray:
    """The part of [lo, hi]² where normal·x + offset >= 0 for every (normal, offset): a CCW polygon or (0, 2)."""
    from .two_neuron import _clip, _tidy, _tolerance  # two_neuron imports this module: import when used
    polygon = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], dtype=float)
    for normal, offset in half_planes:
        polygon = _clip(polygon, np.asarray(normal, dtype=float), float(offset), strict=False)
    return _tidy(polygon, _tolerance(lo, hi))


def _product_facets(p: ReluProduct, lo: float, hi: float) -> list[np.ndarray]:
    lo, hi = _check_interval(lo, hi)
    kinks = p.square.breakpoints()

    def cuts(a: float, b: float) -> np.ndarray:
        return np.concatenate([[a], kinks[(kinks > a) & (kinks < b)], [b]])

    facets = []
    for u0, u1 in zip(cuts(2 * lo, 2 * hi)[:-1], cuts(2 * lo, 2 * hi)[1:]):          # u = x1 + x2
        for v0, v1 in zip(cuts(lo - hi, hi - lo)[:-1], cuts(lo - hi, hi - lo)[1:]):  # v = x1 - x2
            cell = _cut_square(lo, hi, [((1, 1), -u0), ((-1, -1), u1), ((1, -1), -v0), ((-1, 1), v1)])
            if len(cell):
                facets.append(np.column_stack([cell, p(cell[:, 0], cell[:, 1])]))
    return facets


def ridge_facets(w: ArrayLike, b: float, lo: float, hi: float) -> list[np.ndarray]:
    """The graph of one ReLU unit g(w·x + b) over [lo, hi]²: its flat (k, 3) pieces, a fold between them.

    Where w·x + b <= 0 the unit is 0 (a flat piece on the floor); elsewhere it rises as the plane
    w·x + b: a ridge along the kink line w·x + b = 0. Empty pieces are left out.

    >>> [f.tolist() for f in ridge_facets([1.0, 0.0], 0.0, -1, 1)]
    [[[-1.0, -1.0, 0.0], [0.0, -1.0, 0.0], [0.0, 1.0, 0.0], [-1.0, 1.0, 0.0]], [[0.0, -1.0, 0.0], [1.0, -1.0, 1.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]]
    """
    lo, hi = _check_interval(lo, hi)
    w = np.asarray(w, dtype=float)
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.any(w) or not np.isfinite(b):
        raise ValueError(f"w must be two finite numbers, not both 0, and b finite; got w = {w.tolist()}, b = {b}")
    facets = []
    for sign in (-1.0, 1.0):
        piece = _cut_square(lo, hi, [(tuple(sign * w), sign * float(b))])
        if len(piece):
            facets.append(np.column_stack([piece, np.maximum(piece @ w + b, 0.0) + 0.0]))
    return facets


def relu_product(n: int) -> ReluProduct:
    """The ReLU approximation of x1·x2 built from two copies of h_n: see `ReluProduct`.

    >>> relu_product(2)(1.0, 1.0).tolist()
    1.0
    """
    return ReluProduct(n)


def product_error_grid(p: ReluProduct, lo: float, hi: float,
                       samples: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid over [lo, hi]² and the error |p(x1, x2) - x1·x2| on it, for heat maps.

    Returns X1, X2 from `np.meshgrid` ('xy' indexing: rows follow x2, columns x1) and the error,
    all of shape (samples, samples). Only the corners lie outside the diamond |x1| + |x2| <= 1 here:

    Examples
    --------
    >>> X1, X2, err = product_error_grid(relu_product(1), -1, 1, 3)
    >>> X1[0].tolist(), err.tolist()
    ([-1.0, 0.0, 1.0], [[0.5, 0.0, 0.5], [0.0, 0.0, 0.0], [0.5, 0.0, 0.5]])
    """
    if not isinstance(p, ReluProduct):
        raise ValueError(f"p must be a ReluProduct, got {type(p).__name__}")
    lo, hi = _check_interval(lo, hi)
    samples = _check_count("samples", samples, lo=2)
    axis = np.linspace(lo, hi, samples)
    X1, X2 = np.meshgrid(axis, axis)
    return X1, X2, np.abs(p(X1, X2) - X1 * X2)

"""ReLU terms c·g(a·x + b) and their sums: exact piecewise-linear functions of one variable."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
from numpy.typing import ArrayLike

from .search import piece_index

__all__ = ["relu", "ReluTerm", "ReluSum", "format_number"]


def relu(x: ArrayLike) -> np.ndarray:
    """The rectified linear unit g(x) = max(x, 0), elementwise.

    >>> relu([-2.0, 0.0, 3.5]).tolist()
    [0.0, 0.0, 3.5]
    """
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def format_number(value: float, digits: int = 3) -> str:
    """A short decimal for formulas and subtitles: integers without a point, others with `digits`
    significant digits, never in e-notation (LaTeX would typeset 8.7e+03 as "8.7e + 03"): large values
    are rounded to whole numbers, tiny ones written out.

    >>> format_number(2.0), format_number(-0.5), format_number(1 / 3), format_number(8703.2), format_number(-72461.4)
    ('2', '-0.5', '0.333', '8700', '-72500')
    >>> format_number(0.0000123456)
    '0.0000123'
    """
    value = float(value)
    if np.isclose(value, round(value), rtol=0.0, atol=1e-9):
        return str(int(round(value)))
    text = f"{value:.{digits}g}"
    if "e" in text:  # |value| >= 10**digits, or tiny: plain digits, valid in LaTeX and in text
        text = np.format_float_positional(float(text), trim="-")
    return text


def _signed(value: float) -> str:
    """' + 2' or ' - 2': the joint between two parts of a sum."""
    return (" - " if value < 0 else " + ") + format_number(abs(value))


def _coefficient(value: float) -> str:
    """The factor in front of a symbol: '' for 1, '-' for -1, '2' for 2."""
    text = format_number(value)
    return {"1": "", "-1": "-"}.get(text, text)


@dataclass(frozen=True)
class ReluTerm:
    """The term c·g(a·x + b): an affine map, then the activation, then a weight.

    Its kink, where a·x + b = 0, sits at x = -b/a; there the slope turns by c·|a|.

    Parameters
    ----------
    a, b : slope and offset inside the ReLU.
    c : the outer weight.

    Examples
    --------
    >>> t = ReluTerm(2, -2)
    >>> t.kink, t(np.array([0.0, 1.0, 3.0])).tolist(), t.latex()
    (1.0, [0.0, 0.0, 4.0], 'g(2x - 2)')
    """

    a: float
    b: float
    c: float = 1.0

    def __post_init__(self) -> None:
        for name in ("a", "b", "c"):
            value = float(getattr(self, name))
            if not np.isfinite(value):
                raise ValueError(f"ReluTerm.{name} must be finite, got {value}")
            object.__setattr__(self, name, value)

    @property
    def kink(self) -> float | None:
        """Where the term turns: -b/a, or None when a == 0 (a constant term has no kink)."""
        return None if self.a == 0 else -self.b / self.a + 0.0

    def __call__(self, x: ArrayLike) -> np.ndarray:
        return self.c * relu(self.a * np.asarray(x, dtype=float) + self.b)

    def inner_latex(self) -> str:
        """The affine map inside g, as in the seeds: '2x - 2', '-x', 'x'.

        >>> ReluTerm(-2, -2).inner_latex()
        '-2x - 2'
        """
        if self.a == 0:
            return format_number(self.b)
        text = _coefficient(self.a) + "x"
        return text + _signed(self.b) if self.b != 0 else text

    def latex(self) -> str:
        """The term in the seeds' notation, 'c g(a x + b)'.

        >>> ReluTerm(1, 0, -3).latex()
        '-3g(x)'
        """
        return f"{_coefficient(self.c)}g({self.inner_latex()})"


@dataclass(frozen=True)
class ReluSum:
    """slope·x + intercept + Σ c_i·g(a_i·x + b_i): a continuous piecewise-linear function.

    Immutable; `with_term` and `+` return new sums. Evaluation uses the pieces between sorted
    breakpoints (cumulative slopes, and `relu_core.search.piece_index` to find each point's piece),
    so a 1,000-term sum costs about as much as one term.

    Examples
    --------
    >>> h1 = ReluSum(terms=(ReluTerm(1, 0), ReluTerm(-1, 0)))
    >>> h1(np.array([-2.0, 0.0, 3.0])).tolist(), h1.latex()
    ([2.0, 0.0, 3.0], 'g(x) + g(-x)')
    >>> h1.vertices(-1, 1).tolist()
    [[-1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]
    """

    terms: tuple[ReluTerm, ...] = ()
    slope: float = 0.0
    intercept: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", tuple(self.terms))
        for name in ("slope", "intercept"):
            value = float(getattr(self, name))
            if not np.isfinite(value):
                raise ValueError(f"ReluSum.{name} must be finite, got {value}")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_pieces", self._build_pieces())

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def of(cls, terms: Iterable[ReluTerm], slope: float = 0.0, intercept: float = 0.0) -> ReluSum:
        """A sum from any iterable of terms.

        >>> ReluSum.of([ReluTerm(1, 0)], intercept=1).latex()
        '1 + g(x)'
        """
        return cls(tuple(terms), slope, intercept)

    def with_term(self, term: ReluTerm) -> ReluSum:
        """A new sum with one more term.

        >>> ReluSum().with_term(ReluTerm(1, -1)).breakpoints().tolist()
        [1.0]
        """
        return ReluSum(self.terms + (term,), self.slope, self.intercept)

    def __add__(self, other: ReluSum | ReluTerm) -> ReluSum:
        if isinstance(other, ReluTerm):
            return self.with_term(other)
        if isinstance(other, ReluSum):
            return ReluSum(self.terms + other.terms, self.slope + other.slope,
                           self.intercept + other.intercept)
        return NotImplemented

    def scaled(self, factor: float) -> ReluSum:
        """factor · self, term by term.

        >>> ReluSum((ReluTerm(1, 0),), slope=1).scaled(-2)(np.array([1.0])).tolist()
        [-4.0]
        """
        terms = tuple(ReluTerm(t.a, t.b, factor * t.c) for t in self.terms)
        return ReluSum(terms, factor * self.slope, factor * self.intercept)

    def __neg__(self) -> ReluSum:
        return self.scaled(-1.0)

    def __sub__(self, other: ReluSum) -> ReluSum:
        return self + (-other)

    # -- the pieces ---------------------------------------------------------------------------
    def _build_pieces(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sorted breakpoints and, for each of the len+1 pieces, its slope and intercept.

        Left of every kink, exactly the terms with a < 0 are active. Crossing a kink from left to
        right switches its term on (a > 0) or off (a < 0): the slope grows by c·|a| and the
        intercept by c·b·sign(a).
        """
        a = np.array([t.a for t in self.terms], dtype=float)
        b = np.array([t.b for t in self.terms], dtype=float)
        c = np.array([t.c for t in self.terms], dtype=float)
        flat = a == 0
        constant = float(np.sum(c[flat] * np.maximum(b[flat], 0.0)))
        left = a < 0
        slope0 = self.slope + float(np.sum(c[left] * a[left]))
        intercept0 = self.intercept + constant + float(np.sum(c[left] * b[left]))
        kinked = ~flat & (c != 0)
        kinks = -b[kinked] / a[kinked] + 0.0  # + 0.0 turns -0.0 into 0.0
        d_slope = c[kinked] * np.abs(a[kinked])
        d_intercept = c[kinked] * b[kinked] * np.sign(a[kinked])
        breaks, inverse = np.unique(kinks, return_inverse=True)
        slopes = np.concatenate([[slope0], slope0 + np.cumsum(np.bincount(inverse, d_slope, len(breaks)))])
        intercepts = np.concatenate(
            [[intercept0], intercept0 + np.cumsum(np.bincount(inverse, d_intercept, len(breaks)))])
        return breaks, slopes, intercepts

    def __call__(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        _, slopes, intercepts = self._pieces
        piece = self._piece_index(x)
        return slopes[piece] * x + intercepts[piece]

    def _piece_index(self, x: np.ndarray) -> np.ndarray:
        """For each point, the number of breakpoints at or left of it: the index of its piece."""
        return piece_index(self._pieces[0], x)

    def breakpoints(self) -> np.ndarray:
        """Sorted unique kink positions (terms with a ≠ 0 and c ≠ 0).

        >>> ReluSum((ReluTerm(1, 0), ReluTerm(-1, 0), ReluTerm(2, -2))).breakpoints().tolist()
        [0.0, 1.0]
        """
        return self._pieces[0].copy()

    def vertices(self, lo: float, hi: float) -> np.ndarray:
        """The exact corners of the graph on [lo, hi], ends included, as a (k, 2) array.

        >>> ReluSum((ReluTerm(2, -2),)).vertices(0, 3).tolist()
        [[0.0, 0.0], [1.0, 0.0], [3.0, 4.0]]
        """
        lo, hi = _check_interval(lo, hi)
        inner = self._pieces[0]
        inner = inner[(inner > lo) & (inner < hi)]
        xs = np.concatenate([[lo], inner, [hi]])
        return np.column_stack([xs, self(xs)])

    def slopes(self, lo: float, hi: float) -> np.ndarray:
        """The slope of each piece on [lo, hi], left to right (one fewer than the vertices).

        >>> ReluSum((ReluTerm(1, 0), ReluTerm(-1, 0))).slopes(-1, 1).tolist()
        [-1.0, 1.0]
        """
        xs = self.vertices(lo, hi)[:, 0]
        middles = (xs[:-1] + xs[1:]) / 2
        breaks, slopes, _ = self._pieces
        return slopes[np.searchsorted(breaks, middles, side="right")]

    # -- text ---------------------------------------------------------------------------------
    def latex(self) -> str:
        """The sum in the seeds' notation: affine part first, then the terms in order.

        >>> ReluSum((ReluTerm(1, 0), ReluTerm(-2, -2, -0.5)), slope=0.5).latex()
        '0.5x + g(x) - 0.5g(-2x - 2)'
        """
        parts = []
        if self.slope != 0:
            parts.append(_coefficient(self.slope) + "x")
        if self.intercept != 0:
            parts.append(format_number(self.intercept))
        parts += [t.latex() for t in self.terms if t.c != 0]
        if not parts:
            return "0"
        text = parts[0]
        for part in parts[1:]:
            text += " - " + part[1:] if part.startswith("-") else " + " + part
        return text


def _check_interval(lo: float, hi: float) -> tuple[float, float]:
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi)) or not lo < hi:
        raise ValueError(f"need a finite interval lo < hi, got [{lo}, {hi}]")
    return lo, hi

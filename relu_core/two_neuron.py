"""The seed-002 net: two inputs, two ReLU neurons, one linear output; its four cases and their regions."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .interaction import polynomial_latex
from .arrays import frozen_array
from .terms import _check_interval, relu

__all__ = ["CASES", "CASE_CONDITIONS", "CASE_NEURONS", "SEED_NET", "PlaneFit", "TwoNeuronNet"]

CASES = (1, 2, 3, 4)
"""The seed's numbering of the activation cases."""

CASE_CONDITIONS = {
    1: r"a_1 = 0,\ a_2 = 0",
    2: r"a_1 = 0,\ a_2 \neq 0",
    3: r"a_1 \neq 0,\ a_2 = 0",
    4: r"a_1 \neq 0,\ a_2 \neq 0",
}
"""When each case holds, in the seed's words (a_i ≠ 0 means neuron i is active, z_i > 0)."""

CASE_NEURONS = {
    1: "neither neuron on",
    2: "only neuron 2 on",
    3: "only neuron 1 on",
    4: "both neurons on",
}
"""The same cases in words a student reads at a glance (neuron i is on where z_i > 0)."""

# Which neurons are active in each case: the seed lists a_1 first, so case = 1 + 2·[a_1 on] + [a_2 on].
_ACTIVE = {1: (False, False), 2: (False, True), 3: (True, False), 4: (True, True)}


def _points(X: ArrayLike) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 0 or X.shape[-1] != 2:
        raise ValueError(f"points must have shape (n, 2) (or (..., 2)), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("points must be finite")
    return X


def _check_case(case: int) -> int:
    if isinstance(case, bool) or case not in _ACTIVE:
        raise ValueError(f"case must be one of {CASES}, got {case!r}")
    return int(case)


def _signed_area(polygon: np.ndarray) -> float:
    """Shoelace formula: positive for a counter-clockwise polygon."""
    x, y = polygon[:, 0], polygon[:, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) / 2)


def _clip(polygon: np.ndarray, normal: np.ndarray, offset: float, strict: bool) -> np.ndarray:
    """One Sutherland–Hodgman step: the part of a convex polygon where normal·x + offset >= 0.

    `strict` asks for the closure of {normal·x + offset > 0}; it differs only for a zero normal.
    Each edge contributes its start vertex when kept, then its crossing point when the sign flips.
    """
    if not np.any(normal):
        keep_all = offset > 0 if strict else offset >= 0
        return polygon if keep_all else polygon[:0]
    s = polygon @ normal + offset
    scale = np.abs(polygon) @ np.abs(normal) + abs(offset)
    s = np.where(np.abs(s) <= 1e-12 * scale, 0.0, s)  # points on the line count as on it
    s_next = np.roll(s, -1)
    crossing = ((s > 0) & (s_next < 0)) | ((s < 0) & (s_next > 0))
    t = np.divide(s, s - s_next, out=np.zeros_like(s), where=crossing)
    crossings = polygon + t[:, None] * (np.roll(polygon, -1, axis=0) - polygon)
    keep = np.column_stack([s >= 0, crossing])
    return np.stack([polygon, crossings], axis=1)[keep]


def _tolerance(lo: float, hi: float) -> float:
    """Lengths below this count as zero on the square [lo, hi]²: rounding, not geometry."""
    return 1e-12 * max(abs(lo), abs(hi), hi - lo)


def _tidy(polygon: np.ndarray, tolerance: float) -> np.ndarray:
    """Drop repeated vertices; a polygon without area becomes the empty (0, 2) array."""
    if len(polygon):
        repeated = np.all(np.abs(polygon - np.roll(polygon, 1, axis=0)) <= tolerance, axis=1)
        polygon = polygon[~repeated] if not np.all(repeated) else polygon[:1]
    if len(polygon) < 3 or _signed_area(polygon) <= tolerance**2:
        return np.empty((0, 2))
    return polygon


@dataclass(frozen=True)
class PlaneFit:
    """The least-squares plane ŷ ≈ U·x + offset through a net's outputs on a grid, and how far it misses.

    `samples` points a side on [lo, hi]²; `max_miss` is the largest |net - plane| on that grid.
    """

    U: tuple[float, float]
    offset: float
    samples: int
    max_miss: float


@dataclass(frozen=True, eq=False)
class TwoNeuronNet:
    """The 2-2-1 ReLU net of seed 002: a_i = g(W[i]·x + b_i), ŷ = v_1 a_1 + v_2 a_2.

    Row i of W holds neuron i's weights (w_i1, w_i2). The seed has no bias (bias=None). On each of
    the four activation cases ŷ is linear, ŷ = U·x + offset with U = Σ_{active i} v_i W[i]: the
    seed's U = v w. But the case changes across each neuron's kink line W[i]·x + b_i = 0, so ŷ is
    piecewise linear, not linear: the weights locate the folds. Arrays are stored as read-only copies.

    Parameters
    ----------
    W : (2, 2) hidden weights, one row per neuron.
    v : (2,) output weights.
    bias : (2,) hidden biases, or None for the seed's bias-free net.

    Examples
    --------
    >>> net = TwoNeuronNet(W=[[1, 1], [1, -1]], v=[1, -0.5])
    >>> X = np.array([[-1.0, 0.0], [0.0, -1.0], [0.0, 1.0], [1.0, 0.0]])
    >>> net(X).tolist(), net.case(X).tolist()
    ([0.0, -0.5, 1.0, 0.5], [1, 2, 3, 4])
    """

    W: np.ndarray
    v: np.ndarray
    bias: np.ndarray | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "W", frozen_array("W", self.W, shape=(2, 2)))
        object.__setattr__(self, "v", frozen_array("v", self.v, shape=(2,)))
        if self.bias is not None:
            object.__setattr__(self, "bias", frozen_array("bias", self.bias, shape=(2,)))

    @property
    def _b(self) -> np.ndarray:
        return np.zeros(2) if self.bias is None else self.bias

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TwoNeuronNet):
            return NotImplemented
        return (np.array_equal(self.W, other.W) and np.array_equal(self.v, other.v)
                and np.array_equal(self._b, other._b) and (self.bias is None) == (other.bias is None))

    def __hash__(self) -> int:
        return hash((self.W.tobytes(), self.v.tobytes(), None if self.bias is None else self.bias.tobytes()))

    # -- the forward pass ---------------------------------------------------------------------
    def pre_activations(self, X: ArrayLike) -> np.ndarray:
        """z = X Wᵀ + b: row k holds (z_1, z_2) = (W[0]·x_k + b_1, W[1]·x_k + b_2).

        >>> SEED_NET.pre_activations([[2.0, 1.0]]).tolist()
        [[3.0, 1.0]]
        """
        return _points(X) @ self.W.T + self._b

    def hidden(self, X: ArrayLike) -> np.ndarray:
        """The hidden activations a_i = g(z_i), one row per point.

        >>> SEED_NET.hidden([[1.0, 2.0]]).tolist()
        [[3.0, 0.0]]
        """
        return relu(self.pre_activations(X))

    def forward(self, X: ArrayLike) -> np.ndarray:
        """The output ŷ = v_1 a_1 + v_2 a_2 at each point (also `net(X)`).

        >>> SEED_NET.forward([[1.0, 2.0], [2.0, 1.0]]).tolist()
        [3.0, 2.5]
        """
        return self.hidden(X) @ self.v

    __call__ = forward

    # -- the four cases -----------------------------------------------------------------------
    def case(self, X: ArrayLike) -> np.ndarray:
        """The seed's case number at each point: 1 + 2·[z_1 > 0] + [z_2 > 0].

        1: both a_i = 0; 2: only neuron 2 active; 3: only neuron 1 active; 4: both active.
        A point on a kink line (z_i = 0) counts as inactive for that neuron.

        >>> SEED_NET.case([[-1.0, 0.0], [0.0, -1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]).tolist()
        [1, 2, 3, 4, 1]
        """
        active = self.pre_activations(X) > 0
        return 1 + 2 * active[..., 0].astype(int) + active[..., 1].astype(int)

    def linear_map(self, case: int) -> tuple[np.ndarray, float]:
        """(U, offset) with ŷ = U·x + offset on the case's region: U = Σ_{active i} v_i W[i].

        Seed 002: "ŷ can be written as ŷ = U_1 x_1 + U_2 x_2, where U = v w".

        >>> U, offset = SEED_NET.linear_map(4)
        >>> U.tolist(), offset
        ([0.5, 1.5], 0.0)
        """
        active = np.array(_ACTIVE[_check_case(case)])
        weights = np.where(active, self.v, 0.0)
        return weights @ self.W + 0.0, float(weights @ self._b) + 0.0

    def case_formula(self, case: int) -> str:
        """The seed's formula for ŷ on a case, in symbols (LaTeX).

        >>> SEED_NET.case_formula(4)
        '\\\\hat y = v_1(w_{11}x_1 + w_{12}x_2) + v_2(w_{21}x_1 + w_{22}x_2)'
        """
        active = _ACTIVE[_check_case(case)]
        bias = self.bias is not None
        parts = [f"v_{i}(w_{{{i}1}}x_1 + w_{{{i}2}}x_2" + (f" + b_{i})" if bias else ")")
                 for i, on in zip((1, 2), active) if on]
        return r"\hat y = " + (" + ".join(parts) or "0")

    def case_formula_numeric(self, case: int) -> str:
        """ŷ = U·x + offset on a case, with this net's numbers (LaTeX).

        >>> SEED_NET.case_formula_numeric(4), SEED_NET.case_formula_numeric(1)
        ('\\\\hat y = 0.5x_1 + 1.5x_2', '\\\\hat y = 0')
        """
        (u1, u2), offset = self.linear_map(case)
        return r"\hat y = " + polynomial_latex({(1, 0): u1, (0, 1): u2, (0, 0): offset})

    def fit_plane(self, lo: float, hi: float, samples: int = 41) -> PlaneFit:
        """The linear regression the seed's question expected: the least-squares plane through ŷ on a grid.

        ŷ is sampled on a samples × samples grid over [lo, hi]² and fitted by least squares with the
        question's model ŷ = U_1 x_1 + U_2 x_2 (bias-free, as the net); a net with biases also gets
        an offset. A single plane cannot follow the folds, so `max_miss` > 0 whenever the net folds.

        >>> fit = SEED_NET.fit_plane(-2, 2)
        >>> fit.U, fit.offset, round(fit.max_miss, 12)
        ((0.25, 0.75), 0.0, 2.0)
        """
        lo, hi = _check_interval(lo, hi)
        if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
            raise ValueError(f"samples must be an integer >= 2, got {samples!r}")
        axis = np.linspace(lo, hi, int(samples))
        X1, X2 = np.meshgrid(axis, axis)
        X = np.column_stack([X1.ravel(), X2.ravel()])
        y = self(X)
        A = X if self.bias is None else np.column_stack([X, np.ones(len(X))])
        coefficients = np.linalg.lstsq(A, y, rcond=None)[0]
        miss = float(np.max(np.abs(A @ coefficients - y)))
        coefficients = np.round(coefficients, 12) + 0.0  # rounding noise off (and no -0.0): 0.25, not 0.2500000000000001
        offset = float(coefficients[2]) if self.bias is not None else 0.0
        return PlaneFit((float(coefficients[0]), float(coefficients[1])), offset, int(samples), miss)

    # -- geometry -----------------------------------------------------------------------------
    def boundary_lines(self) -> tuple[tuple[np.ndarray, float], tuple[np.ndarray, float]]:
        """Each neuron's kink line {x : W[i]·x + b_i = 0} as (normal W[i], offset b_i).

        A neuron with zero weights has no line (its normal is zero): it is on or off everywhere.

        >>> [(normal.tolist(), offset) for normal, offset in SEED_NET.boundary_lines()]
        [([1.0, 1.0], 0.0), ([1.0, -1.0], 0.0)]
        """
        first, second = ((self.W[i].copy(), float(self._b[i])) for i in range(2))
        return first, second

    def regions(self, lo: float, hi: float) -> dict[int, np.ndarray]:
        """Case -> the part of the square [lo, hi]² where that case holds, a (k, 2) CCW polygon.

        The square is clipped by neuron 1's half-plane, then neuron 2's (Sutherland–Hodgman).
        An empty or area-less region is a (0, 2) array. The polygons tile the square: they
        overlap only along the kink lines and their areas add up to (hi - lo)².

        >>> {case: polygon.tolist() for case, polygon in SEED_NET.regions(-2, 2).items()}[3]
        [[2.0, 2.0], [-2.0, 2.0], [0.0, 0.0]]
        """
        lo, hi = _check_interval(lo, hi)
        square = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]])
        tolerance = _tolerance(lo, hi)
        regions = {}
        for case, active in _ACTIVE.items():
            polygon = square
            for (normal, offset), on in zip(self.boundary_lines(), active):
                sign = 1.0 if on else -1.0
                polygon = _clip(polygon, sign * normal, sign * offset, strict=on)
            regions[case] = _tidy(polygon, tolerance)
        return regions

    def surface_polygons(self, lo: float, hi: float) -> dict[int, np.ndarray]:
        """Case -> the graph of ŷ over that region, a flat (k, 3) polygon of (x1, x2, ŷ).

        On each region ŷ = U·x + offset, so one plane piece per case draws the surface exactly.

        >>> SEED_NET.surface_polygons(-2, 2)[3].tolist()
        [[2.0, 2.0, 4.0], [-2.0, 2.0, 0.0], [0.0, 0.0, 0.0]]
        """
        surfaces = {}
        for case, polygon in self.regions(lo, hi).items():
            U, offset = self.linear_map(case)
            surfaces[case] = np.column_stack([polygon, polygon @ U + offset])
        return surfaces

    def kink_segments(self, lo: float, hi: float) -> list[np.ndarray]:
        """Each neuron's kink line clipped to [lo, hi]², as (2, 2) endpoints, for drawing.

        One entry per neuron, in order; (0, 2) when the line misses the square, only touches a
        corner (a piece shorter than rounding), or the neuron has zero weights. The line is
        p + t·d, p its point nearest the origin, d = (-w_i2, w_i1)/|W[i]|; t is clipped against
        both coordinates' bounds.

        >>> [segment.tolist() for segment in SEED_NET.kink_segments(-2, 2)]
        [[[2.0, -2.0], [-2.0, 2.0]], [[-2.0, -2.0], [2.0, 2.0]]]
        """
        lo, hi = _check_interval(lo, hi)
        segments = []
        for normal, offset in self.boundary_lines():
            norm2 = float(normal @ normal)
            if norm2 == 0:
                segments.append(np.empty((0, 2)))
                continue
            point = -offset * normal / norm2
            direction = np.array([-normal[1], normal[0]]) / np.sqrt(norm2)  # unit length
            moving = direction != 0
            with np.errstate(divide="ignore", invalid="ignore"):
                ends = (np.array([lo, hi])[:, None] - point) / direction  # (2 bounds, 2 coords)
            t_lo = np.max(np.where(moving, ends.min(axis=0), -np.inf))
            t_hi = np.min(np.where(moving, ends.max(axis=0), np.inf))
            inside = np.all((point[~moving] >= lo) & (point[~moving] <= hi))
            if not (inside and t_hi - t_lo > _tolerance(lo, hi)):
                segments.append(np.empty((0, 2)))
                continue
            segments.append(point + np.array([t_lo, t_hi])[:, None] * direction + 0.0)
        return segments


SEED_NET = TwoNeuronNet(W=[[1.0, 1.0], [1.0, -1.0]], v=[1.0, -0.5])
"""The default net for the scenes, bias-free as in seed 002.

The rows of W are orthogonal, so the two kink lines are the diagonals x2 = -x1 and x2 = x1 and
each case owns a quarter of any square centred at 0 (a triangle in [-2, 2]²): all four are
visible and equally large. v_1 > 0 > v_2 makes one fold convex (the slope jumps up by
v_1·|W[0]| = √2 across x1 + x2 = 0) and one concave (down by |v_2|·|W[1]| = √2/2 across x1 = x2),
so the folds differ in kind and size. The four planes: case 1 (left) ŷ = 0, case 2 (bottom)
ŷ = -0.5x1 + 0.5x2, case 3 (top) ŷ = x1 + x2, case 4 (right) ŷ = 0.5x1 + 1.5x2.
"""

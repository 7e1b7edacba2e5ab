"""Depth: the tent map T, its k-fold composition (a sawtooth) and Yarotsky's deep approximation of x²."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .approximations import interpolant, uniform_knots
from .arrays import frozen_array
from .terms import ReluSum, ReluTerm, _check_interval, relu

__all__ = [
    "MAX_DEPTH", "TENT", "tent", "DeepReluNet", "sawtooth", "deep_square", "deep_square_error_bound",
    "shallow_square", "shallow_square_error_bound", "sawtooth_latex", "composition_latex", "deep_square_latex",
]

MAX_DEPTH = 20
"""The most tent maps a construction here composes: T^20 already has 2^20 pieces on [0, 1]."""

TENT = ReluSum((ReluTerm(1.0, 0.0, 2.0), ReluTerm(1.0, -0.5, -4.0)))
"""T(x) = 2g(x) - 4g(x - 1/2): the tent map on [0, 1], T(0) = 0, T(1/2) = 1, T(1) = 0 (Telgarsky 2016).

Outside [0, 1] it is 0 on the left and 2 - 2x on the right.
"""

_SLOPE_RTOL = 1e-9
"""A slope change smaller than this share of the largest slope is rounding, not a kink."""


def tent(x: ArrayLike) -> np.ndarray:
    """The tent map T(x) = 2g(x) - 4g(x - 1/2), i.e. 2x on [0, 1/2] and 2 - 2x on [1/2, 1].

    References: Telgarsky 2016, "Benefits of depth in neural networks".

    Examples
    --------
    >>> tent([0.0, 0.25, 0.5, 0.75, 1.0]).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return TENT(np.asarray(x, dtype=float))


@dataclass(frozen=True, eq=False)
class DeepReluNet:
    """A layered ReLU net with one input: h_0 = x, h_l = g(W_l h_(l-1) + b_l), output w_out·h_L + b_out.

    W_1 has shape (n_1, 1), W_l has shape (n_l, n_(l-1)), b_l has shape (n_l,), w_out shape (n_L,).
    The weights are stored as read-only float arrays; compare nets with `np.array_equal`, not `==`.
    The read-out sees only the last hidden layer: a construction that needs x (or any running
    sum) at the end carries it through every layer as a unit g(x), which equals x where x ≥ 0
    (see `deep_square`).

    Its output is continuous and piecewise linear; `breakpoints` finds its kinks exactly, layer by
    layer, without sampling.

    References: Telgarsky 2016; Yarotsky 2017, "Error bounds for approximations with deep ReLU networks".

    Examples
    --------
    >>> net = sawtooth(2)
    >>> net(np.array([0.0, 0.25, 0.5, 0.75, 1.0])).tolist(), net.units, net.depth
    ([0.0, 1.0, 0.0, 1.0, 0.0], 4, 2)
    >>> net.breakpoints(0, 1).tolist(), net.pieces(0, 1)
    ([0.25, 0.5, 0.75], 4)
    """

    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    readout: tuple[np.ndarray, float]

    def __post_init__(self) -> None:
        if len(self.layers) == 0:
            raise ValueError("a DeepReluNet needs at least one hidden layer")
        layers, width = [], 1
        for index, (weights, biases) in enumerate(self.layers, start=1):
            weights = frozen_array(f"W_{index}", weights, ndim=2)
            biases = frozen_array(f"b_{index}", biases, ndim=1)
            if weights.shape[1] != width or weights.shape[0] != len(biases) or len(biases) == 0:
                raise ValueError(f"layer {index}: W must have shape (n, {width}) and b shape (n,) "
                                 f"with n ≥ 1, got {weights.shape} and {biases.shape}")
            layers.append((weights, biases))
            width = len(biases)
        w_out, b_out = self.readout
        w_out = frozen_array("w_out", w_out, ndim=1)
        if len(w_out) != width:
            raise ValueError(f"w_out must have {width} entries (the last width), got {len(w_out)}")
        b_out = float(b_out)
        if not np.isfinite(b_out):
            raise ValueError(f"b_out must be finite, got {b_out}")
        object.__setattr__(self, "layers", tuple(layers))
        object.__setattr__(self, "readout", (w_out, b_out))

    # -- evaluation ---------------------------------------------------------------------------
    def _hidden(self, x: np.ndarray, upto: int) -> np.ndarray:
        """The activations h_upto at the points x (1-D), one row a unit: shape (n_upto, len(x)).

        Points run along the rows, as W @ h with a short W is much faster than h @ W.T in numpy.
        """
        h = x[None, :]
        for weights, biases in self.layers[:upto]:
            h = relu(weights @ h + biases[:, None])
        return h

    def __call__(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        w_out, b_out = self.readout
        return (w_out @ self._hidden(x.reshape(-1), self.depth) + b_out).reshape(x.shape)

    def _slopes(self, x: np.ndarray) -> np.ndarray:
        """d output / dx at points x that lie strictly inside linear pieces (forward-mode chain rule)."""
        h, dh = x[None, :], np.ones((1, len(x)))
        for weights, biases in self.layers:
            z = weights @ h + biases[:, None]
            h, dh = relu(z), np.where(z > 0, weights @ dh, 0.0)
        return self.readout[0] @ dh

    @property
    def units(self) -> int:
        """The number of hidden ReLU units, all layers together."""
        return sum(len(biases) for _, biases in self.layers)

    @property
    def depth(self) -> int:
        """The number of hidden layers."""
        return len(self.layers)

    # -- the pieces ---------------------------------------------------------------------------
    def breakpoints(self, lo: float, hi: float) -> np.ndarray:
        """The exact kinks of the output strictly inside (lo, hi), sorted.

        Layer by layer: every unit of layer l sees a pre-activation W_l h_(l-1) + b_l that is
        linear between the current points, so its kinks are the zero crossings on each piece,
        found (with h_(l-1) there) by linear interpolation. Then the output's slope on each piece
        comes from the chain rule, and points where it does not actually change (units that
        cancel, a carried g(x) with x ≥ 0) are dropped. Costs O(depth · width² · pieces).

        Examples
        --------
        >>> deep_square(2).breakpoints(0, 1).tolist()
        [0.25, 0.5, 0.75]
        >>> sawtooth(1).breakpoints(-1, 2).tolist()  # T is 2 - 2x right of 1/2: no kink at 1
        [0.0, 0.5]
        """
        lo, hi = _check_interval(lo, hi)
        points = np.array([lo, hi])
        hidden = points[None, :]  # h_(l-1) at the points (a column each), affine between neighbours
        for weights, biases in self.layers:
            z = weights @ hidden + biases[:, None]
            units, piece = np.nonzero(z[:, :-1] * z[:, 1:] < 0)  # a sign change strictly inside a piece
            share = z[units, piece] / (z[units, piece] - z[units, piece + 1])
            left, right = points[piece], points[piece + 1]
            crossings = np.clip(left + share * (right - left), left, right)
            order = np.lexsort((crossings, piece))
            piece, share, crossings = piece[order], share[order], crossings[order]
            between = hidden[:, piece] + share * (hidden[:, piece + 1] - hidden[:, piece])
            points = np.insert(points, piece + 1, crossings)
            hidden = np.insert(hidden, piece + 1, between, axis=1)
            distinct = np.concatenate([[True], np.diff(points) > 0])
            points, hidden = points[distinct], relu(weights @ hidden[:, distinct] + biases[:, None])
        slopes = self._slopes((points[:-1] + points[1:]) / 2)
        tolerance = _SLOPE_RTOL * float(np.max(np.abs(slopes)))
        turns = np.abs(np.diff(slopes)) > tolerance
        return points[1:-1][turns]

    def vertices(self, lo: float, hi: float) -> np.ndarray:
        """The exact corners of the output's graph on [lo, hi], ends included, as a (k, 2) array.

        >>> sawtooth(1).vertices(0, 1).tolist()
        [[0.0, 0.0], [0.5, 1.0], [1.0, 0.0]]
        """
        lo, hi = _check_interval(lo, hi)
        xs = np.concatenate([[lo], self.breakpoints(lo, hi), [hi]])
        return np.column_stack([xs, self(xs)])

    def pieces(self, lo: float, hi: float) -> int:
        """The number of linear pieces of the output on [lo, hi]: one more than its kinks there.

        >>> sawtooth(5).pieces(0, 1)
        32
        """
        return len(self.breakpoints(lo, hi)) + 1


def _check_depth(name: str, k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {k!r}")
    if not 1 <= k <= MAX_DEPTH:
        raise ValueError(f"{name} must be between 1 and {MAX_DEPTH} "
                         f"(2^{MAX_DEPTH} pieces is the limit), got {k}")
    return int(k)


_TENT_FROM_X = (np.array([[1.0], [1.0]]), np.array([0.0, -0.5]))
"""The first tent layer: g(x) and g(x - 1/2)."""

_TENT_FROM_UNITS = np.array([[2.0, -4.0], [2.0, -4.0]])
"""The next tent layer reads y = 2u_1 - 4u_2 = T(previous y) off the previous tent layer's units."""


def sawtooth(k: int) -> DeepReluNet:
    """T^k, the tent map composed k times: 2^k pieces on [0, 1] from 2k units in k layers.

    Layer s holds g(y) and g(y - 1/2) with y = T^(s-1)(x) = 2u_1 - 4u_2 of layer s - 1; the read-out
    is 2u_1 - 4u_2. T^k rises from 0 to 1 and falls back 2^(k-1) times, so a net with k layers
    of width 2 has 2^k pieces, while a single hidden layer needs 2^k - 1 units for as many
    (Telgarsky 2016, "Benefits of depth in neural networks").

    Examples
    --------
    >>> sawtooth(3).vertices(0, 1)[:, 1].tolist()
    [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    """
    k = _check_depth("k", k)
    layers = (_TENT_FROM_X,) + ((_TENT_FROM_UNITS, _TENT_FROM_X[1]),) * (k - 1)
    return DeepReluNet(layers, (np.array([2.0, -4.0]), 0.0))


def deep_square(m: int) -> DeepReluNet:
    """Yarotsky's net f_m(x) = x - Σ_{s=1..m} T^s(x)/4^s ≈ x² on [0, 1], with max error 4^-(m+1).

    f_m is exactly the linear interpolant of x² at the 2^m + 1 points j/2^m. Layer 1 holds
    g(x), g(x - 1/2); each layer s ≥ 2 holds g(y), g(y - 1/2) for y = T^(s-1)(x) and carries the
    partial sum F = f_(s-1)(x) as a unit g(F), which equals F because F ≥ 0 on [0, 1] (this carry
    stands in for the skip connection; in layer 1, F = x is the unit g(x) itself). So m layers,
    3m - 1 units, against 2^m - 1 for one hidden layer at the same error. Outside [0, 1] the net
    is not x²: it is 0 for x < 0.

    References: Yarotsky 2017, "Error bounds for approximations with deep ReLU networks", Prop. 2.

    Examples
    --------
    >>> net = deep_square(2)
    >>> net(np.array([0.0, 0.25, 0.5, 0.75, 1.0])).tolist(), net.units
    ([0.0, 0.0625, 0.25, 0.5625, 1.0], 5)
    """
    m = _check_depth("m", m)
    layers = [_TENT_FROM_X]
    for s in range(2, m + 1):
        # F_(s-1) = F_(s-2) - T^(s-1)/4^(s-1), read off the previous layer (F_0 = x is its g(x)).
        carry = [1.0 - 2.0 / 4 ** (s - 1), 4.0 / 4 ** (s - 1)] if s == 2 else \
            [-2.0 / 4 ** (s - 1), 4.0 / 4 ** (s - 1), 1.0]
        tent_rows = _TENT_FROM_UNITS if s == 2 else np.column_stack([_TENT_FROM_UNITS, [0.0, 0.0]])
        layers.append((np.vstack([tent_rows, carry]), np.array([0.0, -0.5, 0.0])))
    readout = [1.0 - 2.0 / 4 ** m, 4.0 / 4 ** m] if m == 1 else [-2.0 / 4 ** m, 4.0 / 4 ** m, 1.0]
    return DeepReluNet(tuple(layers), (np.array(readout), 0.0))


def deep_square_error_bound(m: int) -> float:
    """The largest |x² - f_m(x)| on [0, 1]: 4^-(m+1), a quarter of the squared knot spacing 2^-m.

    References: Yarotsky 2017.

    >>> deep_square_error_bound(3)
    0.00390625
    """
    return 4.0 ** -(_check_depth("m", m) + 1)


def shallow_square(pieces: int) -> ReluSum:
    """The one-hidden-layer interpolant of x² at the points j/N of [0, 1]: N - 1 units and an affine part.

    Its largest error on [0, 1] is 1/(4N²), so reaching deep_square(m)'s 4^-(m+1) takes N = 2^m
    pieces (de Boor, "A Practical Guide to Splines"; compare Yarotsky 2017).

    >>> h = shallow_square(4)
    >>> len(h.terms), h(np.array([0.5, 0.625])).tolist()
    (3, [0.25, 0.40625])
    """
    return interpolant(np.square, uniform_knots(0.0, 1.0, pieces))


def shallow_square_error_bound(pieces: int) -> float:
    """The largest |x² - shallow_square(N)(x)| on [0, 1]: (1/N)²/4 = 1/(4N²).

    >>> shallow_square_error_bound(4)
    0.015625
    """
    pieces = float(uniform_knots(0.0, 1.0, pieces).size - 1)  # validates like shallow_square
    return 1.0 / (4.0 * pieces ** 2)


def sawtooth_latex(k: int) -> str:
    r"""The sawtooth in LaTeX, 'T^{k}(x)'.

    >>> sawtooth_latex(3)
    'T^{3}(x)'
    """
    return f"T^{{{_check_depth('k', k)}}}(x)"


def composition_latex(k: int) -> str:
    r"""T^k written out as the composition it is, 'T^{3}(x) = T(T(T(x)))' (T^1 is T(x) itself).

    >>> composition_latex(3), composition_latex(1)
    ('T^{3}(x) = T(T(T(x)))', 'T(x)')
    """
    k = _check_depth("k", k)
    nested = "T(" * k + "x" + ")" * k
    return nested if k == 1 else f"{sawtooth_latex(k)} = {nested}"


def deep_square_latex(m: int) -> str:
    r"""Yarotsky's f_m in LaTeX: x - Σ_{s=1}^{m} T^s(x)/4^s.

    >>> print(deep_square_latex(3))
    x - \sum_{s=1}^{3} \frac{T^{s}(x)}{4^{s}}
    """
    return rf"x - \sum_{{s=1}}^{{{_check_depth('m', m)}}} \frac{{T^{{s}}(x)}}{{4^{{s}}}}"

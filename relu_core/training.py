"""A tiny one-hidden-layer ReLU net f(x) = Σ c_i g(a_i x + b_i) + d, trained by gradient descent or Adam."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .arrays import frozen_array
from .terms import ReluSum, ReluTerm, _check_interval, relu

__all__ = ["ShallowNet", "init_net", "loss_and_gradients", "TrainingTrace", "train",
           "MAX_WIDTH", "MAX_STEPS", "OPTIMIZERS"]

MAX_WIDTH = 1000
"""The most hidden units `train` and `init_net` will build."""

MAX_STEPS = 100_000
"""The most optimiser steps `train` will take."""

OPTIMIZERS = ("adam", "gd")
"""Adam (Kingma & Ba 2015, β₁ = 0.9, β₂ = 0.999, ε̂ = 1e-8) or plain full-batch gradient descent."""

_INIT_WEIGHT = 0.01
"""The spread of the initial outer weights c_i: small, so the first net is nearly flat."""


@dataclass(frozen=True, eq=False)
class ShallowNet:
    """The one-hidden-layer net f(x) = Σ_i c_i g(a_i x + b_i) + d, with read-only weight arrays.

    Unit i turns at its kink x = -b_i/a_i by c_i|a_i|, like the seeds' ReluTerm(a_i, b_i, c_i).
    Compare nets with `np.array_equal` on the fields, not `==`.

    References: the seeds' two-neuron net, widened; Yarotsky 2017 for what such sums can reach.

    Examples
    --------
    >>> net = ShallowNet(a=[1.0, -1.0], b=[0.0, 0.0], c=[1.0, 1.0], d=0.5)
    >>> net(np.array([-2.0, 0.0, 3.0])).tolist(), net.kinks().tolist()
    ([2.5, 0.5, 3.5], [0.0, 0.0])
    """

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    d: float = 0.0

    def __post_init__(self) -> None:
        arrays = {name: frozen_array(f"ShallowNet.{name}", getattr(self, name), ndim=1) for name in "abc"}
        if not len(arrays["a"]) == len(arrays["b"]) == len(arrays["c"]) >= 1:
            raise ValueError("ShallowNet needs a, b and c of one length ≥ 1, got "
                             f"{len(arrays['a'])}, {len(arrays['b'])} and {len(arrays['c'])}")
        d = float(self.d)
        if not np.isfinite(d):
            raise ValueError(f"ShallowNet.d must be finite, got {d}")
        for name, array in arrays.items():
            object.__setattr__(self, name, array)
        object.__setattr__(self, "d", d)

    @property
    def width(self) -> int:
        """The number of hidden units."""
        return len(self.a)

    def __call__(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return relu(np.multiply.outer(x, self.a) + self.b) @ self.c + self.d

    def kinks(self) -> np.ndarray:
        """Each unit's kink -b_i/a_i, in unit order; nan for a unit with a_i = 0 (it is constant).

        >>> ShallowNet(a=[2.0, 0.0], b=[-1.0, 1.0], c=[1.0, 1.0]).kinks().tolist()
        [0.5, nan]
        """
        flat = self.a == 0
        return np.where(flat, np.nan, -self.b / np.where(flat, 1.0, self.a) + 0.0)

    def as_relu_sum(self) -> ReluSum:
        """The same function as a ReluSum d + Σ c_i g(a_i x + b_i), for exact polylines and formulas.

        >>> ShallowNet(a=[1.0], b=[-1.0], c=[2.0], d=0.5).as_relu_sum().latex()
        '0.5 + 2g(x - 1)'
        """
        terms = tuple(ReluTerm(a, b, c) for a, b, c in zip(self.a, self.b, self.c))
        return ReluSum(terms, slope=0.0, intercept=self.d)


def _check_whole(name: str, n: int, lo: int, hi: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {n!r}")
    if not lo <= n <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi}, got {n}")
    return int(n)


def init_net(width: int, lo: float, hi: float, seed: int) -> ShallowNet:
    """A starting net whose kinks are spread over [lo, hi]: one kink drawn in each of `width` equal cells.

    a_i = ±1 (random sign), b_i = -a_i·kink_i, c_i ~ N(0, 0.01²), d = 0: every unit is active on
    part of the interval, and the first net is nearly flat. Seeded: the same seed gives the same net.

    >>> net = init_net(4, -2, 2, seed=0)
    >>> bool(np.all((net.kinks() > -2) & (net.kinks() < 2))), np.abs(net.a).tolist()
    (True, [1.0, 1.0, 1.0, 1.0])
    """
    width = _check_whole("width", width, 1, MAX_WIDTH)
    lo, hi = _check_interval(lo, hi)
    rng = np.random.default_rng(seed)
    kinks = lo + (hi - lo) * (np.arange(width) + rng.uniform(0.0, 1.0, width)) / width
    a = rng.choice([-1.0, 1.0], width)
    return ShallowNet(a=a, b=-a * kinks, c=rng.normal(0.0, _INIT_WEIGHT, width), d=0.0)


def _loss_and_gradients(theta: np.ndarray, x: np.ndarray, y: np.ndarray,
                        grad: np.ndarray) -> float:
    """The loss mean(0.5 r²), r = f(x) - y, for packed θ = (a, b, c, d); writes ∂L/∂θ into `grad`."""
    width = (len(theta) - 1) // 3
    a, b, c, d = theta[:width], theta[width:2 * width], theta[2 * width:3 * width], theta[-1]
    z = np.multiply.outer(x, a) + b
    active = z > 0
    h = np.where(active, z, 0.0)
    r = h @ c + d - y
    n = len(x)
    back = r @ active
    grad[:width] = c * ((r * x) @ active) / n
    grad[width:2 * width] = c * back / n
    grad[2 * width:3 * width] = (r @ h) / n
    grad[-1] = np.sum(r) / n
    return 0.5 * float(r @ r) / n


def _pack(net: ShallowNet) -> np.ndarray:
    return np.concatenate([net.a, net.b, net.c, [net.d]])


def _unpack(theta: np.ndarray) -> ShallowNet:
    width = (len(theta) - 1) // 3
    return ShallowNet(a=theta[:width], b=theta[width:2 * width], c=theta[2 * width:3 * width],
                      d=float(theta[-1]))


def _samples(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if y.ndim == 0:  # a constant target
        y = np.full_like(x, y)
    if x.ndim != 1 or len(x) == 0 or y.shape != x.shape:
        raise ValueError(f"need samples x and y as 1-D arrays of one length ≥ 1, got {x.shape} and "
                         f"{y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("the samples must be finite")
    return x, y


def loss_and_gradients(net: ShallowNet, x: ArrayLike, y: ArrayLike) -> tuple[float, ShallowNet]:
    """The seed's loss L = mean_j 0.5 (f(x_j) - y_j)² and its gradient, as a ShallowNet of partials.

    With r_j = f(x_j) - y_j and z_ij = a_i x_j + b_i:
    ∂L/∂d = mean r, ∂L/∂c_i = mean r g(z_i), ∂L/∂b_i = c_i mean r 1[z_i > 0],
    ∂L/∂a_i = c_i mean r x 1[z_i > 0] (the ReLU's derivative is taken as 0 at z = 0).

    References: the seed's l2 loss; backpropagation (Rumelhart, Hinton & Williams 1986).

    >>> net = ShallowNet(a=[1.0], b=[0.0], c=[1.0])
    >>> loss, grad = loss_and_gradients(net, [1.0, 2.0], [0.0, 0.0])
    >>> loss, grad.a.tolist(), grad.b.tolist(), grad.c.tolist(), grad.d
    (1.25, [2.5], [1.5], [2.5], 1.5)
    """
    x, y = _samples(x, y)
    grad = np.empty(3 * net.width + 1)
    loss = _loss_and_gradients(_pack(net), x, y, grad)
    return loss, _unpack(grad)


@dataclass(frozen=True, eq=False)
class TrainingTrace:
    """Snapshots of a training run: the step numbers, the nets then and their mean losses.

    `steps[0]` is 0 (the initial net) and `steps[-1]` the last step, so `nets[-1]` is the trained net.

    >>> trace = train(np.square, -2, 2, steps=40, record_every=20)
    >>> trace.steps.tolist(), len(trace.nets), bool(trace.losses[-1] < trace.losses[0])
    ([0, 20, 40], 3, True)
    """

    steps: np.ndarray
    nets: tuple[ShallowNet, ...]
    losses: np.ndarray

    def __post_init__(self) -> None:
        steps, losses = np.array(self.steps, dtype=int), np.array(self.losses, dtype=float)
        if not len(steps) == len(losses) == len(self.nets):
            raise ValueError("a TrainingTrace needs as many steps, nets and losses")
        steps.setflags(write=False)
        losses.setflags(write=False)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "losses", losses)
        object.__setattr__(self, "nets", tuple(self.nets))

    @property
    def final(self) -> ShallowNet:
        """The net after the last step."""
        return self.nets[-1]


def train(target: Callable[[np.ndarray], ArrayLike], lo: float, hi: float, width: int = 8,
          steps: int = 2000, samples: int = 200, lr: float = 0.01, optimizer: str = "adam",
          seed: int = 0, record_every: int = 20) -> TrainingTrace:
    """Fit a ShallowNet to `samples` equally spaced points of `target` on [lo, hi] by full-batch descent.

    Minimises L = mean 0.5 (f(x_j) - target(x_j))² from `init_net(width, lo, hi, seed)` with d set
    to the mean target (the best constant), by "gd": θ ← θ - lr ∇L, or "adam": θ ← θ - lr_t m/(√v + ε)
    with moment averages m, v of ∇L and ∇L² and lr_t = lr √(1 - β₂^t)/(1 - β₁^t) (Kingma & Ba 2015, §2).
    Deterministic: no randomness but the seeded start. Records the net and its loss at step 0,
    every `record_every` steps and at the last step.

    The defaults fit x² on [-2, 2] to a mean loss below 1e-3 (about 3e-4) in a fraction of a second.

    >>> trace = train(np.square, -2, 2)
    >>> bool(trace.losses[-1] < 1e-3), int(trace.steps[-1])
    (True, 2000)
    """
    width = _check_whole("width", width, 1, MAX_WIDTH)
    steps = _check_whole("steps", steps, 1, MAX_STEPS)
    samples = _check_whole("samples", samples, 2, 1_000_000)
    record_every = _check_whole("record_every", record_every, 1, MAX_STEPS)
    lr = float(lr)
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    lo, hi = _check_interval(lo, hi)
    x = np.linspace(lo, hi, samples)
    x, y = _samples(x, target(x))

    theta = _pack(init_net(width, lo, hi, seed))
    theta[-1] = np.mean(y)  # start from the best constant: the units then only fit the shape
    grad, moment, square = np.empty_like(theta), np.zeros_like(theta), np.zeros_like(theta)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    recorded_steps, nets, losses = [], [], []
    for step in range(steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported just below
            loss = _loss_and_gradients(theta, x, y, grad)
        if not math.isfinite(loss):
            raise ValueError(f"training diverged at step {step} (the loss is not finite): "
                             "try a smaller lr")
        if step % record_every == 0 or step == steps:
            recorded_steps.append(step)
            nets.append(_unpack(theta))
            losses.append(loss)
        if step == steps:
            break
        if optimizer == "gd":
            theta -= lr * grad
            continue
        moment += (1.0 - beta1) * (grad - moment)
        square += (1.0 - beta2) * (grad * grad - square)
        step_size = lr * math.sqrt(1.0 - beta2 ** (step + 1)) / (1.0 - beta1 ** (step + 1))
        theta -= step_size * moment / (np.sqrt(square) + eps)
    return TrainingTrace(np.array(recorded_steps), tuple(nets), np.array(losses))

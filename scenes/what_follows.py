"""WhatFollows: the answer in one picture, then what the rest of the story implies.

Seed 000 asks how max(0, x) can make non-linear terms as sin(w0 + w1·x1 + w2·x2) does. The answer,
drawn: a sum of ReLUs bends at kinks the weights choose, so its straight pieces follow a curve.
Then three consequences, each computed from relu_core for the scene's target and range:

- outside the data a ReLU sum carries on straight (its outermost pieces), where the target may not;
- the worst error of N pieces falls like 1/N² for a smooth target (fitted on a log-log plot);
- depth multiplies pieces: k layers of two ReLUs make 2^k pieces of the sawtooth T^k
  (Telgarsky 2016), where one layer needs 2^k - 1 ReLUs.

>>> facts = closing_facts(WhatFollowsParams())
>>> facts.pieces, facts.worst, facts.layer_pieces, facts.shallow_units
(4, 0.0625, 8, 7)
>>> round(facts.slope, 3), round(facts.per_doubling, 3)
(-2.0, 0.25)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, Axes, Create, Dot, FadeIn, FadeOut, Line, Rectangle, VGroup, Write

from relu_core import (ReluSum, format_number, interpolant, max_error, parse_function, sawtooth, sawtooth_latex,
                       uniform_knots)
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import fit_axes, get_axes, get_curve, get_formula, get_kink_dots, get_label, get_relu_graph, nice_range
from scenes.speech import SQUARE, Narration, fill, is_square, number, shrink_words, spoken_integer
from scenes.style import FONT_SIZE, TIMING

__all__ = ["WhatFollows", "WhatFollowsParams", "ClosingFacts", "closing_facts", "PANELS", "ERROR_PIECES"]

PANELS = {"answer": (-6.3, -0.5, 0.3, 3.05), "outside": (0.5, 6.3, 0.3, 3.05),
          "rate": (-6.3, -0.5, -3.5, -0.75), "depth": (0.5, 6.3, -3.5, -0.75)}
"""Each panel's box (left, right, bottom, top) for its axes and tick labels; its caption sits just above."""
ERROR_PIECES = (4, 8, 16, 32, 64)
"""The numbers of pieces on the log-log error plot: each doubles the one before."""
OUTSIDE = 0.5
"""How far past the data the 'outside' panel looks, as a share of the data's width on each side."""


@dataclass(frozen=True)
class WhatFollowsParams:
    """The knobs of WhatFollows; the defaults close the explainer on x² over [-1, 1]."""

    target: str = tweak("target", "x**2", note="any curve: the consequences are computed for it")
    x_range: tuple[float, float] = tweak("x_range", (-1.0, 1.0), note="the data's interval; the "
                                         "'outside' panel looks half as far again on each side")
    pieces: int = tweak("pieces", 4, min=2, max=12, note="the straight pieces of the answer's picture")
    layers: int = knob(3, "layers of two ReLUs in the depth panel: T^k has 2^k pieces", min=1, max=6)

    def __post_init__(self) -> None:
        check_knobs(self)


@dataclass(frozen=True)
class ClosingFacts:
    """The numbers the scene shows and says, all from relu_core."""

    approximation: ReluSum   # the interpolant with `pieces` pieces on the data
    pieces: int
    worst: float             # its worst error on the data
    outside_x: float         # where the 'outside' panel reads the two values
    outside_sum: float
    outside_target: float
    errors: tuple[float, ...]  # worst errors for ERROR_PIECES
    slope: float             # of log(error) against log(pieces); nan when the error is 0
    per_doubling: float      # error left after doubling the pieces (2 ** slope)
    layer_pieces: int        # pieces of T^layers on [0, 1]
    layer_units: int
    shallow_units: int       # one hidden layer needs pieces - 1 ReLUs for as many pieces


def closing_facts(params: WhatFollowsParams) -> ClosingFacts:
    """Everything WhatFollows states, computed for its target, range, pieces and layers."""
    f = parse_function(params.target)
    lo, hi = params.x_range
    knots = uniform_knots(lo, hi, params.pieces)
    approximation = interpolant(f, knots)
    errors = tuple(max_error(f, interpolant(f, uniform_knots(lo, hi, n)), lo, hi,
                             knots=uniform_knots(lo, hi, n)) for n in ERROR_PIECES)
    positive = np.array(errors) > 1e-12
    slope = float(np.polyfit(np.log2(np.array(ERROR_PIECES)[positive]), np.log2(np.array(errors)[positive]), 1)[0]) \
        if positive.sum() >= 2 else float("nan")
    outside_x = hi + OUTSIDE * (hi - lo)
    net = sawtooth(params.layers)
    layer_pieces = net.pieces(0, 1)
    return ClosingFacts(approximation, params.pieces, max_error(f, approximation, lo, hi, knots=knots),
                        outside_x, float(approximation(np.array([outside_x]))[0]),
                        float(f(np.array([outside_x]))[0]), errors, slope,
                        float(2.0 ** slope) if np.isfinite(slope) else float("nan"),
                        layer_pieces, net.units, layer_pieces - 1)


def answer_caption(facts: ClosingFacts, target: Narration) -> Narration:
    """The answer in words, with the picture's own numbers.

    >>> answer_caption(closing_facts(WhatFollowsParams()), Narration("x²", "x squared")).shown
    'The answer: each ReLU bends a line once, at a kink its weights choose. Three kinks, and four straight pieces follow x², within 0.0625.'
    """
    kinks = facts.pieces - 1
    return fill("The answer: each ReLU bends a line once, at a kink its weights choose. "
                f"{spoken_integer(kinks).capitalize()} kinks, and {spoken_integer(facts.pieces)} straight pieces "
                "follow {target}, within {worst}.", target=target, worst=number(facts.worst))


def outside_caption(facts: ClosingFacts, target: Narration) -> Narration:
    """What happens past the data, in numbers.

    >>> outside_caption(closing_facts(WhatFollowsParams()), Narration("x²", "x squared")).shown
    'Past the data, the sum carries on straight: at x = 2 it gives 2.5, and x² gives 4.'
    """
    return fill("Past the data, the sum carries on straight: at {at}{x} it gives {h}, and {target} gives {f}.",
                at=Narration("x = ", "x equals "), x=number(facts.outside_x), h=number(facts.outside_sum), f=number(facts.outside_target),
                target=target)


def rate_caption(facts: ClosingFacts) -> Narration:
    """How the worst error falls as the pieces double, fitted on the plot.

    >>> rate_caption(closing_facts(WhatFollowsParams())).shown
    'Double the pieces, and the worst error falls to about a quarter: like 1/N², as for any smooth curve.'
    """
    if not np.isfinite(facts.slope):
        return Narration("Double the pieces: the error stays 0, since this target is straight.",
                         "Double the pieces: the error stays zero, since this target is straight.")
    left = shrink_words(facts.per_doubling)
    if abs(facts.slope + 2) <= 0.25:
        return Narration(f"Double the pieces, and the worst error falls to {left}: like 1/N², as for any "
                         "smooth curve.", f"Double the pieces, and the worst error falls to {left}: like one "
                         "over N squared, as for any smooth curve.")
    power = format_number(-facts.slope, 2)
    return Narration(f"Double the pieces, and the worst error falls to {left}: here like 1/N^{power}, "
                     "slower than the 1/N² of a smooth curve.",
                     f"Double the pieces, and the worst error falls to {left}: slower than the one over N "
                     "squared of a smooth curve.")


def depth_caption(facts: ClosingFacts, layers: int) -> Narration:
    """Depth multiplies pieces: the sawtooth's count against one wide layer's.

    >>> depth_caption(closing_facts(WhatFollowsParams()), 3).shown
    'Stack layers instead: 3 layers of two ReLUs make 8 pieces. One layer needs 7 ReLUs for as many.'
    """
    return fill("Stack layers instead: {k} layers of two ReLUs make {p} pieces. "
                "One layer needs {u} ReLUs for as many.",
                k=number(layers), p=number(facts.layer_pieces), u=number(facts.shallow_units))


BACK = Narration(
    "Back to the question. sin(w₀ + w₁x₁ + w₂x₂) bends everywhere; g(w₀ + w₁x₁ + w₂x₂) bends along one line "
    "of the plane. Add such ridges, and the surface bends wherever the weights put them.",
    "Back to the question. The sine of w nought plus w one x one plus w two x two bends everywhere; g of the "
    "same sum bends along one line of the plane. Add such ridges, and the surface bends wherever the weights "
    "put them.")


class WhatFollows(ExplainerScene):
    """The answer as one picture, then straight outside the data, 1/N² error, and depth's pieces."""

    params = WhatFollowsParams()
    description = "The answer in one picture, then what follows: straight outside the data, 1/N² error, depth"
    title = "The answer, and what follows"

    def construct(self) -> None:
        self.f = parse_function(self.params.target)
        self.facts = closing_facts(self.params)
        self.target_words = SQUARE if is_square(self.params.target) else Narration("the target")
        self.show_answer()
        self.show_outside()
        self.show_rate()
        self.show_depth()
        self.back_to_the_question()

    # -- building pieces ------------------------------------------------------------------------
    def panel_axes(self, box: tuple[float, float, float, float], x_lo: float, x_hi: float,
                   ys: np.ndarray, numbers: bool = True) -> Axes:
        """Axes over [x_lo, x_hi] tall enough for `ys`, with their tick labels inside `box`."""
        x_range = nice_range(x_lo, x_hi, ticks=4)
        y_range = nice_range(float(np.min(ys)), float(np.max(ys)), ticks=3)
        return fit_axes(lambda w, h: get_axes(x_range, y_range, width=w, height=h, numbers=numbers), box)

    def caption(self, text: str, box: tuple[float, float, float, float], color: str | None = None) -> VGroup:
        """A panel's one-line caption, just above its box, left-aligned with it."""
        label = get_label(text, color=color or self.theme.text, font_size=FONT_SIZE.label)
        if label.width > box[1] - box[0]:
            label.scale_to_fit_width(box[1] - box[0])
        return label.move_to([box[0], box[3] + 0.3, 0], aligned_edge=LEFT)

    # -- beats ----------------------------------------------------------------------------------
    def show_answer(self) -> None:
        self.say(*answer_caption(self.facts, self.target_words))
        lo, hi = self.params.x_range
        xs = np.linspace(lo, hi, 401)
        box = PANELS["answer"]
        axes = self.panel_axes(box, lo, hi, self.f(xs))
        target = get_curve(axes, self.f, x_range=(lo, hi), stroke_width=4)
        approx = get_relu_graph(axes, self.facts.approximation, x_range=(lo, hi), stroke_width=4)
        dots = get_kink_dots(axes, self.facts.approximation, x_range=(lo, hi))
        caption = self.caption(f"{self.facts.pieces} pieces, worst error {format_number(self.facts.worst)}", box)
        self.play(Create(axes), FadeIn(caption), run_time=TIMING.create)
        self.play(Create(target), run_time=TIMING.create)
        self.play(Create(approx), FadeIn(dots), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def show_outside(self) -> None:
        self.say(*outside_caption(self.facts, self.target_words))
        lo, hi = self.params.x_range
        far_lo, far_hi = lo - OUTSIDE * (hi - lo), self.facts.outside_x
        xs = np.linspace(far_lo, far_hi, 401)
        box = PANELS["outside"]
        ys = np.concatenate([self.f(xs), self.facts.approximation(xs)])
        axes = self.panel_axes(box, far_lo, far_hi, ys)
        data = Rectangle(width=abs(axes.c2p(hi, 0)[0] - axes.c2p(lo, 0)[0]),
                         height=abs(axes.c2p(0, axes.y_range[1])[1] - axes.c2p(0, axes.y_range[0])[1]),
                         stroke_width=0, fill_color=self.theme.highlight, fill_opacity=0.15)
        data.move_to([(axes.c2p(lo, 0)[0] + axes.c2p(hi, 0)[0]) / 2,
                      (axes.c2p(0, axes.y_range[0])[1] + axes.c2p(0, axes.y_range[1])[1]) / 2, 0])
        target = get_curve(axes, self.f, x_range=(far_lo, far_hi), stroke_width=4)
        approx = get_relu_graph(axes, self.facts.approximation, x_range=(far_lo, far_hi), stroke_width=4)
        caption = self.caption("past the green data: straight", box)
        self.play(Create(axes), FadeIn(data), FadeIn(caption), run_time=TIMING.create)
        self.play(Create(target), Create(approx), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def show_rate(self) -> None:
        self.say(*rate_caption(self.facts))
        box = PANELS["rate"]
        errors = np.array(self.facts.errors)
        logs = np.log10(np.maximum(errors, 1e-12))
        x_range = [0.5, np.log2(ERROR_PIECES[-1]) + 0.5, 1]
        y_lo, y_hi = int(np.floor(logs.min())), int(np.ceil(logs.max()))
        y_hi = max(y_hi, y_lo + 1)
        axes = fit_axes(lambda w, h: get_axes(x_range, [y_lo, y_hi, 1], width=w, height=h, numbers=False),
                        (box[0] + 0.9, box[1], box[2] + 0.45, box[3]))
        ticks = VGroup()
        for n in ERROR_PIECES:
            ticks.add(get_formula(str(n), color=self.theme.muted, font_size=FONT_SIZE.label)
                      .next_to(axes.c2p(np.log2(n), y_lo), DOWN, buff=0.15))
        for k in range(y_lo, y_hi + 1):
            ticks.add(get_formula(f"10^{{{k}}}", color=self.theme.muted, font_size=FONT_SIZE.label)
                      .next_to(axes.c2p(x_range[0], k), LEFT, buff=0.15))
        dots = VGroup(*[Dot(axes.c2p(np.log2(n), v), radius=0.07, color=self.theme.error)
                        for n, v in zip(ERROR_PIECES, logs)])
        path = VGroup(*[Line(a.get_center(), b.get_center(), color=self.theme.error, stroke_width=3)
                        for a, b in zip(dots, dots[1:])])
        slope = "" if not np.isfinite(self.facts.slope) else f", slope {format_number(self.facts.slope, 2)}"
        caption = self.caption(f"worst error vs N (log){slope}", box)
        self.play(Create(axes), FadeIn(ticks), FadeIn(caption), run_time=TIMING.create)
        self.play(FadeIn(dots, lag_ratio=0.3), Create(path), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def show_depth(self) -> None:
        self.say(*depth_caption(self.facts, self.params.layers))
        box = PANELS["depth"]
        net = sawtooth(self.params.layers)
        axes = self.panel_axes(box, 0.0, 1.0, np.array([0.0, 1.0]))
        graph = get_relu_graph(axes, net, x_range=(0.0, 1.0), stroke_width=4)
        formula = get_formula(sawtooth_latex(self.params.layers), color=self.theme.approx, font_size=FONT_SIZE.label)
        caption = self.caption(f"{self.params.layers} layers, {self.facts.layer_units} ReLUs, "
                               f"{self.facts.layer_pieces} pieces:", box)
        formula.next_to(caption, RIGHT, buff=0.2)
        self.play(Create(axes), FadeIn(caption), Write(formula), run_time=TIMING.create)
        self.play(Create(graph), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def back_to_the_question(self) -> None:
        self.say(*BACK)
        self.play(*[FadeOut(m) for m in self.mobjects], run_time=TIMING.transform)
        sine = get_formula(r"\sin(w_0 + w_1x_1 + w_2x_2)", color=self.theme.target, font_size=FONT_SIZE.title)
        ridge = get_formula(r"g(w_0 + w_1x_1 + w_2x_2)", color=self.theme.approx, font_size=FONT_SIZE.title)
        sine_words = get_label("bends everywhere", color=self.theme.muted, font_size=FONT_SIZE.body)
        ridge_words = get_label("bends along one line; sums of them bend anywhere", color=self.theme.muted,
                                font_size=FONT_SIZE.body)
        rows = VGroup(VGroup(sine, sine_words).arrange(DOWN, buff=0.3),
                      VGroup(ridge, ridge_words).arrange(DOWN, buff=0.3)).arrange(DOWN, buff=1.0)
        self.play(Write(rows[0]), run_time=TIMING.create)
        self.play(Write(rows[1]), run_time=TIMING.create)
        self.wait(TIMING.long_pause)


"""WhereKinksGo: with N straight pieces, where should the kinks go? Where the curve bends most.

Seed 002: "your weights 'locate' convexities in the domain". The same number of pieces, two ways:
evenly spaced knots, and knots spread by curvature (|f''|^(1/2), relu_core.compare_knots). Side
by side, each interpolant over its target with its error curve below and its worst error.
For x² (constant curvature) both are the same; for exp or sqrt the placed knots win.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Create, FadeIn, SurroundingRectangle, VGroup, VMobject, Write

from relu_core import compare_knots, error_grid, max_error, parse_function, pointwise_error
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, tweak
from scenes.mobjects import (get_axes, get_curve, get_formula, get_kink_dots, get_label, get_polyline,
                             get_relu_graph, nice_range)
from scenes.speech import Narration, fill, number, spoken_integer, spoken_number
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["WhereKinksGo", "WhereKinksGoParams", "get_comparison", "get_panel", "get_error_curve",
           "get_error_label", "get_verdict", "SIDES", "ANSWER", "opening_caption", "piece_errors",
           "even_caption", "placed_caption", "verdict_caption"]

SIDES = ("uniform", "optimal")
"""The two knot placements, in compare_knots' names: left column, right column."""

TITLES = {"uniform": "evenly spaced kinks", "optimal": "kinks placed by curvature"}


@dataclass(frozen=True)
class WhereKinksGoParams:
    """The knobs of WhereKinksGo; the defaults reproduce the explainer."""

    target: str = tweak("target", "exp(x)", note='try "sqrt(x)" on (0, 4), or "x**2" (a tie)')
    x_range: tuple[float, float] = tweak("x_range", (0.0, 4.0), note="both approximations cover it")
    pieces: int = tweak("pieces", 5, min=2, max=12, note="the same number on each side",
                        why="more kinks than 11 crowd the picture")

    def __post_init__(self) -> None:
        check_knobs(self)


def get_comparison(params: WhereKinksGoParams) -> dict:
    """relu_core.compare_knots for the scene's target, pieces and range."""
    lo, hi = params.x_range
    return compare_knots(parse_function(params.target), params.pieces, lo, hi)


def get_panel(params: WhereKinksGoParams, comparison: dict, width: float = 5.9,
              height: float = 2.9, error_height: float = 1.1) -> VGroup:
    """One column's two axes: the curve above, its error below; both columns share their scales.

    Returns VGroup(axes, error_axes).
    """
    lo, hi = params.x_range
    ys = parse_function(params.target)(np.linspace(lo, hi, 401))
    x_range = nice_range(lo, hi, ticks=4)
    axes = get_axes(x_range, nice_range(np.min(ys), np.max(ys), ticks=4), width=width, height=height)
    worst = max(comparison["uniform_error"], comparison["optimal_error"])
    error_axes = get_axes(x_range, nice_range(0.0, worst if worst > 0 else 1.0, ticks=2),
                          width=width, height=error_height)
    error_axes.next_to(axes, DOWN, buff=0.5)
    return VGroup(axes, error_axes)


def get_error_curve(error_axes: Axes, params: WhereKinksGoParams, comparison: dict, side: str) -> VMobject:
    """|f - p| for one side's interpolant p, through relu_core's error grid (knots and midpoints included)."""
    lo, hi = params.x_range
    xs = error_grid(lo, hi, knots=comparison[f"{side}_knots"], samples=601)
    errors = pointwise_error(parse_function(params.target), comparison[f"{side}_interpolant"], xs)
    return get_polyline(error_axes, np.column_stack([xs, errors]), theme().error, stroke_width=3)


def get_error_label(comparison: dict, side: str) -> VGroup:
    """'worst error 2.98' for one side, from compare_knots."""
    return get_label(f"worst error {comparison[f'{side}_error']:.3g}", color=theme().error,
                     font_size=FONT_SIZE.label)


def get_verdict(comparison: dict) -> VGroup:
    """'3.5 × smaller worst error, same number of kinks', or the tie when spacing evenly is already best."""
    ratio = comparison["ratio"]
    if ratio < 1.05:
        text = "a tie: evenly spaced kinks are already best here"
    elif np.isfinite(ratio):
        text = f"same number of kinks, {ratio:.1f}× smaller worst error"
    else:
        text = "same number of kinks, and no error at all"
    return get_label(text, color=theme().highlight, font_size=FONT_SIZE.body)


EVEN = 1.05
"""Errors (or a ratio) within this factor of each other count as the same: 'a tie', 'about the same'."""

ANSWER = Narration(
    "So, the answer: a ReLU is straight but for one kink. Enough kinks, placed by the weights, bend a sum "
    "into any smooth curve, and two squares make the x₁x₂ terms of sin.",
    "So, the answer: a ReLU is straight but for one kink. Enough kinks, placed by the weights, bend a sum "
    "into any smooth curve, and two squares make the x one times x two terms of sine.")
"""The explainer's last words: the student's question answered in one breath."""


def opening_caption(params: WhereKinksGoParams) -> Narration:
    """'5 straight pieces for this curve, so 4 kinks: where should they go?'

    >>> opening_caption(WhereKinksGoParams(pieces=5)).spoken
    'Five straight pieces for this curve, so four kinks: where should they go?'
    """
    n = params.pieces
    kinks, they = ("kink", "it") if n == 2 else ("kinks", "they")
    return Narration(f"{n} straight pieces for this curve, so {n - 1} {kinks}: where should {they} go?",
                     f"{spoken_integer(n).capitalize()} straight pieces for this curve, so "
                     f"{spoken_integer(n - 1)} {kinks}: where should {they} go?")


def piece_errors(params: WhereKinksGoParams, comparison: dict, side: str) -> np.ndarray:
    """The largest error on each piece of one side's interpolant (relu_core.max_error, piece by piece)."""
    f, knots = parse_function(params.target), comparison[f"{side}_knots"]
    p = comparison[f"{side}_interpolant"]
    return np.array([max_error(f, p, a, b, knots=(a, b)) for a, b in zip(knots[:-1], knots[1:])])


def even_caption(params: WhereKinksGoParams, comparison: dict) -> Narration:
    """The words of the evenly spaced side: where its error is worst, from the errors piece by piece.

    >>> print(even_caption(WhereKinksGoParams(), get_comparison(WhereKinksGoParams())).shown)
    Evenly spaced kinks: the error is uneven, worst on the piece from 3.2 to 4.
    >>> square = WhereKinksGoParams(target="x**2")
    >>> print(even_caption(square, get_comparison(square)).shown)
    Evenly spaced kinks: every piece is off by about the same, 0.16.
    """
    errors = piece_errors(params, comparison, "uniform")
    if number(comparison["uniform_error"]).shown == "0":
        return Narration("Evenly spaced kinks: this curve is a sum of ReLUs already, with no error at all.")
    if errors.max() <= EVEN * errors.min():
        return fill("Evenly spaced kinks: every piece is off by about the same, {worst}.",
                    worst=number(comparison["uniform_error"]))
    knots, worst = comparison["uniform_knots"], int(np.argmax(errors))
    return fill("Evenly spaced kinks: the error is uneven, worst on the piece from {a} to {b}.",
                a=number(knots[worst]), b=number(knots[worst + 1]))


def placed_caption(comparison: dict) -> Narration:
    """The words of the curvature-placed side: crowding, unless the placement is the even one.

    >>> print(placed_caption(get_comparison(WhereKinksGoParams())).shown)
    Placed by curvature: kinks crowd where it bends, and spread out where it is nearly straight.
    """
    uniform, optimal = comparison["uniform_knots"], comparison["optimal_knots"]
    if np.allclose(uniform, optimal, rtol=0.0, atol=1e-3 * (uniform[-1] - uniform[0])):
        return Narration("Placed by curvature: this curve bends the same everywhere, so the kinks stay evenly "
                         "spaced.")
    return Narration("Placed by curvature: kinks crowd where it bends, and spread out where it is nearly "
                     "straight.")


def verdict_caption(comparison: dict) -> Narration:
    """The comparison's words, with the ratio as the verdict on screen shows it, then the answer.

    >>> print(verdict_caption(get_comparison(WhereKinksGoParams())).shown.split(" So,")[0])
    Same number of kinks, a worst error 3.5 times smaller: the weights locate the convexities.
    """
    ratio = comparison["ratio"]
    if number(comparison["uniform_error"]).shown == "0":
        lead = Narration("Both fit this curve exactly: it is made of straight pieces already.")
    elif ratio < EVEN:
        lead = Narration("This curve bends about the same everywhere, so evenly spaced kinks are already best.")
    elif np.isfinite(ratio):
        lead = fill("Same number of kinks, a worst error {ratio} times smaller: the weights locate the "
                    "convexities.",
                    ratio=Narration(f"{ratio:.1f}", spoken_number(float(f"{ratio:.1f}"))))
    else:
        lead = Narration("Same number of kinks, and no error left at all: the weights locate the convexities.")
    return fill("{lead} {answer}", lead=lead, answer=ANSWER)


class WhereKinksGo(ExplainerScene):
    """Evenly spaced kinks against kinks placed by curvature, same count, side by side."""

    params = WhereKinksGoParams()
    description = "Where kinks go: curvature-placed knots beat evenly spaced ones (weights locate convexities)"
    title = "Where kinks should go"

    def construct(self) -> None:
        self.comparison = get_comparison(self.params)
        self.show_target_twice()
        self.space_kinks_evenly()
        self.place_kinks_by_curvature()
        self.compare_worst_errors()

    # -- beats ------------------------------------------------------------------------------------
    def show_target_twice(self) -> None:
        p, t = self.params, theme()
        self.say(*opening_caption(p))
        self.formula = get_formula("f(x) = " + parse_function(p.target).latex, color=t.target)
        self.formula.to_edge(UP, buff=0.25)
        self.panels = {}
        for side, edge in zip(SIDES, (LEFT, RIGHT)):
            panel = get_panel(p, self.comparison).to_edge(edge, buff=0.55)
            panel.shift((2.55 - panel.get_top()[1]) * UP)
            title = get_label(TITLES[side], font_size=FONT_SIZE.label).next_to(panel[0], UP, buff=0.2)
            self.panels[side] = VGroup(panel[0], panel[1], title)
        self.play(Write(self.formula), *(Create(panel[0]) for panel in self.panels.values()),
                  run_time=TIMING.create)
        curves = [get_curve(panel[0], parse_function(p.target), color=t.target, x_range=p.x_range)
                  for panel in self.panels.values()]
        self.play(*(Create(curve) for curve in curves), run_time=TIMING.create)
        self.wait(TIMING.long_pause)

    def space_kinks_evenly(self) -> None:
        self.say(*even_caption(self.params, self.comparison))
        self.show_side("uniform")

    def place_kinks_by_curvature(self) -> None:
        self.say(*placed_caption(self.comparison))
        self.show_side("optimal")

    def show_side(self, side: str) -> None:
        p, t = self.params, theme()
        axes, error_axes, title = self.panels[side]
        interpolant = self.comparison[f"{side}_interpolant"]
        graph = get_relu_graph(axes, interpolant, color=t.approx, x_range=p.x_range, stroke_width=4)
        dots = get_kink_dots(axes, interpolant, x_range=p.x_range, radius=0.07)
        error = get_error_curve(error_axes, p, self.comparison, side)
        label = get_error_label(self.comparison, side).next_to(error_axes, DOWN, buff=0.2)
        self.labels = getattr(self, "labels", {})
        self.labels[side] = label
        self.play(FadeIn(title), Create(graph), FadeIn(dots, scale=1.5), run_time=TIMING.create)
        self.play(FadeIn(error_axes), Create(error), run_time=TIMING.create)
        self.play(FadeIn(label), run_time=TIMING.transform / 2)
        self.wait(TIMING.long_pause)

    def compare_worst_errors(self) -> None:
        ratio = self.comparison["ratio"]
        self.say(*verdict_caption(self.comparison))
        better = "optimal" if ratio >= 1.05 else "uniform"
        box = SurroundingRectangle(self.labels[better], color=theme().highlight, buff=0.1)
        verdict = get_verdict(self.comparison).move_to(self.formula)
        self.play(Create(box), self.formula.animate.set_opacity(0), FadeIn(verdict),
                  run_time=TIMING.transform)
        self.wait(2 * TIMING.long_pause)

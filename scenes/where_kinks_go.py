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

from relu_core import compare_knots, error_grid, parse_function, pointwise_error
from scenes.base import ExplainerScene
from scenes.mobjects import (get_axes, get_curve, get_formula, get_kink_dots, get_label, get_polyline,
                             get_relu_graph, nice_range)
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["WhereKinksGo", "WhereKinksGoParams", "get_comparison", "get_panel", "get_error_curve",
           "get_error_label", "get_verdict", "SIDES"]

SIDES = ("uniform", "optimal")
"""The two knot placements, in compare_knots' names: left column, right column."""

TITLES = {"uniform": "evenly spaced kinks", "optimal": "kinks placed by curvature"}


@dataclass(frozen=True)
class WhereKinksGoParams:
    """The knobs of WhereKinksGo; the defaults reproduce the explainer."""

    target: str = "exp(x)"
    """The curve to approximate, a formula in x; try "sqrt(x)" on (0, 4), or "x**2" (a tie)."""
    x_range: tuple[float, float] = (0.0, 4.0)
    """The interval both approximations cover."""
    terms: int = 5
    """The number of straight pieces each side gets (so terms - 1 kinks)."""

    def __post_init__(self) -> None:
        f = parse_function(self.target)  # raises ExpressionError (a ValueError) with a caret hint
        try:
            lo, hi = (float(v) for v in self.x_range)
        except (TypeError, ValueError):
            raise ValueError(f"x_range must be two numbers lo, hi, got {self.x_range!r}") from None
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"x_range must have lo < hi, both finite, got ({lo:g}, {hi:g})")
        object.__setattr__(self, "x_range", (lo, hi))
        if not np.all(np.isfinite(f(np.linspace(lo, hi, 201)))):
            raise ValueError(f"the target {self.target!r} must be finite on the whole x range "
                             f"[{lo:g}, {hi:g}]")
        if isinstance(self.terms, bool) or not isinstance(self.terms, (int, np.integer)):
            raise ValueError(f"terms must be a whole number, got {self.terms!r}")
        if not 2 <= self.terms <= 12:
            raise ValueError(f"terms must be between 2 and 12 for this scene (the number of pieces; "
                             f"more kinks than 11 crowd the picture), got {self.terms}")


def get_comparison(params: WhereKinksGoParams) -> dict:
    """relu_core.compare_knots for the scene's target, pieces and range."""
    lo, hi = params.x_range
    return compare_knots(parse_function(params.target), params.terms, lo, hi)


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


class WhereKinksGo(ExplainerScene):
    """Evenly spaced kinks against kinks placed by curvature, same count, side by side."""

    params = WhereKinksGoParams()
    description = "Where kinks go: curvature-placed knots beat evenly spaced ones (weights locate convexities)"

    def construct(self) -> None:
        self.comparison = get_comparison(self.params)
        self.show_target_twice()
        self.space_kinks_evenly()
        self.place_kinks_by_curvature()
        self.compare_worst_errors()

    # -- beats ------------------------------------------------------------------------------------
    def show_target_twice(self) -> None:
        p, t = self.params, theme()
        self.say(f"{p.terms} straight pieces for this curve: where should the kinks go?")
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
        self.say("Evenly spaced kinks: the error is largest where the curve bends most")
        self.show_side("uniform")

    def place_kinks_by_curvature(self) -> None:
        self.say("Placed by curvature: kinks crowd where it bends, spread out where it is nearly straight")
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
        if ratio < 1.05:
            self.say("This curve bends about the same everywhere, so evenly spaced kinks are already best")
        else:
            self.say("Same number of kinks, smaller error: the weights locate the convexities")
        better = "optimal" if ratio >= 1.05 else "uniform"
        box = SurroundingRectangle(self.labels[better], color=theme().highlight, buff=0.1)
        verdict = get_verdict(self.comparison).move_to(self.formula)
        self.play(Create(box), self.formula.animate.set_opacity(0), FadeIn(verdict),
                  run_time=TIMING.transform)
        self.wait(2 * TIMING.long_pause)

"""WhereKinksGo: with N straight pieces, where should the kinks go? Where the curve bends most.

Seed 002: "your weights 'locate' convexities in the domain". The same number of pieces, two ways:
evenly spaced knots, and knots spread by curvature (|f''|^(1/2), relu_core.compare_knots). Side
by side, each interpolant over its target with its error curve below and its worst error.
For x² (constant curvature) both are the same; for exp or sqrt the placed knots win.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, FadeIn, FadeOut, SurroundingRectangle, VGroup, VMobject,
                   Write)

from relu_core import compare_knots, error_grid, max_error, parse_function, pointwise_error
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, tweak
from scenes.mobjects import (get_axes, get_curve, get_formula, get_kink_dots, get_label, get_polyline,
                             get_relu_graph, get_tex, nice_range)
from scenes.speech import Narration, fill, number, spoken_integer, spoken_number
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["WhereKinksGo", "WhereKinksGoParams", "get_comparison", "get_panel", "get_error_curve",
           "get_error_label", "get_verdict", "get_rule", "get_title", "place_rule", "RULE", "TITLES", "SIDES", "PANEL_BOXES", "ANSWER", "opening_caption",
           "piece_errors",
           "even_caption", "placed_caption", "verdict_caption"]

SIDES = ("uniform", "optimal")
"""The two knot placements, in compare_knots' names: left column, right column."""

TITLES = {"uniform": r"evenly spaced kinks: equal gaps",
          "optimal": r"placed by curvature: gap $\propto 1/\sqrt{|f''(x)|}$"}
"""Each column's title: how its kinks are spaced, the placed side with relu_core.optimal_knots' rule."""


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


PANEL_BOXES = {"uniform": (-6.35, -0.3, -3.05, 2.45), "optimal": (0.3, 6.35, -3.05, 2.45)}
"""Each column's box (left, right, bottom, top) for its two axes with their tick labels: inside the
safe area, with room above for the column's title and the formula, below for the worst error."""


def get_panel(params: WhereKinksGoParams, comparison: dict,
              box: tuple[float, float, float, float] = PANEL_BOXES["uniform"],
              error_share: float = 0.28, gap: float = 0.55) -> VGroup:
    """One column's two axes: the curve above, its error below; both columns share their scales.

    The axes' lines and tick labels fill `box` (left, right, bottom, top): built once to measure how
    far the labels reach past the lines, then rebuilt that much smaller (labels keep their size). The
    error axes get `error_share` of the lines' height and sit `gap` below the curve's axes, their
    x-axes one above the other. Returns VGroup(axes, error_axes).
    """
    lo, hi = params.x_range
    ys = parse_function(params.target)(np.linspace(lo, hi, 401))
    x_range = nice_range(lo, hi, ticks=4)
    y_range = nice_range(np.min(ys), np.max(ys), ticks=4)
    worst = max(comparison["uniform_error"], comparison["optimal_error"])
    error_range = nice_range(0.0, worst if worst > 0 else 1.0, ticks=2)
    left, right, bottom, top = box

    def build(width: float, height: float) -> VGroup:
        axes = get_axes(x_range, y_range, width=width, height=(1 - error_share) * height)
        error_axes = get_axes(x_range, error_range, width=width, height=error_share * height)
        lower_left = axes.c2p(x_range[0], y_range[0])
        error_axes.shift(lower_left + (gap + error_share * height) * DOWN
                         - error_axes.c2p(x_range[0], error_range[0]))
        return VGroup(axes, error_axes)

    panel = build(right - left, top - bottom - gap)
    for _ in range(2):  # the labels' reach barely changes with the lengths: a second pass settles it
        axes, error_axes = panel
        x0, y1 = axes.c2p(x_range[1], y_range[1])[0], axes.c2p(x_range[0], y_range[1])[1]
        x_lo = axes.c2p(x_range[0], y_range[0])[0]
        y0 = error_axes.c2p(x_range[0], error_range[0])[1]
        reach = (x_lo - panel.get_left()[0], panel.get_right()[0] - x0, y0 - panel.get_bottom()[1],
                 panel.get_top()[1] - y1)
        panel = build(right - left - reach[0] - reach[1], top - bottom - reach[2] - reach[3] - gap)
    axes, error_axes = panel
    corner = np.array([axes.c2p(x_range[0], 0)[0], error_axes.c2p(x_range[0], error_range[0])[1], 0.0])
    return panel.shift(np.array([left + reach[0], bottom + reach[2], 0.0]) - corner)


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


SAFE_TOP = 3.55
"""Where the formula and the verdict hang from: just inside the safe area's top (|y| <= 3.6)."""

RULE = r"each piece: equal $\int \sqrt{|f''(x)|}\,dx$"
"""How relu_core.optimal_knots places the knots: they split ∫|f''|^(1/2) into equal parts (with 5 % of
the density spread evenly), which makes the gap ∝ 1/√|f''| of the column's title."""


def get_title(side: str) -> VGroup:
    """A column's title (TITLES): the placed side's states the gap rule, so it is on screen for any target."""
    return get_tex(TITLES[side], font_size=FONT_SIZE.body)


def get_rule() -> VGroup:
    """The equal-share rule behind the title's gap rule (RULE), drawn inside the placed plot where clear."""
    return get_tex(RULE, color=theme().text, font_size=FONT_SIZE.label)


def place_rule(rule: VGroup, axes: Axes, params: WhereKinksGoParams, margin: float = 0.1) -> VGroup | None:
    """`rule` in the upper left or upper right corner inside `axes`, whichever is clear of the target
    curve and the tick labels; None when neither is (the rule is then left out, not drawn over them)."""
    lo, hi = params.x_range
    xs = np.linspace(lo, hi, 401)
    curve = np.array([axes.c2p(x, y)[:2] for x, y in zip(xs, parse_function(params.target)(xs))])
    labels = [n for axis in (axes.get_x_axis(), axes.get_y_axis()) for n in getattr(axis, "numbers", ())]
    for end, edge in ((axes.x_range[0], LEFT), (axes.x_range[1], RIGHT)):
        rule.move_to(axes.c2p(end, axes.y_range[1]) - 0.25 * edge, aligned_edge=UP + edge)
        (x0, y0), (x1, y1) = rule.get_corner(DOWN + LEFT)[:2] - margin, rule.get_corner(UP + RIGHT)[:2] + margin
        hits_curve = np.any((curve[:, 0] >= x0) & (curve[:, 0] <= x1)
                            & (curve[:, 1] >= y0) & (curve[:, 1] <= y1))
        hits_label = any(n.get_left()[0] <= x1 and n.get_right()[0] >= x0 and n.get_bottom()[1] <= y1
                         and n.get_top()[1] >= y0 for n in labels)
        if not (hits_curve or hits_label):
            return rule
    return None


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
        self.formula.move_to(SAFE_TOP * UP, aligned_edge=UP)
        self.panels = {}
        for side in SIDES:
            panel = get_panel(p, self.comparison, box=PANEL_BOXES[side])
            title = get_title(side).next_to(panel[0], UP, buff=0.2)
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
        # each dot grows in place on its kink (a group scaled about its centre would fly in)
        shown = [FadeIn(title), Create(graph), *(FadeIn(dot, scale=1.5) for dot in dots)]
        if side == "optimal":  # the placement rule, in an upper corner of the plot where it is clear
            self.rule = place_rule(get_rule(), axes, p)
            if self.rule is not None:
                shown.append(FadeIn(self.rule))
        self.play(*shown, run_time=TIMING.create)
        self.play(FadeIn(error_axes), Create(error), run_time=TIMING.create)
        self.play(FadeIn(label), run_time=TIMING.transform / 2)
        self.wait(TIMING.long_pause)

    def compare_worst_errors(self) -> None:
        ratio = self.comparison["ratio"]
        self.say(*verdict_caption(self.comparison))
        better = "optimal" if ratio >= 1.05 else "uniform"
        box = SurroundingRectangle(self.labels[better], color=theme().highlight, buff=0.1)
        verdict = get_verdict(self.comparison).move_to(SAFE_TOP * UP, aligned_edge=UP)
        # the formula leaves before the verdict takes its place: never one text over the other
        self.play(Create(box), FadeOut(self.formula), run_time=TIMING.transform / 2)
        self.play(FadeIn(verdict), run_time=TIMING.transform / 2)
        self.wait(2 * TIMING.long_pause)

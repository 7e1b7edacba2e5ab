"""ApproximateSquare: x² built from ReLUs g(ax + b), two terms at a time (seed 000, Sycorax's answer).

h_1 = g(x) + g(-x) = |x|, h_2 = h_1 + g(2x - 2) + g(-2x - 2), ... Each new pair first appears alone,
then joins the running sum; the formula grows by its new terms (the parts it keeps only move), the
interval [-n, n] where h_n is best lights up, and a log-scale panel plots each h_k's largest error
max|y - ŷ| on x_range: 6, 2, 0.25 for x² on [-3, 3]. (The seed's prose writes g(-2x + 2), a typo: its R code
has relu(-2(x + 1)) = g(-2x - 2), which is what is shown.)

Any other target (`--target "sin(3*x)"`) grows the same way from the middle of x_range: 2·steps + 1
evenly spaced knots, h_1 hinges at the centre knot, and each step adds a hinge at the next knot on
either side (relu_core.growing.grow_from_centre), so h_k equals the target at the middle 2k + 1 knots.

>>> [step.sum.latex() for step in get_steps(ApproximateSquareParams(steps=2))]
['g(x) + g(-x)', 'g(x) + g(-x) + g(2x - 2) + g(-2x - 2)']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Animation, Axes, Create, Dot, FadeIn, FadeOut, GrowFromCenter,
                   Indicate, LaggedStart, MathTex, Rectangle, ReplacementTransform, Transform, ValueTracker, VGroup,
                   VMobject, linear, smooth, squish_rate_func)

from relu_core import (ReluSum, ReluTerm, format_number, max_error, parse_function, square_approximation,
                       square_term, uniform_knots)
from relu_core.growing import grow_from_centre
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, tweak
from scenes.mobjects import ReluSource, fit_axes, get_axes, get_curve, get_formula, get_relu_graph, get_tex, typeset
from scenes.speech import SQUARE, Narration, between, fill, is_square, number, spoken_integer, spoken_number, subscript
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["ApproximateSquare", "ApproximateSquareParams", "Step", "get_steps", "check_drawable",
           "get_sum_formula", "change_formula", "get_join", "get_highlight", "get_knot_dots", "step_errors",
           "error_decades", "get_error_axes", "get_error_dot"]

MAX_STEPS = 6
FORMULA_WIDTH = 12.6
"""The widest the h_n formula may be (frame units) before it switches to h_n = h_(n-1) + new terms:
the title-safe width (90 % of the frame's 14.2) less a margin."""
MAIN_BOX = (-6.25, 0.9, -3.45, 1.95)
"""Where the main plot goes, tick labels included: (left, right, bottom, top) in frame units, inside the
title-safe area |x| <= 6.4, |y| <= 3.6 with the target's label above and the formula over it."""
ERROR_BOX = (1.75, 6.3, -1.5, 1.5)
"""Where the error panel goes, tick labels included; its title above, the readout and footnote below."""
MAX_VALUE = 1e5
"""The largest |target| drawn: beyond it the y labels and the formulas' numbers grow too long to read."""


@dataclass(frozen=True)
class ApproximateSquareParams:
    """Knobs of ApproximateSquare; the defaults are the seed's h_1, h_2, h_3 for x² on [-3, 3]."""

    target: str = tweak("target", "x**2", note="x² uses the seeds' own terms, any other grows from "
                                                "the middle of x_range")
    steps: int = tweak("steps", 3, min=1, max=MAX_STEPS, why="h_7's formula no longer fits the frame")
    x_range: tuple[float, float] = tweak("x_range", (-3.0, 3.0),
                                         note="for targets other than x², also where the knots are spread")

    def __post_init__(self) -> None:
        check_knobs(self)
        check_drawable(self.target, self.x_range)
        get_steps(self)                            # raises ValueError if a knot value is not finite


def check_drawable(target: str, x_range: tuple[float, float]) -> None:
    """Refuse, in one line, a target whose values on x_range are too large to label readably.

    >>> check_drawable("exp(x)", (0.0, 10.0))
    >>> check_drawable("exp(x)", (0.0, 20.0))
    Traceback (most recent call last):
    ...
    ValueError: the target 'exp(x)' reaches 485165195 on [0, 20], more than the axes can label (100000)
    """
    lo, hi = x_range
    ys = np.abs(parse_function(target)(np.linspace(lo, hi, 401)))
    if float(np.max(ys)) > MAX_VALUE:
        raise ValueError(f"the target {target!r} reaches {float(np.max(ys)):.0f} on [{lo:g}, {hi:g}], "
                         f"more than the axes can label ({MAX_VALUE:.0f})")


@dataclass(frozen=True)
class Step:
    """One step of the construction: the sum h_k, the terms it adds, and where it is good."""

    k: int
    sum: ReluSum
    new_terms: tuple[ReluTerm, ...]
    interval: tuple[float, float]


def get_steps(params: ApproximateSquareParams) -> tuple[Step, ...]:
    """h_1 .. h_n for the params: the seeds' square_approximation for x², else grow_from_centre.

    >>> [s.interval for s in get_steps(ApproximateSquareParams())]
    [(-1.0, 1.0), (-2.0, 2.0), (-3.0, 3.0)]
    >>> get_steps(ApproximateSquareParams(target="sin(x)", steps=1))[0].interval
    (-3.0, 3.0)
    """
    n = params.steps
    if is_square(params.target):
        return tuple(Step(k, square_approximation(k), square_term(k), (-float(k), float(k)))
                     for k in range(1, n + 1))
    lo, hi = params.x_range
    knots = uniform_knots(lo, hi, 2 * n)
    sums = grow_from_centre(parse_function(params.target), knots)
    steps, previous = [], 0
    for k, h in enumerate(sums, start=1):
        steps.append(Step(k, h, h.terms[previous:], (float(knots[n - k]), float(knots[n + k]))))
        previous = len(h.terms)
    return tuple(steps)


def get_sum_formula(steps: tuple[Step, ...], k: int, max_width: float = FORMULA_WIDTH) -> MathTex:
    """'h_k(x) = <old terms> <new terms>' as a MathTex whose parts are its name 'h_{k}', '(x) =', then
    the sum as ReluSum.latex() writes it: [old, new] when step k adds terms (for k = 1 or a step that
    adds nothing: one part), so change_formula can move the terms a formula keeps.

    When the full sum is wider than max_width it reads 'h_k(x) = h_(k-1)(x) + <new terms>'.
    """
    full = steps[k - 1].sum.latex()
    head = (rf"h_{{{k}}}", "(x) =")
    if k == 1:
        return _formula(*head, full)
    old = steps[k - 2].sum.latex()
    new = full[len(old):].strip()
    if not new:  # the target is straight where h_k grows: h_k = h_(k-1), no term to add
        formula = _formula(*head, full)
        return formula if formula.width <= max_width else _formula(*head, rf"h_{{{k - 1}}}(x)")
    formula = _formula(*head, old, new)
    if formula.width > max_width:
        formula = _formula(*head, rf"h_{{{k - 1}}}(x)", new)
    return formula


def _formula(*parts: str) -> MathTex:
    """A formula of several parts, styled as scenes.mobjects.get_formula."""
    return typeset(MathTex, *parts, color=theme().text, font_size=FONT_SIZE.formula)


def _glyphs(parts) -> list[VMobject]:
    return [glyph for part in parts for glyph in part.submobjects]


def change_formula(old: list[VMobject], new: list[VMobject]) -> list[Animation]:
    """Turn formula parts `old` into `new` by matching parts, never by morphing glyphs into others.

    A new part whose LaTeX is that of consecutive old parts (the same glyphs) gets those glyphs moved
    into its place; any other new part fades in where it stands (in the second half, once the moved
    parts have made room), and the old parts left over fade out (in the first half).
    """
    def key(part: VMobject) -> str:
        return "".join(part.tex_string.split())

    animations, i, used = [], 0, set()
    for part in new:
        match = next(((j, m) for j in range(i, len(old)) for m in range(j + 1, len(old) + 1)
                      if "".join(key(o) for o in old[j:m]) == key(part)
                      and len(_glyphs(old[j:m])) == len(part.submobjects)), None)
        if match is None:
            animations.append(FadeIn(part, rate_func=squish_rate_func(smooth, 0.5, 1.0)))
            continue
        j, m = match
        animations.append(ReplacementTransform(VGroup(*_glyphs(old[j:m])), part))
        used.update(range(j, m))
        i = m
    return animations + [FadeOut(o, rate_func=squish_rate_func(smooth, 0.0, 0.5))
                         for n, o in enumerate(old) if n not in used]


def get_highlight(axes: Axes, interval: tuple[float, float]) -> Rectangle:
    """A faint band over the interval where h_k is best, clipped to the axes."""
    x_lo, x_hi = axes.x_range[:2]
    y_lo, y_hi = axes.y_range[:2]
    lo, hi = max(interval[0], x_lo), min(interval[1], x_hi)
    corner_a, corner_b = axes.c2p(lo, y_lo), axes.c2p(hi, y_hi)
    band = Rectangle(width=corner_b[0] - corner_a[0], height=corner_b[1] - corner_a[1],
                     fill_color=theme().highlight, fill_opacity=0.13, stroke_width=0)
    return band.move_to((corner_a + corner_b) / 2)


def get_knot_dots(axes: Axes, h: ReluSum, interval: tuple[float, float]) -> VGroup:
    """Dots at h's corners and the interval's ends: where h equals the target; each tagged with h
    (ReluSource, at its centre) so the craft check holds it to h."""
    x_lo, x_hi = axes.x_range[:2]
    lo, hi = max(interval[0], x_lo), min(interval[1], x_hi)
    source = ReluSource(axes, h, (lo, hi), at_centre=True)
    dots = VGroup(*(Dot(axes.c2p(x, y), radius=0.07, color=theme().kink) for x, y in h.vertices(lo, hi)))
    for dot in dots:
        dot.relu_source = source
    return dots


def step_errors(params: ApproximateSquareParams) -> list[float]:
    """Each h_k's largest error max|y - h_k| on x_range (relu_core.max_error); 0 below float noise.

    >>> step_errors(ApproximateSquareParams())
    [6.0, 2.0, 0.25]
    """
    lo, hi = params.x_range
    f = parse_function(params.target)
    errors = [max_error(f, s.sum, lo, hi, knots=s.sum.breakpoints()) for s in get_steps(params)]
    return [e if format_number(e) != "0" else 0.0 for e in errors]


def error_decades(errors: list[float]) -> tuple[int, int]:
    """The error panel's log axis, as powers of ten (lo, hi): the decades the non-zero errors span.

    >>> error_decades([6.0, 2.0, 0.25]), error_decades([19966.0, 3587.0]), error_decades([0.0, 0.0])
    ((-1, 1), (3, 5), (-1, 0))
    """
    positive = [e for e in errors if e > 0]
    if not positive:
        return -1, 0
    lo, hi = int(np.floor(np.log10(min(positive)))), int(np.ceil(np.log10(max(positive))))
    return lo, max(hi, lo + 1)


def get_error_axes(errors: list[float], box: tuple[float, float, float, float] = ERROR_BOX) -> Axes:
    """The error panel: h_1 .. h_n along x, their largest error on a log scale labelled 10^k.

    Its y coordinate is log10(error) minus the lowest decade (error_decades), so the x axis sits at
    the bottom; get_error_dot places a value on it.
    """
    lo, hi = error_decades(errors)
    step = max(1, int(np.ceil((hi - lo) / 5)))
    muted = theme().muted

    def build(width: float, height: float) -> Axes:
        axes = get_axes([0, len(errors) + 1, 1], [0, hi - lo, step], width=width, height=height, numbers=False)
        axes.get_x_axis().add_labels({k: get_formula(f"h_{{{k}}}", color=muted, font_size=FONT_SIZE.small)
                                      for k in range(1, len(errors) + 1)})
        axes.get_y_axis().add_labels({e: get_formula(f"10^{{{e + lo}}}", color=muted, font_size=FONT_SIZE.small)
                                      for e in range(0, hi - lo + 1, step)})
        return axes

    axes = fit_axes(build, box)
    axes.decade_floor = lo
    return axes


def get_error_dot(axes: Axes, k: int, error: float) -> VGroup:
    """h_k's largest error on the panel: a dot (at the floor for 0) and its value above it."""
    y = np.log10(error) - axes.decade_floor if error > 0 else 0.0
    dot = Dot(axes.c2p(k, y), radius=0.08, color=theme().error)
    label = get_formula(format_number(error), color=theme().error, font_size=FONT_SIZE.small)
    return VGroup(dot, label.next_to(dot, UP, buff=0.12))


def _nice_step(span: float, ticks: int = 6) -> float:
    """A round tick spacing giving about `ticks` ticks over span."""
    raw = span / ticks
    power = 10 ** np.floor(np.log10(raw))
    return float(min((m * power for m in (1, 2, 5, 10) if m * power >= raw), default=raw))


def _tidy(*values: float) -> list[float | int]:
    """Whole numbers as ints, so the axes print 2 rather than 2.0."""
    return [int(round(v)) if float(v).is_integer() else float(v) for v in values]


def _places(xs: list[float]) -> Narration:
    """Where new terms switch on: '±1' for a symmetric pair, else '-1 and 2'; in words for the voice.

    >>> _places([1.0, -1.0]), _places([-1.0, 2.0]).shown
    (Narration(shown='±1', spoken='plus and minus one'), '-1 and 2')
    """
    xs = sorted(xs)
    if len(xs) == 2 and np.isclose(xs[0], -xs[1]) and xs[1] > 0:
        return Narration(f"±{format_number(xs[1])}", f"plus and minus {spoken_number(xs[1])}")
    return Narration(" and ".join(format_number(x) for x in xs), " and ".join(spoken_number(x) for x in xs))


def get_join(before: ReluSum, after: ReluSum, kept: int) -> Callable[[float], ReluSum]:
    """t -> the sum on its way from `before` to `after`, which keeps before's first `kept` terms: those
    terms, plus the new ones and the change of the affine part times t. A ReLU sum at every t.

    >>> h1, h2 = square_approximation(1), square_approximation(2)
    >>> get_join(h1, h2, 2)(0.5)(np.array([-2.0, 0.0, 2.0])).tolist()
    [3.0, 0.0, 3.0]
    """
    new = after.terms[kept:]
    slope, intercept = after.slope - before.slope, after.intercept - before.intercept

    def at(t: float) -> ReluSum:
        return ReluSum(before.terms + tuple(ReluTerm(term.a, term.b, t * term.c) for term in new),
                       before.slope + t * slope, before.intercept + t * intercept)
    return at


def _interval_tex(interval: tuple[float, float]) -> str:
    return f"[{format_number(interval[0])}, {format_number(interval[1])}]"


class ApproximateSquare(ExplainerScene):
    """x² from ReLUs, two terms at a time: h_1 = |x|, h_2, h_3, ... with a shrinking largest error."""

    params = ApproximateSquareParams()
    description = "x² from ReLUs g(ax + b): h1 = |x|, then two more terms at a time, the error shrinking"
    title = "x² from ReLUs"

    def construct(self) -> None:
        self.setup_pieces()
        self.show_target()
        for step in self.steps:
            self.add_terms(step)
        self.compare_losses()
        self.point_out_knots()

    # -- building pieces ------------------------------------------------------------------------
    def setup_pieces(self) -> None:
        self.f = parse_function(self.params.target)
        self.square = is_square(self.params.target)
        self.name = "x^2" if self.square else self.f.latex
        self.steps = get_steps(self.params)
        self.errors = step_errors(self.params)
        self.axes = self.get_main_axes()
        self.error_axes = get_error_axes(self.errors)
        self.error_dots = VGroup()
        self.formula, self.readout = VGroup(), VGroup()

    def get_main_axes(self) -> Axes:
        """The main plot, left: the target's range on x_range, zero included."""
        lo, hi = self.params.x_range
        ys = self.f(np.linspace(lo, hi, 401))
        y_lo, y_hi = min(0.0, float(ys.min())), max(0.0, float(ys.max()))
        pad = 0.08 * (y_hi - y_lo or 1.0)
        y_lo, y_hi = y_lo - (pad if y_lo < 0 else 0.0), y_hi + pad
        x_range, y_range = _tidy(lo, hi, _nice_step(hi - lo)), _tidy(y_lo, y_hi, _nice_step(y_hi - y_lo, 5))
        return fit_axes(lambda w, h: get_axes(x_range, y_range, width=w, height=h), MAIN_BOX)

    def place_formula(self, k: int) -> MathTex:
        """h_k's formula at the top of the frame, its name in the colour of its graph."""
        formula = get_sum_formula(self.steps, k).to_edge(UP, buff=0.5)
        formula[0].set_color(self.theme.approx)
        return formula

    def get_readout(self, step: Step) -> VGroup:
        """h_k's largest error on the interval where it is best (relu_core.max_error), under the panel;
        empty when that interval is all of x_range (the panel's dot already says it)."""
        lo, hi = self.params.x_range
        i_lo, i_hi = max(step.interval[0], lo), min(step.interval[1], hi)
        if (i_lo, i_hi) == (lo, hi):
            return VGroup()
        best = max_error(self.f, step.sum, i_lo, i_hi, knots=step.sum.breakpoints())
        where = rf"on ${_interval_tex((i_lo, i_hi))}$, where $h_{{{step.k}}}$ is best"
        line = get_tex(rf"{where}: ${format_number(best)}$", color=self.theme.highlight, font_size=FONT_SIZE.label)
        return VGroup(line).next_to(self.error_axes, DOWN, buff=0.45).align_to(self.error_axes, LEFT)

    def step_caption(self, step: Step) -> Narration:
        """The words of a step: the new terms (on screen in the seeds' notation), where they switch on,
        and where h_k now fits."""
        k, new = step.k, [t for t in step.new_terms if t.c != 0]
        words = {"h": Narration(f"h{subscript(k)}", f"h {spoken_integer(k)}"), "where": between(*step.interval),
                 "at": _places([t.kink for t in new if t.kink is not None]), "sq": SQUARE,
                 "knots": Narration(str(2 * k + 1), spoken_integer(2 * k + 1)),
                 "count": Narration(str(len(new)), spoken_integer(len(new)))}
        square = is_square(self.params.target)
        if square and k == 1:
            words["sum"] = Narration("h₁(x) = g(x) + g(-x), which is |x|",
                                     "together they make h one, which is the absolute value of x")
            return fill("Start with two ReLUs, one for each side: {sum}. It is close to {sq} only {where}.",
                        **words)
        if square:
            words["terms"] = Narration(" and ".join(t.latex() for t in new), f"{words['count'].voice} more ReLUs")
            return fill("Add {terms}, which switch on at {at}: {h} bends up there, and stays close to {sq} {where}.",
                        **words)
        if k == 1:
            return fill("Start in the middle: {h} meets the curve at the {knots} middle knots, {where}.", **words)
        if not new:
            return fill("{h} needs no new ReLU: it already meets the curve at {knots} knots, {where}.", **words)
        many = "s" if len(new) > 1 else ""
        return fill(f"Add {{count}} ReLU{many} at the next knot{many}, {{at}}: {{h}} meets the curve at {{knots}} "
                    "knots, {where}.", **words)

    # -- beats ----------------------------------------------------------------------------------
    def show_target(self) -> None:
        goal = SQUARE if self.square else Narration("this curve")
        self.say(*fill("Now build a curve from hinges. The goal: {goal}, from ReLUs and nothing else.", goal=goal))
        self.target_graph = get_curve(self.axes, self.f)
        target_label = get_formula(rf"y = {self.name}", color=self.theme.target, font_size=FONT_SIZE.formula)
        target_label.next_to(self.axes, UP, buff=0.15).align_to(self.axes, LEFT).shift(0.4 * RIGHT)
        error_title = get_tex(rf"largest error $|y - h_k(x)|$ on ${_interval_tex(self.params.x_range)}$",
                              color=self.theme.error, font_size=FONT_SIZE.label)
        error_title.next_to(self.error_axes, UP, buff=0.2)
        self.target_label = target_label
        self.play(Create(self.axes), run_time=TIMING.create)
        self.play(Create(self.target_graph), FadeIn(target_label), run_time=TIMING.create)
        self.play(FadeIn(self.error_axes), FadeIn(error_title))
        self.wait(TIMING.pause / 2)

    def add_terms(self, step: Step) -> None:
        self.say(*self.step_caption(step))
        k = step.k
        if k > 1 and not step.new_terms:
            self.widen_fit(step)
            return
        # the new terms alone, each as its own faint graph, and in the formula in their colour
        lone = [t for t in step.new_terms if t.c != 0]
        term_graphs = VGroup(*(get_relu_graph(self.axes, ReluSum((t,)), color=self.theme.term, stroke_width=4)
                               for t in lone))
        formula, old = self.place_formula(k), list(self.formula)
        formula[-1].set_color(self.theme.term)
        name = 2 if k == 1 else 1  # what changes when they have joined: h_(k-1) -> h_k (h_1's "(x) =" too)
        show_terms = [Create(term_graphs)] if len(term_graphs) else []  # a constant target has none
        stale = [FadeOut(self.readout)] if k > 1 else []  # h_(k-1)'s number goes before the sum changes
        keep_name = [old[0].animate.move_to(formula[0])] if old else []  # it changes once the terms join
        self.play(*show_terms, *stale, *keep_name, *change_formula(old[name:], list(formula[name:])),
                  run_time=TIMING.create)
        self.wait(TIMING.pause / 2)
        # ... then they join the running sum: h_(k-1) + t·(new terms), a ReLU sum at every t, rises by
        # what the lone terms lose, (1 - t)·term, until at t = 1 it is h_k and they are flat
        before = self.steps[k - 2].sum if k > 1 else ReluSum()
        joining = get_join(before, step.sum, len(before.terms))
        t = ValueTracker(0.0)
        band = get_highlight(self.axes, step.interval)
        if k == 1:
            self.sum_graph = get_relu_graph(self.axes, before, color=self.theme.approx)
            self.add(self.sum_graph)
        self.sum_graph.add_updater(
            lambda m: m.become(get_relu_graph(self.axes, joining(t.get_value()), color=self.theme.approx)))
        for graph, term in zip(term_graphs, lone):
            graph.add_updater(lambda m, term=term: m.become(get_relu_graph(
                self.axes, ReluSum((ReluTerm(term.a, term.b, (1 - t.get_value()) * term.c),)),
                color=self.theme.term, stroke_width=4)))
        after_join = TIMING.transform + TIMING.pause + (3 * TIMING.pause if self.square and k == 2 else 0)
        join_time = max(TIMING.transform, self.speech_remaining() - after_join)
        if k == 1:
            self.add_above(band, self.axes)  # under the curves; the axes stay in the still background
            band.set_opacity(0)
            widen = band.animate.set_fill(opacity=0.13)
        else:
            widen = Transform(self.band, band)
        renamed = change_formula(old[:name], list(formula[:name]))
        for animation in renamed:  # the name says h_k once the sum is h_k: at the end of the join
            animation.rate_func = squish_rate_func(smooth, 0.85, 1.0)
        self.play(t.animate(rate_func=linear).set_value(1.0), *renamed,
                  formula[-1].animate.set_color(self.theme.text), widen, run_time=join_time)
        for m in (self.sum_graph, *term_graphs):
            m.clear_updaters()
        self.remove(*term_graphs)
        self.sum_graph.become(get_relu_graph(self.axes, step.sum, color=self.theme.approx))
        if k == 1:
            self.band = band
        self.show_error(step)
        self.formula = formula
        self.bring_to_front(self.target_graph, self.sum_graph)
        if self.square and k == 2:
            self.note_typo()
        self.wait(TIMING.pause)

    def show_error(self, step: Step) -> None:
        """h_k's largest error joins the panel, and its error where it is best comes under it."""
        dot, readout = get_error_dot(self.error_axes, step.k, self.errors[step.k - 1]), self.get_readout(step)
        self.play(FadeIn(dot), *([FadeIn(readout)] if len(readout) else []), run_time=TIMING.transform)
        self.error_dots.add(dot)
        self.readout = readout

    def widen_fit(self, step: Step) -> None:
        """A step that adds no term (the target is straight there): h_k = h_(k-1), good further out."""
        formula = self.place_formula(step.k)
        self.play(*change_formula(list(self.formula), list(formula)), FadeOut(self.readout),
                  Transform(self.band, get_highlight(self.axes, step.interval)), run_time=TIMING.transform)
        self.formula = formula
        self.show_error(step)
        self.wait(TIMING.pause)

    def note_typo(self) -> None:
        """A footnote: the seed's prose has g(-2x + 2); its R code (and this video) g(-2x - 2)."""
        note = VGroup(get_tex(r"The seed's text writes $g(-2x + 2)$, a typo:", color=self.theme.muted,
                              font_size=FONT_SIZE.small),
                      get_tex(r"its R code has $g(-2x - 2)$, as here.", color=self.theme.muted,
                              font_size=FONT_SIZE.small)).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        above = self.readout if len(self.readout) else self.error_axes
        note.next_to(above, DOWN, buff=0.35).align_to(self.error_axes, LEFT)
        self.play(FadeIn(note))
        self.wait(TIMING.pause)
        self.play(FadeOut(note))

    def losses_caption(self) -> Narration:
        """The words of the error comparison: each h_k's largest error on x_range, as the panel shows it.

        'Every new pair lowers the largest error' only when every step does lower it.
        """
        lo, hi = self.params.x_range
        errors = [number(e) for e in step_errors(self.params)]
        words = {"where": between(lo, hi), "errors": Narration(" to ".join(e.shown for e in errors),
                                                               " to ".join(e.voice for e in errors))}
        values = [float(e.shown) for e in errors]
        if not any(values):
            return fill("The largest error {where} is 0 at every step: this curve is itself a sum of ReLUs.",
                        **words)
        if len(errors) == 1:
            return fill("The panel shows how far {h} misses: its largest error {where} is {errors}.",
                        h=Narration("h₁", "h one"), **words)
        step = "new pair of ReLUs" if is_square(self.params.target) else "step"
        if all(b < a for a, b in zip(values, values[1:])):
            return fill(f"Every {step} lowers the largest error {{where}}: it falls from {{errors}}.", **words)
        return fill("Each step fits the curve further out; the largest error {where} goes from {errors}.", **words)

    def knots_caption(self) -> Narration:
        """The words on the last h_n: where it equals the target, and its largest error in between."""
        lo, hi = self.params.x_range
        f, last = parse_function(self.params.target), get_steps(self.params)[-1]
        i_lo, i_hi = max(last.interval[0], lo), min(last.interval[1], hi)  # as get_readout clips it
        error = max_error(f, last.sum, i_lo, i_hi, knots=last.sum.breakpoints())
        words = {"h": Narration(f"h{subscript(last.k)}", f"h {spoken_integer(last.k)}"), "sq": SQUARE,
                 "where": between(i_lo, i_hi), "error": number(error, fractions=True),
                 "knots": Narration(str(2 * last.k + 1), spoken_integer(2 * last.k + 1))}
        moral = "So curves come from hinges, each bending the sum where it sits."
        if words["error"].shown == "0":
            return fill("{h} meets the curve at its {knots} knots, and in between too: it is the curve itself.",
                        **words)
        if is_square(self.params.target):
            return fill("{h} equals {sq} at every integer {where}, and is off by at most {error} in between. "
                        + moral, **words)
        return fill("{h} meets the curve at its {knots} knots, and is off by at most {error} in between. "
                    + moral, **words)

    def compare_losses(self) -> None:
        self.say(*self.losses_caption())
        self.play(*(Indicate(dot, color=self.theme.error, scale_factor=1.2) for dot in self.error_dots),
                  run_time=TIMING.transform)
        self.wait(TIMING.pause)

    def point_out_knots(self) -> None:
        last = self.steps[-1]
        self.say(*self.knots_caption())
        dots = get_knot_dots(self.axes, last.sum, last.interval)
        self.play(LaggedStart(*(GrowFromCenter(dot) for dot in dots), lag_ratio=0.15), run_time=TIMING.create)
        self.wait(TIMING.long_pause)

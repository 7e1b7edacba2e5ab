"""ApproximateSquare: x² built from ReLUs g(ax + b), two terms at a time (seed 000, Sycorax's answer).

h_1 = g(x) + g(-x) = |x|, h_2 = h_1 + g(2x - 2) + g(-2x - 2), ... Each new pair first appears alone,
then joins the running sum; the formula grows, the interval [-n, n] where h_n is best lights up,
and the seed's loss 0.5·(y - ŷ)² shrinks. (The seed's prose writes g(-2x + 2), a typo: its R code
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
from manim import (DOWN, LEFT, RIGHT, UP, Axes, BackgroundRectangle, Create, FadeIn, FadeOut, Indicate,
                   MathTex, Rectangle, ReplacementTransform, Transform, ValueTracker, VGroup, VMobject, Write,
                   linear)

from relu_core import (ReluSum, ReluTerm, format_number, l2_loss, max_error, parse_function,
                       square_approximation, square_term, uniform_knots)
from relu_core.growing import grow_from_centre
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, tweak
from scenes.mobjects import fit_axes, get_axes, get_curve, get_formula, get_relu_graph, get_tex
from scenes.speech import SQUARE, Narration, between, fill, number, spoken_integer, spoken_number, subscript
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["ApproximateSquare", "ApproximateSquareParams", "Step", "get_steps", "is_square",
           "get_sum_formula", "get_join", "get_highlight", "get_loss_curve", "get_knot_dots"]

MAX_STEPS = 6
FORMULA_WIDTH = 12.6
"""The widest the h_n formula may be (frame units) before it switches to h_n = h_(n-1) + new terms:
the title-safe width (90 % of the frame's 14.2) less a margin."""
MAIN_BOX = (-6.25, 0.9, -3.45, 1.95)
"""Where the main plot goes, tick labels included: (left, right, bottom, top) in frame units, inside the
title-safe area |x| <= 6.4, |y| <= 3.6 with the target's label above and the formula over it."""
LOSS_BOX = (1.75, 6.3, -0.7, 1.5)
"""Where the loss panel goes, tick labels included; its title above, the readouts and footnote below."""


def is_square(target: str) -> bool:
    """Whether the target is x², for which the seeds' own terms are used.

    >>> is_square("x**2"), is_square(" x^2 "), is_square("x*x"), is_square("sin(x)")
    (True, True, True, False)
    """
    return target.replace(" ", "") in {"x**2", "x^2", "x*x"}


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
        get_steps(self)                            # raises ValueError if a knot value is not finite


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
    """'h_k(x) = <old terms> <new terms>' as a MathTex of 2 or 3 parts, matching ReluSum.latex().

    When the full sum is wider than max_width it reads 'h_k(x) = h_(k-1)(x) + <new terms>'.
    The parts are [head, old, new] (for k = 1, or a step that adds nothing: [head, body]) so a
    scene can move each one.
    """
    full = steps[k - 1].sum.latex()
    head = rf"h_{{{k}}}(x) ="
    if k == 1:
        return _formula(head, full)
    old = steps[k - 2].sum.latex()
    new = full[len(old):].strip()
    if not new:  # the target is straight where h_k grows: h_k = h_(k-1), no term to add
        formula = _formula(head, full)
        return formula if formula.width <= max_width else _formula(head, rf"h_{{{k - 1}}}(x)")
    formula = _formula(head, old, new)
    if formula.width > max_width:
        formula = _formula(head, rf"h_{{{k - 1}}}(x)", new)
    return formula


def _formula(*parts: str) -> MathTex:
    """A formula of several parts, styled as scenes.mobjects.get_formula."""
    return MathTex(*parts, color=theme().text, font_size=FONT_SIZE.formula)


def get_highlight(axes: Axes, interval: tuple[float, float]) -> Rectangle:
    """A faint band over the interval where h_k is best, clipped to the axes."""
    x_lo, x_hi = axes.x_range[:2]
    y_lo, y_hi = axes.y_range[:2]
    lo, hi = max(interval[0], x_lo), min(interval[1], x_hi)
    corner_a, corner_b = axes.c2p(lo, y_lo), axes.c2p(hi, y_hi)
    band = Rectangle(width=corner_b[0] - corner_a[0], height=corner_b[1] - corner_a[1],
                     fill_color=theme().highlight, fill_opacity=0.13, stroke_width=0)
    return band.move_to((corner_a + corner_b) / 2)


def get_loss_curve(axes: Axes, f: Callable, h: ReluSum, color: str | None = None) -> VMobject:
    """The seed's loss 0.5·(f(x) - h(x))² over the axes' x-range (relu_core.l2_loss)."""
    return get_curve(axes, lambda x: l2_loss(f(x), h(x)), color=color or theme().error, stroke_width=4)


def get_knot_dots(axes: Axes, h: ReluSum, interval: tuple[float, float]) -> VGroup:
    """Dots at h's corners and the interval's ends: where h equals the target."""
    from manim import Dot
    x_lo, x_hi = axes.x_range[:2]
    lo, hi = max(interval[0], x_lo), min(interval[1], x_hi)
    return VGroup(*(Dot(axes.c2p(x, y), radius=0.07, color=theme().kink) for x, y in h.vertices(lo, hi)))


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
    """x² from ReLUs, two terms at a time: h_1 = |x|, h_2, h_3, ... with a shrinking loss."""

    params = ApproximateSquareParams()
    description = "x² from ReLUs g(ax + b): h1 = |x|, then two more terms at a time, the loss shrinking"
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
        self.axes = self.get_main_axes()
        self.loss_axes = self.get_loss_axes()

    def get_main_axes(self) -> Axes:
        """The main plot, left: the target's range on x_range, zero included."""
        lo, hi = self.params.x_range
        ys = self.f(np.linspace(lo, hi, 401))
        y_lo, y_hi = min(0.0, float(ys.min())), max(0.0, float(ys.max()))
        pad = 0.08 * (y_hi - y_lo or 1.0)
        y_lo, y_hi = y_lo - (pad if y_lo < 0 else 0.0), y_hi + pad
        x_range, y_range = _tidy(lo, hi, _nice_step(hi - lo)), _tidy(y_lo, y_hi, _nice_step(y_hi - y_lo, 5))
        return fit_axes(lambda w, h: get_axes(x_range, y_range, width=w, height=h), MAIN_BOX)

    def get_loss_axes(self) -> Axes:
        """The loss panel, right: 0.5·(y - ŷ)² of h_1 sets its height."""
        lo, hi = self.params.x_range
        xs = np.linspace(lo, hi, 401)
        top = float(np.max(l2_loss(self.f(xs), self.steps[0].sum(xs)))) or 1.0
        x_range, y_range = _tidy(lo, hi, _nice_step(hi - lo, 3)), _tidy(0, top * 1.05, _nice_step(top, 2))
        return fit_axes(lambda w, h: get_axes(x_range, y_range, width=w, height=h), LOSS_BOX)

    def get_readouts(self, step: Step) -> VGroup:
        """The max error on the whole x_range and on the interval where h_k is best (relu_core.max_error)."""
        lo, hi = self.params.x_range
        h, k = step.sum, step.k
        knots = h.breakpoints()
        whole = max_error(self.f, h, lo, hi, knots=knots)
        i_lo, i_hi = max(step.interval[0], lo), min(step.interval[1], hi)
        best = max_error(self.f, h, i_lo, i_hi, knots=knots)
        lines = VGroup(
            get_tex(rf"max error on ${_interval_tex((lo, hi))}$: ${format_number(whole)}$",
                    color=self.theme.error, font_size=FONT_SIZE.label),
            get_tex(rf"on ${_interval_tex((i_lo, i_hi))}$, where $h_{{{k}}}$ is best: ${format_number(best)}$",
                    color=self.theme.highlight, font_size=FONT_SIZE.label))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        return lines.next_to(self.loss_axes, DOWN, buff=0.55).align_to(self.loss_axes, LEFT)

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
        loss_title = get_tex(r"loss $\tfrac{1}{2}(y - \hat{y})^2$", color=self.theme.error,
                             font_size=FONT_SIZE.label)
        loss_title.next_to(self.loss_axes, UP, buff=0.2)
        self.target_label = target_label
        self.play(Create(self.axes), run_time=TIMING.create)
        self.play(Create(self.target_graph), FadeIn(target_label), run_time=TIMING.create)
        self.play(FadeIn(self.loss_axes), FadeIn(loss_title))
        self.wait(TIMING.pause / 2)

    def add_terms(self, step: Step) -> None:
        self.say(*self.step_caption(step))
        k = step.k
        if k > 1 and not step.new_terms:
            self.widen_fit(step)
            return
        # the new terms alone, each as its own faint graph, with their formula beside
        lone = [t for t in step.new_terms if t.c != 0]
        term_graphs = VGroup(*(get_relu_graph(self.axes, ReluSum((t,)), color=self.theme.term, stroke_width=4)
                               for t in lone))
        formula = get_sum_formula(self.steps, k)
        formula.to_edge(UP, buff=0.5)
        formula[0].set_color(self.theme.approx)   # the name h_k in the colour of its graph
        new_part = formula[-1].copy().set_color(self.theme.term)
        new_part.move_to(self.axes.c2p(np.mean(self.axes.x_range[:2]), self.axes.y_range[1])).shift(0.45 * DOWN)
        backing = BackgroundRectangle(new_part, color=self.theme.background, fill_opacity=0.9, buff=0.08)
        show_terms = [Create(term_graphs)] if len(term_graphs) else []  # a constant target has none
        stale = [FadeOut(self.readouts)] if k > 1 else []  # h_(k-1)'s numbers go before the sum changes
        self.play(*show_terms, *stale, FadeIn(backing), FadeIn(new_part, shift=0.2 * DOWN), run_time=TIMING.create)
        self.wait(TIMING.pause / 2)
        # ... then they join the running sum: h_(k-1) + t·(new terms), a ReLU sum at every t, rises by
        # what the lone terms lose, (1 - t)·term, until at t = 1 it is h_k and they are flat
        before = self.steps[k - 2].sum if k > 1 else ReluSum()
        joining = get_join(before, step.sum, len(before.terms))
        t = ValueTracker(0.0)
        band = get_highlight(self.axes, step.interval)
        readouts = self.get_readouts(step)
        if k == 1:
            self.sum_graph = get_relu_graph(self.axes, before, color=self.theme.approx)
            self.add(self.sum_graph)
        self.sum_graph.add_updater(
            lambda m: m.become(get_relu_graph(self.axes, joining(t.get_value()), color=self.theme.approx)))
        for graph, term in zip(term_graphs, lone):
            graph.add_updater(lambda m, term=term: m.become(get_relu_graph(
                self.axes, ReluSum((ReluTerm(term.a, term.b, (1 - t.get_value()) * term.c),)),
                color=self.theme.term, stroke_width=4)))
        live = [self.sum_graph, *term_graphs]
        if k > 1:  # the old loss stays as a faint trace; the live one follows the sum down
            self.add_above(self.loss.copy().set_stroke(color=self.theme.muted, width=2, opacity=0.6), self.loss_axes)
            self.loss.add_updater(lambda m: m.become(get_loss_curve(self.loss_axes, self.f, joining(t.get_value()))))
            live.append(self.loss)
        after_join = TIMING.transform + TIMING.pause + (3 * TIMING.pause if self.square and k == 2 else 0)
        join_time = max(TIMING.transform, self.speech_remaining() - after_join)
        parts = [ReplacementTransform(self.formula[0], formula[0]),
                 ReplacementTransform(VGroup(*(g for part in self.formula[1:] for g in part)), formula[1]),
                 ReplacementTransform(new_part, formula[2])] if k > 1 else [
                 Write(formula[0]), ReplacementTransform(new_part, formula[1])]
        if k == 1:
            self.add_above(band, self.axes)  # under the curves; the axes stay in the still background
            band.set_opacity(0)
            widen = band.animate.set_fill(opacity=0.13)
        else:
            widen = Transform(self.band, band)
        self.play(t.animate(rate_func=linear).set_value(1.0), *parts, widen, FadeOut(backing), run_time=join_time)
        for m in live:
            m.clear_updaters()
        self.remove(*term_graphs)
        self.sum_graph.become(get_relu_graph(self.axes, step.sum, color=self.theme.approx))
        if k == 1:
            self.band = band
            self.loss = get_loss_curve(self.loss_axes, self.f, step.sum)
            self.play(Create(self.loss), FadeIn(readouts), run_time=TIMING.transform)
        else:
            self.loss.become(get_loss_curve(self.loss_axes, self.f, step.sum))
            self.play(FadeIn(readouts), run_time=TIMING.transform)
        self.formula, self.readouts = formula, readouts
        self.bring_to_front(self.target_graph, self.sum_graph)
        if self.square and k == 2:
            self.note_typo()
        self.wait(TIMING.pause)

    def widen_fit(self, step: Step) -> None:
        """A step that adds no term (the target is straight there): h_k = h_(k-1), good further out."""
        formula = get_sum_formula(self.steps, step.k)
        formula.to_edge(UP, buff=0.5)
        formula[0].set_color(self.theme.approx)
        readouts = self.get_readouts(step)
        self.play(ReplacementTransform(self.formula[0], formula[0]),
                  ReplacementTransform(VGroup(*self.formula[1:]), formula[1]),
                  Transform(self.band, get_highlight(self.axes, step.interval)),
                  ReplacementTransform(self.readouts, readouts), run_time=TIMING.transform)
        self.formula, self.readouts = formula, readouts
        self.wait(TIMING.pause)

    def note_typo(self) -> None:
        """A footnote: the seed's prose has g(-2x + 2); its R code (and this video) g(-2x - 2)."""
        note = VGroup(get_tex(r"The seed's text writes $g(-2x + 2)$, a typo:", color=self.theme.muted,
                              font_size=FONT_SIZE.small),
                      get_tex(r"its R code has $g(-2x - 2)$, as here.", color=self.theme.muted,
                              font_size=FONT_SIZE.small)).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.next_to(self.readouts, DOWN, buff=0.35).align_to(self.readouts, LEFT)
        self.play(FadeIn(note))
        self.wait(TIMING.pause)
        self.play(FadeOut(note))

    def losses_caption(self) -> Narration:
        """The words of the loss comparison: the max error on x_range of each h_k, as the readouts show it.

        'Every new pair lowers the loss' only when every step does lower it.
        """
        lo, hi = self.params.x_range
        f, steps = parse_function(self.params.target), get_steps(self.params)
        errors = [number(max_error(f, s.sum, lo, hi, knots=s.sum.breakpoints())) for s in steps]
        words = {"where": between(lo, hi), "errors": Narration(" to ".join(e.shown for e in errors),
                                                               " to ".join(e.voice for e in errors))}
        values = [float(e.shown) for e in errors]
        if not any(values):
            return fill("The largest error {where} is 0 at every step: this curve is itself a sum of ReLUs.",
                        **words)
        if len(errors) == 1:
            return fill("The loss panel shows where {h} misses: its largest error {where} is {errors}.",
                        h=Narration("h₁", "h one"), **words)
        step = "new pair of ReLUs" if is_square(self.params.target) else "step"
        if all(b < a for a, b in zip(values, values[1:])):
            return fill(f"Every {step} lowers the loss: the largest error {{where}} falls from {{errors}}.", **words)
        return fill("Each step fits the curve further out; the largest error {where} goes from {errors}.", **words)

    def knots_caption(self) -> Narration:
        """The words on the last h_n: where it equals the target, and its largest error in between."""
        lo, hi = self.params.x_range
        f, last = parse_function(self.params.target), get_steps(self.params)[-1]
        i_lo, i_hi = max(last.interval[0], lo), min(last.interval[1], hi)  # as get_readouts clips it
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
        self.play(Indicate(self.readouts[0], color=self.theme.error, scale_factor=1.1),
                  Indicate(self.loss, color=self.theme.error, scale_factor=1.05), run_time=TIMING.transform)
        self.wait(TIMING.pause)

    def point_out_knots(self) -> None:
        last = self.steps[-1]
        self.say(*self.knots_caption())
        dots = get_knot_dots(self.axes, last.sum, last.interval)
        self.play(FadeIn(dots, scale=2, lag_ratio=0.1), run_time=TIMING.create)
        self.wait(TIMING.long_pause)

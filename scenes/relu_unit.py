"""ReluUnit: the ReLU g(x) = max(x, 0), then g(ax + b), an affine map followed by the activation.

Seed 001 (Sycorax's comment): "Neural networks are parameterized by affine transformations ax + b,
so if we combine these operations together we get g(ax + b)". On screen, a and b change; the
kink slides to x = -b/a and a negative a flips the side that is switched on.

>>> ReluUnit.params.a_values[0], ReluUnit.params.b_values[0]
(1.0, 0.0)
>>> ReluUnitParams(a_values=(1, 2), b_values=(0,))
Traceback (most recent call last):
...
ValueError: a_values and b_values must have the same length (one (a, b) pair per stop), got 2 and 1
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, Dot, FadeIn, FadeOut,
                   Indicate, ValueTracker, VGroup, VMobject, Write, smooth, squish_rate_func)

from relu_core import ReluSum, ReluTerm

from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import (fit_axes, get_axes, get_formula, get_label, get_relu_graph, nice_range,
                             redraw_when_changed)
from scenes.readout import Readout
from scenes.speech import LETTER_A, Narration, fill, number
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["ReluUnit", "ReluUnitParams", "unit_sum", "unit_y_range", "get_unit_graph", "get_kink_dot",
           "get_term_formula", "stop_caption"]

AXES_BOX = (-6.3, 0.1, -3.45, 3.45)
"""Where the axes and their tick labels go (left, right, bottom, top): inside the safe area, left of the panel."""
PANEL_LEFT = 0.8
"""The left edge of the formulas and readouts on the right."""
KINK_RANGE = 99.0
"""Kinks further out than this are shown as 'off screen' rather than as a huge number."""


@dataclass(frozen=True)
class ReluUnitParams:
    """Knobs of ReluUnit; the defaults visit g(x), g(2x), then the seeds' g(2x - 2) and g(-2x - 2)."""

    a_values: tuple[float, ...] = knob((1.0, 2.0, 2.0, -2.0), "the slope a at each stop of g(ax + b), "
                                       "not 0; the first stop is shown as the plain g(ax + b) set-up",
                                       items=(1, 8))
    b_values: tuple[float, ...] = knob((0.0, 0.0, -2.0, -2.0), "the offset b at each stop, one per value "
                                       "of a_values")
    x_range: tuple[float, float] = tweak("x_range", (-3.0, 3.0), max_width=40)

    def __post_init__(self) -> None:
        check_knobs(self)
        a, b = self.a_values, self.b_values
        if len(a) != len(b):
            raise ValueError("a_values and b_values must have the same length (one (a, b) pair per "
                             f"stop), got {len(a)} and {len(b)}")
        if any(v == 0 for v in a):
            raise ValueError("a must not be 0 at a stop: g(0·x + b) is a constant with no kink")


def unit_sum(a: float, b: float) -> ReluSum:
    """The one-term sum g(ax + b), what the scene draws for the current a and b.

    >>> unit_sum(2, -2).vertices(0, 3).tolist()
    [[0.0, 0.0], [1.0, 0.0], [3.0, 4.0]]
    """
    return ReluSum((ReluTerm(a, b),))


def unit_y_range(params: ReluUnitParams) -> list[float]:
    """The y axis [lo, hi, step]: from one step below 0 up to the highest g(ax + b) of any stop on x_range,
    so the line never runs past the axes (between stops a and b move linearly: no higher).

    >>> unit_y_range(ReluUnitParams()), unit_y_range(ReluUnitParams(x_range=(-20.0, 20.0)))
    ([-1, 6, 1], [-10, 40, 10])
    """
    ends = np.array(params.x_range)
    top = max(float(np.max(unit_sum(a, b)(ends))) for a, b in zip(params.a_values, params.b_values))
    _, hi, step = nice_range(0.0, max(top, 1.0), ticks=6)
    return [-step, hi, step]


def get_unit_graph(axes: Axes, a: float, b: float, color: str | None = None) -> VMobject:
    """The exact graph of g(ax + b) on the axes: a polyline through its kink."""
    return get_relu_graph(axes, unit_sum(a, b), color=color or theme().approx)


def get_kink_dot(axes: Axes, a: float, b: float) -> Dot:
    """A dot at the kink (-b/a, 0); invisible when the kink is off the axes (or a = 0)."""
    kink = ReluTerm(a, b).kink
    lo, hi = axes.x_range[:2]
    inside = kink is not None and lo <= kink <= hi
    dot = Dot(axes.c2p(kink if inside else lo, 0), radius=0.09, color=theme().kink)
    return dot.set_opacity(1.0 if inside else 0.0)


def get_term_formula(a: float, b: float) -> VGroup:
    """'= g(2x - 2)': the current term in the seeds' notation, from ReluTerm.latex()."""
    formula = get_formula("= " + ReluTerm(a, b).latex(), color=theme().approx, font_size=FONT_SIZE.title)
    return formula


def stop_caption(previous: tuple[float, float], current: tuple[float, float]) -> Narration:
    """The words for moving from one (a, b) to the next: what the viewer sees change.

    >>> stop_caption((2, 0), (2, -2)).shown
    'Change b to -2: the kink slides right, to x = -b/a = 1.'
    >>> stop_caption((2, 0), (2, -2)).spoken
    'Change b to minus two: the kink slides right, to x equals one.'
    >>> stop_caption((2, -2), (-2, -2)).shown
    'Make a negative: the ReLU flips, and is now on to the left of its kink, at x = -1.'
    """
    (a0, b0), (a1, b1) = previous, current
    term, before = ReluTerm(a1, b1), ReluTerm(a0, b0)
    words = {"a": number(a1), "b": number(b1), "x": number(term.kink), "A": LETTER_A,
             "rule": Narration("x = -b/a = ", "x equals "), "at": Narration("x = ", "x equals ")}
    if np.sign(a0) != np.sign(a1):
        lead = "Make {A} negative: the ReLU flips" if a1 < 0 else "Make {A} positive again: the ReLU flips back"
        side = "left" if a1 < 0 else "right"
        return fill(f"{lead}, and is now on to the {side} of its kink, at {{at}}{{x}}.", **words)
    if a0 != a1 and b0 == b1:
        steep = "steeper" if abs(a1) > abs(a0) else "flatter"
        moved = ", and the kink moves to {at}{x}" if before.kink != term.kink else ""
        return fill(f"Change {{A}} to {{a}}: the side that is on gets {steep}, slope {{a}}{moved}.", **words)
    if b0 != b1 and a0 == a1:
        way = "right" if term.kink > before.kink else "left"
        return fill(f"Change b to {{b}}: the kink slides {way}, to {{rule}}{{x}}.", **words)
    if a0 == a1 and b0 == b1:
        return fill("The same ReLU again: slope {a}, kink at {at}{x}.", **words)
    return fill("Change {A} and b: slope {a}, and the kink at {rule}{x}.", **words)


class ReluUnit(ExplainerScene):
    """g(x) = max(x, 0) as two straight lines meeting at a kink, then g(ax + b) with live a and b."""

    params = ReluUnitParams()
    description = "The ReLU g(x) = max(x, 0), then g(ax + b): a turns the slope, the kink sits at -b/a"
    title = "What a ReLU is"

    def construct(self) -> None:
        self.show_relu()
        self.point_out_kink()
        self.introduce_affine_map()
        stops = list(zip(self.params.a_values, self.params.b_values))
        for previous, current in zip(stops, stops[1:]):
            self.move_to_stop(previous, current)
        self.sum_up()

    # -- building pieces ------------------------------------------------------------------------
    def get_axes(self) -> Axes:
        """Axes over x_range, tall enough for every stop's line (unit_y_range), on the left of the frame."""
        lo, hi = self.params.x_range
        step = max(1, int(np.ceil((hi - lo) / 8)))
        y_range = unit_y_range(self.params)
        return fit_axes(lambda w, h: get_axes([lo, hi, step], y_range, width=w, height=h), AXES_BOX)

    def get_readout(self, name: str, tracker: ValueTracker) -> VGroup:
        """'a = 2.00' with a live number."""
        label = get_formula(f"{name} =")
        number = Readout(tracker.get_value(), decimals=2, color=self.theme.term, font_size=FONT_SIZE.formula)
        number.add_updater(lambda m: m.set_value(tracker.get_value()))
        number.value_source = lambda: tracker.get_value()  # a lambda: copies of the Readout keep the tracker
        return VGroup(label, number).arrange(RIGHT, buff=0.2)

    def get_kink_readout(self) -> VGroup:
        """'kink at x = -b/a = 1.00', the number from ReluTerm.kink; 'off screen' when it is not in view."""
        label = get_formula(r"\text{kink at } x = -b/a =", color=self.theme.kink)
        number = Readout(0, decimals=2, color=self.theme.kink, font_size=FONT_SIZE.formula)
        number.value_source = lambda: ReluTerm(self.a.get_value(), self.b.get_value()).kink
        away = get_label("off screen", color=self.theme.muted, font_size=FONT_SIZE.label)
        group = VGroup(label, number).arrange(RIGHT, buff=0.2)
        away.next_to(label, RIGHT, buff=0.2)
        lo, hi = self.params.x_range

        def update(_: VMobject) -> None:
            kink = ReluTerm(self.a.get_value(), self.b.get_value()).kink
            inside = kink is not None and lo <= kink <= hi
            if kink is not None and abs(kink) < KINK_RANGE:
                number.set_value(kink)
            number.set_opacity(1.0 if inside else 0.0)
            away.set_opacity(0.0 if inside else 1.0)

        group.add(away)
        group.add_updater(update)
        update(group)
        return group

    def source_formula(self, formula: VMobject) -> VMobject:
        """Tag '= g(ax + b)' with the term it must name now (the craft check compares its LaTeX)."""
        formula.value_source = lambda: "= " + ReluTerm(self.a.get_value(), self.b.get_value()).latex()
        return formula

    # -- beats ----------------------------------------------------------------------------------
    def show_relu(self) -> None:
        self.say(*Narration(
            "The question: a sin neuron makes curved terms. How can a ReLU, two straight lines, do the same? "
            "The ReLU, g(x) = max(x, 0): 0 on the left, x itself on the right.",
            "The question: a sine neuron makes curved terms. How can a ReLU, two straight lines, do the same? "
            "The ReLU, g, takes the larger of x and zero: zero on the left, x itself on the right."))
        self.axes = self.get_axes()
        self.relu_graph = get_unit_graph(self.axes, 1.0, 0.0)
        self.definition = get_formula(r"g(x) = \max(x,\, 0)", font_size=FONT_SIZE.title)
        self.definition.move_to([0, 2.9, 0]).align_to([PANEL_LEFT, 0, 0], LEFT)
        self.play(Create(self.axes), run_time=TIMING.create)
        self.play(Create(self.relu_graph), Write(self.definition), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def point_out_kink(self) -> None:
        self.say(*Narration("Two straight pieces, slope 0 and slope 1, meet at one corner: the kink, at x = 0.",
                            "Two straight pieces, slope zero and slope one, meet at one corner: the kink, at zero."))
        lo, hi = self.params.x_range
        flat = get_label("slope 0", color=self.theme.muted, font_size=FONT_SIZE.label)
        flat.next_to(self.axes.c2p(lo / 2, 0), UP, buff=0.25)
        rising = get_label("slope 1", color=self.theme.muted, font_size=FONT_SIZE.label)
        x_mid = min(hi, self.axes.y_range[1]) * 0.6
        rising.next_to(self.axes.c2p(x_mid, x_mid), RIGHT, buff=0.35)
        self.kink_dot = get_kink_dot(self.axes, 1.0, 0.0)
        self.play(FadeIn(self.kink_dot, scale=2), FadeIn(flat), FadeIn(rising))
        self.play(Indicate(self.kink_dot, color=self.theme.kink, scale_factor=1.6))
        self.wait(TIMING.pause)
        self.play(FadeOut(flat), FadeOut(rising))

    def introduce_affine_map(self) -> None:
        self.say(*Narration(
            "In a network, each unit first scales and shifts its input, then applies the ReLU: g(ax + b).",
            "In a network, each unit first scales and shifts its input, then applies the ReLU: g of eh x plus b."))
        self.a, self.b = ValueTracker(self.params.a_values[0]), ValueTracker(self.params.b_values[0])
        a0, b0 = self.a.get_value(), self.b.get_value()
        general = get_formula("g(ax + b)", font_size=FONT_SIZE.title)
        self.term_formula = self.source_formula(get_term_formula(a0, b0))
        head = VGroup(general, self.term_formula).arrange(RIGHT, buff=0.25)
        readouts = VGroup(self.get_readout("a", self.a), self.get_readout("b", self.b))
        readouts.arrange(RIGHT, buff=0.8)
        self.kink_readout = self.get_kink_readout()
        panel = VGroup(head, readouts, self.kink_readout).arrange(DOWN, buff=0.55, aligned_edge=LEFT)
        panel.next_to(self.definition, DOWN, buff=0.7).align_to(self.definition, LEFT)
        self.panel, self.readouts = panel, readouts
        ghost = self.relu_graph.copy().set_stroke(color=self.theme.muted, width=3, opacity=0.5)
        a_and_b = lambda: (self.a.get_value(), self.b.get_value())  # noqa: E731
        live = redraw_when_changed(lambda: get_unit_graph(self.axes, *a_and_b()), a_and_b)
        dot = redraw_when_changed(lambda: get_kink_dot(self.axes, *a_and_b()), a_and_b)
        self.add(ghost)
        self.remove(self.relu_graph, self.kink_dot)
        self.add(live, dot)
        self.live_graph, self.ghost = live, ghost
        self.play(Write(head), FadeIn(readouts, shift=0.2 * UP), FadeIn(self.kink_readout, shift=0.2 * UP),
                  run_time=TIMING.create)
        self.wait(TIMING.pause)

    def move_to_stop(self, previous: tuple[float, float], current: tuple[float, float]) -> None:
        self.say(*stop_caption(previous, current))
        # the formula names one (a, b): it leaves before they move and the new one comes when they arrive
        formula = self.source_formula(get_term_formula(*current).move_to(self.term_formula, aligned_edge=LEFT))
        self.play(self.a.animate.set_value(current[0]), self.b.animate.set_value(current[1]),
                  FadeOut(self.term_formula, rate_func=squish_rate_func(smooth, 0.0, 0.12)),
                  run_time=2 * TIMING.transform)
        self.play(FadeIn(formula), run_time=TIMING.transform / 2)
        self.term_formula = formula
        self.wait(TIMING.pause)

    def sum_up(self) -> None:
        self.say(*Narration(
            "So each ReLU is a hinge: a sets its slope and which side is on; b moves the bend to x = -b/a. "
            "Add hinges, and a line can bend anywhere.",
            "So each ReLU is a hinge: eh sets its slope and which side is on; b moves the bend along x. "
            "Add hinges, and a line can bend anywhere."))
        box = VGroup(get_formula(r"a:\ \text{slope and side}"), get_formula(r"-b/a:\ \text{where it bends}"))
        box.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        box.next_to(self.panel, DOWN, buff=0.7).align_to(self.panel, LEFT)
        self.play(FadeIn(box, shift=0.2 * UP))
        self.wait(TIMING.long_pause)

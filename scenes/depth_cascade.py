"""DepthCascade: a cascade of ReLUs. Tents fed into tents double the pieces; Yarotsky's x² from them.

Seed 001's edit asks how a *cascade* of ReLUs builds non-linear terms. Two ReLUs make the tent T on
[0, 1]; composing it k times gives a sawtooth with 2^k pieces from only 2k units (Telgarsky 2016).
Subtracting the sawtooths T^s/4^s from x leaves x² up to 4^-(m+1) (Yarotsky 2017), and a table
compares the units that one hidden layer and a deep net need for the same error.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Circle, Create, FadeIn, FadeOut, Rectangle,
                   ValueTracker, VGroup, Write, smooth)

from relu_core import ReluSum
from relu_core.depth import (TENT, DeepReluNet, composition_latex, deep_square, deep_square_error_bound,
                             deep_square_latex, sawtooth, sawtooth_latex, shallow_square,
                             shallow_square_error_bound)

from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob
from scenes.mobjects import fit_axes, get_axes, get_curve, get_formula, get_kink_dots, get_label, get_relu_graph
from scenes.speech import SQUARE, Narration, fill, one_in, spoken_integer
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["DepthCascade", "DepthCascadeParams", "Blend", "get_blend_dots", "get_unit_axes", "get_fitted_unit_axes", "get_tent_formula",
           "get_layer_stack", "get_depth_counter", "get_error_label", "get_units_table",
           "units_rows", "get_deep_formula", "stack_caption", "subtract_caption", "compare_caption",
           "get_composition", "get_tooth_inset", "TOOTH_BOX"]

UNIT = (0.0, 1.0)
"""Everything in this scene lives on [0, 1], where the tent map and Yarotsky's net are defined."""
AXES_BOX = (-6.3, 0.35, -2.9, 2.1)
"""Where the unit axes go, tick labels included: (left, right, bottom, top), inside the title-safe area."""
TOOTH_BOX = (1.3, 6.2, -2.9, -0.75)
"""Where the inset with the sawtooth being subtracted goes, on its own scale: (left, right, bottom, top)."""


class Blend:
    """(1 - t)·before + t·after for two of relu_core's nets: a ReLU net's output at every t (the two nets
    side by side, their read-outs weighted), so a morph from T^(k-1) to T^k shows only true shapes.

    Its corners lie among both nets' exact corners (relu_core's `vertices`), so the polyline
    through them is its exact graph.

    >>> b = Blend(sawtooth(1), sawtooth(2), 0.5)
    >>> b(np.array([0.25, 0.5])).tolist(), b.vertices(0, 1)[:, 0].tolist()
    ([0.75, 0.5], [0.0, 0.25, 0.5, 0.75, 1.0])
    """

    def __init__(self, before, after, t: float) -> None:
        self.before, self.after, self.t = before, after, float(t)

    def __call__(self, x):
        return (1 - self.t) * self.before(x) + self.t * self.after(x)

    def vertices(self, lo: float, hi: float) -> np.ndarray:
        xs = np.union1d(self.before.vertices(lo, hi)[1:-1, 0], self.after.vertices(lo, hi)[1:-1, 0])
        xs = np.concatenate([[lo], xs, [hi]])
        return np.column_stack([xs, self(xs)])


def get_blend_dots(axes, blend: Blend, radius: float = 0.05) -> VGroup:
    """Kink dots of a Blend: the old net's kinks ride on the curve at full opacity, the new kinks
    fade in where they are (opacity t); every dot sits on the blend's graph."""
    dots = get_kink_dots(axes, blend, x_range=UNIT, radius=radius)
    old = blend.before.vertices(*UNIT)[1:-1, 0]
    for dot in dots:
        x = axes.p2c(dot.get_center())[0]
        if not np.any(np.isclose(old, x, atol=1e-9)):
            dot.set_opacity(blend.t)
    return dots


@dataclass(frozen=True)
class DepthCascadeParams:
    """The knobs of DepthCascade; the defaults reproduce the explainer."""

    depth: int = knob(4, "how many tent layers to stack (k = 1..depth): T^k has 2^k pieces from 2k units",
                      min=1, max=6, why="a sawtooth of depth 7 has more teeth than pixels")
    corrections: int = knob(3, "how many sawtooth corrections Yarotsky's x² gets (m): its max error is "
                               "4^-(m+1)", min=1, max=6, why="past 6 the error is far below one pixel")
    compare_up_to: int = knob(6, "the comparison table has one row per accuracy 4^-(m+1), "
                                 "m = 1..compare_up_to", min=1, max=8, why="the table has room for 8 rows")

    def __post_init__(self) -> None:
        check_knobs(self)


def get_unit_axes(width: float = 6.4, height: float = 4.4):
    """Axes for [0, 1] × [0, 1], ticks every quarter on x and every half on y."""
    return get_axes([0, 1, 0.25], [0, 1, 0.5], width=width, height=height)


def get_fitted_unit_axes():
    """The unit axes fitted with their tick labels inside AXES_BOX."""
    return fit_axes(lambda w, h: get_unit_axes(w, h), AXES_BOX)


def get_tent_formula():
    """'T(x) = 2g(x) - 4g(x - 0.5)', the tent as two ReLUs, written by relu_core."""
    return get_formula("T(x) = " + TENT.latex())


def get_layer_stack(k: int, unit_radius: float = 0.22):
    """The net as a cascade, drawn bottom-up: input x, k layers of two ReLU units, output T^k(x).

    Each layer is a rounded box with two unit circles; arrows carry one layer's output into the next.
    """
    t = theme()
    x_in = get_formula("x", font_size=FONT_SIZE.formula)
    layers = VGroup()
    for _ in range(k):
        units = VGroup(*(Circle(radius=unit_radius, color=t.approx, stroke_width=3) for _ in range(2)))
        units.arrange(RIGHT, buff=0.25)
        box = Rectangle(width=units.width + 0.35, height=units.height + 0.25, color=t.muted,
                        stroke_width=2)
        box.move_to(units)
        layers.add(VGroup(box, units))
    layers.arrange(UP, buff=0.4)
    x_in.next_to(layers, DOWN, buff=0.3)
    out = get_formula("T(x)" if k == 1 else sawtooth_latex(k), font_size=FONT_SIZE.formula)
    out.next_to(layers, UP, buff=0.3)
    chain = [x_in, *layers, out]
    arrows = VGroup(*(Arrow(a.get_top(), b.get_bottom(), buff=0.05, color=t.muted, stroke_width=3,
                            max_tip_length_to_length_ratio=0.45, tip_length=0.12)
                      for a, b in zip(chain[:-1], chain[1:])))
    return VGroup(x_in, layers, out, arrows)


def get_composition(k: int):
    """'T^k(x) = T(T(...(x)))': what the stacked layers compute, written by relu_core."""
    return get_formula(composition_latex(k))


def get_depth_counter(net: DeepReluNet, k: int):
    """Four lines, 'depth k', 'ReLU units 2k', 'pieces 2^k', 'kinks 2^k - 1', each number read off the net
    (the kinks are the white dots on the curve)."""
    t = theme()
    rows = VGroup(
        get_label(f"depth  {net.depth}", font_size=FONT_SIZE.body),
        get_label(f"ReLU units  {net.units}", color=t.approx, font_size=FONT_SIZE.body),
        get_label(f"pieces  {net.pieces(*UNIT)}", color=t.term, font_size=FONT_SIZE.body),
        get_label(f"kinks  {len(net.breakpoints(*UNIT))}", color=t.kink, font_size=FONT_SIZE.body),
    )
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)


def get_deep_formula(m: int):
    """'f_m(x) = x - ...': the deep construction after m steps, written by relu_core (f_0 is x itself)."""
    return get_formula(f"f_{m}(x) = " + (deep_square_latex(m) if m else "x"))


def get_tooth_inset(m: int, box: tuple[float, float, float, float] = TOOTH_BOX) -> VGroup:
    """The m-th correction T^m(x)/4^m alone, on axes of its own height 4^-m so its 2^m teeth show:
    VGroup(axes, tooth, its formula above, the '1/4^m' label of its top). The tooth is relu_core's
    sawtooth scaled, drawn exactly (and tagged for the craft check)."""
    t = theme()
    scale = 4.0 ** -m
    left, right, bottom, top = box
    title = get_formula(rf"\text{{subtract }} \frac{{{sawtooth_latex(m)}}}{{4^{{{m}}}}}", color=t.term,
                        font_size=FONT_SIZE.formula)
    title.move_to([(left + right) / 2, top, 0], aligned_edge=UP)
    axes = get_axes([0, 1, 0.25], [0, scale, scale], width=right - left - 0.9,
                    height=top - bottom - title.height - 0.3, numbers=False)
    axes.move_to([right, bottom, 0], aligned_edge=DOWN + RIGHT)
    tooth = get_relu_graph(axes, Blend(ReluSum(), sawtooth(m), scale), color=t.term, x_range=UNIT,
                           stroke_width=3)
    height = get_formula(rf"4^{{-{m}}}", color=t.muted, font_size=FONT_SIZE.small)
    height.next_to(axes.c2p(0, scale), LEFT, buff=0.15)
    return VGroup(axes, tooth, title, height)


def get_error_label(m: int):
    """'max error 4^-(m+1) = 0.0039', the bound from relu_core."""
    bound = deep_square_error_bound(m)
    return get_formula(rf"\text{{max error}} = 4^{{-{m + 1}}} \approx {bound:.2g}",
                       color=theme().error, font_size=FONT_SIZE.formula)


def units_rows(up_to: int) -> list[tuple[float, int, float, int]]:
    """Rows (error, shallow units, deep error, deep units) for m = 1..up_to, from relu_core.

    One hidden layer reaches 4^-(m+1) with N = 2^m uniform pieces (N - 1 units); the deep net
    with m layers (its `units`).

    >>> [(round(1 / e), s, d) for e, s, _, d in units_rows(3)]
    [(16, 1, 2), (64, 3, 5), (256, 7, 8)]
    """
    rows = []
    for m in range(1, up_to + 1):
        pieces = 2 ** m
        rows.append((shallow_square_error_bound(pieces), len(shallow_square(pieces).terms),
                     deep_square_error_bound(m), deep_square(m).units))
    return rows


def get_units_table(up_to: int, bar_width: float = 5.0):
    """A table of ReLU units for the same max error: one hidden layer (bars) against a deep net.

    Each row: the error as '1/16', then two bars with their unit counts; bar lengths share one scale.
    """
    t = theme()
    rows_data = units_rows(up_to)
    most = max(max(s, d) for _, s, _, d in rows_data)
    header = VGroup(get_label("max error", font_size=FONT_SIZE.label),
                    get_label("one hidden layer", color=t.approx, font_size=FONT_SIZE.label),
                    get_label("deep (tents)", color=t.highlight, font_size=FONT_SIZE.label))
    rows = VGroup()
    bar_height = 0.24
    for error, shallow_units, _, deep_units in rows_data:
        error_text = get_label(f"1/{round(1 / error)}", font_size=FONT_SIZE.label)
        cells = VGroup(error_text)
        for units, color in ((shallow_units, t.approx), (deep_units, t.highlight)):
            length = max(bar_width * units / most, 0.04)
            bar = Rectangle(width=length, height=bar_height, stroke_width=0, fill_color=color,
                            fill_opacity=0.9)
            count = get_label(str(units), color=color, font_size=FONT_SIZE.small)
            count.next_to(bar, RIGHT, buff=0.12)
            cells.add(VGroup(bar, count))
        rows.add(cells)
    # Columns: error text right-aligned at x=0, bars start at fixed x positions.
    row_gap = 0.8
    for i, cells in enumerate(rows):
        y = -i * row_gap
        cells[0].move_to([0, y, 0], aligned_edge=RIGHT)
        cells[1].move_to([0.5, y + 0.15, 0], aligned_edge=LEFT)
        cells[2].move_to([0.5, y - 0.15, 0], aligned_edge=LEFT)
    header[0].move_to([0, 0.9, 0], aligned_edge=RIGHT)
    header[1].move_to([0.5, 1.1, 0], aligned_edge=LEFT)
    header[2].move_to([0.5, 0.7, 0], aligned_edge=LEFT)
    return VGroup(header, rows)


def _count(n: int, noun: str = "") -> Narration:
    """'16 pieces' / 'sixteen pieces'; '1 unit' without the plural s."""
    noun = "" if not noun else " " + (noun if n == 1 else noun + "s")
    return Narration(f"{n}{noun}", f"{spoken_integer(n)}{noun}")


def stack_caption(depth: int) -> Narration:
    """The words of the stacked tents: layers, units and pieces of T^depth, against one wide layer.

    >>> print(stack_caption(4).shown)
    Feed the tent its own output: every layer doubles the pieces. With 4 layers: 8 units, 16 pieces, 15 kinks; one wide layer would need 15 units.
    """
    net = sawtooth(depth)
    pieces, kinks = net.pieces(*UNIT), len(net.breakpoints(*UNIT))
    words = {"depth": _count(net.depth, "layer"), "units": _count(net.units, "unit"),
             "pieces": _count(pieces, "piece"), "kinks": _count(kinks, "kink"),
             "wide": _count(kinks, "unit")}  # one hidden layer makes a kink with each of its units
    if net.depth == 1:
        return Narration("Feed the tent its own output, and every layer would double the pieces.")
    return fill("Feed the tent its own output: every layer doubles the pieces. "
                "With {depth}: {units}, {pieces}, {kinks}; one wide layer would need {wide}.", **words)


def subtract_caption(corrections: int) -> Narration:
    """The words of Yarotsky's x²: how many sawtooths, and relu_core's bound on the error.

    >>> subtract_caption(3)
    Narration(shown='Subtract smaller and smaller sawtooths from x, and x² appears: with 3 sawtooths, the error is at most 1/256.', spoken='Subtract smaller and smaller sawtooths from x, and x squared appears: with three sawtooths, the error is at most one part in two hundred fifty-six.')
    """
    parts = round(1 / deep_square_error_bound(corrections))
    return fill("Subtract smaller and smaller sawtooths from x, and {sq} appears: with {m}, "
                "the error is at most {bound}.", sq=SQUARE,
                m=_count(corrections, "sawtooth"), bound=one_in(parts))


def compare_caption(up_to: int) -> Narration:
    """The words of the units table: who needs fewer units at the smallest error, and how each grows.

    >>> print(compare_caption(6).shown)
    Same error, fewer units: at 1/16384, one wide layer needs 63 units, the deep net only 17. Each row about doubles the wide layer; the deep net adds only 3 units.
    >>> print(compare_caption(2).shown)
    At these errors one wide layer still needs fewer units, 3 units against 5. But each row about doubles the wide layer; the deep net adds only 3 units.
    """
    rows = units_rows(up_to)
    error, shallow, _, deep = rows[-1]
    steps = {b[3] - a[3] for a, b in zip(rows, rows[1:])}
    growth = "the deep net adds only {step}" if len(steps) == 1 else "the deep net grows far slower"
    words = {"error": Narration(f"1/{round(1 / error)}", "the smallest error"),
             "shallow": _count(shallow, "unit"), "deep": _count(deep),
             "step": _count(steps.pop() if len(steps) == 1 else 0, "unit")}
    if len(rows) == 1:
        return fill("For an error of {error}, one wide layer needs {shallow}, the deep net {deep}.", **words)
    if deep < shallow:
        return fill("Same error, fewer units: at {error}, one wide layer needs {shallow}, the deep net "
                    f"only {{deep}}. Each row about doubles the wide layer; {growth}.", **words)
    return fill("At these errors one wide layer still needs fewer units, {shallow} against {deep}. "
                f"But each row about doubles the wide layer; {growth}.", **words)


class DepthCascade(ExplainerScene):
    """Tent maps in a cascade: 2^k pieces from 2k units, then x² with error 4^-(m+1), then the cost."""

    params = DepthCascadeParams()
    description = "Depth: tents fed into tents double the pieces; x² from sawtooths (Telgarsky, Yarotsky)"
    title = "Depth: pieces multiply"

    def construct(self) -> None:
        self.show_tent()
        self.stack_tents()
        self.subtract_sawtooths()
        self.compare_units()

    # -- beats ------------------------------------------------------------------------------------
    def show_tent(self) -> None:
        self.say(*Narration("The question also asks about a cascade: ReLUs feeding ReLUs. "
                            "Two ReLUs make a tent: up to the middle, then back down."))
        self.axes = get_fitted_unit_axes()
        net = sawtooth(1)
        self.graph = get_relu_graph(self.axes, net, color=theme().approx, x_range=UNIT)
        self.dots = get_kink_dots(self.axes, net, x_range=UNIT)
        # the tent's formula top left, the composition T(T(...)) top right: one line, clear of the cascade
        self.tent_formula = get_tent_formula().to_edge(UP, buff=0.5).align_to([AXES_BOX[0], 0, 0], LEFT)
        self.composition = None
        self.stack = get_layer_stack(1).move_to([1.6, -0.2, 0])
        self.counter = get_depth_counter(net, 1).move_to([4.9, -0.2, 0])
        self.play(Create(self.axes), Write(self.tent_formula), run_time=TIMING.create)
        self.play(Create(self.graph), FadeIn(self.dots), run_time=TIMING.create)
        self.play(FadeIn(self.stack), FadeIn(self.counter), run_time=TIMING.transform)
        self.wait(TIMING.pause)

    def stack_tents(self) -> None:
        self.say(*stack_caption(self.params.depth))
        for k in range(2, self.params.depth + 1):
            self.add_layer(k)
        self.wait(TIMING.pause)

    def morph(self, graph, before, after, run_time: float, dots=None, radius: float = 0.05,
              also=()) -> None:
        """Redraw `graph` (and `dots`) each frame as Blend(before, after, t), t from 0 to 1: every frame
        an exact ReLU net's graph; at the end the graph of `after` itself."""
        t = ValueTracker(0.0)
        color = graph.get_stroke_color()
        graph.add_updater(lambda m: m.become(
            get_relu_graph(self.axes, Blend(before, after, t.get_value()), color=color, x_range=UNIT)))
        if dots is not None:
            dots.add_updater(lambda m: m.become(
                get_blend_dots(self.axes, Blend(before, after, t.get_value()), radius=radius)))
        self.play(t.animate.set_value(1.0), *also, run_time=run_time, rate_func=smooth)
        graph.clear_updaters()
        graph.become(get_relu_graph(self.axes, after, color=color, x_range=UNIT))
        if dots is not None:
            dots.clear_updaters()
            dots.become(get_kink_dots(self.axes, after, x_range=UNIT, radius=radius))

    def add_layer(self, k: int) -> None:
        net = sawtooth(k)
        stack = get_layer_stack(k).move_to(self.stack)
        if stack.height > 6.4:
            stack.scale_to_fit_height(6.4).move_to(self.stack)
        counter = get_depth_counter(net, k).move_to(self.counter, aligned_edge=LEFT)
        composition = get_composition(k).align_to(self.tent_formula, DOWN).align_to([-AXES_BOX[0], 0, 0], RIGHT)
        # T^(k-1)'s cascade, numbers and composition go, the cascade with one more layer comes in as the
        # curve folds into T^k, then T^k's numbers and T(T(...)) (text never fades over text, no number
        # is stale)
        gone = [self.stack, self.counter] + ([self.composition] if self.composition is not None else [])
        self.play(*(FadeOut(m) for m in gone), run_time=TIMING.transform / 4)
        self.morph(self.graph, sawtooth(k - 1), net, TIMING.transform, dots=self.dots,
                   radius=0.05 if k < 5 else 0.035, also=[FadeIn(stack)])
        self.play(FadeIn(counter), FadeIn(composition), run_time=TIMING.transform / 4)
        self.stack, self.counter, self.composition = stack, counter, composition
        self.wait(TIMING.pause / 2)

    def subtract_sawtooths(self) -> None:
        self.say(*subtract_caption(self.params.corrections))
        t = theme()
        self.play(*(FadeOut(m) for m in (self.stack, self.counter, self.dots, self.graph, self.tent_formula,
                                          self.composition) if m is not None), run_time=TIMING.transform / 2)
        target = get_curve(self.axes, np.square, color=t.target, x_range=UNIT)
        target_label = get_formula("x^2", color=t.target).move_to(self.axes.c2p(0.3, 0.75))
        line = ReluSum(slope=1.0)
        graph = get_relu_graph(self.axes, line, color=t.approx, x_range=UNIT)
        formula = get_deep_formula(0).move_to([3.75, 2.85, 0])
        self.play(Create(target), FadeIn(target_label), run_time=TIMING.create)
        self.play(Create(graph), Write(formula), run_time=TIMING.create)
        error = inset_shown = None
        for m in range(1, self.params.corrections + 1):
            net = deep_square(m)
            new_formula = get_deep_formula(m).move_to(formula)
            new_error = get_error_label(m).next_to(new_formula, DOWN, buff=0.35)
            layers = "layer" if net.depth == 1 else "layers"
            units = get_label(f"{net.units} ReLU units in {net.depth} {layers}",
                              font_size=FONT_SIZE.label).next_to(new_error, DOWN, buff=0.3)
            # f_(m-1)'s words go; the sawtooth T^m/4^m appears and is subtracted: f_(m-1) - t·T^m/4^m
            # falls onto f_m while the drawn sawtooth, (1 - t)·T^m/4^m, shrinks to nothing; then f_m's words
            old = [formula] + ([] if error is None else list(error))
            scale = 4.0 ** -m
            tooth = get_relu_graph(self.axes, Blend(ReluSum(), sawtooth(m), scale), color=t.term,
                                   x_range=UNIT, stroke_width=3)
            # the same sawtooth on a scale of its own, where its 2^m teeth show (4^-m is thin on x²'s axes)
            inset = get_tooth_inset(m)
            if inset_shown is not None:
                old.append(inset_shown)
            self.play(*(FadeOut(mob) for mob in old), run_time=TIMING.transform / 4)
            self.play(Create(tooth), FadeIn(inset[0]), FadeIn(inset[2:]), Create(inset[1]),
                      run_time=TIMING.transform / 2)
            inset_shown = inset
            shrink = ValueTracker(0.0)
            tooth.add_updater(lambda mob: mob.become(get_relu_graph(
                self.axes, Blend(ReluSum(), sawtooth(m), scale * (1 - shrink.get_value())), color=t.term,
                x_range=UNIT, stroke_width=3)))
            self.morph(graph, deep_square(m - 1) if m > 1 else line, net, TIMING.transform,
                       also=[shrink.animate.set_value(1.0)])
            tooth.clear_updaters()
            self.remove(tooth)
            self.play(FadeIn(new_formula), FadeIn(new_error), FadeIn(units), run_time=TIMING.transform / 4)
            formula, error = new_formula, (new_error, units)
            self.wait(TIMING.pause)
        self.wait(TIMING.pause)
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=TIMING.transform / 2)

    def compare_units(self) -> None:
        self.say(*compare_caption(self.params.compare_up_to))
        title = get_label("ReLU units needed for the same max error on [0, 1]",
                          font_size=FONT_SIZE.body).to_edge(UP, buff=0.5)
        table = get_units_table(self.params.compare_up_to)
        table.next_to(title, DOWN, buff=0.5)
        if table.height > 6.2:
            table.scale_to_fit_height(6.2).next_to(title, DOWN, buff=0.4)
        self.play(FadeIn(title), FadeIn(table[0]), run_time=TIMING.transform)
        for row in table[1]:
            self.play(FadeIn(row, shift=0.2 * RIGHT), run_time=0.5)
        self.wait(TIMING.long_pause)

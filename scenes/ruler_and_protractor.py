"""RulerAndProtractor: sums of lines stay a line (a ruler); a ReLU kink turns the slope (a protractor).

Seed 002 (Aksakal's answer): "having a protractor is not the same as having only a ruler". First the
question's algebra: lines add to a line, and in each of the net's four cases ŷ = U·x is linear. Then a
bent target built kink by kink: each ReLU term turns the slope at a place its weights choose.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arc, Create, DashedLine, Dot, FadeIn, FadeOut, Indicate, Line,
                   MathTex, Polygon, SurroundingRectangle, ValueTracker, VGroup, Write, linear, smooth)

from relu_core import ReluSum, ReluTerm, format_number
from relu_core.two_neuron import CASE_CONDITIONS, CASES, SEED_NET

from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import fit_axes, ReluSource, get_axes, get_formula, get_label, get_relu_graph, scene_coords, typeset
from scenes.speech import Narration, fill, number, spoken_integer
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["RulerAndProtractorParams", "RulerAndProtractor", "RULER_LINES", "QUOTES", "CRUX_POINTS",
           "bent_target", "partial_sums", "sum_parts", "get_case_table", "get_turn_label", "turn_caption",
           "get_ruler", "crux_line", "protractor_tex"]

MAX_KINKS = 5
AXES_BOX = (-6.25, 1.2, -3.45, 2.3)
"""Where the plot goes, tick labels included: (left, right, bottom, top) in frame units, inside the
title-safe area |x| <= 6.4, |y| <= 3.6, below the title and the formula."""
PANEL_LEFT, PANEL_RIGHT = 1.6, 6.0
PANEL_BOTTOM = -3.45
"""The right-hand panel (target label, turn labels, quotes) stays between these x and above this y."""

RULER_LINES = (ReluSum(slope=0.5, intercept=1.0), ReluSum(slope=-1.0, intercept=-0.5))
"""The two straight lines the ruler beat adds: their sum is one more straight line."""

QUOTES = (
    "\u201cits convexity is concentrated",
    "  in a small region\u201d",
    "\u201cyour weights \u2018locate\u2019 convexities\u201d",
    "\u201cit finds the appropriate knot points",
    "  and picks the right slopes\u201d",
)
"""Aksakal's words in seed 002 (answer and comment), shown on screen at the end."""

CRUX_POINTS = ((2.0, 1.0), (1.0, 2.0), (1.0, -2.0), (-2.0, -1.0))
"""Inputs x = (x1, x2) the four-case beat walks through: one in each case of the seed's net."""


@dataclass(frozen=True)
class RulerAndProtractorParams:
    """The knobs of RulerAndProtractor; the defaults make the explainer's clip."""

    kinks: tuple[float, ...] = knob((-1.5, 0.0, 1.5), "where the bent target turns: one ReLU term "
                                    "g(x - k) per kink, inside x_range", items=(1, MAX_KINKS))
    turns: tuple[float, ...] = knob((1.5, -2.5, 2.0), "how much the slope turns at each kink (the outer "
                                    "weight c of c·g(x - k)); one per kink, not 0")
    slope: float = knob(0.5, "the slope of the straight line the protractor starts from (left of every kink)")
    x_range: tuple[float, float] = tweak("x_range", (-3.0, 3.0))

    def __post_init__(self) -> None:
        check_knobs(self)
        kinks, turns, (lo, hi) = self.kinks, self.turns, self.x_range
        if len(turns) != len(kinks):
            raise ValueError(f"give one turn per kink: {len(kinks)} kinks but {len(turns)} turns")
        if not all(lo < k < hi for k in kinks):
            raise ValueError(f"every kink must lie inside x_range ({lo:g}, {hi:g}), got {kinks}")
        if len(set(kinks)) != len(kinks):
            raise ValueError(f"kinks must be different places, got {kinks}")
        if any(t == 0 for t in turns):
            raise ValueError(f"every turn must be a non-zero number (0 would not bend), got {turns}")


def partial_sums(params: RulerAndProtractorParams) -> list[ReluSum]:
    """The start line, then the sum after each new term c·g(x - k): len(kinks) + 1 functions."""
    sums = [ReluSum(slope=params.slope)]
    for k, c in zip(params.kinks, params.turns):
        sums.append(sums[-1].with_term(ReluTerm(1.0, -k, c)))
    return sums


def bent_target(params: RulerAndProtractorParams) -> ReluSum:
    """The bent target: the start line plus every term, one kink each."""
    return partial_sums(params)[-1]


def sum_parts(params: RulerAndProtractorParams) -> list[str] | None:
    """The partial sums' LaTeX cut into parts: the start line, then what each term adds, so that the
    first i + 1 parts joined are partial sum i (a formula then grows by fading in one part). None when
    a sum's text is not the one before it plus a tail (a start line of 0 vanishes from the text).

    >>> sum_parts(RulerAndProtractorParams())
    ['0.5x', ' + 1.5g(x + 1.5)', ' - 2.5g(x)', ' + 2g(x - 1.5)']
    >>> sum_parts(RulerAndProtractorParams(slope=0.0)) is None
    True
    """
    texts = [s.latex() for s in partial_sums(params)]
    parts = [texts[0]]
    for before, after in zip(texts, texts[1:]):
        if not after.startswith(before) or len(after) == len(before):
            return None
        parts.append(after[len(before):])
    return parts


def protractor_tex(turn: float) -> str:
    r"""The protractor's label at a kink: the change of slope there.

    >>> protractor_tex(-2.5)
    '\\Delta\\text{slope} = -2.5'
    """
    return rf"\Delta\text{{slope}} = {'+' if turn > 0 else '-'}{format_number(abs(turn))}"


def crux_line(point: tuple[float, float]) -> str:
    r"""Which case the seed's net is in at x, and its U there (relu_core): U switches as x moves.

    >>> crux_line((2.0, 1.0))
    'x = (2, 1):\\ \\text{case } 4,\\ U = (0.5,\\ 1.5)'
    """
    case = int(SEED_NET.case([point])[0])
    (u1, u2), _ = SEED_NET.linear_map(case)
    x1, x2 = (format_number(v) for v in point)
    return rf"x = ({x1}, {x2}):\ \text{{case }} {case},\ U = ({format_number(u1)},\ {format_number(u2)})"


def get_ruler(axes, line: ReluSum, length: float = 4.0, width: float = 0.42) -> VGroup:
    """A ruler laid with its edge on a straight line's graph: a translucent strip with ticks along the
    edge, centred on the part of the line inside the axes (frame units for length and width)."""
    t = theme()
    lo, hi = axes.x_range[:2]
    y_lo, y_hi = axes.y_range[:2]
    xs = np.linspace(lo, hi, 201)
    inside = xs[(line(xs) >= y_lo) & (line(xs) <= y_hi)]
    a, b = (axes.c2p(x, float(line(x))) for x in (inside[0], inside[-1]))
    along = (b - a) / np.linalg.norm(b - a)
    normal = np.array([along[1], -along[0], 0.0])  # the side below the line
    length = min(length, float(np.linalg.norm(b - a)))
    start = (a + b) / 2 - along * length / 2
    body = Polygon(start, start + along * length, start + along * length + normal * width,
                   start + normal * width, stroke_color=t.muted, stroke_width=2,
                   fill_color=t.muted, fill_opacity=0.25)
    ticks = VGroup()
    for k in range(int(length / 0.2) + 1):
        tick = 0.18 if k % 5 == 0 else 0.09
        p = start + along * 0.2 * k
        ticks.add(Line(p, p + normal * tick, stroke_color=t.text, stroke_width=1.5))
    return VGroup(body, ticks)


def turn_caption(params: RulerAndProtractorParams, i: int) -> Narration:
    """The words of kink i (from 0): where it is, how much the slope turns, and the slopes on either side.

    >>> print(turn_caption(RulerAndProtractorParams(), 1).shown)
    Kink 2: at x = 0, the slope turns down by 2.5, from 2 to -0.5.
    """
    kink, turn = params.kinks[i], params.turns[i]
    lo, hi = params.x_range
    reach = 1e-6 * (hi - lo)  # kinks are distinct, so only this one lies this close
    slopes = partial_sums(params)[i + 1].slopes(kink - reach, kink + reach)
    return fill(f"Kink {{n}}: at {{at}}{{x}}, the slope turns {'up' if turn > 0 else 'down'} by {{turn}}, "
                "from {left} to {right}.", n=Narration(str(i + 1), spoken_integer(i + 1)),
                at=Narration("x = ", "x equals "),
                x=number(kink), turn=number(abs(turn)), left=number(slopes[0]), right=number(slopes[-1]))


def _nice_y_range(sums: list[ReluSum], lo: float, hi: float) -> list[float]:
    """A y-range [lo, hi, step] holding every drawn vertex, with a little room."""
    ys = np.concatenate([s.vertices(lo, hi)[:, 1] for s in sums])
    y_lo, y_hi = float(ys.min()), float(ys.max())
    span = max(y_hi - y_lo, 1.0)
    step = float(10 ** np.floor(np.log10(span / 2)))
    if span / step > 8:
        step *= 2
    bounds = [np.floor((y_lo - 0.05 * span) / step) * step, np.ceil((y_hi + 0.05 * span) / step) * step, step]
    # whole numbers print as "2", not "2.0", on the axis
    return [_whole(b) for b in bounds]


def _whole(value: float) -> float | int:
    """An int when the value is whole, so an axis prints "2" rather than "2.0"."""
    return int(value) if float(value).is_integer() else float(value)


def _box(mobject) -> np.ndarray:
    """A mobject's bounding box as (left, bottom, right, top)."""
    return np.concatenate([mobject.get_corner(DOWN + LEFT)[:2], mobject.get_corner(UP + RIGHT)[:2]])


def _meets_any(box: np.ndarray, boxes: np.ndarray, gap: float = 0.04) -> bool:
    """Whether bounding box `box` comes within `gap` of any of `boxes` (rows as _box gives them).

    >>> boxes = np.array([[0.0, 0.0, 1.0, 1.0], [5.0, 5.0, 6.0, 6.0]])
    >>> _meets_any(np.array([1.02, 0.5, 2.0, 0.7]), boxes), _meets_any(np.array([2.0, 2.0, 3.0, 3.0]), boxes)
    (True, False)
    """
    if len(boxes) == 0:
        return False
    return bool(np.any(np.all(box[:2] - gap < boxes[:, 2:], axis=1) & np.all(boxes[:, :2] - gap < box[2:], axis=1)))


def get_case_table(font_size: int | None = None) -> VGroup:
    """The question's four cases: ŷ from `case_formula`, and when each holds (seed 002)."""
    t = theme()
    rows = VGroup()
    for case in CASES:
        number = get_formula(rf"{case}.", color=t.regions[case - 1], font_size=font_size)
        formula = get_formula(SEED_NET.case_formula(case), font_size=font_size)
        when = get_formula(rf"\text{{when }} {CASE_CONDITIONS[case]}", color=t.muted,
                           font_size=(font_size or FONT_SIZE.formula) - 6)
        rows.add(VGroup(number, formula, when))
    for row in rows:
        row[1].next_to(row[0], RIGHT, buff=0.25)
        row[2].next_to(row[1], DOWN, buff=0.12).align_to(row[1], LEFT)
    rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
    return rows


def get_turn_label(kink: float, turn: float, font_size: int | None = None) -> VGroup:
    """'at x = k the slope turns by c' with the relu_core term c·g(x - k) beside it."""
    t = theme()
    term = ReluTerm(1.0, -kink, turn)
    text = get_formula(rf"x = {format_number(kink)}:\ \Delta\text{{slope}} = {'+' if turn > 0 else '-'}"
                       rf"{format_number(abs(turn))}", font_size=font_size or FONT_SIZE.label)
    formula = get_formula(term.latex(), color=t.term, font_size=font_size or FONT_SIZE.label)
    return VGroup(text, formula).arrange(RIGHT, buff=0.3)


class RulerAndProtractor(ExplainerScene):
    """Lines add to lines; kinks turn slopes: the difference between a ruler and a protractor."""

    params = RulerAndProtractorParams()
    description = "Seed 002: a ruler only draws lines; each ReLU kink is a protractor turning the slope"
    title = "A ruler and a protractor"

    def construct(self) -> None:
        self.add_two_lines()
        self.show_four_cases()
        self.start_protractor()
        for i in range(len(self.params.kinks)):
            self.turn_at_kink(i)
        self.quote_the_answer()

    # -- building pieces ------------------------------------------------------------------
    def get_axes(self):
        """Axes over x_range, tall enough for the start line and the target (partial sums are clipped)."""
        lo, hi = self.params.x_range
        sums = partial_sums(self.params)
        y_range = _nice_y_range([sums[0], sums[-1]], lo, hi)
        step = max(1, int(2 ** np.ceil(np.log2((hi - lo) / 8))))
        x_range = [_whole(lo), _whole(hi), step]
        return fit_axes(lambda w, h: get_axes(x_range, y_range, width=w, height=h), AXES_BOX)

    def get_ruler_axes(self):
        """Axes for the ruler beat: the two lines and their sum."""
        lo, hi = self.params.x_range
        lines = list(RULER_LINES) + [RULER_LINES[0] + RULER_LINES[1]]
        x_range, y_range = [_whole(lo), _whole(hi), 1], _nice_y_range(lines, lo, hi)
        return fit_axes(lambda w, h: get_axes(x_range, y_range, width=w, height=h), AXES_BOX)

    def get_kink_dot(self, fn: ReluSum, kink: float) -> Dot:
        """The dot on fn's graph at one kink (tagged for the craft check: its centre is on fn)."""
        dot = Dot(self.axes.c2p(kink, float(fn(kink))), radius=0.07, color=self.theme.kink)
        dot.relu_source = ReluSource(self.axes, fn, tuple(self.axes.x_range[:2]), at_centre=True)
        return dot

    def place_kink_dots(self, fn: ReluSum) -> None:
        """Every kink dot onto fn's graph at its kink: the dots ride the curve as it changes; so do the
        protractors already drawn (their angles follow fn's slopes, their Δslope is the kink's own).
        A protractor keeps its typeset label and moves it; only its arc is built anew."""
        for dot, kink in zip(self.kink_dots, self.params.kinks):
            dot.move_to(self.axes.c2p(kink, float(fn(kink))))
            dot.relu_source = ReluSource(self.axes, fn, tuple(self.axes.x_range[:2]), at_centre=True)
        for i, protractor in enumerate(getattr(self, "protractors", ())):
            arc, label = protractor
            arc.become(self.get_protractor_arc(fn, i))
            label.move_to(self.protractor_label_spot(fn, i, arc, label))

    def get_protractor(self, fn: ReluSum, i: int) -> VGroup:
        """At kink i, an arc from the direction fn comes in with to the one it leaves with, labelled with
        the change of slope Δslope = c (relu_core: the slopes either side of the kink)."""
        arc = self.get_protractor_arc(fn, i)
        label = get_formula(protractor_tex(self.params.turns[i]), color=self.theme.highlight,
                            font_size=FONT_SIZE.small)
        return VGroup(arc, label.move_to(self.protractor_label_spot(fn, i, arc, label)))

    def get_protractor_arc(self, fn: ReluSum, i: int) -> Arc:
        """The arc at kink i, from fn's slope on its left to its slope on its right; `angles` holds them."""
        kink = self.params.kinks[i]
        lo, hi = self.params.x_range
        reach = 1e-6 * (hi - lo)
        slopes = fn.slopes(kink - reach, kink + reach)
        centre = self.axes.c2p(kink, float(fn(kink)))
        angles = [float(np.arctan2(*(self.axes.c2p(kink + 1.0, float(fn(kink)) + s) - centre)[1::-1]))
                  for s in (slopes[0], slopes[-1])]
        arc = Arc(radius=0.55, start_angle=angles[0], angle=angles[1] - angles[0], arc_center=centre,
                  color=self.theme.highlight, stroke_width=3)
        arc.angles, arc.centre = angles, centre
        return arc

    def protractor_label_spot(self, fn: ReluSum, i: int, arc: Arc, label) -> np.ndarray:
        """Where protractor i's label goes: in the wedge the turn opens, past the arc along its bisector
        (or, if that is on the curve, an axis, a tick label or another Δ, beside the kink's guide line,
        outside the turn first: below where it turns up, above where it turns down)."""
        turn = self.params.turns[i]
        lo, hi = self.params.x_range
        centre, mid = arc.centre, sum(arc.angles) / 2
        size = np.array([label.width, label.height, 0.0])
        taken_boxes = np.concatenate([self.tick_label_boxes(),
                                      np.array([_box(p[1]) for p in getattr(self, "protractors", ())[:i]])
                                      .reshape(-1, 4)])
        xs = np.linspace(lo, hi, 241)
        y_lo, y_hi = self.axes.y_range[:2]
        ys = fn(xs)
        keep = (ys >= y_lo) & (ys <= y_hi)
        curve = scene_coords(self.axes, np.column_stack([xs[keep], ys[keep]]))[:, :2]
        origin = self.axes.c2p(0, 0)[:2]
        away = DOWN if turn > 0 else UP
        out = np.array([np.cos(mid), np.sin(mid), 0.0])
        spots = [centre + 0.75 * out + out * np.abs(out) @ size / 2]
        for vertical in (away, -away):
            for side in (RIGHT, LEFT):
                spots.append(centre + vertical * (0.45 + size[1] / 2) + side * (0.18 + size[0] / 2))
        spots.append(centre + 1.2 * out + out * np.abs(out) @ size / 2)
        guides = [self.axes.c2p(k, 0)[0] for k in self.params.kinks]  # every kink's dashed guide line
        for spot in spots:
            box = np.concatenate([spot[:2] - size[:2] / 2, spot[:2] + size[:2] / 2])  # the label, centred there
            (x0, y0), (x1, y1) = box[:2] - 0.06, box[2:] + 0.06
            on_curve = np.any((curve[:, 0] > x0) & (curve[:, 0] < x1) & (curve[:, 1] > y0) & (curve[:, 1] < y1))
            on_axis = x0 < origin[0] < x1 or y0 < origin[1] < y1
            on_guide = any(x0 < g < x1 for g in guides)
            if not (on_curve or on_axis or on_guide or _meets_any(box, taken_boxes)):
                break
        return spot

    def tick_label_boxes(self) -> np.ndarray:
        """The bounding boxes of the axes' tick labels (rows as _box gives them), measured once: they stay put."""
        if getattr(self, "_tick_boxes", None) is None or self._tick_boxes[0] is not self.axes:
            numbers = [m for axis in self.axes[:2] for m in getattr(axis, "numbers", ())]
            self._tick_boxes = (self.axes, np.array([_box(m) for m in numbers]).reshape(-1, 4))
        return self._tick_boxes[1]

    def get_sum_formula(self, i: int):
        """Partial sum i as a formula under the title, one part per term (sum_parts) when it can be."""
        parts = sum_parts(self.params)
        tex = parts[:i + 1] if parts else [self.sums[i].latex()]
        formula = typeset(MathTex, *tex, color=self.theme.approx, font_size=FONT_SIZE.label)
        return formula.next_to(self.title, DOWN, buff=0.25)

    def grow_formula(self, formula) -> list:
        """The animations from the formula on screen to `formula`: the parts both have slide to their
        new places (same glyphs), the new term fades in."""
        old = self.formula
        if len(formula) != len(old) + 1:  # no parts to match: the old text fades out as the new fades in
            return [FadeOut(old), FadeIn(formula)]
        # first the old parts slide aside, then the new term fades in where they left room: never on them
        return [*(part.animate(rate_func=lambda t: smooth(min(1.0, 2 * t))).move_to(target)
                  for part, target in zip(old, formula)),
                FadeIn(formula[-1], rate_func=lambda t: smooth(max(0.0, 2 * t - 1)))]

    def get_title(self, text: str):
        return get_label(text, font_size=FONT_SIZE.title).to_edge(UP, buff=0.5)

    # -- beats ------------------------------------------------------------------------------
    def add_two_lines(self) -> None:
        self.say(*Narration("A second question asks: is a ReLU net just linear regression? "
                            "With only a ruler, two straight lines add up to one more straight line."))
        t = self.theme
        self.title = self.get_title("A ruler only")
        axes = self.get_ruler_axes()
        a, b = RULER_LINES
        total = a + b
        graph_a = get_relu_graph(axes, a, color=t.approx)
        graph_b = get_relu_graph(axes, b, color=t.term)
        graph_sum = get_relu_graph(axes, total, color=t.target)
        fa = get_formula(a.latex(), color=t.approx)
        fb = get_formula("+\\ (" + b.latex() + ")", color=t.term)
        fs = get_formula("=\\ " + total.latex(), color=t.target)
        column = VGroup(fa, fb, fs).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        column.move_to(RIGHT * 4.6 + UP * 0.5)
        self.play(Write(self.title), Create(axes), run_time=TIMING.create)
        self.play(Create(graph_a), FadeIn(fa), run_time=TIMING.create)
        self.play(Create(graph_b), FadeIn(fb), run_time=TIMING.create)
        # heights adding: a + t·b, one straight line at every t, from a (t = 0) to the sum (t = 1)
        share = ValueTracker(0.0)
        growing = get_relu_graph(axes, a, color=t.target)
        growing.add_updater(lambda m: m.become(get_relu_graph(axes, a + b.scaled(share.get_value()),
                                                               color=t.target)))
        self.add(growing)
        join_time = max(TIMING.transform, self.speech_remaining() - TIMING.pause - TIMING.pause / 2)
        self.play(share.animate(rate_func=linear).set_value(1.0), FadeIn(fs), run_time=join_time)
        growing.clear_updaters()
        growing.become(graph_sum)
        # the ruler: its straight edge lies along the sum, end to end: one line, nothing bends
        ruler = get_ruler(axes, total)
        along = ruler[0].get_vertices()[1] - ruler[0].get_vertices()[0]
        self.play(FadeIn(ruler, shift=0.3 * along / np.linalg.norm(along)), run_time=TIMING.pause)
        self.ruler = ruler
        self.wait(TIMING.pause)
        self.play(*(FadeOut(m) for m in self.mobjects if m is not self.title), run_time=TIMING.pause / 2)

    def show_four_cases(self) -> None:
        self.say(*Narration(
            "Its two-neuron net has four cases; in each, the output is a straight map: ŷ = U·x, with U = v·w. "
            "But which case holds depends on x: U switches as x moves, and that switching is the non-linearity.",
            "Its net of two neurons has four cases; in each, the output is a straight map: y hat is U times x, "
            "with U from the weights. But which case holds depends on x: U switches as x moves, and that "
            "switching is the non-linearity."))
        table = get_case_table(font_size=FONT_SIZE.formula - 4).move_to(UP * 0.25)
        summary = get_formula(r"\text{every case: } \hat y = U_1x_1 + U_2x_2,\quad U = v\,w",
                              color=self.theme.highlight, font_size=FONT_SIZE.formula - 4)
        summary.next_to(table, DOWN, buff=0.35)
        self.play(FadeIn(table, lag_ratio=0.3), run_time=TIMING.create)
        self.play(Write(summary), run_time=TIMING.transform)
        # the crux, while it is said: x picks the case (relu_core's SEED_NET.case), so U switches with x
        box = walker = None
        stay = max(TIMING.pause, (self.speech_remaining() - TIMING.pause / 2) / len(CRUX_POINTS) - TIMING.pause / 2)
        for point in CRUX_POINTS:
            row = table[int(SEED_NET.case([point])[0]) - 1]
            line = get_formula(crux_line(point), color=self.theme.highlight, font_size=FONT_SIZE.formula - 4)
            line.next_to(summary, DOWN, buff=0.35)
            frame = SurroundingRectangle(row, color=self.theme.highlight, buff=0.08, corner_radius=0.05)
            if box is None:
                self.play(FadeIn(line), Create(frame), run_time=TIMING.pause / 2)
            else:  # the old line fades out, then the new one fades in: no glyph morph, no overlap
                self.play(FadeOut(walker), box.animate.become(frame), run_time=TIMING.pause / 3)
                self.play(FadeIn(line), run_time=TIMING.pause / 3)
                frame = box
            box, walker = frame, line
            self.wait(stay)
        self.play(*(FadeOut(m) for m in (table, summary, box, walker, self.title)), run_time=TIMING.pause / 2)

    def start_protractor(self) -> None:
        self.say(*Narration("A ReLU is a protractor: at its kink the slope turns, at a place the weights choose. "
                            "Watch a line turn, kink by kink."))
        t = self.theme
        self.title = self.get_title("A protractor")
        self.axes = self.get_axes()
        self.sums = partial_sums(self.params)
        target = get_relu_graph(self.axes, bent_target(self.params), color=t.target, stroke_width=10)
        target.set_stroke(opacity=0.35)
        self.target_label = get_label("target", color=t.target, font_size=FONT_SIZE.label)
        self.current = get_relu_graph(self.axes, self.sums[0], color=t.approx)
        self.formula = self.get_sum_formula(0)
        self.turn_labels = VGroup()
        self.kink_dots = VGroup()
        self.protractors = VGroup()
        self.panel_top = RIGHT * PANEL_LEFT + UP * 1.6
        self.target_label.move_to(self.panel_top, aligned_edge=LEFT)
        self.play(Write(self.title), Create(self.axes), run_time=TIMING.create)
        self.play(Create(target), FadeIn(self.target_label), run_time=TIMING.create)
        self.play(Create(self.current), FadeIn(self.formula), run_time=TIMING.create)
        self.target = target
        self.wait(TIMING.pause / 2)

    def turn_at_kink(self, i: int) -> None:
        kink, turn = self.params.kinks[i], self.params.turns[i]
        self.say(*turn_caption(self.params, i))
        t = self.theme
        new = get_relu_graph(self.axes, self.sums[i + 1], color=t.approx)
        lo, hi = self.axes.y_range[:2]
        guide = DashedLine(self.axes.c2p(kink, lo), self.axes.c2p(kink, hi), color=t.kink,
                           stroke_width=2, dash_length=0.08).set_opacity(0.6)
        dot = self.get_kink_dot(self.sums[i + 1], kink)
        label = get_turn_label(kink, turn).next_to(self.target_label, DOWN, buff=0.35 + 0.55 * i)
        if label.width > PANEL_RIGHT - PANEL_LEFT:
            label.scale_to_fit_width(PANEL_RIGHT - PANEL_LEFT)
        label.align_to(self.target_label, LEFT)
        formula = self.get_sum_formula(i + 1)
        before = self.sums[i]

        def lone(share: float) -> ReluSum:
            return ReluSum((ReluTerm(1.0, -kink, share * turn),))

        term = get_relu_graph(self.axes, lone(1.0), color=t.term, stroke_width=4)
        self.play(Create(guide), FadeIn(label), Create(term), run_time=TIMING.pause)
        # the term joins the sum as heights adding: sum_i + s·term is a ReLU sum at every s, and the lone
        # term keeps (1 - s) of itself; the kink dots ride the curve, the new one fades in where it bends
        share = ValueTracker(0.0)

        def joined() -> ReluSum:
            return before + lone(share.get_value())

        def redraw(m):  # the curve is in the scene, so its updater also moves the dots (drawn one by one)
            m.become(get_relu_graph(self.axes, joined(), color=t.approx))
            self.place_kink_dots(joined())

        self.current.add_updater(redraw)
        term.add_updater(lambda m: m.become(get_relu_graph(self.axes, lone(1.0 - share.get_value()),
                                                           color=t.term, stroke_width=4)))
        self.kink_dots.add(dot)
        self.place_kink_dots(joined())
        join_time = max(TIMING.transform, self.speech_remaining() - TIMING.pause / 2)
        self.play(share.animate(rate_func=linear).set_value(1.0), *self.grow_formula(formula),
                  FadeIn(dot), run_time=join_time)
        self.remove(self.formula)
        self.formula = formula
        self.add(formula)
        for m in (self.current, term):
            m.clear_updaters()
        self.remove(term)
        self.current.become(new)
        self.place_kink_dots(self.sums[i + 1])
        self.turn_labels.add(label)
        protractor = self.get_protractor(self.sums[i + 1], i)
        self.play(Create(protractor[0]), FadeIn(protractor[1]), run_time=TIMING.pause / 2)
        self.protractors.add(protractor)

    def quote_the_answer(self) -> None:
        self.say(*Narration("So the answer is no. A ReLU's bend is concentrated at its kink, and the weights locate "
                            "the kinks: the net finds the knot points, and picks the slopes."))
        t = self.theme
        quotes = VGroup(*(get_label(q, font_size=FONT_SIZE.small, color=t.highlight) for q in QUOTES))
        quotes.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        if quotes.width > PANEL_RIGHT - PANEL_LEFT:  # keep the panel inside the frame whatever the words
            quotes.scale_to_fit_width(PANEL_RIGHT - PANEL_LEFT)
        room = self.turn_labels.get_bottom()[1] - PANEL_BOTTOM  # many kinks leave less room below
        if quotes.height > room - 0.25:
            quotes.scale_to_fit_height(room - 0.25)
        quotes.next_to(self.turn_labels, DOWN, buff=min(0.5, room - quotes.height))
        quotes.align_to(self.target_label, LEFT)
        self.play(FadeIn(quotes, lag_ratio=0.4), run_time=TIMING.create)
        # each dot pulses about its own centre, so none leaves its kink
        self.play(*(Indicate(dot, color=t.highlight, scale_factor=1.8) for dot in self.kink_dots),
                  run_time=TIMING.transform)
        self.wait(TIMING.long_pause)

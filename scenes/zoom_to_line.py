"""ZoomToLine: "any smooth segment looks like a line if you zoom in far enough" (seed 001, second answer).

A smooth curve and its ReLU approximation; a magnifier panel zooms into one straight piece of that sum.
Each halving of the window doubles the kinks (a new kink in the middle of every piece, heights adding)
and follows the half whose gap is larger (relu_core.zoom.halving_steps), so the panel always shows one
piece of the sum drawn on the full view, and the table lists that piece's gap. A smooth curve's gap
falls to about a quarter per halving once the window is small (a chord's gap is about f''·w²/8); the
words say the shares this target's own table shows.

The zoom is drawn by re-mapping a fixed panel to ever smaller data windows (`PanelView`), so curve
and line stay exact polylines at every zoom, with no camera move.

>>> ZoomToLine.params.pieces, ZoomToLine.params.zooms
(8, 3)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, FadeIn, Indicate, Line, Rectangle,
                   ValueTracker, VGroup)

from relu_core import ReluSum, format_number, interpolant, max_error, parse_function, uniform_knots
from relu_core.zoom import ZoomStep, blend, gap_ratios, halving_steps, piece_gap
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import (ReluSource, fit_axes, get_axes, get_curve, get_dot, get_formula, get_label,
                             get_relu_graph, redraw_when_changed, scene_coords)
from scenes.speech import Narration, fill, number, shrink_words, spoken_integer
from scenes.style import FONT_SIZE, TIMING

__all__ = ["ZoomToLine", "ZoomToLineParams", "PanelView", "window_line", "window_error", "get_view",
           "zoom_steps", "halving_caption", "halving_rule", "doubling_caption", "kink_dot_radius"]

PANEL_WIDTH, PANEL_HEIGHT = 5.6, 3.2
PANEL_CENTRE = (3.45, 0.85)
VIEW_MARGIN = 1.3
"""The panel shows this many window widths, so the knots at the window's ends are in view."""
ERROR_SAMPLES = 801
AXES_BOX = (-6.3, -0.75, -3.2, 2.4)
"""The full view's box with its tick labels (left, right, bottom, top): inside the safe area."""
ROW_STEP, HEADER_GAP = 0.36, 0.4
"""The table sits HEADER_GAP under the panel, its rows ROW_STEP apart: 5 rows end above y = -3.1."""
COLUMN_STEP = 1.85
DOT_RADIUS = 0.06
"""Kink dots on the full view; they shrink when kinks crowd, and are left out below MIN_DOT_RADIUS."""
MIN_DOT_RADIUS = 0.015


@dataclass(frozen=True)
class ZoomToLineParams:
    """Knobs of ZoomToLine; the defaults zoom three times into a curved piece of sin(2x) + x²/4."""

    target: str = tweak("target", "sin(2*x) + x**2/4", note="a smooth curve, to zoom into")
    pieces: int = tweak("pieces", 8, min=2, max=41, note="between evenly spaced knots",
                        why="thinner pieces are hard to see before the zoom")
    x_range: tuple[float, float] = tweak("x_range", (-3.0, 3.0), note="in the full view")
    zoom_piece: int = knob(3, "which piece to zoom into, counted from the left starting at 1 (at most pieces)",
                           min=1)
    zooms: int = knob(3, "how many times the window is halved (and the kinks doubled)", min=1, max=4)

    def __post_init__(self) -> None:
        check_knobs(self)
        if self.zoom_piece > self.pieces:
            raise ValueError(f"zoom_piece must be between 1 and {self.pieces} (there are {self.pieces} "
                             f"pieces), got {self.zoom_piece}")

    @property
    def knots(self) -> np.ndarray:
        """The approximation's knots: pieces + 1 evenly spaced points over x_range."""
        return uniform_knots(*self.x_range, self.pieces)

    @property
    def window(self) -> tuple[float, float]:
        """The piece zoomed into first: its centre and width."""
        knots = self.knots
        lo, hi = knots[self.zoom_piece - 1], knots[self.zoom_piece]
        return float((lo + hi) / 2), float(hi - lo)


def zoom_steps(f: Callable, params: ZoomToLineParams) -> list[ZoomStep]:
    """The zoom's stages (relu_core.zoom.halving_steps): the sum, its window piece and that piece's gap.

    >>> [s.pieces for s in zoom_steps(np.square, ZoomToLineParams(target="x**2"))]
    [8, 16, 32, 64]
    """
    return halving_steps(f, params.knots, params.zoom_piece, params.zooms)


def window_line(f: Callable, centre: float, width: float) -> ReluSum:
    """The chord of f over a window: the interpolant with knots at the window's two ends.

    >>> window_line(np.square, 1.0, 2.0).latex()
    '2x'
    """
    return interpolant(f, [centre - width / 2, centre + width / 2])


def window_error(f: Callable, centre: float, width: float) -> float:
    """The largest gap between f and its chord inside the window (relu_core.max_error).

    >>> round(window_error(np.square, 0.0, 2.0), 6), round(window_error(np.square, 0.0, 1.0), 6)
    (1.0, 0.25)
    """
    line = window_line(f, centre, width)
    return max_error(f, line, centre - width / 2, centre + width / 2, samples=ERROR_SAMPLES)


def kink_dot_radius(spacing: float) -> float:
    """The radius of kink dots `spacing` frame units apart: DOT_RADIUS, less when they crowd, 0 when
    they would merge into a smudge.

    >>> kink_dot_radius(0.7), kink_dot_radius(0.1), kink_dot_radius(0.01)
    (0.06, 0.03, 0.0)
    """
    radius = min(DOT_RADIUS, 0.3 * spacing)
    return round(radius, 6) if radius >= MIN_DOT_RADIUS else 0.0


class PanelView:
    """A data window mapped onto a fixed screen box: the coordinate interface of Axes that the
    drawing helpers use (x_range, y_range, c2p, p2c), cheap enough to rebuild every frame."""

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float], box: Rectangle) -> None:
        self.x_range = [float(x_range[0]), float(x_range[1])]
        self.y_range = [float(y_range[0]), float(y_range[1])]
        self.origin = box.get_corner(DOWN + LEFT)
        self.size = np.array([box.width, box.height])

    def c2p(self, x: float, y: float, z: float = 0.0) -> np.ndarray:
        return self.coords_to_point(np.array([[x, y]]))[0]

    def coords_to_point(self, points: np.ndarray) -> np.ndarray:
        """c2p of every row of `points` (k, 2) at once, as Axes.coords_to_point takes them."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        u = (points[:, 0] - self.x_range[0]) / (self.x_range[1] - self.x_range[0])
        v = (points[:, 1] - self.y_range[0]) / (self.y_range[1] - self.y_range[0])
        return self.origin + np.column_stack([u * self.size[0], v * self.size[1], np.zeros(len(points))])

    def p2c(self, point: np.ndarray) -> np.ndarray:
        u, v = (np.asarray(point)[:2] - self.origin[:2]) / self.size
        return np.array([self.x_range[0] + u * (self.x_range[1] - self.x_range[0]),
                         self.y_range[0] + v * (self.y_range[1] - self.y_range[0])])


def get_view(f: Callable, centre: float, width: float, aspect: float, box: Rectangle) -> PanelView:
    """The panel's data window around (centre, f's chord at centre) for a zoom window of `width`.

    The view is VIEW_MARGIN windows wide; its height is 1.2 times the chord's rise across it (so the
    line crosses the panel diagonally at every zoom), but at least `aspect`·width, for flat pieces. Every size
    is proportional to width, so each zoom looks the same except for the curve's bulge.
    """
    line = window_line(f, centre, width)
    slope = float(line.slopes(centre - width, centre + width)[0])
    half_w = VIEW_MARGIN * width / 2
    half_h = max(0.6 * abs(slope) * 2 * half_w, aspect * width / 2)
    y0 = float(line(np.array([centre]))[0])
    return PanelView((centre - half_w, centre + half_w), (y0 - half_h, y0 + half_h), box)


def halving_caption(before: float, after: float, again: bool = False) -> Narration:
    """The words of one halving: the piece's gap before and after, as the table shows them, and the share left.

    The voice says only the share: the numbers are in the subtitle and the table. `again` for every
    halving after the first.

    >>> halving_caption(0.0625, 0.015625)
    Narration(shown='Twice the kinks, and zoom into the half with the larger gap: it falls from 0.0625 to 0.0156, about a quarter.', spoken='Twice the kinks, and zoom into the half with the larger gap: it falls, to about a quarter.')
    >>> halving_caption(0.18, 0.04, again=True).spoken
    'Again, twice the kinks and half the window: the gap falls, to about a fifth.'
    """
    gaps = {"before": number(before), "after": number(after)}
    lead = ("Again, twice the kinks and half the window: the gap" if again else
            "Twice the kinks, and zoom into the half with the larger gap: it")
    if gaps["before"].shown == "0":
        return fill(lead + " stays {before}, for this piece is straight.", **gaps)
    if after >= before:
        return fill(lead + " goes from {before} to {after}.", **gaps)
    change = Narration(f"falls from {gaps['before'].shown} to {gaps['after'].shown}", "falls")
    share = shrink_words(after / before)
    return fill(lead + f" {{change}}, {{to}}{share}.", change=change, to=Narration("", "to "))


def halving_rule(ratios: list[float]) -> str:
    """The headline after the zoom: what each halving left of the gap, in words (each ratio is gap
    after / gap before), runs of the same share said once.

    >>> halving_rule([0.256, 0.2516])
    'each halving: about a quarter of the gap'
    >>> halving_rule([0.306, 0.261, 0.252])
    'each halving: about a third of the gap, then about a quarter'
    >>> halving_rule([float("nan")])
    'each halving: still no gap'
    """
    words: list[str] = []
    for ratio in ratios:
        said = shrink_words(ratio)
        if not words or words[-1] != said:
            words.append(said)
    if words == ["still none"]:
        return "each halving: still no gap"
    return "each halving: " + words[0] + " of the gap" + "".join(", then " + w for w in words[1:])


def doubling_caption(f: Callable, params: ZoomToLineParams) -> Narration:
    """The conclusion: how many times the kinks were doubled, and the piece's gap first and last (the
    table's first and last rows).

    >>> print(doubling_caption(np.square, ZoomToLineParams(target="x**2", pieces=3, zooms=2)).shown)
    The closer you zoom, the straighter the curve looks, so straight pieces can follow any smooth curve. With 4 times the pieces, this piece's gap fell from 1 to 0.0625.
    """
    steps = zoom_steps(f, params)
    lead = "The closer you zoom, the straighter the curve looks, so straight pieces can follow any smooth curve."
    words = {"before": number(steps[0].gap), "after": number(steps[-1].gap)}
    if words["before"].shown == "0":
        return fill(lead + " This one is made of straight pieces already.", **words)
    times = 2 ** params.zooms
    many = Narration("twice", "twice") if times == 2 else Narration(f"{times} times", f"{spoken_integer(times)} times")
    return fill(lead + " With {many} the pieces, this piece's gap fell from {before} to {after}.", many=many, **words)


class ZoomToLine(ExplainerScene):
    """Zoom into one piece of a ReLU approximation until curve and line cannot be told apart."""

    params = ZoomToLineParams()
    description = "Any smooth curve looks like a line if you zoom in: each halving of the window shrinks the gap"
    title = "Zoom in: curves look straight"

    def construct(self) -> None:
        self.setup_pieces()
        self.show_curve()
        self.show_relu_approximation()
        self.look_at_one_piece()
        for _ in range(self.params.zooms):
            self.halve_the_window()
        self.conclude()

    # -- building pieces ------------------------------------------------------------------------
    def setup_pieces(self) -> None:
        p = self.params
        self.f = parse_function(p.target)
        self.steps = zoom_steps(self.f, p)
        self.stage = 0
        self.axes = self.get_full_axes()
        self.box = Rectangle(width=PANEL_WIDTH, height=PANEL_HEIGHT, stroke_color=self.theme.muted,
                             stroke_width=2).move_to([*PANEL_CENTRE, 0])
        x_unit = self.axes.x_length / (self.axes.x_range[1] - self.axes.x_range[0])
        y_unit = self.axes.y_length / (self.axes.y_range[1] - self.axes.y_range[0])
        self.aspect = VIEW_MARGIN * (PANEL_HEIGHT / PANEL_WIDTH) * (x_unit / y_unit)
        self.share = ValueTracker(0.0)  # from this stage's sum to the next one's: the new kinks rise
        self.zoom = ValueTracker(0.0)   # from this stage's window to the next one's (a half of it)

    def get_full_axes(self) -> Axes:
        """The full view, left: target and approximation over x_range."""
        lo, hi = self.params.x_range
        ys = self.f(np.linspace(lo, hi, 401))
        y_lo, y_hi = float(ys.min()), float(ys.max())
        pad = 0.1 * (y_hi - y_lo or 1.0)
        y_lo, y_hi = np.floor(y_lo - pad), np.ceil(y_hi + pad)
        x_step = max(1, int(np.ceil((hi - lo) / 6)))
        y_step = max(1, int(np.ceil((y_hi - y_lo) / 5)))
        return fit_axes(lambda w, h: get_axes([lo, hi, x_step], [int(y_lo), int(y_hi), y_step], width=w, height=h),
                        AXES_BOX)

    def current_approx(self) -> ReluSum:
        """The sum on screen now: this stage's, or on its way to the next stage's (heights adding)."""
        if self.stage + 1 >= len(self.steps):
            return self.steps[self.stage].approx
        return blend(self.steps[self.stage].approx, self.steps[self.stage + 1].approx, self.share.get_value())

    def current_window(self) -> tuple[float, float]:
        """The window now: this stage's piece, shrinking (its shared end fixed) to the next stage's."""
        lo, hi = self.steps[self.stage].window
        z = self.zoom.get_value()
        if z == 0 or self.stage + 1 >= len(self.steps):
            return lo, hi
        width = (hi - lo) * 2.0 ** -z
        return (lo, lo + width) if self.steps[self.stage + 1].window[0] == lo else (hi - width, hi)

    def zoom_state(self) -> tuple[int, float, float]:
        """What the live shapes are drawn from: the stage, how far its new kinks have risen, how far its
        window has shrunk."""
        return self.stage, self.share.get_value(), self.zoom.get_value()

    def current_view(self) -> PanelView:
        lo, hi = self.current_window()
        return get_view(self.f, (lo + hi) / 2, hi - lo, self.aspect, self.box)

    def get_dots(self, axes, fn: ReluSum, radius: float) -> VGroup:
        """A dot at every kink of fn in the axes' view, each tagged (its centre is on fn); a kink that
        is still rising (its term only partly added) fades in with the share."""
        lo, hi = axes.x_range[:2]
        y_lo, y_hi = axes.y_range[:2]
        source = ReluSource(axes, fn, (lo, hi), at_centre=True)
        old = set(np.round(self.steps[self.stage].approx.breakpoints(), 12))
        dots = VGroup()
        if radius <= 0:
            return dots
        corners = fn.vertices(lo, hi)[1:-1]
        for (x, y), point in zip(corners, scene_coords(axes, corners)):
            if y_lo <= y <= y_hi:
                dot = get_dot(point, radius, self.theme.kink)
                if round(x, 12) not in old:
                    dot.set_opacity(min(1.0, self.share.get_value() * 3))
                dot.relu_source = source
                dots.add(dot)
        return dots

    def get_full_sum(self) -> VGroup:
        """The full view's sum now, and its kink dots (smaller as the kinks crowd)."""
        fn = self.current_approx()
        graph = get_relu_graph(self.axes, fn, stroke_width=4)
        pieces = self.steps[min(self.stage + 1, len(self.steps) - 1)].pieces
        x_unit = self.axes.x_length / (self.axes.x_range[1] - self.axes.x_range[0])
        spacing = x_unit * (self.params.x_range[1] - self.params.x_range[0]) / pieces
        return VGroup(graph, self.get_dots(self.axes, fn, kink_dot_radius(spacing)))

    def get_panel(self) -> VGroup:
        """What the magnifier shows now: the curve, the sum on the full view (its piece and the ends of
        its neighbours), its kinks, and the window's largest gap as a segment from line to curve."""
        view, fn = self.current_view(), self.current_approx()
        lo, hi = self.current_window()
        curve = get_curve(view, self.f, samples=121)
        straight = get_relu_graph(view, fn, stroke_width=4)
        _, at = piece_gap(self.f, fn, lo, hi)
        gap = Line(view.c2p(at, float(self.f(np.array([at]))[0])), view.c2p(at, float(fn(np.array([at]))[0])),
                   color=self.theme.error, stroke_width=5)
        return VGroup(curve, straight, gap, self.get_dots(view, fn, 0.07))

    def get_view_marker(self) -> VGroup:
        """The panel's window drawn on the full view, and two lines joining it to the panel."""
        view = self.current_view()
        a = self.axes.c2p(view.x_range[0], view.y_range[0])
        b = self.axes.c2p(view.x_range[1], view.y_range[1])
        rect = Rectangle(width=max(b[0] - a[0], 1e-3), height=max(b[1] - a[1], 1e-3),
                         stroke_color=self.theme.highlight, stroke_width=3).move_to((a + b) / 2)
        joins = VGroup(*(Line(rect.get_corner(RIGHT + v), self.box.get_corner(LEFT + v),
                              stroke_color=self.theme.highlight, stroke_width=1.5, stroke_opacity=0.6)
                         for v in (UP, DOWN)))
        return VGroup(rect, joins)

    def column_x(self, i: int) -> float:
        return self.box.get_center()[0] + (i - 1) * COLUMN_STEP

    def get_row(self, step: ZoomStep, index: int) -> VGroup:
        """One row of the table: the sum's pieces, the window's width and the piece's gap (relu_core),
        in the format the narration uses (relu_core.format_number)."""
        cells = (get_formula(str(step.pieces), font_size=FONT_SIZE.body),
                 get_formula(format_number(step.width, 3), font_size=FONT_SIZE.body),
                 get_formula(format_number(step.gap, 3), color=self.theme.error, font_size=FONT_SIZE.body))
        y = self.header.get_center()[1] - ROW_STEP * (index + 1)
        for i, cell in enumerate(cells):
            cell.move_to([self.column_x(i), y, 0])
        return VGroup(*cells)

    # -- beats ----------------------------------------------------------------------------------
    def show_curve(self) -> None:
        self.say(*Narration("Does this work for any smooth curve? Take this one, and zoom in."))
        self.curve = get_curve(self.axes, self.f)
        label = get_formula(f"y = {self.f.latex}", color=self.theme.target)
        label.next_to(self.axes, UP, buff=0.2).align_to(self.axes, LEFT)
        self.play(Create(self.axes), run_time=TIMING.create)
        self.play(Create(self.curve), FadeIn(label), run_time=TIMING.create)

    def show_relu_approximation(self) -> None:
        first = self.steps[0]
        kinks = len(first.approx.breakpoints())  # a knot where the curve runs straight needs no kink
        self.say(*fill("A ReLU sum with {kinks} kinks follows it in {pieces} straight pieces.",
                       kinks=Narration(str(kinks), spoken_integer(kinks)),
                       pieces=Narration(str(first.pieces), spoken_integer(first.pieces))))
        graph, dots = self.get_full_sum()
        self.play(Create(graph), FadeIn(dots, lag_ratio=0.1), run_time=TIMING.create)  # dots whole, on it
        self.remove(graph, dots)
        self.full_sum = redraw_when_changed(self.get_full_sum, self.zoom_state)  # follows the zoom's stages
        self.add(self.full_sum)
        self.wait(TIMING.pause)

    def look_at_one_piece(self) -> None:
        gap = number(self.steps[0].gap)
        if gap.shown == "0":
            self.say(*Narration("Look closely at one piece: here the curve is as straight as its line."))
        else:
            self.say(*fill("Look closely at one piece: the curve bulges away from it, by {gap} at most.", gap=gap))
        marker = redraw_when_changed(self.get_view_marker, self.zoom_state)
        self.panel = redraw_when_changed(self.get_panel, self.zoom_state)
        self.play(Create(marker), run_time=TIMING.transform)
        self.play(Create(self.box), FadeIn(self.panel), run_time=TIMING.create)
        names = ("pieces", "window", "max gap")
        self.header = VGroup(*(get_label(name, color=self.theme.error if name == "max gap" else self.theme.muted,
                                         font_size=FONT_SIZE.small) for name in names))
        y = self.box.get_bottom()[1] - HEADER_GAP
        for i, cell in enumerate(self.header):
            cell.move_to([self.column_x(i), y, 0])
        self.rows = [self.get_row(self.steps[0], 0)]
        self.play(FadeIn(self.header), FadeIn(self.rows[0]))
        self.wait(TIMING.pause)

    def halve_the_window(self) -> None:
        before, after = self.steps[self.stage], self.steps[self.stage + 1]
        self.say(*halving_caption(before.gap, after.gap, again=self.stage > 0))
        self.play(self.share.animate.set_value(1.0), run_time=1.5 * TIMING.transform)
        self.play(self.zoom.animate.set_value(1.0), run_time=2 * TIMING.transform)
        self.stage += 1  # the next stage starts where this one ended: same sum, same window
        self.share.set_value(0.0)
        self.zoom.set_value(0.0)
        row = self.get_row(after, len(self.rows))
        self.rows.append(row)
        self.play(FadeIn(row, shift=0.2 * UP), run_time=TIMING.transform / 2)
        self.wait(TIMING.pause / 2)

    def conclude(self) -> None:
        self.say(*doubling_caption(self.f, self.params))
        lines = halving_rule(gap_ratios(self.steps)).replace(", then", ",\nthen", 1).split("\n")
        self.rule = VGroup(*(get_label(line, color=self.theme.highlight, font_size=FONT_SIZE.label)
                             for line in lines)).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        if self.rule.width > PANEL_WIDTH:
            self.rule.scale_to_fit_width(PANEL_WIDTH)
        self.rule.next_to(self.box, UP, buff=0.2).align_to(self.box, RIGHT)
        self.play(FadeIn(self.rule, shift=0.2 * DOWN))
        self.play(Indicate(VGroup(self.rows[0][2], self.rows[-1][2]), color=self.theme.error, scale_factor=1.15))
        self.wait(TIMING.long_pause)

"""ZoomToLine: "any smooth segment looks like a line if you zoom in far enough" (seed 001, second answer).

A smooth curve and its ReLU approximation; a magnifier panel zooms into one straight piece. At each
zoom the piece is the chord over the window (knots at the window's ends), and the largest gap
between curve and line, from relu_core.max_error, shrinks about four-fold for every halving of the
window: the gap of a chord is about f''·w²/8 for a window of width w.

The zoom is drawn by re-mapping a fixed panel to ever smaller data windows (`PanelView`), so curve
and line stay exact polylines at every zoom, with no camera move.

>>> ZoomToLine.params.pieces, ZoomToLine.params.zooms
(8, 3)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, Dot, FadeIn, Indicate, Line, Rectangle,
                   ValueTracker, VGroup, always_redraw)

from relu_core import (ReluSum, format_number, interpolant, max_error, parse_function, uniform_knots)
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import fit_axes, get_axes, get_curve, get_formula, get_kink_dots, get_label, get_relu_graph, get_tex
from scenes.readout import Readout
from scenes.speech import Narration, fill, fraction_words, nearest_fraction, number, shrink_words, spoken_integer
from scenes.style import FONT_SIZE, TIMING

__all__ = ["ZoomToLine", "ZoomToLineParams", "PanelView", "window_line", "window_error", "get_view",
           "halving_caption", "halving_rule", "doubling_caption"]

PANEL_WIDTH, PANEL_HEIGHT = 5.6, 4.0
VIEW_MARGIN = 1.3
"""The panel shows this many window widths, so the knots at the window's ends are in view."""
ERROR_SAMPLES = 801
AXES_LEFT, AXES_RIGHT, AXES_TOP = -6.3, -0.75, 2.4
"""The full view's box with its tick labels (its bottom leaves room for the table): inside the safe area."""
TABLE_BOTTOM, ROW_STEP = -3.35, 0.36
"""The centre of the table's last row stays above TABLE_BOTTOM; rows are ROW_STEP apart."""


@dataclass(frozen=True)
class ZoomToLineParams:
    """Knobs of ZoomToLine; the defaults zoom three times into a curved piece of sin(2x) + x²/4."""

    target: str = tweak("target", "sin(2*x) + x**2/4", note="a smooth curve, to zoom into")
    pieces: int = tweak("pieces", 8, min=2, max=41, note="between evenly spaced knots",
                        why="thinner pieces are hard to see before the zoom")
    x_range: tuple[float, float] = tweak("x_range", (-3.0, 3.0), note="in the full view")
    zoom_piece: int = knob(3, "which piece to zoom into, counted from the left starting at 1 (at most pieces)",
                           min=1)
    zooms: int = knob(3, "how many times the window is halved", min=1, max=4)

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
        """The piece zoomed into: its centre and width."""
        knots = self.knots
        lo, hi = knots[self.zoom_piece - 1], knots[self.zoom_piece]
        return float((lo + hi) / 2), float(hi - lo)


def window_line(f: Callable, centre: float, width: float) -> ReluSum:
    """The straight piece over the window: the interpolant of f with knots at the window's two ends.

    >>> window_line(np.square, 1.0, 2.0).latex()
    '2x'
    """
    return interpolant(f, [centre - width / 2, centre + width / 2])


def window_error(f: Callable, centre: float, width: float) -> float:
    """The largest gap between f and its window line inside the window (relu_core.max_error).

    >>> round(window_error(np.square, 0.0, 2.0), 6), round(window_error(np.square, 0.0, 1.0), 6)
    (1.0, 0.25)
    """
    line = window_line(f, centre, width)
    return max_error(f, line, centre - width / 2, centre + width / 2, samples=ERROR_SAMPLES)


class PanelView:
    """A data window mapped onto a fixed screen box: the coordinate interface of Axes that the
    drawing helpers use (x_range, y_range, c2p, p2c), cheap enough to rebuild every frame."""

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float], box: Rectangle) -> None:
        self.x_range = [float(x_range[0]), float(x_range[1])]
        self.y_range = [float(y_range[0]), float(y_range[1])]
        self.origin = box.get_corner(DOWN + LEFT)
        self.size = np.array([box.width, box.height])

    def c2p(self, x: float, y: float, z: float = 0.0) -> np.ndarray:
        u = (x - self.x_range[0]) / (self.x_range[1] - self.x_range[0])
        v = (y - self.y_range[0]) / (self.y_range[1] - self.y_range[0])
        return self.origin + np.array([u * self.size[0], v * self.size[1], 0.0])

    def p2c(self, point: np.ndarray) -> np.ndarray:
        u, v = (np.asarray(point)[:2] - self.origin[:2]) / self.size
        return np.array([self.x_range[0] + u * (self.x_range[1] - self.x_range[0]),
                         self.y_range[0] + v * (self.y_range[1] - self.y_range[0])])


def get_view(f: Callable, centre: float, width: float, aspect: float, box: Rectangle) -> PanelView:
    """The panel's data window around (centre, f(centre)) for a zoom window of `width`.

    The view is VIEW_MARGIN windows wide; its height is 1.2 times the line's rise across it (so the
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
    """The words of one halving: the window's gap before and after, as the table shows them, and the share left.

    The voice says only the share: the numbers are in the subtitle and the table. `again` for every
    halving after the first.

    >>> halving_caption(0.0625, 0.015625)
    Narration(shown='Halve the window: the gap falls from 0.0625 to 0.0156, about a quarter.', spoken='Halve the window: the gap falls, to about a quarter.')
    >>> halving_caption(0.18, 0.04, again=True).spoken
    'Halve it again: the gap falls, to about a fifth.'
    """
    gaps = {"before": number(before), "after": number(after)}
    lead = "Halve it again" if again else "Halve the window"
    if gaps["before"].shown == "0":
        return fill(lead + ": the gap stays {before}, for this piece is straight.", **gaps)
    if after >= before:
        return fill(lead + ": the gap goes from {before} to {after}.", **gaps)
    change = Narration(f"falls from {gaps['before'].shown} to {gaps['after'].shown}", "falls")
    share = shrink_words(after / before)
    return fill(lead + f": the gap {{change}}, {{to}}{share}.", change=change, to=Narration("", "to "))


def halving_rule(ratios: list[float]) -> str:
    """The headline over the zoom, true for every halving shown: each ratio is gap after / gap before.

    >>> halving_rule([0.256, 0.2516]), halving_rule([0.22, 0.12]), halving_rule([0.0])
    ('half the window, about a quarter of the gap', 'half the window, a smaller gap', 'half the window')
    """
    shares = {nearest_fraction(r) for r in ratios}
    if len(shares) == 1 and None not in shares:
        return f"half the window, about {fraction_words(shares.pop())} of the gap"
    if all(0 < r < 1 for r in ratios):
        return "half the window, a smaller gap"
    return "half the window"


def doubling_caption(f: Callable, params: ZoomToLineParams) -> Narration:
    """The conclusion, with the largest gap of the ReLU sum and of one with twice the pieces (relu_core).

    >>> print(doubling_caption(np.square, ZoomToLineParams(target="x**2", pieces=3)).shown)
    The closer you zoom, the straighter the curve looks, so straight pieces can follow any smooth curve. Twice the pieces, and the largest gap falls from 1 to 0.25, about a quarter.
    """
    lo, hi = params.x_range
    fine = uniform_knots(lo, hi, 2 * params.pieces)
    gaps = [max_error(f, interpolant(f, knots), lo, hi, knots=knots) for knots in (params.knots, fine)]
    lead = "The closer you zoom, the straighter the curve looks, so straight pieces can follow any smooth curve."
    words = {"before": number(gaps[0]), "after": number(gaps[1])}
    if words["before"].shown == "0":
        return fill(lead + " This one is made of straight pieces already.", **words)
    if gaps[1] >= gaps[0]:
        return fill(lead + " Twice the pieces, and the largest gap goes from {before} to {after}.", **words)
    change = Narration(f"falls from {words['before'].shown} to {words['after'].shown}", "falls")
    return fill(lead + f" Twice the pieces, and the largest gap {{change}}, {{to}}{shrink_words(gaps[1] / gaps[0])}.",
                change=change, to=Narration("", "to "))


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
        self.approx = interpolant(self.f, p.knots)
        self.centre, self.width0 = p.window
        self.axes = self.get_full_axes()
        self.box = Rectangle(width=PANEL_WIDTH, height=PANEL_HEIGHT, stroke_color=self.theme.muted,
                             stroke_width=2).move_to([3.45, 0.55, 0])
        x_unit = self.axes.x_length / (self.axes.x_range[1] - self.axes.x_range[0])
        y_unit = self.axes.y_length / (self.axes.y_range[1] - self.axes.y_range[0])
        self.aspect = VIEW_MARGIN * (PANEL_HEIGHT / PANEL_WIDTH) * (x_unit / y_unit)
        self.zoom = ValueTracker(self.width0)

    def get_full_axes(self) -> Axes:
        """The full view, left: target and approximation over x_range."""
        lo, hi = self.params.x_range
        ys = self.f(np.linspace(lo, hi, 401))
        y_lo, y_hi = float(ys.min()), float(ys.max())
        pad = 0.1 * (y_hi - y_lo or 1.0)
        y_lo, y_hi = np.floor(y_lo - pad), np.ceil(y_hi + pad)
        x_step = max(1, int(np.ceil((hi - lo) / 6)))
        y_step = max(1, int(np.ceil((y_hi - y_lo) / 5)))
        bottom = self.header_y() + 0.45
        return fit_axes(lambda w, h: get_axes([lo, hi, x_step], [int(y_lo), int(y_hi), y_step], width=w, height=h),
                        (AXES_LEFT, AXES_RIGHT, bottom, AXES_TOP))

    def header_y(self) -> float:
        """The height of the table's header: its zooms + 1 rows end just above TABLE_BOTTOM."""
        return TABLE_BOTTOM + ROW_STEP * (self.params.zooms + 1)

    def current_view(self) -> PanelView:
        return get_view(self.f, self.centre, self.zoom.get_value(), self.aspect, self.box)

    def get_panel(self) -> VGroup:
        """What the magnifier shows now: the curve, the window's line and its two knots."""
        view, w = self.current_view(), self.zoom.get_value()
        line = window_line(self.f, self.centre, w)
        curve = get_curve(view, self.f, samples=121)
        straight = get_relu_graph(view, line, color=self.theme.approx, stroke_width=4)
        ends = np.array([self.centre - w / 2, self.centre + w / 2])
        dots = VGroup(*(Dot(view.c2p(x, y), radius=0.07, color=self.theme.kink)
                        for x, y in zip(ends, line(ends))))
        return VGroup(curve, straight, dots)

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

    def get_error_readout(self) -> VGroup:
        """'max gap in the window: 0.0625', live, from window_error (relu_core.max_error)."""
        label = get_tex("max gap in the window:", color=self.theme.error, font_size=FONT_SIZE.body)
        number = Readout(window_error(self.f, self.centre, self.width0), decimals=4, color=self.theme.error,
                         font_size=FONT_SIZE.formula)
        number.value_source = lambda: window_error(self.f, self.centre, self.zoom.get_value())
        number.add_updater(lambda m: m.set_value(m.value_source()))
        group = VGroup(label, number).arrange(RIGHT, buff=0.2)
        return group.next_to(self.box, DOWN, buff=0.35)

    def get_row(self, width: float) -> VGroup:
        """One row of the table: window width and the max gap, from relu_core."""
        error = window_error(self.f, self.centre, width)
        cells = (get_formula(format_number(width, 3), font_size=FONT_SIZE.body),
                 get_formula(format_number(error, 3), color=self.theme.error, font_size=FONT_SIZE.body))
        return VGroup(*cells)

    def place_row(self, row: VGroup, index: int) -> VGroup:
        for cell, column in zip(row, self.columns):
            cell.move_to([column.get_center()[0], self.header.get_center()[1] - ROW_STEP * (index + 1), 0])
        return row

    # -- beats ----------------------------------------------------------------------------------
    def show_curve(self) -> None:
        self.say(*Narration("Does this work for any smooth curve? Take this one, and zoom in."))
        self.curve = get_curve(self.axes, self.f)
        label = get_formula(f"y = {self.f.latex}", color=self.theme.target)
        label.next_to(self.axes, UP, buff=0.25).align_to(self.axes, LEFT)
        self.play(Create(self.axes), run_time=TIMING.create)
        self.play(Create(self.curve), FadeIn(label), run_time=TIMING.create)

    def show_relu_approximation(self) -> None:
        lo, hi = self.params.x_range
        error = max_error(self.f, self.approx, lo, hi, knots=self.params.knots)
        kinks = len(self.approx.breakpoints())  # a knot where the curve runs straight needs no kink
        self.say(*fill("A ReLU sum with {kinks} kinks follows it in straight pieces; its largest gap is {gap}.",
                       kinks=Narration(str(kinks), spoken_integer(kinks)), gap=number(error)))
        self.approx_graph = get_relu_graph(self.axes, self.approx, stroke_width=4)
        dots = get_kink_dots(self.axes, self.approx)
        self.play(Create(self.approx_graph), FadeIn(dots, lag_ratio=0.1), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def look_at_one_piece(self) -> None:
        if number(window_error(self.f, self.centre, self.width0)).shown == "0":
            self.say(*Narration("Look closely at one piece: here the curve is as straight as its line."))
        else:
            self.say(*Narration("Look closely at one piece: the curve bulges away from its straight line."))
        marker = always_redraw(self.get_view_marker)
        panel = always_redraw(self.get_panel)
        self.readout = self.get_error_readout()
        self.play(Create(marker), run_time=TIMING.transform)
        self.play(Create(self.box), FadeIn(panel), FadeIn(self.readout), run_time=TIMING.create)
        self.header = VGroup(get_label("window", color=self.theme.muted, font_size=FONT_SIZE.small),
                             get_label("max gap", color=self.theme.muted, font_size=FONT_SIZE.small))
        self.header.arrange(RIGHT, buff=1.2).move_to([self.axes.get_center()[0], self.header_y(), 0])
        self.columns = list(self.header)
        self.rows = [self.place_row(self.get_row(self.width0), 0)]
        self.play(FadeIn(self.header), FadeIn(self.rows[0]))
        self.wait(TIMING.pause)

    def halve_the_window(self) -> None:
        w = self.zoom.get_value()
        before, after = (window_error(self.f, self.centre, v) for v in (w, w / 2))
        self.say(*halving_caption(before, after, again=len(self.rows) > 1))
        if len(self.rows) == 1:
            widths = [self.width0 / 2 ** i for i in range(self.params.zooms + 1)]
            gaps = [window_error(self.f, self.centre, v) for v in widths]
            ratios = [b / a if a > 0 else 0.0 for a, b in zip(gaps, gaps[1:])]
            self.rule = get_label(halving_rule(ratios), color=self.theme.highlight,
                                  font_size=FONT_SIZE.label)
            self.rule.next_to(self.box, UP, buff=0.3).align_to(self.box, RIGHT)
            self.play(FadeIn(self.rule, shift=0.2 * UP))
        self.play(self.zoom.animate.set_value(w / 2), run_time=2 * TIMING.transform)
        row = self.place_row(self.get_row(w / 2), len(self.rows))
        self.rows.append(row)
        self.play(FadeIn(row, shift=0.2 * UP), run_time=TIMING.transform / 2)
        self.wait(TIMING.pause / 2)

    def conclude(self) -> None:
        self.say(*doubling_caption(self.f, self.params))
        self.play(Indicate(self.readout, color=self.theme.error, scale_factor=1.1))
        self.wait(TIMING.long_pause)

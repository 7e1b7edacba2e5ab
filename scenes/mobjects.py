"""Drawing helpers: axes, exact ReLU polylines, sampled target curves, formulas. No maths here.

Every curve is a polyline through points relu_core computed: a ReluSum through its exact vertices
(Manim's `axes.plot` samples and smooths, which rounds the kinks; see shared/NOTES.md), a smooth
target through dense samples of itself. Both are clipped exactly to the axes' y-range.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Hashable, Protocol, Sequence

import numpy as np
from manim import Axes, BackgroundRectangle, Dot, MathTex, Tex, Text, VGroup, VMobject

from relu_core import clip_polyline

from .style import BACKING_OPACITY, FONT_SIZE, theme
from .typesetting import TYPESET_CACHE_SIZE, typeset

__all__ = ["ReluSource", "fit_axes", "get_axes", "get_relu_graph", "get_curve", "get_polyline", "get_kink_dots",
           "redraw_when_changed", "get_formula", "get_label", "graph_points", "nice_range", "typeset", "TYPESET_CACHE_SIZE", "get_dot",
           "scene_coords", "with_backing"]


class HasVertices(Protocol):
    def vertices(self, lo: float, hi: float) -> np.ndarray: ...


@dataclass(frozen=True, eq=False)
class ReluSource:
    """What a drawn ReLU shape claims to show: `fn` on `axes` for x in `x_range`; a kink dot claims its
    centre lies on fn. Set as `mobject.relu_source` where the shape is built, so the craft check
    (tests/craft.py) can hold every drawn point to relu_core, mid-animation too."""

    axes: Axes
    fn: HasVertices
    x_range: tuple[float, float]
    at_centre: bool = False

    def __deepcopy__(self, memo: dict) -> "ReluSource":
        return self  # copies of the shape (Transform, FadeIn) share it instead of deep-copying the axes


def get_axes(x_range: Sequence[float], y_range: Sequence[float], width: float = 10.0,
             height: float = 5.5, numbers: bool = True) -> Axes:
    """Axes in the theme's muted colour; ranges as Manim's [lo, hi, step]."""
    t = theme()
    axes = Axes(x_range=list(x_range), y_range=list(y_range), x_length=width, y_length=height,
                tips=False,
                axis_config={"color": t.muted, "stroke_width": 2, "include_numbers": numbers,
                             "font_size": FONT_SIZE.small})
    for axis in (axes.get_x_axis(), axes.get_y_axis()):
        for number in getattr(axis, "numbers", ()):  # absent when numbers=False
            number.set_color(t.muted)
    return axes


def scene_coords(axes: Axes, points: np.ndarray) -> np.ndarray:
    """Scene points (k, 3) of data points (k, 2): `axes.c2p` of each, in one vectorised call (the same
    floats, a tenth of the time for a 401-point curve).

    >>> axes = get_axes([-3, 3, 1], [-1, 9, 2], numbers=False)
    >>> bool(np.array_equal(scene_coords(axes, np.array([[1.0, 2.0]])), [axes.c2p(1.0, 2.0)]))
    True
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if not len(points):  # no kink in view: Manim's coords_to_point takes no empty array
        return np.zeros((0, 3))
    return np.asarray(axes.coords_to_point(points)).reshape(-1, 3)


def get_polyline(axes: Axes, points: np.ndarray, color: str, stroke_width: float = 5) -> VMobject:
    """One VMobject through data points (k, 2), clipped to the axes' y-range; corners stay sharp."""
    y_lo, y_hi = axes.y_range[0], axes.y_range[1]
    line = VMobject(color=color, stroke_width=stroke_width)
    for i, run in enumerate(clip_polyline(points, y_lo, y_hi)):
        scene_points = scene_coords(axes, run)
        if i == 0:
            line.set_points_as_corners(scene_points)
        else:
            line.start_new_path(scene_points[0])
            line.add_points_as_corners(scene_points[1:])
    return line


def get_relu_graph(axes: Axes, fn: HasVertices, color: str | None = None,
                   x_range: Sequence[float] | None = None, stroke_width: float = 5) -> VMobject:
    """The exact graph of a piecewise-linear function: a polyline through `fn.vertices(lo, hi)`."""
    lo, hi = x_range if x_range is not None else axes.x_range[:2]
    line = get_polyline(axes, fn.vertices(lo, hi), color or theme().approx, stroke_width)
    line.relu_source = ReluSource(axes, fn, (lo, hi))
    return line


def get_curve(axes: Axes, f: Callable[[np.ndarray], np.ndarray], color: str | None = None,
              x_range: Sequence[float] | None = None, samples: int = 401,
              stroke_width: float = 5) -> VMobject:
    """A smooth target drawn through `samples` exact points of it (no spline overshoot)."""
    lo, hi = x_range if x_range is not None else axes.x_range[:2]
    xs = np.linspace(lo, hi, samples)
    ys = np.asarray(f(xs), dtype=float) * np.ones_like(xs)
    keep = np.isfinite(ys)
    return get_polyline(axes, np.column_stack([xs[keep], ys[keep]]), color or theme().target,
                        stroke_width)


def graph_points(axes: Axes, line: VMobject) -> np.ndarray:
    """The data coordinates (k, 2) of a drawn line's anchors: what tests compare with relu_core."""
    anchors = np.vstack([line.get_start_anchors(), line.get_end_anchors()[-1:]])
    return np.array([axes.p2c(p)[:2] for p in anchors])


def get_kink_dots(axes: Axes, fn: HasVertices, x_range: Sequence[float] | None = None,
                  radius: float = 0.06) -> VGroup:
    """A dot on every interior corner of fn's graph inside the axes."""
    lo, hi = x_range if x_range is not None else axes.x_range[:2]
    y_lo, y_hi = axes.y_range[:2]
    corners = fn.vertices(lo, hi)[1:-1]
    corners = corners[(corners[:, 1] >= y_lo) & (corners[:, 1] <= y_hi)]
    source = ReluSource(axes, fn, (lo, hi), at_centre=True)
    dots = [get_dot(point, radius, theme().kink) for point in scene_coords(axes, corners)]
    for dot in dots:
        dot.relu_source = source
    return VGroup(*dots)


_dot_templates: dict[tuple[float, str], Dot] = {}


def get_dot(point: np.ndarray, radius: float, color: str) -> Dot:
    """`Dot(point, radius=radius, color=color)`, as a shifted copy of one built at the origin.

    The same points and colours (a Dot builds its circle at the origin, then moves it), in 0.03 ms
    instead of 0.2: ZoomToLine places a hundred kink dots a frame.

    >>> a, b = get_dot(np.array([1.0, 2.0, 0.0]), 0.07, "#FF0000"), Dot([1.0, 2.0, 0.0], radius=0.07, color="#FF0000")
    >>> np.array_equal(a.points, b.points), a.get_fill_color() == b.get_fill_color()
    (True, True)
    """
    template = _dot_templates.get((radius, color))
    if template is None:
        template = _dot_templates[(radius, color)] = Dot(radius=radius, color=color)
    return template.copy().shift(point)


def get_formula(tex: str, color: str | None = None, font_size: int | None = None) -> MathTex:
    """A formula in the theme's text colour, sized for a projector."""
    return typeset(MathTex, tex, color=color or theme().text, font_size=font_size or FONT_SIZE.formula)


def get_label(text: str, color: str | None = None, font_size: int | None = None) -> Text:
    """Plain words on screen (Pango, no LaTeX)."""
    return typeset(Text, text, color=color or theme().text, font_size=font_size or FONT_SIZE.body)


def get_tex(text: str, color: str | None = None, font_size: int | None = None) -> Tex:
    """Words with inline maths, like 'the kink sits at $x = -b/a$'."""
    return typeset(Tex, text, color=color or theme().text, font_size=font_size or FONT_SIZE.body)


def with_backing(mob: VMobject, buff: float = 0.06) -> VGroup:
    """`mob` on a box of the background colour (BACKING_OPACITY), so a label stays readable where it
    lies over a coloured surface; moving the group moves both.

    >>> from manim import Square
    >>> box, square = with_backing(Square(side_length=1.0), buff=0.1)
    >>> round(float(box.width), 2), bool(box.get_fill_opacity() == BACKING_OPACITY)
    (1.2, True)
    """
    box = BackgroundRectangle(mob, color=theme().background, fill_opacity=BACKING_OPACITY, buff=buff)
    return VGroup(box, mob)


def nice_range(lo: float, hi: float, ticks: int = 5) -> list[float | int]:
    """An axis range [lo', hi', step] covering [lo, hi] with about `ticks` steps of 1, 2 or 5 × 10^k.

    For axes fitted to data (a user's target): the ends land on whole steps, so tick labels read cleanly.

    >>> nice_range(0.0, 3.7), nice_range(-1.2, 54.6, ticks=6), nice_range(0, 0.9)
    ([0, 4, 1], [-10, 60, 10], [0.0, 1.0, 0.2])
    """
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"need a finite range, got [{lo}, {hi}]")
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    raw = (hi - lo) / max(int(ticks), 1)
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    start, stop = np.floor(lo / step + 1e-9) * step, np.ceil(hi / step - 1e-9) * step
    # Whole numbers as ints, so Manim labels the ticks "2", not "2.0".
    return [int(round(v)) if step >= 1 else float(v) + 0.0 for v in (start, stop, step)]


def fit_axes(build: Callable[[float, float], Axes], box: tuple[float, float, float, float]) -> Axes:
    """Axes whose lines and tick labels fill `box` (left, right, bottom, top): built once to measure
    how far the labels reach past the lines, then rebuilt that much smaller (so labels keep their size)."""
    left, right, bottom, top = box
    axes = build(right - left, top - bottom)
    for _ in range(2):  # the labels' reach barely changes with the lengths: a second pass settles it
        (x0, y0), (x1, y1) = (axes.c2p(axes.x_range[0], axes.y_range[0])[:2],
                              axes.c2p(axes.x_range[1], axes.y_range[1])[:2])
        reach = (x0 - axes.get_left()[0], axes.get_right()[0] - x1, y0 - axes.get_bottom()[1],
                 axes.get_top()[1] - y1)
        axes = build(right - left - reach[0] - reach[1], top - bottom - reach[2] - reach[3])
    lower_left = axes.c2p(axes.x_range[0], axes.y_range[0])
    return axes.shift(np.array([left + reach[0], bottom + reach[2], 0.0]) - lower_left)


def redraw_when_changed(build: Callable[[], VMobject], key: Callable[[], Hashable]) -> VMobject:
    """`always_redraw(build)`, built again only when `key()` changes: the values the shape is drawn
    from (tracker values, a stage number). While something else on screen moves it keeps its points,
    where always_redraw builds the very same shape again every frame (ZoomToLine: 4 in 10 of them).

    >>> from manim import ValueTracker
    >>> x, built = ValueTracker(1.0), []
    >>> dot = redraw_when_changed(lambda: built.append(1) or Dot([x.get_value(), 0, 0]), x.get_value)
    >>> _ = dot.update(), x.set_value(2.0), dot.update(), dot.update()
    >>> len(built), float(dot.get_center()[0])
    (2, 2.0)
    """
    mobject, drawn_from = build(), [key()]

    def update(mob: VMobject) -> None:
        now = key()
        if now != drawn_from[0]:
            drawn_from[0] = now
            mob.become(build())

    return mobject.add_updater(update)

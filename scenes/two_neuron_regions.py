"""TwoNeuronRegions: the seed-002 net cuts the input plane into four regions, and its output folds.

Each neuron switches on one side of its own kink line W[i]·x = 0; the two lines cut the plane into the
question's four cases, and on each ŷ is one linear map. Lifted to height ŷ the four flat pieces meet in
folds right above the kink lines: piecewise linear, not one plane, so not linear regression.

For contrast the view then shows the one plane the question expected: the least-squares plane
through the net's outputs on a grid (relu_core's `fit_plane`), which cuts through the folded pieces.

The 3-D view is drawn in a plain scene: the four exact polygons (relu_core's `surface_polygons`)
projected to 2-D with numpy each frame and painted far to near by a BSP tree (scenes/surface3d.py;
shared/NOTES.md: a ThreeDScene with a Surface is very slow).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn,
                   FadeOut, Square, ValueTracker, VGroup, VMobject, Write,
                   smooth)

from relu_core import format_number
from relu_core.interaction import polynomial_latex
from relu_core.two_neuron import CASE_NEURONS, CASES, PlaneFit, TwoNeuronNet

from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import get_formula, get_label, with_backing
from scenes.speech import Narration, number, spoken_integer
from scenes.style import FONT_SIZE, TIMING, safe_edges
from scenes.surface3d import (Piece, SurfaceView, get_depth_sorted, get_height_labels, height_axis_pieces,
                              inner_ticks, project)
from scenes.surface3d import _set_polyline

__all__ = ["TwoNeuronRegionsParams", "TwoNeuronRegions", "PlaneView", "project", "label_position",
           "count_pieces", "region_captions", "plane_caption", "FIT_SAMPLES"]

PLANE_SIZE = 5.6          # scene units across the input square in the flat view
PLANE_CENTER = np.array([-2.7, -0.6, 0.0])
FILL_OPACITY = 0.45
TILT = np.deg2rad(62)     # elevation of the 3-D view (0 looks straight down)
TURN = np.deg2rad(-35)    # azimuth the 3-D view starts from; the view then swings to -TURN
FIT_SAMPLES = 41          # grid points a side for the least-squares plane
PLANE_OPACITY = 0.55      # the contrast plane's fill: the pieces behind it still show


@dataclass(frozen=True)
class TwoNeuronRegionsParams:
    """The knobs of TwoNeuronRegions; the defaults are relu_core's SEED_NET on [-2, 2]²."""

    W: tuple[tuple[float, float], tuple[float, float]] = knob(
        ((1.0, 1.0), (1.0, -1.0)), "hidden weights, one row per neuron: neuron i computes "
        "z_i = W[i][0]·x1 + W[i][1]·x2; no row all 0")
    v: tuple[float, float] = knob((1.0, -0.5), "output weights: ŷ = v1·g(z1) + v2·g(z2)")
    x_range: tuple[float, float] = tweak("x_range", (-2.0, 2.0), note="the square of inputs drawn")

    def __post_init__(self) -> None:
        check_knobs(self)
        if any(row == (0.0, 0.0) for row in self.W):
            raise ValueError("each neuron needs a non-zero weight, or it has no kink line to draw")

    @property
    def net(self) -> TwoNeuronNet:
        """The relu_core net these weights make (bias-free, as in seed 002)."""
        return TwoNeuronNet(W=self.W, v=self.v)


def label_position(polygon: np.ndarray, width: float, height: float,
                   margin: float = 0.0, samples: int = 41) -> tuple[np.ndarray, float]:
    """Where a width×height box fits best in a convex CCW polygon: (centre, scale ≤ 1).

    For each candidate centre c on a grid over the polygon, the largest scale s with every corner of
    the s-scaled box at least `margin` inside every edge is min over edges of
    (n·c + d - margin) / (|n_x| w/2 + |n_y| h/2). The best centre gets the largest s (capped at 1);
    among full-size fits, the one nearest the polygon's centroid.

    >>> centre, scale = label_position(np.array([[0., 0.], [4., 0.], [4., 2.], [0., 2.]]), 2.0, 1.0)
    >>> centre.tolist(), scale
    ([2.0, 1.0], 1.0)
    """
    poly = np.asarray(polygon, dtype=float)
    edges = np.roll(poly, -1, axis=0) - poly
    normals = np.column_stack([-edges[:, 1], edges[:, 0]])          # inward for a CCW polygon
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    offsets = -np.sum(normals * poly, axis=1)
    lo, hi = poly.min(axis=0), poly.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], samples), np.linspace(lo[1], hi[1], samples))
    centres = np.column_stack([gx.ravel(), gy.ravel()])
    reach = np.abs(normals[:, 0]) * width / 2 + np.abs(normals[:, 1]) * height / 2
    scale = np.min((centres @ normals.T + offsets - margin) / reach, axis=1)
    scale = np.minimum(scale, 1.0)
    centroid = poly.mean(axis=0)
    distance = np.linalg.norm(centres - centroid, axis=1)
    best = np.lexsort((distance, -np.round(scale, 6)))[0]
    return centres[best], float(scale[best])


class PlaneView(SurfaceView):
    """The SurfaceView of a net on [lo, hi]²: its tallest output rises 0.4 of the square's side.

    At lift = elevation = azimuth = 0, zoom = 1 a point (x1, x2) lands where the flat input plane drew it.
    """

    def __init__(self, net: TwoNeuronNet, lo: float, hi: float, center: np.ndarray = PLANE_CENTER,
                 size: float = PLANE_SIZE) -> None:
        heights = np.concatenate([p[:, 2] for p in net.surface_polygons(lo, hi).values() if len(p)])
        super().__init__(lo, hi, float(np.max(np.abs(heights))) if len(heights) else 0.0, center, size)
        self.net = net


def count_pieces(net: TwoNeuronNet, lo: float, hi: float) -> tuple[int, int]:
    """(regions, planes) on the square [lo, hi]²: the non-empty cases, and how many different linear maps they have.

    >>> count_pieces(TwoNeuronNet(W=((1.0, 1.0), (1.0, -1.0)), v=(1.0, -0.5)), -2, 2)
    (4, 4)
    >>> count_pieces(TwoNeuronNet(W=((1.0, 1.0), (1.0, -1.0)), v=(1.0, -0.5)), 1, 2)  # both neurons on
    (2, 2)
    """
    cases = [case for case, polygon in net.regions(lo, hi).items() if len(polygon)]
    maps = {tuple(np.round(np.append(*net.linear_map(case)), 9)) for case in cases}
    return len(cases), len(maps)


def region_captions(net: TwoNeuronNet, lo: float, hi: float) -> tuple[Narration, Narration, Narration]:
    """The words of the regions, the lift and the answer, counted from relu_core's regions of this net.

    >>> print(region_captions(TwoNeuronNet(W=((1.0, 1.0), (1.0, -1.0)), v=(1.0, -0.5)), -2, 2)[2].shown)
    So is it just linear regression? No: one plane cannot fold. This net is four flat pieces, folded where the neurons switch.
    """
    regions, planes = count_pieces(net, lo, hi)
    count, pieces = spoken_integer(regions), spoken_integer(planes)
    if regions == 4:
        cut = "The two lines cut the plane into the question's four cases."
    else:
        cut = f"In this square the lines leave {'only one' if regions == 1 else count} of the question's four cases."
    cases = Narration(cut + " In each one, ŷ is a single linear map.",
                      cut + " In each one, the output y hat is a single linear map.")
    if planes > 1:
        lift = Narration(f"Lift each region to its height ŷ: {pieces} flat pieces, folded right above the kink lines.",
                         f"Lift each region to its height y hat: {pieces} flat pieces, folded right above "
                         "the kink lines.")
        answer = Narration("So is it just linear regression? No: one plane cannot fold. "
                           f"This net is {pieces} flat pieces, folded where the neurons switch.")
    else:
        lift = Narration("Lift each region to its height ŷ: here the pieces line up into one flat plane.",
                         "Lift each region to its height y hat: here the pieces line up into one flat plane.")
        answer = Narration("So is it just linear regression? Here, yes: these weights give one plane. "
                           "Other weights fold it.")
    return cases, lift, answer


def plane_latex(fit: PlaneFit) -> str:
    """The fitted plane as a formula: ŷ = U₁x₁ + U₂x₂ (+ offset), relu_core's numbers.

    >>> plane_latex(PlaneFit((0.25, 0.75), 0.0, 41, 2.0))
    '\\\\hat y = 0.25x_1 + 0.75x_2'
    """
    return r"\hat y = " + polynomial_latex({(1, 0): fit.U[0], (0, 1): fit.U[1], (0, 0): fit.offset})


def _spoken_plane(fit: PlaneFit) -> str:
    """The plane's formula as the voice says it: 'y hat equals 0.25 x one plus 0.75 x two'."""
    parts = [(c, name) for c, name in ((fit.U[0], " x one"), (fit.U[1], " x two"), (fit.offset, ""))
             if format_number(c) != "0"]
    if not parts:
        return "y hat equals zero"
    words = "y hat equals"
    for i, (c, name) in enumerate(parts):
        sign = ("minus " if c < 0 else "") if i == 0 else (" minus " if c < 0 else " plus ")
        words += (" " if i == 0 else "") + sign + number(abs(c)).voice + name
    return words


def plane_caption(fit: PlaneFit) -> Narration:
    """The contrast plane's words: what was fitted, on which grid, and how far the net is from it.

    >>> print(plane_caption(PlaneFit((0.25, 0.75), 0.0, 41, 2.0)).shown)
    The question expected one plane. The best one, by least squares on a 41×41 grid, is ŷ = 0.25x₁ + 0.75x₂. The net is up to 2 away from it.
    """
    formula = ("ŷ = " + polynomial_latex({(1, 0): fit.U[0], (0, 1): fit.U[1], (0, 0): fit.offset})
               .replace("x_1", "x₁").replace("x_2", "x₂"))
    grid = f"{fit.samples}×{fit.samples}"
    lead = (f"The question expected one plane. The best one, by least squares on a {grid} grid, is {formula}.")
    said = (f"The question expected one plane. The best one, by least squares on a {spoken_integer(fit.samples)} "
            f"by {spoken_integer(fit.samples)} grid, is {_spoken_plane(fit)}.")
    miss = number(fit.max_miss)
    if miss.shown == "0":
        return Narration(lead + " Here it is the net itself.", said + " Here it is the net itself.")
    return Narration(f"{lead} The net is up to {miss.shown} away from it.",
                     f"{said} The net is up to {miss.voice} away from it.")


class TwoNeuronRegions(ExplainerScene):
    """The four activation regions of a 2-2-1 ReLU net, and its output folded along the kink lines."""

    params = TwoNeuronRegionsParams()
    description = "Seed 002: two neurons cut the plane into four cases; the output is four folded planes"
    title = "Two neurons, four cases"

    def construct(self) -> None:
        self.draw_kink_lines()
        self.fill_four_regions()
        self.lift_into_folded_surface()
        self.show_regression_plane()
        self.swing_around_the_folds()

    # -- building pieces ------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        p = self.params
        self.net = p.net
        self.lo, self.hi = p.x_range
        self.view = PlaneView(self.net, self.lo, self.hi)
        self.fit = self.net.fit_plane(self.lo, self.hi, FIT_SAMPLES)
        self.plane_shown = ValueTracker(0.0)

    def get_floor(self) -> VGroup:
        """The input square's outline and the x1, x2 axes through 0 (when 0 is inside), following the view."""
        t, view, lo, hi = self.theme, self.view, self.lo, self.hi
        outline = VMobject(color=t.muted, stroke_width=2)
        corners = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]])
        axis_x, axis_x2 = VMobject(color=t.muted, stroke_width=2), VMobject(color=t.muted, stroke_width=2)
        zero = min(max(0.0, lo), hi)
        # on backing boxes: lifted, the surface lies over the floor's far end, where these stay on top
        x1_label = with_backing(get_formula("x_1", color=t.muted, font_size=FONT_SIZE.label))
        x2_label = with_backing(get_formula("x_2", color=t.muted, font_size=FONT_SIZE.label))
        pad = 0.12 * (hi - lo)

        def update(group: VGroup) -> None:
            # work on the group's own parts: animations update copies of it too
            outline, axis_x, axis_x2, x1_label, x2_label = group.submobjects
            _set_polyline(outline, view.flat(corners), closed=True)
            _set_polyline(axis_x, view.flat(np.array([[lo, zero], [hi, zero]])))
            _set_polyline(axis_x2, view.flat(np.array([[zero, lo], [zero, hi]])))
            x1_label.move_to(view.flat(np.array([[hi + pad, zero]]))[0])
            x2_label.move_to(view.flat(np.array([[zero, hi + pad]]))[0])

        group = VGroup(outline, axis_x, axis_x2, x1_label, x2_label)
        update(group)
        group.add_updater(update)
        return group

    def get_regions(self) -> VGroup:
        """One filled polygon per non-empty case, the case's theme colour; lifted to height ŷ by the view.

        The submobjects are re-sorted far-to-near every frame (painter's order).
        """
        t, view = self.theme, self.view
        pieces = {case: poly for case, poly in self.net.surface_polygons(self.lo, self.hi).items() if len(poly)}
        mobs = {case: VMobject(color=t.regions[case - 1], fill_color=t.regions[case - 1],
                               fill_opacity=FILL_OPACITY, stroke_width=2) for case in pieces}
        for case, mob in mobs.items():
            mob.case = case

        def update(group: VGroup) -> None:
            # work on the group's own parts (animations update copies of it too), far ones first
            depth = {}
            for mob in group.submobjects:
                scene, d = view.to_scene(pieces[mob.case])
                _set_polyline(mob, scene, closed=True)
                depth[mob.case] = float(d.mean())
            group.submobjects.sort(key=lambda mob: depth[mob.case])

        group = VGroup(*mobs.values())
        update(group)
        group.add_updater(update)
        return group

    def fold_points(self, segment: np.ndarray) -> np.ndarray:
        """A kink segment (2, 2) lifted onto the output surface: (k, 3), with a corner where the
        other neuron's line crosses it (ŷ along the segment is linear on each side of that point)."""
        z_ends = self.net.pre_activations(segment)          # (2 ends, 2 neurons)
        ts = [0.0, 1.0]
        for i in range(2):
            a, b = z_ends[:, i]
            if a * b < 0:                                   # this neuron switches along the segment
                ts.append(a / (a - b))
        ts = np.array(sorted(ts))
        points = segment[0] + ts[:, None] * (segment[1] - segment[0])
        return np.column_stack([points, self.net(points)])

    def get_kink_lines(self, on_surface: bool = False, color: str | None = None,
                       stroke_width: float | None = None) -> VGroup:
        """Each neuron's kink line: on the floor (ŷ = 0), or lifted onto the surface (the folds)."""
        t, view = self.theme, self.view
        group = VGroup()
        for segment in self.net.kink_segments(self.lo, self.hi):
            if not len(segment):
                continue
            points = self.fold_points(segment) if on_surface else np.column_stack([segment, [0.0, 0.0]])
            line = VMobject(color=color or t.kink, stroke_width=stroke_width or (5 if on_surface else 4))
            line.data_points = points

            def update(mob: VMobject) -> None:
                _set_polyline(mob, view.to_scene(mob.data_points)[0])

            update(line)
            line.add_updater(update)
            group.add(line)
        return group

    def get_kink_labels(self) -> VGroup:
        """'z_i = 0' just outside the square, beyond the end of each neuron's line."""
        t, labels = self.theme, VGroup()
        mid = np.array([(self.lo + self.hi) / 2] * 2)
        for i, segment in enumerate(self.net.kink_segments(self.lo, self.hi)):
            if not len(segment):
                continue
            end = segment[np.argmax(segment[:, 1] + 1e-6 * segment[:, 0])]  # the upper end
            direction = (end - mid) / (np.linalg.norm(end - mid) or 1.0)
            label = get_formula(f"z_{i + 1} = 0", color=t.kink, font_size=FONT_SIZE.label)
            label.move_to(self.view.flat(end)[0])
            label.shift(np.append(direction, 0.0) * (0.25 + label.width / 2))
            labels.add(label)
        return labels

    def get_neuron_equations(self) -> VGroup:
        """z_i = W[i]·x for each neuron, in relu_core's numbers, and what ŷ is."""
        t = self.theme
        rows = VGroup(*(get_formula(f"z_{i + 1} = " + polynomial_latex({(1, 0): w[0], (0, 1): w[1]}),
                                    font_size=FONT_SIZE.formula - 4) for i, w in enumerate(self.net.W)))
        v1, v2 = self.net.v
        output = get_formula(r"\hat y = " + polynomial_latex({(1, 0): v1, (0, 1): v2})
                             .replace("x_1", "g(z_1)").replace("x_2", "g(z_2)"),
                             color=t.approx, font_size=FONT_SIZE.formula - 4)
        return VGroup(*rows, output).arrange(DOWN, aligned_edge=LEFT, buff=0.3)

    def get_region_labels(self) -> VGroup:
        """Per case, 'case k' over which neurons are on there (the seed's list), inside its region and
        clear of the kink lines, at full size: the words on one line or two; a region too small for
        them gets its number only, or no label.

        Each label keeps its `case` and its `centre` (x1, x2).
        """
        t, labels, unit = self.theme, VGroup(), self.view.unit
        for case, poly in self.net.regions(self.lo, self.hi).items():
            if not len(poly):
                continue
            words = CASE_NEURONS[case]
            for lines in ((f"case {case}", words), (f"case {case}", *words.split(" ", 1)), (str(case),)):
                label = VGroup(*(get_label(line, color=t.text, font_size=FONT_SIZE.small) for line in lines))
                label.arrange(DOWN, buff=0.1)
                label = with_backing(label, buff=0.08)
                centre, scale = label_position(poly, label.width / unit, label.height / unit, margin=0.12 / unit)
                if scale >= 1.0:
                    break
            else:
                continue  # not even the number fits: the legend names the case
            label.move_to(self.view.flat(centre)[0])
            label.case, label.centre = case, centre
            labels.add(label)
        return labels

    def get_legend(self) -> VGroup:
        """Case k: its linear map, a swatch in the region's colour (the seed's list of four outputs)."""
        t, rows = self.theme, VGroup()
        for case in CASES:
            swatch = Square(0.3, color=t.regions[case - 1], fill_opacity=1.0, stroke_width=0)
            formula = get_formula(rf"{case}:\ " + self.net.case_formula_numeric(case),
                                  font_size=FONT_SIZE.label)
            rows.add(VGroup(swatch, formula).arrange(RIGHT, buff=0.2))
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22)

    def height_ticks(self) -> np.ndarray:
        """The ŷ axis's tick values: whole steps covering the net's outputs and the plane's on the square."""
        heights = [p[:, 2] for p in self.net.surface_polygons(self.lo, self.hi).values() if len(p)]
        heights.append(self.plane_corners()[:, 2])
        return inner_ticks(float(np.min(np.concatenate(heights))), float(np.max(np.concatenate(heights))))

    def plane_corners(self) -> np.ndarray:
        """The fitted plane over the square's corners: (4, 3) points (x1, x2, U·x + offset)."""
        lo, hi, fit = self.lo, self.hi, self.fit
        square = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]])
        return np.column_stack([square, square @ np.array(fit.U) + fit.offset])

    def get_pieces(self) -> list[Piece]:
        """Everything the 3-D view paints, in data coordinates: the four pieces, the fitted plane, the floor
        (outline, x1 and x2 axes through 0, the kink lines), the folds, and the ŷ axis at the back corner."""
        lo, hi, net = self.lo, self.hi, self.net
        pieces = [Piece(poly, "face", f"case{case}") for case, poly in net.surface_polygons(lo, hi).items()
                  if len(poly)]
        pieces.append(Piece(self.plane_corners(), "face", "plane"))

        def segments(points: np.ndarray, style: str, closed: bool = False) -> list[Piece]:
            ends = np.roll(points, -1, axis=0) if closed else points[1:]
            return [Piece(np.array([a, b]), "line", style) for a, b in zip(points[:len(ends)], ends)]

        zero = min(max(0.0, lo), hi)
        floor = np.array([[lo, lo, 0], [hi, lo, 0], [hi, hi, 0], [lo, hi, 0]], dtype=float)
        pieces += segments(floor, "floor", closed=True)
        pieces += segments(np.array([[lo, zero, 0], [hi, zero, 0]]), "floor")
        pieces += segments(np.array([[zero, lo, 0], [zero, hi, 0]]), "floor")
        for segment in net.kink_segments(lo, hi):
            if len(segment):
                pieces += segments(np.column_stack([segment, [0.0, 0.0]]), "floor_kink")
                pieces += segments(self.fold_points(segment), "fold")
        return pieces + height_axis_pieces(lo, hi, self.height_ticks())

    def get_surface(self) -> VGroup:
        """The 3-D view's painted parts (get_pieces), far to near each frame. The pieces turn opaque as
        they lift (flat, the floor's lines show through them); the plane shows as `plane_shown` rises."""
        t, lift, shown = self.theme, self.view.lift, self.plane_shown
        styles = {f"case{case}": dict(fill_color=t.regions[case - 1], fill_opacity=FILL_OPACITY,
                                      stroke_color=t.regions[case - 1], stroke_width=1.5) for case in CASES}
        styles.update(plane=dict(fill_color=t.term, fill_opacity=0.0, stroke_color=t.term, stroke_width=3,
                                 stroke_opacity=0.0),
                      floor=dict(stroke_color=t.muted, stroke_width=2),
                      floor_kink=dict(stroke_color=t.muted, stroke_width=3),
                      fold=dict(stroke_color=t.kink, stroke_width=5),
                      axis=dict(stroke_color=t.muted, stroke_width=2.5, stroke_opacity=0.0))

        def restyle(mob: VMobject) -> None:
            style, up = mob.fragment.style, min(max(lift.get_value(), 0.0), 1.0)
            if style.startswith("case"):
                mob.set_fill(opacity=FILL_OPACITY + (1 - FILL_OPACITY) * up)
            elif style == "plane":
                mob.set_fill(opacity=PLANE_OPACITY * shown.get_value()).set_stroke(opacity=shown.get_value())
            elif style == "axis":
                mob.set_stroke(opacity=up)

        return get_depth_sorted(self.view, self.get_pieces(), styles, restyle)

    def get_height_labels(self) -> VGroup:
        """'ŷ' above the ŷ axis and its tick values beside it, following the view."""
        t, ticks = self.theme, self.height_ticks()
        numbers = [get_formula(format_number(tick), color=t.muted, font_size=FONT_SIZE.small) for tick in ticks]
        return get_height_labels(self.view, ticks, get_formula(r"\hat y", color=t.muted, font_size=FONT_SIZE.label),
                                 numbers)

    def get_plane_note(self) -> VGroup:
        """What the plane is, in the plane's colour: the fit, its grid, its formula, and its largest miss."""
        t, fit = self.theme, self.fit
        rows = VGroup(get_label(f"least squares, {fit.samples}×{fit.samples} grid:", color=t.term,
                                font_size=FONT_SIZE.small),
                      get_formula(plane_latex(fit), color=t.term, font_size=FONT_SIZE.label),
                      get_label(f"net up to {format_number(fit.max_miss)} away", color=t.term,
                                font_size=FONT_SIZE.small))
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    # -- beats ------------------------------------------------------------------------------
    def draw_kink_lines(self) -> None:
        self.say(*Narration("Now two inputs, x₁ and x₂. Each neuron has a kink line, where its z is 0: "
                            "it is zero on one side, and active on the other.",
                            "Now two inputs, x one and x two. Each neuron has a kink line, where its z is zero: "
                            "it is zero on one side, and active on the other."))
        self.title = get_label("Two neurons, two kink lines", font_size=FONT_SIZE.title)
        self.title.move_to([0, safe_edges()[1] - 0.05 - self.title.height / 2, 0])
        self.floor = self.get_floor()
        self.kinks = self.get_kink_lines()
        self.kink_labels = self.get_kink_labels()
        self.equations = self.get_neuron_equations()
        self.equations.move_to(RIGHT * (1.6 + self.equations.width / 2) + UP * 1.9)
        self.add(self.floor)
        self.play(Write(self.title), FadeIn(self.floor), run_time=TIMING.pause)
        self.play(Create(self.kinks), FadeIn(self.kink_labels), FadeIn(self.equations[:2]),
                  run_time=TIMING.create)
        self.play(FadeIn(self.equations[2]), run_time=TIMING.pause)
        self.wait(TIMING.pause)

    def fill_four_regions(self) -> None:
        self.say(*region_captions(self.net, self.lo, self.hi)[0])
        self.regions = self.get_regions()
        self.labels = self.get_region_labels()
        self.legend = self.get_legend()
        self.legend.next_to(self.equations, DOWN, buff=0.5).align_to(self.equations, LEFT)
        self.remove(self.kinks)
        self.add(self.regions, self.kinks)
        self.play(FadeIn(self.regions), run_time=TIMING.create)
        self.play(FadeIn(self.labels, lag_ratio=0.25), FadeIn(self.legend, lag_ratio=0.25), run_time=TIMING.create)
        self.wait(TIMING.long_pause + TIMING.pause)

    def lift_into_folded_surface(self) -> None:
        self.say(*region_captions(self.net, self.lo, self.hi)[1])
        view = self.view
        new_title = get_label("Is it just linear regression?", font_size=FONT_SIZE.title)
        new_title.move_to(self.title)
        self.play(FadeOut(self.labels), FadeOut(self.kink_labels), FadeOut(self.equations),
                  FadeOut(self.title), run_time=TIMING.pause / 2)
        # the painted 3-D view takes over from the flat drawing; flat, it looks the same
        self.surface, self.heights = self.get_surface(), self.get_height_labels()
        self.remove(self.regions, self.kinks)
        for line in self.floor[:3]:  # the floor's lines are painted with the rest now; its labels stay
            line.set_stroke(opacity=0.0)
        self.add(self.surface, self.floor)  # the axis names stay readable on top
        self.folds = [m for m in self.surface if m.fragment.style == "fold"]
        legend_top = safe_edges()[1] - 0.9
        self.play(view.lift.animate.set_value(1.0), view.elevation.animate.set_value(TILT),
                  view.azimuth.animate.set_value(TURN), view.zoom.animate.set_value(0.78),
                  self.legend.animate.shift(UP * (legend_top - self.legend.get_top()[1])),
                  FadeIn(new_title), FadeIn(self.heights), run_time=3 * TIMING.transform, rate_func=smooth)
        self.title = new_title
        self.wait(TIMING.pause)

    def show_regression_plane(self) -> None:
        self.say(*plane_caption(self.fit))
        self.plane_note = self.get_plane_note()
        self.plane_note.next_to(self.legend, DOWN, buff=0.4).align_to(self.legend, LEFT)
        self.play(self.plane_shown.animate.set_value(1.0), FadeIn(self.plane_note), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def swing_around_the_folds(self) -> None:
        self.say(*region_captions(self.net, self.lo, self.hi)[2])
        planes = count_pieces(self.net, self.lo, self.hi)[1]
        lines = ((f"No: {spoken_integer(planes)} flat pieces,", "folded above the kink lines.") if planes > 1
                 else ("Here one plane:", "these weights do not fold."))
        answer = VGroup(*(get_label(text, color=self.theme.highlight, font_size=FONT_SIZE.label)
                          for text in lines))
        answer.arrange(DOWN, aligned_edge=LEFT, buff=0.15).next_to(self.plane_note, DOWN, buff=0.4)
        answer.align_to(self.legend, LEFT)
        overhang = answer.get_right()[0] - (safe_edges()[0] - 0.05)
        if overhang > 0:  # a long answer moves left rather than past the safe area
            answer.shift(overhang * LEFT)
        self.play(FadeIn(answer), run_time=TIMING.pause / 2)
        self.play(self.view.azimuth.animate.set_value(-TURN), run_time=6.0, rate_func=smooth)
        self.wait(TIMING.pause)

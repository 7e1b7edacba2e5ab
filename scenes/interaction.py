"""Interaction: how ReLUs make the x1·x2 term that a sin neuron's Taylor series has.

Seed 000's question: sin(w0 + w1 x1 + w2 x2) "would contain all kinds of combinations of different
powers of the features", among them x1·x2. ReLUs make the same kind of term: x1·x2 = ((x1 + x2)² -
(x1 - x2)²)/4, with each square replaced by the seeds' h_n. On the plane one ReLU unit is a ridge,
and the product is a saddle of flat facets (relu_core's exact pieces, painted by scenes/surface3d.py).
Heat maps with signed colour bars compare the ReLU product with the true product, and the error map
shows it stays under 1/16 where |x1| + |x2| <= n.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, Rectangle,
                   SurroundingRectangle, Transform, VGroup, Write, ManimColor, VMobject, MathTex, smooth)

from relu_core import format_number
from relu_core.interaction import (ReluProduct, polynomial_latex, product_error_grid, ridge_facets,
                                   taylor_coefficients, taylor_latex)

from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import get_axes, get_curve, get_formula, get_label, get_relu_graph, get_tex
from scenes.speech import Narration, fill, fraction_words, number, spoken_integer, subscript
from scenes.style import FONT_SIZE, TIMING, safe_edges, theme
from scenes.surface3d import (Piece, SurfaceView, get_depth_sorted, get_height_labels,
                              height_axis_pieces, inner_ticks)

__all__ = ["InteractionParams", "Interaction", "split_terms", "heat_rgb", "level_blocks", "get_heat_map",
           "get_colour_bar", "interaction_index", "signed", "SAMPLES", "TAYLOR_ORDER"]

SAMPLES = 61         # grid points a side for each heat map
TAYLOR_ORDER = 3     # Taylor terms up to this degree; the x1·x2 term has degree 2
MAX_TERMS_SHOWN = 6  # Taylor terms written before '+ ⋯'
MAP_SIZE = 3.4       # scene units a side for each heat map
BAR_HEIGHT = 0.22    # the colour bar under each map
VIEW_CENTER = np.array([-2.6, -0.5, 0.0])  # the 3-D view of the ridge and the saddle
VIEW_SIZE = 4.6
TILT = np.deg2rad(60)
TURN = np.deg2rad(-30)
LOOK_ALIKE = 0.05    # the maps 'look alike' when the largest error is under this share of the colour scale


@dataclass(frozen=True)
class InteractionParams:
    """The knobs of Interaction; the defaults make the explainer's clip."""

    steps: int = tweak("steps", 3, min=1, max=8, note="each square is h_n (2n ReLUs), the product 4n")
    w: tuple[float, float, float] = knob((1.0, 1.0, 1.0), "(w0, w1, w2) of the sin neuron "
                                         "sin(w0 + w1·x1 + w2·x2); its x1·x2 coefficient is -sin(w0)·w1·w2")
    x_range: tuple[float, float] = tweak("x_range", (-1.5, 1.5), min=-10, max=10, max_width=20,
                                         note="the square of inputs in the heat maps")

    def __post_init__(self) -> None:
        check_knobs(self)
        if format_number(taylor_coefficients(self.w, 2)[(1, 1)]) == "0":
            raise ValueError(f"with w = {self.w} the sin neuron has no x1·x2 term (-sin(w0)·w1·w2 = 0): "
                             "take w1, w2 not 0 and w0 not a multiple of π")


def split_terms(tex: str) -> list[str]:
    """A polynomial_latex string cut into its terms, each keeping its sign: they join back to it.

    >>> split_terms('x_1 + x_2 - 0.5x_1 x_2 + \\\\cdots')
    ['x_1', ' + x_2', ' - 0.5x_1 x_2', ' + \\\\cdots']
    """
    pieces = re.split(r"( [+-] )", tex)
    return [pieces[0]] + [sign + term for sign, term in zip(pieces[1::2], pieces[2::2])]


def interaction_index(terms: list[str]) -> int | None:
    """Which term is the x1·x2 term (not x1²x2 or x1x2²), or None.

    >>> interaction_index(['x_1', ' - 0.5x_1^{2} x_2', ' - 0.841x_1 x_2'])
    2
    """
    for i, term in enumerate(terms):
        if term.endswith("x_1 x_2") and "^" not in term:
            return i
    return None


def heat_rgb(values: np.ndarray, vmax: float, negative: str, positive: str, zero: str) -> np.ndarray:
    """Values (rows, cols) → uint8 RGB: zero colour at 0, blending to `positive` at +vmax, `negative` at -vmax.

    >>> heat_rgb(np.array([[0.0, 1.0, -1.0]]), 1.0, "#0000FF", "#FF0000", "#000000").tolist()
    [[[0, 0, 0], [255, 0, 0], [0, 0, 255]]]
    """
    rgb = {name: np.array(ManimColor(c).to_rgb()) for name, c in
           (("neg", negative), ("pos", positive), ("zero", zero))}
    t = np.clip(np.asarray(values, dtype=float) / vmax, -1.0, 1.0)[..., None]
    far = np.where(t >= 0, rgb["pos"], rgb["neg"])
    colour = rgb["zero"] + np.abs(t) * (far - rgb["zero"])
    return np.round(colour * 255).astype(np.uint8)


def signed(value: float) -> str:
    """A colour bar's end as LaTeX, its sign always written: '+2.25', '-2.25', '0'.

    >>> signed(2.25), signed(-2.25), signed(0.0)
    ('+2.25', '-2.25', '0')
    """
    text = format_number(value)
    return text if text == "0" or text.startswith("-") else "+" + text


def get_colour_bar(lo: float, hi: float, negative: str, positive: str, width: float = MAP_SIZE,
                   steps: int = 48) -> VGroup:
    """A horizontal colour bar from lo to hi in a heat map's colours (get_heat_map with vmax = max(|lo|, |hi|)),
    labelled with its ends, signs written, and 0 when 0 lies inside. `ends` holds (lo, hi).

    Each part's `value_source` says which number it shows (the craft checks compare them).
    """
    t = theme()
    vmax = max(abs(lo), abs(hi)) or 1.0
    values = np.linspace(lo, hi, steps)
    rgb = heat_rgb(values[None, :], vmax, negative, positive, t.background)[0]
    cells = VGroup(*(Rectangle(width=width / steps * 1.02, height=BAR_HEIGHT, stroke_width=0, fill_opacity=1.0,
                               fill_color="#{:02X}{:02X}{:02X}".format(*colour)) for colour in rgb))
    cells.arrange(RIGHT, buff=-width / steps * 0.02)
    bar = VGroup(cells, Rectangle(width=width, height=BAR_HEIGHT, color=t.muted, stroke_width=1.5))
    labels = VGroup()
    for value, edge in ((lo, bar.get_left()), (hi, bar.get_right())) + (((0.0, None),) if lo < 0 < hi else ()):
        label = get_formula(signed(value), color=t.muted, font_size=FONT_SIZE.small)
        x = edge[0] if edge is not None else bar.get_left()[0] + (0 - lo) / (hi - lo) * width
        label.next_to([x, bar.get_bottom()[1], 0], DOWN, buff=0.1)
        if edge is not None:  # the ends' labels stay within the bar's width
            label.shift(RIGHT * (label.width / 2 if value == lo else -label.width / 2))
        label.value_source, label.value_format = (lambda v=value: v), signed
        labels.add(label)
    group = VGroup(bar, labels)
    group.ends = (lo, hi)
    return group


def level_blocks(level: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """Cover a grid of levels with rectangles of one level each: (level, row0, col0, row1, col1), the
    ends exclusive. Runs of one level along each row, each merged with the same run in the rows below it.

    >>> level_blocks(np.array([[1, 1, 2], [1, 1, 2], [3, 1, 2]]))
    [(1, 0, 0, 2, 2), (1, 2, 1, 3, 2), (2, 0, 2, 3, 3), (3, 2, 0, 3, 1)]
    """
    rows, cols = level.shape
    open_runs: dict[tuple[int, int, int], int] = {}  # (col0, col1, level) -> the row it started in
    blocks = []
    for r in range(rows + 1):
        runs = set()
        if r < rows:
            edges = np.flatnonzero(np.diff(level[r])) + 1
            starts, ends = np.concatenate([[0], edges]), np.concatenate([edges, [cols]])
            runs = {(int(a), int(b), int(level[r, a])) for a, b in zip(starts, ends)}
        for run in [run for run in open_runs if run not in runs]:
            c0, c1, k = run
            blocks.append((k, open_runs.pop(run), c0, r, c1))
        for run in runs:
            open_runs.setdefault(run, r)
    return sorted(blocks)


def _rectangles(boxes: np.ndarray) -> np.ndarray:
    """Closed rectangle outlines for boxes (k, 4) of (left, bottom, right, top), as cubic Bézier points
    (16 a rectangle) for one VMobject."""
    x0, y0, x1, y1 = boxes.T
    corners = np.stack([np.column_stack(c) for c in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))], axis=1)
    starts, ends = corners[:, :-1], corners[:, 1:]  # (k, 4, 2): the four sides
    # straight Bézier segments: handles at thirds
    segment = np.stack([starts, (2 * starts + ends) / 3, (starts + 2 * ends) / 3, ends], axis=2)  # (k, 4, 4, 2)
    segment = segment.reshape(-1, 16, 2)
    return np.concatenate([segment, np.zeros(segment.shape[:2] + (1,))], axis=2).reshape(-1, 3)


def get_heat_map(values: np.ndarray, vmax: float, negative: str, positive: str,
                 size: float = MAP_SIZE, levels: int = 24, mask: np.ndarray | None = None) -> VGroup:
    """A heat map of a grid whose rows follow x2 upwards (np.meshgrid 'xy'), framed, centred at ORIGIN.

    Drawn as one filled VMobject per colour level, its cells merged into rectangles (level_blocks): few
    mobjects and few points, so it renders fast. (ImageMobject cannot be drawn here: Manim 0.22's camera
    calls Image.fromarray with a mode the installed Pillow rejects.) Cells where `mask` is False are
    drawn in the muted colour.
    """
    t = theme()
    rows, cols = values.shape
    cell = size / max(rows, cols)
    level = np.round(np.clip(values / vmax, -1, 1) * levels).astype(int)
    if mask is not None:
        level = np.where(mask, level, levels + 1)   # one extra level: the masked cells
    blocks = np.array(level_blocks(level), dtype=float)
    pad = 0.01 * cell  # a hair of overlap hides seams
    boxes = np.column_stack([blocks[:, 2] * cell - pad, blocks[:, 1] * cell - pad,
                             blocks[:, 4] * cell + pad, blocks[:, 3] * cell + pad]) - size / 2
    bands = VGroup()
    for k in np.unique(level):
        if k == levels + 1:
            colour = t.muted
        else:
            rgb = heat_rgb(np.array([[k / levels]]), 1.0, negative, positive, t.background)[0, 0]
            colour = "#{:02X}{:02X}{:02X}".format(*rgb)
        band = VMobject(fill_color=colour, fill_opacity=1.0, stroke_width=0)
        band.set_points(_rectangles(boxes[blocks[:, 0] == k]))
        band.level = int(k)
        bands.add(band)
    frame = Rectangle(width=size, height=size, color=t.muted, stroke_width=2)
    return VGroup(bands, frame)


class Interaction(ExplainerScene):
    """sin mixes x1 and x2 into x1·x2; ReLUs make the same term from two squares."""

    params = InteractionParams()
    description = "Seed 000: sin's Taylor terms hold x1·x2; ReLUs build it as (h_n(x1+x2) - h_n(x1-x2))/4"
    title = "Where x₁ and x₂ interact"

    def construct(self) -> None:
        self.expand_sin_neuron()
        self.write_product_from_squares()
        self.replace_squares_by_h_n()
        self.raise_one_ridge()
        self.build_the_saddle()
        self.compare_heat_maps()
        self.show_error_map()

    # -- building pieces ------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self.product = ReluProduct(self.params.steps)
        lo, hi = self.params.x_range
        self.X1, self.X2, self.error = product_error_grid(self.product, lo, hi, SAMPLES)
        self.inside = np.abs(self.X1) + np.abs(self.X2) <= self.params.steps  # where 1/16 is promised
        self.ridge_term = next(term for term in self.product.square.terms if term.a > 0)
        self.ridge = ridge_facets(self.ridge_term.a * np.ones(2), self.ridge_term.b, lo, hi)
        self.saddle = self.product.facets(lo, hi)
        top = max(float(np.max(np.abs(np.concatenate([f[:, 2] for f in self.ridge + self.saddle])))), 1e-9)
        self.view = SurfaceView(lo, hi, top, VIEW_CENTER, VIEW_SIZE)

    def get_sin_formula(self):
        """sin(w0 + w1 x1 + w2 x2) ≈ its Taylor terms, split so the x1·x2 term can be coloured."""
        w0, w1, w2 = self.params.w
        inside = polynomial_latex({(0, 0): w0, (1, 0): w1, (0, 1): w2})
        terms = split_terms(taylor_latex(self.params.w, TAYLOR_ORDER, max_terms=MAX_TERMS_SHOWN))
        formula = MathTex(rf"\sin({inside}) \approx", *terms, color=self.theme.text,
                          font_size=FONT_SIZE.formula - 2)
        index = interaction_index(terms)
        formula.interaction = formula[index + 1] if index is not None else None
        return formula

    def get_product_formula(self):
        """p(x1, x2) written as relu_core's ReluProduct.latex()."""
        return get_formula(r"p(x_1, x_2) = " + self.product.latex(), color=self.theme.approx)

    def get_square_inset(self) -> VGroup:
        """h_n beside s² on [-n-1, n+1]: the ReLU square from the earlier scene, drawn exactly."""
        n = self.params.steps
        axes = get_axes([-n - 1, n + 1, n + 1], [0, (n + 1) ** 2, (n + 1) ** 2], width=3.6, height=2.4)
        square = get_curve(axes, np.square, color=self.theme.target, stroke_width=3)
        h_n = get_relu_graph(axes, self.product.square, color=self.theme.approx, stroke_width=4)
        label = get_formula(rf"h_{n}(s) \approx s^2", font_size=FONT_SIZE.label)
        label.next_to(axes, UP, buff=0.15)
        return VGroup(axes, square, h_n, label)

    def get_value_maps(self) -> VGroup:
        """The ReLU product and the true x1·x2 as heat maps on one colour scale, each with its title and a
        colour bar whose ends are the largest |value| of the two maps, signs written."""
        t = self.theme
        relu_values = self.product(self.X1, self.X2)
        true_values = self.X1 * self.X2
        vmax = float(max(np.max(np.abs(true_values)), np.max(np.abs(relu_values))))
        maps = VGroup()
        for values, title in ((relu_values, rf"p(x_1, x_2),\ {self.product.units()}\text{{ ReLUs}}"),
                              (true_values, r"x_1 x_2")):
            heat = get_heat_map(values, vmax, t.approx, t.target)
            caption = get_formula(title, font_size=FONT_SIZE.label).next_to(heat, UP, buff=0.2)
            bar = get_colour_bar(-vmax, vmax, t.approx, t.target).next_to(heat, DOWN, buff=0.2)
            group = VGroup(heat, caption, bar)
            group.values = values
            maps.add(group)
        maps.arrange(RIGHT, buff=0.7, aligned_edge=DOWN)
        return VGroup(maps)

    def get_error_map(self) -> VGroup:
        """|p - x1·x2| on the grid (relu_core's product_error_grid), bright at the bound 1/16, with a colour
        bar from 0 to the bound.

        Outside |x1| + |x2| <= n no bound is promised: those cells are drawn in the muted colour.
        """
        t = self.theme
        bound = self.product.error_bound()
        heat = get_heat_map(self.error, bound, t.error, t.error, mask=self.inside)
        caption = get_formula(r"|p - x_1 x_2|", font_size=FONT_SIZE.label).next_to(heat, UP, buff=0.2)
        bar = get_colour_bar(0.0, bound, t.error, t.error).next_to(heat, DOWN, buff=0.2)
        worst = float(np.max(self.error[self.inside])) if np.any(self.inside) else float("nan")
        note = get_formula(rf"\max = {format_number(worst, 4)} \le \tfrac{{1}}{{16}}",
                           color=t.error, font_size=FONT_SIZE.label)
        beyond = r"\text{ (grey: beyond)}" if not np.all(self.inside) else ""
        where = get_formula(rf"|x_1| + |x_2| \le {self.params.steps}" + beyond, color=t.muted,
                            font_size=FONT_SIZE.small)
        text = VGroup(note, where).arrange(DOWN, buff=0.1).next_to(bar, DOWN, buff=0.2)
        group = VGroup(heat, caption, text, bar)
        group.worst = worst
        return group

    def ridge_latex(self) -> str:
        """The ridge's unit, the first rising term of h_n fed x1 + x2: 'g(x_1 + x_2)'."""
        inner = self.ridge_term.inner_latex()
        return "g(" + ("x_1 + x_2" if inner == "x" else inner.replace("x", "(x_1 + x_2)")) + ")"

    def get_view_axes(self, pieces: list[Piece]) -> tuple[list[Piece], VGroup]:
        """The floor's outline and a height axis for the 3-D view, and their labels (x1, x2, the ticks)."""
        t, view = self.theme, self.view
        lo, hi = self.params.x_range
        heights = np.concatenate([p.points[:, 2] for p in pieces])
        ticks = inner_ticks(float(heights.min()), float(heights.max()))
        floor = np.array([[lo, lo, 0], [hi, lo, 0], [hi, hi, 0], [lo, hi, 0]], dtype=float)
        lines = [Piece(np.array([a, b]), "line", "floor") for a, b in zip(floor, np.roll(floor, -1, axis=0))]
        lines += height_axis_pieces(lo, hi, ticks)
        numbers = [get_formula(format_number(tick), color=t.muted, font_size=FONT_SIZE.small) for tick in ticks]
        heights_labels = get_height_labels(view, ticks, get_formula(r"\text{height}", color=t.muted,
                                                                     font_size=FONT_SIZE.small), numbers)
        pad = 0.12 * (hi - lo)
        x1 = get_formula("x_1", color=t.muted, font_size=FONT_SIZE.label)
        x2 = get_formula("x_2", color=t.muted, font_size=FONT_SIZE.label)

        def place(group: VGroup) -> None:
            x1, x2 = group.submobjects
            # beside the front edge and the right edge: seen from the front, clear of the surface
            x1.move_to(view.to_scene(np.array([[(lo + hi) / 2, lo - pad, 0.0]]))[0][0])
            x2.move_to(view.to_scene(np.array([[hi + pad, (lo + hi) / 2, 0.0]]))[0][0])

        names = VGroup(x1, x2)
        place(names)
        names.add_updater(place)
        return lines, VGroup(heights_labels, names)

    def get_surface(self, facets: list[np.ndarray], colour: str) -> VGroup:
        """Flat facets (k, 3) in one colour, shaded by their tilt so the folds read, with the view's axes."""
        t = self.theme
        faces = [Piece(f, "face", f"face{i}") for i, f in enumerate(facets)]
        lines, labels = self.get_view_axes(faces)
        styles = dict(floor=dict(stroke_color=t.muted, stroke_width=2),
                      axis=dict(stroke_color=t.muted, stroke_width=2.5))
        light = np.array([-0.4, -0.5, 1.0]) / np.linalg.norm([-0.4, -0.5, 1.0])
        for i, f in enumerate(facets):
            normal = np.cross(f[1] - f[0], f[2] - f[0])
            normal = normal / (np.linalg.norm(normal) or 1.0) * np.sign(normal[2] or 1.0)
            shade = 0.3 + 0.7 * max(float(normal @ light), 0.0) ** 2  # facets that turn away are darker
            fill = ManimColor(colour).interpolate(ManimColor(t.background), 1 - shade)
            styles[f"face{i}"] = dict(fill_color=fill, fill_opacity=1.0, stroke_color=t.background, stroke_width=1)
        lift = self.view.lift

        def restyle(mob: VMobject) -> None:
            if mob.fragment.style == "axis":  # a height axis shows once there are heights
                mob.set_stroke(opacity=min(max(lift.get_value(), 0.0), 1.0))

        surface = get_depth_sorted(self.view, faces + lines, styles, restyle)
        return VGroup(surface, labels)

    # -- beats ------------------------------------------------------------------------------
    def maps_caption(self) -> Narration:
        """'look alike' only when the largest error is under LOOK_ALIKE of the colour scale's end."""
        vmax = float(np.max(np.abs(self.X1 * self.X2)))
        lead = "Side by side on the plane: the ReLU product p and the true {x1x2}"
        x1x2 = Narration("x₁x₂", "x one times x two")
        if float(np.max(self.error)) <= LOOK_ALIKE * vmax:
            return fill(lead + " look alike.", x1x2=x1x2)
        return fill(lead + " agree in the middle, and drift apart further out.", x1x2=x1x2)

    def error_caption(self) -> Narration:
        """The error map's words: relu_core's bound and where it holds (the map's note shows the grid's
        largest error), then the moral; no promise where no point of the square is in reach."""
        n, bound = self.params.steps, self.product.error_bound()
        parts = round(1 / bound)
        words = {"bound": Narration(f"1/{parts}", "one " + fraction_words(parts).split()[-1]),
                 "where": Narration(f"|x₁| + |x₂| ≤ {n}",
                                    f"the sizes of x one and x two add up to at most {spoken_integer(n)}")}
        moral = " So kinks make squares, and squares make products."
        if not np.any(self.inside):
            words["nowhere"] = Narration(f"Nowhere in this square is {words['where'].shown}",
                                         f"Nowhere in this square do the sizes of x one and x two add up "
                                         f"to at most {spoken_integer(n)}")
            return fill("{nowhere}, so the bound of {bound} promises nothing here.", **words)
        return fill("Where {where}, the error stays within {bound}." + moral, **words)

    def expand_sin_neuron(self) -> None:
        weight = number(taylor_coefficients(self.params.w, 2)[(1, 1)])  # as the note on screen shows it
        self.say(*fill("Back to the first question: a {sin} neuron mixes its inputs. "
                       "Its Taylor series holds an {x1x2} term, with weight {weight}.",
                       sin=Narration("sin", "sine"), x1x2=Narration("x₁x₂", "x one times x two"), weight=weight))
        t = self.theme
        self.title = get_tex(r"Where does $x_1 x_2$ come from?", font_size=FONT_SIZE.title)
        self.title.move_to([0, safe_edges()[1] - 0.05 - self.title.height / 2, 0])
        formula = self.get_sin_formula()
        if formula.width > 13:
            formula.scale_to_fit_width(13)
        formula.next_to(self.title, DOWN, buff=0.6)
        self.play(Write(self.title), run_time=TIMING.pause)
        self.play(Write(formula), run_time=TIMING.create)
        if formula.interaction is not None:
            box = SurroundingRectangle(formula.interaction, color=t.highlight, buff=0.08)
            c = taylor_coefficients(self.params.w, 2)[(1, 1)]
            note = get_formula(rf"x_1 x_2\text{{ term: }} -\sin(w_0)\,w_1 w_2 = {format_number(c)}",
                               color=t.highlight, font_size=FONT_SIZE.label)
            note.next_to(formula, DOWN, buff=0.4)
            self.play(formula.interaction.animate.set_color(t.highlight), Create(box), FadeIn(note),
                      run_time=TIMING.transform)
            self.sin_parts = VGroup(formula, box, note)
        else:
            self.sin_parts = VGroup(formula)
        self.wait(TIMING.long_pause)

    def write_product_from_squares(self) -> None:
        self.say(*Narration(
            "ReLUs have no such term, but two squares make one: x₁x₂ = ((x₁+x₂)² − (x₁−x₂)²)/4.",
            "ReLUs have no such term, but two squares make one: x one times x two is a quarter of the sum "
            "squared minus the difference squared."))
        self.play(self.sin_parts.animate.scale(0.8).to_edge(UP, buff=1.1), run_time=TIMING.transform)
        self.identity = get_formula(r"x_1 x_2 = \tfrac14\big((x_1 + x_2)^2 - (x_1 - x_2)^2\big)",
                                    font_size=FONT_SIZE.formula)
        self.identity.move_to(LEFT * 2.6 + UP * 0.2)
        self.play(Write(self.identity), run_time=TIMING.create)
        self.wait(TIMING.long_pause)

    def replace_squares_by_h_n(self) -> None:
        n = self.params.steps
        units = self.product.units()
        self.say(*Narration(f"And squares we can already build: replace each one by h{subscript(n)}, the ReLU sum "
                 f"that traces x². That is {units} ReLUs in all.",
                 f"And squares we can already build: replace each one by h {spoken_integer(n)}, the ReLU sum "
                 f"that traces x squared. That is {spoken_integer(units)} ReLUs in all."))
        relu_version = self.get_product_formula()
        relu_version.next_to(self.identity, DOWN, buff=0.5)
        relu_version.align_to(self.identity, LEFT)
        inset = self.get_square_inset().move_to(RIGHT * 4.4 + DOWN * 0.7)
        self.play(Transform(self.identity.copy(), relu_version), run_time=TIMING.transform)
        self.play(FadeIn(inset), run_time=TIMING.transform)
        self.wait(TIMING.long_pause)

    def ridge_caption(self) -> Narration:
        """The ridge's words: one unit of h_n fed x1 + x2 (said in words when it is g(x1 + x2))."""
        plain = self.ridge_term.inner_latex() == "x"
        unit = Narration("g(x₁ + x₂)", "g of x one plus x two") if plain else Narration("a unit of h", "a unit of h")
        return fill("On the plane, one ReLU unit such as {unit} is a ridge: "
                    "flat where its input is negative, a ramp where it is positive.", unit=unit)

    def saddle_caption(self) -> Narration:
        """The saddle's words: 2n ridges each way (h_n's units) and relu_core's count of facets."""
        n, facets = self.params.steps, len(self.saddle)
        return fill("h{n} adds {units} ridges along one diagonal, and the other {units} are taken away "
                    "across it: p is a saddle of {facets} flat facets.",
                    n=Narration(subscript(n), " " + spoken_integer(n)),
                    units=Narration(str(2 * n), spoken_integer(2 * n)),
                    facets=Narration(str(facets), spoken_integer(facets)))

    def raise_one_ridge(self) -> None:
        self.say(*self.ridge_caption())
        t, view = self.theme, self.view
        # the last beat's formulas stay until its words end; then the plane takes the screen
        self.play(*(FadeOut(m) for m in self.mobjects if m is not self.title), run_time=TIMING.pause / 2)
        self.ridge_view = self.get_surface(self.ridge, t.approx)
        formula = get_formula(self.ridge_latex(), color=t.approx).move_to(RIGHT * 3.6 + UP * 1.2)
        words = get_label("one ReLU: a ridge", color=t.muted, font_size=FONT_SIZE.label)
        words.next_to(formula, DOWN, buff=0.3)
        self.unit_text = VGroup(formula, words)
        surface, labels = self.ridge_view
        self.play(FadeIn(surface), FadeIn(labels[1]), FadeIn(self.unit_text), run_time=TIMING.pause)
        self.play(view.lift.animate.set_value(1.0), view.elevation.animate.set_value(TILT),
                  view.azimuth.animate.set_value(TURN), view.zoom.animate.set_value(0.8),
                  run_time=3 * TIMING.transform, rate_func=smooth)
        self.play(FadeIn(labels[0]), run_time=TIMING.pause / 2)  # the height axis's numbers, once spread out
        self.wait(TIMING.pause)

    def build_the_saddle(self) -> None:
        facets = len(self.saddle)
        self.say(*self.saddle_caption())
        t, view = self.theme, self.view
        saddle = self.get_surface(self.saddle, t.approx)
        formula = get_formula(r"p = " + self.product.latex(), color=t.approx, font_size=FONT_SIZE.label)
        formula.move_to(RIGHT * 3.6 + UP * 1.2)
        words = get_label(f"{facets} flat facets", color=t.muted, font_size=FONT_SIZE.label)
        words.next_to(formula, DOWN, buff=0.3)
        text = VGroup(formula, words)
        if text.get_right()[0] > safe_edges()[0] - 0.1:
            text.shift(LEFT * (text.get_right()[0] - safe_edges()[0] + 0.1))
        self.play(FadeOut(self.ridge_view), FadeOut(self.unit_text), run_time=TIMING.pause / 2)
        self.play(FadeIn(saddle), FadeIn(text), run_time=TIMING.pause)
        self.play(view.azimuth.animate.set_value(-TURN), run_time=4.0, rate_func=smooth)
        self.wait(TIMING.pause)
        self.saddle_view = VGroup(saddle, text)

    def compare_heat_maps(self) -> None:
        self.say(*self.maps_caption())
        self.play(FadeOut(self.saddle_view), run_time=TIMING.pause / 2)
        maps = self.get_value_maps()
        maps.next_to(self.title, DOWN, buff=0.45).set_x(-2.05)
        self.maps = maps
        self.play(FadeIn(maps), run_time=TIMING.create)
        self.wait(TIMING.long_pause)

    def show_error_map(self) -> None:
        self.say(*self.error_caption())
        error = self.get_error_map()
        error.next_to(self.maps, RIGHT, buff=0.7)
        error.shift(UP * (self.maps[0][0][0].get_y() - error[0].get_y()))  # heat maps level
        self.play(FadeIn(error), run_time=TIMING.create)
        self.error_map = error
        self.wait(TIMING.long_pause + TIMING.pause)

"""Interaction: how ReLUs make the x1·x2 term that a sin neuron's Taylor series has.

Seed 000's question: sin(w0 + w1 x1 + w2 x2) "would contain all kinds of combinations of different
powers of the features", among them x1·x2. ReLUs make the same kind of term: x1·x2 = ((x1 + x2)² -
(x1 - x2)²)/4, with each square replaced by the seeds' h_n. Heat maps compare the ReLU product with
the true product, and the error map shows it stays under 1/16 where |x1| + |x2| <= n.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, Rectangle,
                   SurroundingRectangle, Transform, VGroup, Write, ManimColor, VMobject, MathTex)

from relu_core import format_number
from relu_core.interaction import (ReluProduct, polynomial_latex, product_error_grid,
                                   taylor_coefficients, taylor_latex)

from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import get_axes, get_curve, get_formula, get_label, get_relu_graph
from scenes.speech import Narration, fill, fraction_words, number, spoken_integer, subscript
from scenes.style import FONT_SIZE, TIMING, safe_edges, theme

__all__ = ["InteractionParams", "Interaction", "split_terms", "heat_rgb", "get_heat_map",
           "interaction_index", "SAMPLES", "TAYLOR_ORDER"]

SAMPLES = 61         # grid points a side for each heat map
TAYLOR_ORDER = 3     # Taylor terms up to this degree; the x1·x2 term has degree 2
MAX_TERMS_SHOWN = 6  # Taylor terms written before '+ ⋯'
MAP_SIZE = 3.8       # scene units a side for each heat map
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


def _cells(centres: np.ndarray, half: float) -> np.ndarray:
    """Closed square outlines around centres (k, 3), as cubic Bézier points (16 a square) for one VMobject."""
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], dtype=float) * half
    starts, ends = corners[:-1], corners[1:]
    # straight Bézier segments: handles at thirds
    segment = np.stack([starts, (2 * starts + ends) / 3, (starts + 2 * ends) / 3, ends], axis=1)  # (4, 4, 2)
    segment = np.concatenate([segment, np.zeros(segment.shape[:2] + (1,))], axis=2).reshape(16, 3)
    return (centres[:, None, :] + segment[None]).reshape(-1, 3)


def get_heat_map(values: np.ndarray, vmax: float, negative: str, positive: str,
                 size: float = MAP_SIZE, levels: int = 24, mask: np.ndarray | None = None) -> VGroup:
    """A heat map of a grid whose rows follow x2 upwards (np.meshgrid 'xy'), framed, centred at ORIGIN.

    Drawn as one filled VMobject per colour level (cells as its sub-paths): few mobjects, so it renders
    fast. (ImageMobject cannot be drawn here: Manim 0.22's camera calls Image.fromarray with a mode
    the installed Pillow rejects.) Cells where `mask` is False are drawn in the muted colour.
    """
    t = theme()
    rows, cols = values.shape
    cell = size / max(rows, cols)
    ys, xs = np.mgrid[0:rows, 0:cols]
    centres = np.column_stack([(xs.ravel() + 0.5) * cell - size / 2, (ys.ravel() + 0.5) * cell - size / 2,
                               np.zeros(rows * cols)])
    level = np.round(np.clip(values.ravel() / vmax, -1, 1) * levels).astype(int)
    if mask is not None:
        level = np.where(mask.ravel(), level, levels + 1)   # one extra level: the masked cells
    bands = VGroup()
    for k in np.unique(level):
        if k == levels + 1:
            colour = t.muted
        else:
            rgb = heat_rgb(np.array([[k / levels]]), 1.0, negative, positive, t.background)[0, 0]
            colour = "#{:02X}{:02X}{:02X}".format(*rgb)
        band = VMobject(fill_color=colour, fill_opacity=1.0, stroke_width=0)
        band.set_points(_cells(centres[level == k], cell * 0.51))  # a hair of overlap hides seams
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
        self.compare_heat_maps()
        self.show_error_map()

    # -- building pieces ------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self.product = ReluProduct(self.params.steps)
        lo, hi = self.params.x_range
        self.X1, self.X2, self.error = product_error_grid(self.product, lo, hi, SAMPLES)
        self.inside = np.abs(self.X1) + np.abs(self.X2) <= self.params.steps  # where 1/16 is promised

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
        """The ReLU product and the true x1·x2 as heat maps on one colour scale, with titles."""
        t = self.theme
        relu_values = self.product(self.X1, self.X2)
        true_values = self.X1 * self.X2
        vmax = float(np.max(np.abs(true_values)))
        maps = VGroup()
        for values, title in ((relu_values, rf"p(x_1, x_2),\ {self.product.units()}\text{{ ReLUs}}"),
                              (true_values, r"x_1 x_2")):
            heat = get_heat_map(values, vmax, t.approx, t.target)
            caption = get_formula(title, font_size=FONT_SIZE.label).next_to(heat, UP, buff=0.2)
            maps.add(VGroup(heat, caption))
        maps.arrange(RIGHT, buff=0.7, aligned_edge=DOWN)
        scale = get_formula(rf"\text{{colour: }} -{format_number(vmax)} \ \dots\ 0\ \dots\ "
                            rf"{format_number(vmax)}", color=t.muted, font_size=FONT_SIZE.small)
        scale.next_to(maps, DOWN, buff=0.25)
        return VGroup(maps, scale)

    def get_error_map(self) -> VGroup:
        """|p - x1·x2| on the grid (relu_core's product_error_grid), bright at the bound 1/16.

        Outside |x1| + |x2| <= n no bound is promised: those cells are drawn in the muted colour.
        """
        t = self.theme
        bound = self.product.error_bound()
        heat = get_heat_map(self.error, bound, t.error, t.error, mask=self.inside)
        caption = get_formula(r"|p - x_1 x_2|", font_size=FONT_SIZE.label).next_to(heat, UP, buff=0.2)
        worst = float(np.max(self.error[self.inside])) if np.any(self.inside) else float("nan")
        note = get_formula(rf"\max = {format_number(worst, 4)} \le \tfrac{{1}}{{16}}",
                           color=t.error, font_size=FONT_SIZE.label)
        where = get_formula(rf"|x_1| + |x_2| \le {self.params.steps}", color=t.muted,
                            font_size=FONT_SIZE.small)
        text = VGroup(note, where).arrange(DOWN, buff=0.1).next_to(heat, DOWN, buff=0.25)
        group = VGroup(heat, caption, text)
        group.worst = worst
        return group

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

    # -- beats ------------------------------------------------------------------------------
    def expand_sin_neuron(self) -> None:
        weight = number(taylor_coefficients(self.params.w, 2)[(1, 1)])  # as the note on screen shows it
        self.say(*fill("Back to the first question: a {sin} neuron mixes its inputs. "
                       "Its Taylor series holds an {x1x2} term, with weight {weight}.",
                       sin=Narration("sin", "sine"), x1x2=Narration("x₁x₂", "x one times x two"), weight=weight))
        t = self.theme
        self.title = get_label("Where does x\u2081x\u2082 come from?", font_size=FONT_SIZE.title)
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
        t = self.theme
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
        t = self.theme
        relu_version = self.get_product_formula()
        relu_version.next_to(self.identity, DOWN, buff=0.5)
        relu_version.align_to(self.identity, LEFT)
        inset = self.get_square_inset().move_to(RIGHT * 4.4 + DOWN * 0.7)
        self.play(Transform(self.identity.copy(), relu_version), run_time=TIMING.transform)
        self.play(FadeIn(inset), run_time=TIMING.transform)
        self.wait(TIMING.long_pause)
        self.play(*(FadeOut(m) for m in self.mobjects if m is not self.title), run_time=TIMING.pause / 2)

    def compare_heat_maps(self) -> None:
        self.say(*self.maps_caption())
        maps = self.get_value_maps()
        maps.next_to(self.title, DOWN, buff=0.8).set_x(-2.25)
        self.maps = maps
        self.play(FadeIn(maps), run_time=TIMING.create)
        self.wait(TIMING.long_pause)

    def show_error_map(self) -> None:
        self.say(*self.error_caption())
        error = self.get_error_map()
        error.next_to(self.maps, RIGHT, buff=0.7)
        error.shift(UP * (self.maps[0][0][0].get_y() - error[0].get_y()))
        self.play(FadeIn(error), run_time=TIMING.create)
        self.error_map = error
        self.wait(TIMING.long_pause + TIMING.pause)

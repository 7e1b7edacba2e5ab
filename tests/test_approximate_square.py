"""Claims about ApproximateSquare: the seeds' h_n drawn exactly, its formula from ReluSum.latex()."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core import parse_function, square_approximation
from scenes.approximate_square import (ApproximateSquare, ApproximateSquareParams, change_formula,
                                       error_decades, get_error_axes, get_error_dot, get_highlight,
                                       get_knot_dots, get_steps, get_sum_formula, step_errors)
from scenes.mobjects import get_axes, get_relu_graph, graph_points


def tex(formula) -> str:
    """The formula's LaTeX without spaces (its parts are joined with one)."""
    return "".join(formula.tex_string.split())


def bare(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def axes(tmp_path_factory):
    from manim import tempconfig
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):  # the axes' numbers need TeX
        return get_axes([-3, 3, 1], [0, 9, 1])


@pytest.fixture(scope="module")
def square_steps():
    return get_steps(ApproximateSquareParams(steps=3))


def test_the_steps_for_x_squared_are_the_seeds_h_1_to_h_n(square_steps):
    assert [s.sum.terms for s in square_steps] == [square_approximation(k).terms for k in (1, 2, 3)]
    assert [s.interval for s in square_steps] == [(-1, 1), (-2, 2), (-3, 3)]
    assert [t.latex() for t in square_steps[1].new_terms] == ["g(2x - 2)", "g(-2x - 2)"]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_every_anchor_of_the_drawn_sum_lies_on_h_k_and_corners_are_its_breakpoints(axes, square_steps, k):
    h = square_steps[k - 1].sum
    points = graph_points(axes, get_relu_graph(axes, h))
    np.testing.assert_allclose(points[:, 1], np.clip(h(points[:, 0]), 0, 9), atol=1e-9)
    np.testing.assert_allclose(points[1:-1, 0], h.breakpoints(), atol=1e-9)  # h_k <= 9 on [-3, 3]: no clipping


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_formula_is_h_k_equals_relu_sum_latex(square_steps, k):
    assert tex(get_sum_formula(square_steps, k)) == bare(f"h_{{{k}}}(x) = " + square_steps[k - 1].sum.latex())


def test_the_formula_shows_the_correct_g_minus_2x_minus_2_not_the_seed_typo(square_steps):
    text = tex(get_sum_formula(square_steps, 2))
    assert "g(-2x-2)" in text and "g(-2x+2)" not in text


def test_a_formula_too_wide_for_the_frame_switches_to_h_previous_plus_new_terms():
    steps = get_steps(ApproximateSquareParams(steps=6))
    formula = get_sum_formula(steps, 6)
    assert tex(formula) == bare("h_{6}(x) = h_{5}(x) + g(2x - 10) + g(-2x - 10)")
    assert formula.width <= 13.0


def test_a_sin_target_grows_from_the_middle_and_matches_it_at_the_knots():
    params = ApproximateSquareParams(target="sin(3*x)", steps=4, x_range=(-2.0, 2.0))
    f = parse_function(params.target)
    steps = get_steps(params)
    assert [len(s.sum.terms) for s in steps] == [2, 4, 6, 8]
    for s in steps:
        knots = np.linspace(*s.interval, 2 * s.k + 1)
        np.testing.assert_allclose(s.sum(knots), f(knots), atol=1e-12)
    assert steps[-1].interval == (-2.0, 2.0)


def test_the_highlight_spans_the_interval_where_h_k_is_best(axes, square_steps):
    band = get_highlight(axes, square_steps[1].interval)
    np.testing.assert_allclose(axes.p2c(band.get_left())[0], -2, atol=1e-9)
    np.testing.assert_allclose(axes.p2c(band.get_right())[0], 2, atol=1e-9)


def moved_rigidly(animation) -> bool:
    """Whether a ReplacementTransform takes every glyph to a copy of itself, only moved (no morph)."""
    sources, targets = animation.mobject.submobjects, animation.target_mobject.submobjects
    if len(sources) != len(targets):
        return False
    for source, target in zip(sources, targets):
        a, b = source.points, target.points
        if a.shape != b.shape or not np.allclose(a - a.mean(axis=0), b - b.mean(axis=0), atol=1e-6):
            return False
    return True


def kinds(animations) -> list[tuple[str, str]]:
    """(animation kind, LaTeX of what it shows or hides) for each animation of a formula change."""
    out = []
    for anim in animations:
        shown = anim.target_mobject if type(anim).__name__ == "ReplacementTransform" else anim.mobject
        out.append((type(anim).__name__, bare(getattr(shown, "tex_string", "") or "glyphs")))
    return out


def test_a_formula_change_moves_the_terms_it_keeps_and_fades_only_what_changes(square_steps):
    h2, h3 = get_sum_formula(square_steps, 2), get_sum_formula(square_steps, 3)
    animations = change_formula(list(h2), list(h3))
    assert kinds(animations) == [("FadeIn", "h_{3}"), ("ReplacementTransform", "(x)="),
                                 ("ReplacementTransform", "g(x)+g(-x)+g(2x-2)+g(-2x-2)"),
                                 ("FadeIn", "+g(2x-4)+g(-2x-4)"), ("FadeOut", "h_{2}")]
    assert all(moved_rigidly(a) for a in animations if type(a).__name__ == "ReplacementTransform")


def test_the_rigid_move_check_catches_a_glyph_morph(square_steps):
    from manim import ReplacementTransform
    h2, h3 = get_sum_formula(square_steps, 2), get_sum_formula(square_steps, 3)
    assert not moved_rigidly(ReplacementTransform(h2[0], h3[0]))  # "h_2" into "h_3": the 2 becomes a 3


def test_a_formula_that_switches_to_h_previous_fades_the_old_sum_out():
    steps = get_steps(ApproximateSquareParams(steps=6))
    animations = change_formula(list(get_sum_formula(steps, 5)), list(get_sum_formula(steps, 6)))
    assert ("FadeIn", "h_{5}(x)") in kinds(animations)
    assert [k for k, _ in kinds(animations)].count("FadeOut") == 3  # h_5's name, its old terms, its new ones


def test_the_error_panel_plots_each_h_k_largest_error_on_a_log_scale(tmp_path_factory):
    from manim import tempconfig
    errors = step_errors(ApproximateSquareParams())
    assert errors == [6.0, 2.0, 0.25]  # |x| misses 9 by 6 at x = ±3, h_2 by 2, h_3 by a quarter
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        axes = get_error_axes(errors)
        dots = [get_error_dot(axes, k, e) for k, e in enumerate(errors, start=1)]
        labels = [bare(m.tex_string) for m in axes.get_y_axis().labels]
    heights = [axes.p2c(dot[0].get_center())[1] + axes.decade_floor for dot in dots]
    np.testing.assert_allclose(np.power(10.0, heights), errors, rtol=1e-9)  # the log axis is honest
    assert [bare(dot[1].tex_string) for dot in dots] == ["6", "2", "0.25"]
    assert labels == ["10^{-1}", "10^{0}", "10^{1}"]
    assert np.power(10.0, heights[0]) / np.power(10.0, heights[-1]) == pytest.approx(24)  # visibly shrinking


@pytest.mark.parametrize("errors, decades", [([6.0, 2.0, 0.25], (-1, 1)), ([19966.0, 14492.0, 3587.0], (3, 5)),
                                             ([1.22, 1.55, 0.927], (-1, 1)), ([0.0], (-1, 0))])
def test_the_error_axis_spans_the_decades_of_the_errors(errors, decades):
    assert error_decades(errors) == decades


def test_a_target_made_of_relus_has_zero_error_at_every_step():
    assert step_errors(ApproximateSquareParams(target="abs(x)")) == [0.0, 0.0, 0.0]


def test_knot_dots_sit_where_h_n_equals_x_squared(axes, square_steps):
    dots = get_knot_dots(axes, square_steps[2].sum, (-3, 3))
    xy = np.array([axes.p2c(d.get_center())[:2] for d in dots])
    np.testing.assert_allclose(xy[:, 0], np.arange(-3, 4), atol=1e-9)
    np.testing.assert_allclose(xy[:, 1], xy[:, 0] ** 2, atol=1e-9)
    assert all(d.relu_source.fn is square_steps[2].sum and d.relu_source.at_centre for d in dots)


def test_each_knot_dot_grows_at_its_own_knot(axes, square_steps):
    from manim import GrowFromCenter
    dot = get_knot_dots(axes, square_steps[2].sum, (-3, 3))[0]
    place = dot.get_center().copy()
    grow = GrowFromCenter(dot)
    grow.begin()
    grow.interpolate(0.5)
    np.testing.assert_allclose(dot.get_center(), place, atol=1e-9)


def test_a_target_too_large_to_label_is_refused_in_one_line():
    ApproximateSquareParams(target="exp(x)", x_range=(0.0, 10.0))  # e^10 = 22026: drawn
    with pytest.raises(ValueError, match=r"^the target 'exp\(x\)' reaches 485165195 on \[0, 20\], more than"):
        ApproximateSquareParams(target="exp(x)", x_range=(0.0, 20.0))


def test_large_numbers_are_typeset_as_digits_not_python_e_notation():
    steps = get_steps(ApproximateSquareParams(target="exp(x)", x_range=(0.0, 10.0)))
    text = tex(get_sum_formula(steps, 3))
    assert "e+" not in text and "8700x" in text


@pytest.mark.parametrize("kwargs", [
    {"steps": 0}, {"steps": 7}, {"steps": 2.5}, {"steps": True},
    {"x_range": (3.0, -3.0)}, {"x_range": (0.0, float("nan"))}, {"x_range": (1.0,)},
    {"target": "x +"}, {"target": "y**2"}, {"target": "1/x"}, {"target": "log(x)"},
    {"target": "exp(x)", "x_range": (0.0, 20.0)},
])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        ApproximateSquareParams(**kwargs)


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    class TwoSteps(ApproximateSquare):
        params = ApproximateSquareParams(steps=2, x_range=(-2.0, 2.0))

    rendered = render_scene(TwoSteps, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    # beats: the target, h1, h2, the losses, the knots
    assert len(subs) == 5
    said = rendered.said()
    assert said.startswith("Now build a curve from hinges. The goal: x²")
    assert "h₁(x) = g(x) + g(-x), which is |x|" in said
    assert "Add g(2x - 2) and g(-2x - 2), which switch on at ±1" in said
    assert "falls from 2 to 0.25" in said  # max error on [-2, 2]: |x| is off by 4 - 2 at x = ±2
    assert "h₂ equals x² at every integer between -2 and 2" in said
    assert all(a.end == b.start for a, b in zip(subs, subs[1:]))
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    scene = rendered.scene
    assert tex(scene.formula) == bare("h_{2}(x) = " + square_approximation(2).latex())
    assert scene.sum_graph in scene.mobjects


def words_of(params: ApproximateSquareParams) -> list:
    """Every beat's narration after the target, without rendering: steps, losses, knots."""
    scene = type("Tweaked", (ApproximateSquare,), {"params": params})()
    return [scene.step_caption(s) for s in get_steps(params)] + [scene.losses_caption(), scene.knots_caption()]


def test_the_narration_speaks_words_where_the_subtitle_shows_symbols():
    *steps, losses, knots = words_of(ApproximateSquareParams(steps=2, x_range=(-2.0, 2.0)))
    assert "which is |x|" in steps[0].shown and "the absolute value of x" in steps[0].voice
    assert "±1" in steps[1].shown and "plus and minus one" in steps[1].voice
    assert losses.voice.endswith("falls from two to zero point two five.")
    assert "at most 0.25" in knots.shown and "at most a quarter" in knots.voice
    assert not any(symbol in n.voice for n in (*steps, losses, knots) for symbol in "²±|₁₂[")


def test_the_loss_words_say_lowers_only_when_every_step_lowers_the_max_error():
    *_, losses, knots = words_of(ApproximateSquareParams(target="sin(3*x)", x_range=(-3.0, 3.0)))
    assert "lowers" not in losses.shown  # 1.22, then 1.55: the second step raised it
    assert "goes from 1.22 to 1.55 to 0.927" in losses.shown
    assert "at most 0.927" in knots.shown

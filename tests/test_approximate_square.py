"""Claims about ApproximateSquare: the seeds' h_n drawn exactly, its formula from ReluSum.latex()."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core import l2_loss, parse_function, square_approximation
from scenes.approximate_square import (ApproximateSquare, ApproximateSquareParams, get_highlight,
                                       get_knot_dots, get_loss_curve, get_steps, get_sum_formula)
from scenes.mobjects import get_axes, get_relu_graph, graph_points


def tex(formula) -> str:
    return " ".join(formula.tex_string.split())


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
    assert tex(get_sum_formula(square_steps, k)) == f"h_{{{k}}}(x) = " + square_steps[k - 1].sum.latex()


def test_the_formula_shows_the_correct_g_minus_2x_minus_2_not_the_seed_typo(square_steps):
    text = tex(get_sum_formula(square_steps, 2))
    assert "g(-2x - 2)" in text and "g(-2x + 2)" not in text


def test_a_formula_too_wide_for_the_frame_switches_to_h_previous_plus_new_terms():
    steps = get_steps(ApproximateSquareParams(steps=6))
    formula = get_sum_formula(steps, 6)
    assert tex(formula) == "h_{6}(x) = h_{5}(x) + g(2x - 10) + g(-2x - 10)"
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


def test_the_loss_curve_is_the_seeds_half_squared_error(axes, square_steps):
    h = square_steps[0].sum
    points = graph_points(axes, get_loss_curve(axes, np.square, h))
    inside = points[:, 1] < 9 - 1e-9
    np.testing.assert_allclose(points[inside, 1], l2_loss(points[inside, 0] ** 2, h(points[inside, 0])), atol=1e-9)


def test_knot_dots_sit_where_h_n_equals_x_squared(axes, square_steps):
    dots = get_knot_dots(axes, square_steps[2].sum, (-3, 3))
    xy = np.array([axes.p2c(d.get_center())[:2] for d in dots])
    np.testing.assert_allclose(xy[:, 0], np.arange(-3, 4), atol=1e-9)
    np.testing.assert_allclose(xy[:, 1], xy[:, 0] ** 2, atol=1e-9)


@pytest.mark.parametrize("kwargs", [
    {"steps": 0}, {"steps": 7}, {"steps": 2.5}, {"steps": True},
    {"x_range": (3.0, -3.0)}, {"x_range": (0.0, float("nan"))}, {"x_range": (1.0,)},
    {"target": "x +"}, {"target": "y**2"}, {"target": "1/x"}, {"target": "log(x)"},
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
    said = " ".join(s.content.replace("\n", " ") for s in subs)
    assert said.startswith("Now build a curve from hinges. The goal: x²")
    assert "h₁(x) = g(x) + g(-x), which is |x|" in said
    assert "Add g(2x - 2) and g(-2x - 2), which switch on at ±1" in said
    assert "falls from 2 to 0.25" in said  # max error on [-2, 2]: |x| is off by 4 - 2 at x = ±2
    assert "h₂ equals x² at every integer between -2 and 2" in said
    assert all(a.end == b.start for a, b in zip(subs, subs[1:]))
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    scene = rendered.scene
    assert tex(scene.formula) == "h_{2}(x) = " + square_approximation(2).latex()
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

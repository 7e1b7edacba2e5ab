"""Claims about ReluUnit: g(ax + b) drawn exactly, its kink at -b/a, formulas from ReluTerm."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core import ReluTerm
from scenes.mobjects import get_axes, graph_points
from scenes.relu_unit import (ReluUnit, ReluUnitParams, get_kink_dot, get_term_formula, get_unit_graph,
                              stop_caption, unit_sum, unit_y_range)

AB = [(1, 0), (2, 0), (2, -2), (-2, -2), (0.5, 1), (-1.3, 0.7)]


@pytest.fixture(scope="module")
def axes(tmp_path_factory):
    from manim import tempconfig
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):  # the axes' numbers need TeX
        return get_axes([-3, 3, 1], [-1, 4, 1])


@pytest.mark.parametrize("a, b", AB)
def test_every_anchor_of_the_drawn_unit_lies_on_g_of_ax_plus_b(axes, a, b):
    points = graph_points(axes, get_unit_graph(axes, a, b))
    clipped = np.clip(np.maximum(a * points[:, 0] + b, 0), -1, 4)
    np.testing.assert_allclose(points[:, 1], clipped, atol=1e-9)


@pytest.mark.parametrize("a, b", AB)
def test_the_drawn_corner_is_exactly_the_kink(axes, a, b):
    corners = unit_sum(a, b).vertices(-3, 3)[1:-1, 0]
    points = graph_points(axes, get_unit_graph(axes, a, b))[:, 0]
    for kink in corners:
        assert np.min(np.abs(points - kink)) < 1e-9
    assert list(corners) == ([ReluTerm(a, b).kink] if -3 < ReluTerm(a, b).kink < 3 else [])


def line_runs_past(axes, a: float, b: float) -> bool:
    """Whether g(ax + b) on the axes' x-range rises above their top (the drawn line would be cut there)."""
    lo, hi = axes.x_range[:2]
    return float(np.max(unit_sum(a, b)(np.array([lo, hi])))) > axes.y_range[1] + 1e-9


@pytest.mark.parametrize("x_range", [(-3.0, 3.0), (-20.0, 20.0), (-1.0, 5.0)])
def test_the_axes_are_tall_enough_for_every_stop(tmp_path_factory, x_range):
    from manim import tempconfig
    params = ReluUnitParams(x_range=x_range)
    scene = type("Tweaked", (ReluUnit,), {"params": params})()
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        axes = scene.get_axes()
    assert list(axes.y_range) == unit_y_range(params)
    assert not any(line_runs_past(axes, a, b) for a, b in zip(params.a_values, params.b_values))
    assert axes.y_range[1] <= 1.5 * max(float(np.max(unit_sum(a, b)(np.array(x_range))))
                                        for a, b in zip(params.a_values, params.b_values))  # no waste


def test_the_tall_enough_check_catches_the_old_fixed_height(axes):
    assert line_runs_past(axes, 2, 0)  # y up to 4: g(2x) reaches 6 at x = 3, as the old 4.5 cut it


def test_kink_dot_sits_at_minus_b_over_a_and_hides_off_screen(axes):
    dot = get_kink_dot(axes, 2, -2)
    np.testing.assert_allclose(axes.p2c(dot.get_center())[:2], [1.0, 0.0], atol=1e-9)
    assert dot.get_fill_opacity() == 1.0
    assert get_kink_dot(axes, 0.1, 1).get_fill_opacity() == 0.0   # kink at -10
    assert get_kink_dot(axes, 0.0, -2).get_fill_opacity() == 0.0  # a = 0: no kink at all


@pytest.mark.parametrize("a, b", AB)
def test_term_formula_is_relu_term_latex(a, b):
    assert get_term_formula(a, b).tex_string == "= " + ReluTerm(a, b).latex()


def test_the_default_stops_end_on_the_seeds_two_terms_with_the_typo_fixed():
    p = ReluUnitParams()
    latex = [ReluTerm(a, b).latex() for a, b in zip(p.a_values, p.b_values)]
    assert latex == ["g(x)", "g(2x)", "g(2x - 2)", "g(-2x - 2)"]


@pytest.mark.parametrize("previous, current, words", [
    ((1, 0), (2, 0), "gets steeper, slope 2"),
    ((2, 0), (2, -2), "kink slides right, to x = -b/a = 1"),
    ((2, -2), (-2, -2), "the ReLU flips, and is now on to the left of its kink, at x = -1"),
    ((-2, -2), (1, 0), "flips back, and is now on to the right"),
    ((1, 0), (3, 1), "Change a and b"),
])
def test_each_stop_says_what_changed(previous, current, words):
    assert words in stop_caption(previous, current).shown


def test_each_stop_speaks_its_numbers_in_words():
    spoken = stop_caption((2, 0), (2, -2)).voice
    assert spoken == "Change b to minus two: the kink slides right, to x equals one."


@pytest.mark.parametrize("kwargs", [
    {"a_values": (1, 2), "b_values": (0,)},
    {"a_values": (), "b_values": ()},
    {"a_values": (1, 0), "b_values": (0, 1)},
    {"a_values": (1, float("nan")), "b_values": (0, 1)},
    {"a_values": tuple(range(1, 10)), "b_values": (0,) * 9},
    {"x_range": (2.0, -2.0)},
    {"x_range": (0.0, float("inf"))},
    {"x_range": (-50.0, 50.0)},
])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        ReluUnitParams(**kwargs)


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    class TwoStops(ReluUnit):
        params = ReluUnitParams(a_values=(1, -1), b_values=(0, 1))

    rendered = render_scene(TwoStops, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    # beats: g, the kink, g(ax + b), one stop, the summary
    assert len(subs) == 5
    said = rendered.said()
    assert said.startswith("The question: a sin neuron makes curved terms")
    assert "Make a negative: the ReLU flips, and is now on to the left of its kink, at x = 1." in said
    assert said.index("ReLU flips") < said.index("So each ReLU is a hinge")
    assert all(a.end == b.start for a, b in zip(subs, subs[1:]))
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    scene = rendered.scene
    assert scene.a.get_value() == -1 and scene.b.get_value() == 1
    assert scene.term_formula.tex_string == "= g(-x + 1)"
    assert scene.live_graph in scene.mobjects
    # The live numbers show the last stop: a = -1, b = 1, and the kink -b/a from ReluTerm.
    a_number, b_number, kink_number = scene.readouts[0][1], scene.readouts[1][1], scene.kink_readout[1]
    assert (a_number.text, b_number.text) == ("-1.00", "1.00")
    assert kink_number.text == f"{ReluTerm(-1, 1).kink:.2f}" == "1.00"

"""Claims about ZoomToLine: exact curves at every zoom, and a gap that quarters when the window halves."""
from __future__ import annotations

import numpy as np
import pytest
from manim import Rectangle

from relu_core import format_number, interpolant, max_error, parse_function
from scenes.mobjects import get_axes, get_kink_dots, get_relu_graph, graph_points
from scenes.speech import shrink_words
from scenes.zoom_to_line import (PanelView, ZoomToLine, ZoomToLineParams, doubling_caption, get_view,
                                 halving_caption, halving_rule, window_error, window_line)

F = parse_function(ZoomToLineParams().target)


@pytest.fixture(scope="module")
def axes(tmp_path_factory):
    from manim import tempconfig
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):  # the axes' numbers need TeX
        return get_axes([-3, 3, 1], [-2, 3, 1])


def test_the_first_window_is_exactly_one_piece_of_the_relu_approximation():
    p = ZoomToLineParams()
    centre, width = p.window
    approx = interpolant(F, p.knots)
    xs = np.linspace(centre - width / 2, centre + width / 2, 11)
    np.testing.assert_allclose(window_line(F, centre, width)(xs), approx(xs), atol=1e-12)


@pytest.mark.parametrize("target", [ZoomToLineParams().target, "exp(x)", "x**2"])
def test_half_the_window_gives_about_a_quarter_of_the_error(target):
    f = parse_function(target)
    errors = [window_error(f, -1.1, 0.75 / 2 ** i) for i in range(4)]
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 3.5) & (ratios < 4.5)), ratios


def test_full_view_anchors_lie_on_the_interpolant_and_corners_are_the_knots(axes):
    p = ZoomToLineParams()
    approx = interpolant(F, p.knots)
    points = graph_points(axes, get_relu_graph(axes, approx))
    np.testing.assert_allclose(points[:, 1], approx(points[:, 0]), atol=1e-9)
    np.testing.assert_allclose(points[1:-1, 0], p.knots[1:-1], atol=1e-9)
    assert len(get_kink_dots(axes, approx)) == p.pieces - 1


@pytest.mark.parametrize("width", [0.75, 0.1, 0.01])
def test_the_panel_line_is_exact_and_its_knots_are_in_view(width):
    box = Rectangle(width=5.6, height=4.0)
    view = get_view(F, -1.125, width, aspect=1.0, box=box)
    line = window_line(F, -1.125, width)
    points = graph_points(view, get_relu_graph(view, line))
    np.testing.assert_allclose(points[:, 1], line(points[:, 0]), atol=1e-9 * width)
    ends = np.array([-1.125 - width / 2, -1.125 + width / 2])
    assert np.all((line(ends) > view.y_range[0]) & (line(ends) < view.y_range[1]))
    assert np.all((ends > view.x_range[0]) & (ends < view.x_range[1]))


def test_panel_view_maps_its_corners_to_the_box_and_back():
    box = Rectangle(width=4, height=2).shift([1, 1, 0])
    view = PanelView((0.0, 2.0), (10.0, 11.0), box)
    np.testing.assert_allclose(view.c2p(0, 10), box.get_corner([-1, -1, 0]))
    np.testing.assert_allclose(view.c2p(2, 11), box.get_corner([1, 1, 0]))
    np.testing.assert_allclose(view.p2c(view.c2p(0.5, 10.25)), [0.5, 10.25])


def test_window_error_is_relu_core_max_error_on_the_window():
    line = window_line(F, 0.3, 0.5)
    assert window_error(F, 0.3, 0.5) == pytest.approx(max_error(F, line, 0.05, 0.55), rel=1e-6)


@pytest.mark.parametrize("kwargs", [
    {"pieces": 1}, {"pieces": 42}, {"pieces": 2.0},
    {"zoom_piece": 0}, {"zoom_piece": 9}, {"zooms": 0}, {"zooms": 5},
    {"x_range": (1.0, 1.0)}, {"x_range": (0.0, float("inf"))},
    {"target": "sin("}, {"target": "sqrt(x)"},
])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        ZoomToLineParams(**kwargs)


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    class OneZoom(ZoomToLine):
        params = ZoomToLineParams(pieces=4, zoom_piece=2, zooms=1)

    rendered = render_scene(OneZoom, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    # beats: the curve, the ReLU sum, one piece, one halving, the conclusion
    assert len(subs) == 5
    said = " ".join(s.content.replace("\n", " ") for s in subs)
    assert said.startswith("Does this work for any smooth curve?")
    assert "A ReLU sum with 3 kinks" in said
    assert "Halve the window: the gap falls from 1.07 to 0.303, about a quarter." in said
    assert "Twice the pieces, and the largest gap falls from 1.07 to 0.267" in said
    assert all(a.end == b.start for a, b in zip(subs, subs[1:]))
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    scene = rendered.scene
    assert scene.zoom.get_value() == pytest.approx(scene.width0 / 2)
    assert len(scene.rows) == 2 and scene.rule in scene.mobjects
    # The live error number shows relu_core's max gap for the final window.
    shown = scene.readout[1].text
    assert shown == f"{window_error(scene.f, scene.centre, scene.width0 / 2):.4f}"


def test_each_halving_says_the_share_of_the_gap_its_own_numbers_leave():
    f = parse_function("sin(3*x)")
    centre, width = 0.5, 0.5
    before, after = window_error(f, centre, width), window_error(f, centre, width / 2)
    words = halving_caption(before, after)
    assert f"from {format_number(before)} to {format_number(after)}" in words.shown
    share = shrink_words(after / before)
    assert words.shown.endswith(f", {share}.") and words.voice == f"Halve the window: the gap falls, to {share}."


def test_the_headline_claims_a_share_only_when_every_halving_shows_it():
    assert halving_rule([0.26, 0.25, 0.25]) == "half the window, about a quarter of the gap"
    assert halving_rule([0.25, 0.12]) == "half the window, a smaller gap"  # not 'a quarter' for both
    assert halving_rule([0.0, 0.0]) == "half the window"                   # a straight piece: no claim


def test_the_conclusion_computes_what_twice_the_pieces_does():
    p = ZoomToLineParams(target="x**2", pieces=3)
    words = doubling_caption(np.square, p)
    assert "falls from 1 to 0.25, about a quarter" in words.shown  # chord gap w²/4 on [-3, 3]: w = 2, then 1
    assert words.voice.endswith("Twice the pieces, and the largest gap falls, to about a quarter.")
    straight = doubling_caption(lambda x: 2 * x, ZoomToLineParams(target="2*x"))
    assert "straight pieces already" in straight.shown

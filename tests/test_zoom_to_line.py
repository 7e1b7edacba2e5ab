"""Claims about ZoomToLine: the panel shows a piece of the sum on the full view at every zoom, and the
words say the shares of the gap this target's own table shows."""
from __future__ import annotations

import numpy as np
import pytest
from manim import Rectangle, ValueTracker, VGroup

from relu_core import interpolant, max_error, parse_function
from scenes.mobjects import get_axes, get_kink_dots, get_label, get_relu_graph, graph_points
from relu_core.zoom import gap_ratios
from scenes.speech import number, shrink_words
from scenes.zoom_to_line import (HEADER_GAP, PanelView, ZoomToLine, ZoomToLineParams, doubling_caption, get_view,
                                 halving_caption, halving_rule, window_error, window_line, zoom_steps)

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


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """A ZoomToLine with its pieces built (no render): the full view's axes need TeX for their numbers."""
    from manim import tempconfig
    from scenes.style import theme
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        built = ZoomToLine()
        built.theme = theme()
        built.setup_pieces()
        yield built


def _drawn(view, line) -> np.ndarray:
    """A drawn polyline's points in data coordinates of `view`."""
    return np.array([view.p2c(p) for p in line.points])


@pytest.mark.parametrize("stage, share, zoom", [(0, 0.0, 0.0), (0, 0.5, 0.0), (0, 1.0, 0.6), (1, 0.0, 0.0),
                                                (2, 1.0, 1.0), (3, 0.0, 0.0)])
def test_the_panel_line_is_the_sum_drawn_on_the_full_view(scene, stage, share, zoom):
    scene.stage, scene.share, scene.zoom = stage, ValueTracker(share), ValueTracker(zoom)
    full = scene.get_full_sum()[0]
    panel = scene.get_panel()
    line, view = panel[1], scene.current_view()
    assert line.relu_source.fn == full.relu_source.fn  # one function: the sum on the full view
    points = _drawn(view, line)
    fn = full.relu_source.fn
    np.testing.assert_allclose(points[:, 1], fn(points[:, 0]), atol=1e-9 * (view.y_range[1] - view.y_range[0]))
    # the full view draws that same function
    full_points = np.array([scene.axes.p2c(p)[:2] for p in full.points])
    np.testing.assert_allclose(full_points[:, 1], fn(full_points[:, 0]), atol=1e-6)
    # the gap segment joins curve and line where the window's gap is largest
    gap = _drawn(view, panel[2])
    lo, hi = scene.current_window()
    assert lo - 1e-12 <= gap[0, 0] <= hi + 1e-12
    assert {round(y, 9) for y in gap[[0, -1], 1]} == {round(float(scene.f(gap[0, 0])), 9),
                                                       round(float(fn(gap[0, 0])), 9)}


def test_after_each_zoom_the_window_is_one_piece_of_the_sum_on_screen(scene):
    for stage, step in enumerate(scene.steps):
        scene.stage, scene.share, scene.zoom = stage, ValueTracker(0.0), ValueTracker(0.0)
        lo, hi = scene.current_window()
        fn = scene.current_approx()
        assert (lo, hi) == step.window and fn is step.approx
        assert not np.any((fn.breakpoints() > lo + 1e-12) & (fn.breakpoints() < hi - 1e-12))
        assert {round(lo, 12), round(hi, 12)} <= set(np.round(fn.breakpoints(), 12)) | set(np.round(
            scene.params.x_range, 12))


def test_the_table_shows_each_gap_as_the_narration_says_it_and_stays_clear_of_the_bottom(scene):
    scene.header = VGroup(*(get_label(name, font_size=22) for name in ("pieces", "window", "max gap")))
    for i, cell in enumerate(scene.header):
        cell.move_to([scene.column_x(i), scene.box.get_bottom()[1] - HEADER_GAP, 0])
    rows = [scene.get_row(step, i) for i, step in enumerate(scene.steps)]
    for step, row in zip(scene.steps, rows):
        assert row[2].tex_string == number(step.gap).shown  # one quantity, one format
    fifth = scene.get_row(scene.steps[-1], 4)  # the most rows a scene has (zooms=4)
    assert fifth.get_bottom()[1] > -3.1  # well above the safe area's edge (-3.6), not at the bottom


def test_the_words_for_sin_3x_say_the_shares_of_its_own_table():
    f = parse_function("sin(3*x)")
    params = ZoomToLineParams(target="sin(3*x)")
    steps = zoom_steps(f, params)
    ratios = gap_ratios(steps)
    words = [shrink_words(r) for r in ratios]
    assert words[0] != words[-1]  # the shares change as the window shrinks: no single rule holds
    rule = halving_rule(ratios)
    assert rule.startswith(f"each halving: {words[0]} of the gap") and rule.endswith(words[-1])
    for i, (before, after) in enumerate(zip(steps, steps[1:])):
        caption = halving_caption(before.gap, after.gap, again=i > 0)
        assert caption.shown.endswith(f"from {number(before.gap).shown} to {number(after.gap).shown}, {words[i]}.")


def test_the_headline_for_a_parabola_says_a_quarter():
    steps = zoom_steps(np.square, ZoomToLineParams(target="x**2"))
    assert halving_rule(gap_ratios(steps)) == "each halving: about a quarter of the gap"


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    class OneZoom(ZoomToLine):
        params = ZoomToLineParams(pieces=4, zoom_piece=2, zooms=1)

    rendered = render_scene(OneZoom, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    # beats: the curve, the ReLU sum, one piece, one halving, the conclusion
    assert len(subs) == 5
    said = rendered.said()
    scene = rendered.scene
    first, last = scene.steps
    assert said.startswith("Does this work for any smooth curve?")
    assert "A ReLU sum with 3 kinks follows it in 4 straight pieces." in said
    assert f"it falls from {number(first.gap).shown} to {number(last.gap).shown}" in said
    assert f"With twice the pieces, this piece's gap fell from {number(first.gap).shown}" in said
    assert all(a.end == b.start for a, b in zip(subs, subs[1:]))
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    assert scene.stage == 1 and len(scene.rows) == 2 and scene.rule in scene.mobjects
    assert scene.current_window() == last.window and scene.current_approx() is last.approx
    assert [row[2].tex_string for row in scene.rows] == [number(first.gap).shown, number(last.gap).shown]


def test_the_conclusion_says_the_first_and_last_gap_of_the_table():
    p = ZoomToLineParams(target="x**2", pieces=3)
    steps = zoom_steps(np.square, p)
    words = doubling_caption(np.square, p)
    assert f"With 8 times the pieces, this piece's gap fell from {number(steps[0].gap).shown} to " \
           f"{number(steps[-1].gap).shown}." in words.shown
    straight = doubling_caption(lambda x: 2 * x, ZoomToLineParams(target="2*x"))
    assert "straight pieces already" in straight.shown

"""RulerAndProtractor: lines add to a line; each kink turns the slope where the weights put it."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core.two_neuron import CASES, SEED_NET
from scenes.mobjects import graph_points, get_relu_graph
from scenes.ruler_and_protractor import (CRUX_POINTS, RULER_LINES, RulerAndProtractor, RulerAndProtractorParams,
                                         bent_target, crux_line, get_case_table, get_ruler, partial_sums,
                                         sum_parts, turn_caption)


def test_target_turns_exactly_at_the_kinks_by_the_turns():
    p = RulerAndProtractorParams()
    target = bent_target(p)
    assert target.breakpoints().tolist() == sorted(p.kinks)
    slopes = target.slopes(*p.x_range)
    assert slopes[0] == p.slope
    assert np.allclose(np.diff(slopes), p.turns)


def test_each_partial_sum_adds_one_kink():
    sums = partial_sums(RulerAndProtractorParams())
    assert [len(s.breakpoints()) for s in sums] == [0, 1, 2, 3]


def test_ruler_lines_add_to_a_straight_line():
    total = RULER_LINES[0] + RULER_LINES[1]
    assert len(total.breakpoints()) == 0 and total.slope == -0.5


def test_drawn_target_lies_on_relu_core_and_its_corners_are_the_kinks():
    scene = RulerAndProtractor()
    axes = scene.get_axes()
    target = bent_target(scene.params)
    points = graph_points(axes, get_relu_graph(axes, target))
    assert np.allclose(points[:, 1], target(points[:, 0]), atol=1e-9)
    assert np.allclose(points[1:-1, 0], sorted(scene.params.kinks))


def test_case_table_shows_relu_core_case_formulas():
    table = get_case_table()
    assert [row[1].tex_string for row in table] == [SEED_NET.case_formula(c) for c in CASES]


@pytest.mark.parametrize("kwargs", [
    {"kinks": (), "turns": ()},
    {"kinks": (0.0, 1.0), "turns": (1.0,)},
    {"kinks": (5.0,), "turns": (1.0,)},
    {"kinks": (0.0, 0.0), "turns": (1.0, 2.0)},
    {"kinks": (0.0,), "turns": (0.0,)},
    {"kinks": tuple(np.linspace(-2, 2, 6)), "turns": (1.0,) * 6},
    {"x_range": (2.0, -2.0)},
    {"slope": float("nan")},
])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        RulerAndProtractorParams(**kwargs)


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    class OneKinkScene(RulerAndProtractor):
        params = RulerAndProtractorParams(kinks=(0.0,), turns=(1.0,))

    rendered = render_scene(OneKinkScene, pixel_width=426)  # libx264 needs an even width (conftest has 427)
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    # beats: ruler, four cases, protractor, one kink, the answer's words
    assert len(subs) == 5
    said = rendered.said()
    assert said.startswith("A second question asks: is a ReLU net just linear regression?")
    assert "which case holds depends on x: U switches as x moves" in said
    assert "Kink 1: at x = 0, the slope turns up by 1, from 0.5 to 1.5." in said
    assert said.index("Kink 1") < said.index("So the answer is no.")
    assert all(a.end == b.start for a, b in zip(subs, subs[1:]))
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    assert len(rendered.scene.kink_dots) == 1


def test_each_kink_says_the_slopes_relu_core_gives_on_either_side():
    # kinks out of order: the second kink (x = -1) is left of the first, so its left slope is the start's
    p = RulerAndProtractorParams(kinks=(1.0, -1.0), turns=(1.0, -2.0))
    first, second = turn_caption(p, 0), turn_caption(p, 1)
    assert first.shown == "Kink 1: at x = 1, the slope turns up by 1, from 0.5 to 1.5."
    assert second.shown == "Kink 2: at x = -1, the slope turns down by 2, from 0.5 to -1.5."
    assert second.voice == ("Kink two: at x equals minus one, the slope turns down by two, "
                             "from zero point five to minus one point five.")


def test_each_protractor_spans_the_turn_relu_core_gives_and_says_its_change_of_slope():
    from scenes.style import theme
    scene = RulerAndProtractor()
    scene.theme, scene.axes = theme(), scene.get_axes()
    p, target = scene.params, bent_target(scene.params)
    for i, (kink, turn) in enumerate(zip(p.kinks, p.turns)):
        arc, label = scene.get_protractor(target, i)
        assert label.tex_string == rf"\Delta\text{{slope}} = {'+' if turn > 0 else '-'}{abs(turn):g}"
        centre = scene.axes.c2p(kink, float(target(kink)))
        left, right = target.slopes(kink - 1e-6, kink + 1e-6)[[0, -1]]
        assert right - left == pytest.approx(turn)
        # the arc runs from the incoming line's direction to the outgoing one's, around the kink
        for end, slope in ((arc.get_start(), left), (arc.get_end(), right)):
            direction = scene.axes.c2p(kink + 1.0, float(target(kink)) + slope) - centre
            assert np.allclose((end - centre) / np.linalg.norm(end - centre),
                               direction / np.linalg.norm(direction), atol=1e-6)


@pytest.mark.parametrize("params", [RulerAndProtractorParams(),
                                    RulerAndProtractorParams(kinks=(1.0, -1.0), turns=(-1.0, 2.0), slope=-1.0)])
def test_the_sum_formula_grows_by_one_part_per_term(params):
    parts = sum_parts(params)
    assert ["".join(parts[:i + 1]) for i in range(len(parts))] == [s.latex() for s in partial_sums(params)]


def test_on_screen_the_old_parts_keep_their_glyphs_and_only_the_new_term_is_new(tmp_path):
    from manim import tempconfig
    from scenes.style import theme
    with tempconfig({"media_dir": str(tmp_path)}):
        scene = RulerAndProtractor()
        scene.theme, scene.sums = theme(), partial_sums(scene.params)
        scene.title = scene.get_title("A protractor")
        before, after = scene.get_sum_formula(1), scene.get_sum_formula(2)
    assert len(after) == len(before) + 1
    for old, new in zip(before, after):  # same shapes, only moved: they slide, nothing morphs
        shift = new.get_center() - old.get_center()
        np.testing.assert_allclose(new.get_all_points(), old.get_all_points() + shift, atol=1e-6)
    scene.formula = before
    animations = scene.grow_formula(after)
    assert type(animations[-1]).__name__ == "FadeIn" and animations[-1].mobject is after[-1]


def test_the_crux_walks_through_all_four_cases_with_relu_core_u():
    cases = [int(SEED_NET.case([p])[0]) for p in CRUX_POINTS]
    assert sorted(cases) == list(CASES)
    for point, case in zip(CRUX_POINTS, cases):
        (u1, u2), _ = SEED_NET.linear_map(case)
        assert rf"\text{{case }} {case}" in crux_line(point)
        assert f"U = ({u1:g},\\ {u2:g})" in crux_line(point)


def test_the_ruler_edge_lies_on_the_sum_of_the_two_lines(tmp_path):
    from manim import tempconfig
    with tempconfig({"media_dir": str(tmp_path)}):
        scene = RulerAndProtractor()
        axes = scene.get_ruler_axes()
    total = RULER_LINES[0] + RULER_LINES[1]
    body, ticks = get_ruler(axes, total)
    for corner in body.get_vertices()[:2]:  # the ruler's edge: its first two corners
        x, y = axes.p2c(corner)[:2]
        assert y == pytest.approx(float(total(x)), abs=1e-6)
    assert len(ticks) > 10

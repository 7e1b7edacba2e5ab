"""DepthCascade draws relu_core's tents, sawtooths and Yarotsky nets exactly, and renders its four beats."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core.depth import (TENT, composition_latex, deep_square, deep_square_error_bound, deep_square_latex,
                             sawtooth, sawtooth_latex, shallow_square, shallow_square_error_bound)
from scenes.depth_cascade import (Blend, DepthCascade, DepthCascadeParams, get_blend_dots, get_deep_formula,
                                  get_composition, get_depth_counter, get_fitted_unit_axes, get_tooth_inset,
                                  get_error_label, get_layer_stack, get_tent_formula, get_unit_axes,
                                  get_units_table, units_rows, compare_caption, stack_caption,
                                  subtract_caption)
from scenes.mobjects import get_kink_dots, get_relu_graph, graph_points


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_drawn_sawtooth_lies_on_relu_core_and_turns_exactly_at_its_breakpoints(k):
    axes, net = get_unit_axes(), sawtooth(k)
    points = graph_points(axes, get_relu_graph(axes, net, x_range=(0, 1)))
    np.testing.assert_allclose(points[:, 1], net(points[:, 0]), atol=1e-9)
    np.testing.assert_allclose(points[1:-1, 0], net.breakpoints(0, 1), atol=1e-9)
    assert len(points) - 1 == net.pieces(0, 1) == 2 ** k


@pytest.mark.parametrize("m", [1, 2, 3])
def test_drawn_deep_square_lies_on_relu_core(m):
    axes, net = get_unit_axes(), deep_square(m)
    points = graph_points(axes, get_relu_graph(axes, net, x_range=(0, 1)))
    np.testing.assert_allclose(points[:, 1], net(points[:, 0]), atol=1e-9)
    np.testing.assert_allclose(points[1:-1, 0], net.breakpoints(0, 1), atol=1e-9)


def test_kink_dots_sit_on_the_sawtooth_corners():
    axes, net = get_unit_axes(), sawtooth(3)
    dots = get_kink_dots(axes, net, x_range=(0, 1))
    centres = np.array([axes.p2c(d.get_center())[:2] for d in dots])
    np.testing.assert_allclose(centres, net.vertices(0, 1)[1:-1], atol=1e-9)


def test_formulas_are_relu_core_latex():
    assert get_tent_formula().tex_string == "T(x) = " + TENT.latex()
    stack = get_layer_stack(3)
    assert stack[2].tex_string == sawtooth_latex(3)
    assert len(stack[1]) == sawtooth(3).depth
    assert get_deep_formula(2).tex_string == "f_2(x) = " + deep_square_latex(2)
    assert get_deep_formula(0).tex_string == "f_0(x) = x"


def test_counter_reads_depth_units_and_pieces_off_the_net():
    texts = [row.text for row in get_depth_counter(sawtooth(4), 4)]
    assert texts == ["depth4", "ReLUunits8", "pieces16", "kinks15"]  # Text drops spaces from .text


def test_the_kink_count_is_the_number_of_kink_dots_drawn():
    axes, net = get_unit_axes(), sawtooth(4)
    shown = get_depth_counter(net, 4)[3].text
    assert shown == f"kinks{len(get_kink_dots(axes, net, x_range=(0, 1)))}"


@pytest.mark.parametrize("k, written", [(1, "T(x)"), (2, "T^{2}(x) = T(T(x))"), (4, "T^{4}(x) = T(T(T(T(x))))")])
def test_the_composition_is_written_out_as_nested_tents(k, written):
    assert composition_latex(k) == written == get_composition(k).tex_string


@pytest.mark.parametrize("m", [1, 3])
def test_the_inset_draws_the_subtracted_sawtooth_exactly_on_its_own_scale(m):
    axes, tooth, title, height = get_tooth_inset(m)
    points = graph_points(axes, tooth)
    scale = 4.0 ** -m
    np.testing.assert_allclose(points[:, 1], sawtooth(m)(points[:, 0]) * scale, atol=1e-12)
    np.testing.assert_allclose(points[1:-1, 0], sawtooth(m).breakpoints(0, 1), atol=1e-9)
    assert axes.y_range[1] == scale and tooth.get_top()[1] == pytest.approx(axes.c2p(0, scale)[1])
    assert sawtooth_latex(m) in title.tex_string and f"4^{{-{m}}}" == height.tex_string
    assert tooth.relu_source.fn(np.array([0.5 ** m]))[0] == pytest.approx(scale)  # the craft check's function
    for part in (title, height):  # inside the safe area
        assert abs(part.get_left()[0]) <= 6.4 and abs(part.get_right()[0]) <= 6.4
        assert abs(part.get_bottom()[1]) <= 3.6 and abs(part.get_top()[1]) <= 3.6


def test_error_label_shows_relu_core_bound():
    assert f"{deep_square_error_bound(3):.2g}" in get_error_label(3).tex_string


def test_units_table_rows_come_from_relu_core():
    rows = units_rows(4)
    for m, (error, shallow_units, deep_error, deep_units) in enumerate(rows, start=1):
        assert error == shallow_square_error_bound(2 ** m) == deep_error == deep_square_error_bound(m)
        assert shallow_units == len(shallow_square(2 ** m).terms)
        assert deep_units == deep_square(m).units
    table = get_units_table(4)
    assert [row[0].text for row in table[1]] == ["1/16", "1/64", "1/256", "1/1024"]
    assert [row[1][1].text for row in table[1]] == [str(s) for _, s, _, _ in rows]


@pytest.mark.parametrize("kwargs", [{"depth": 0}, {"depth": 7}, {"depth": 2.5}, {"corrections": 0},
                                    {"corrections": 9}, {"corrections": True}, {"compare_up_to": 9}])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        DepthCascadeParams(**kwargs)


class SmallDepthCascade(DepthCascade):
    params = DepthCascadeParams(depth=2, corrections=1, compare_up_to=2)


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    rendered = render_scene(SmallDepthCascade, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    assert [s.content for s in subs] == [
        "The question also asks about a cascade: ReLUs feeding ReLUs. "
        "Two ReLUs make a tent: up to the middle, then back down.",
        "Feed the tent its own output: every layer doubles the pieces. "
        "With 2 layers: 4 units, 4 pieces, 3 kinks; one wide layer would need 3 units.",
        "Subtract smaller and smaller sawtooths from x, and x² appears: "
        "with 1 sawtooth, the error is at most 1/16.",
        "At these errors one wide layer still needs fewer units, 3 units against 5. "
        "But each row about doubles the wide layer; the deep net adds only 3 units.",
    ]
    assert subs[0].start.total_seconds() == 0
    duration = rendered.duration()
    assert abs(subs[-1].end.total_seconds() - duration) < 0.3
    on_screen = [m.text for top in rendered.scene.mobjects for m in top.get_family() if hasattr(m, "text")]
    assert "ReLUunitsneededforthesamemaxerroron[0,1]" in on_screen
    assert {"1/16", "1/64", "onehiddenlayer", "deep(tents)"} <= set(on_screen)


def test_the_units_words_say_fewer_only_where_the_table_shows_fewer():
    assert compare_caption(3).shown.startswith("At these errors one wide layer still needs fewer units, "
                                               "7 units against 8.")  # 1/256: 7 against 8
    deep_wins = compare_caption(4)  # 1/1024: 15 against 11
    assert deep_wins.shown.startswith("Same error, fewer units: at 1/1024, one wide layer needs 15 units, "
                                      "the deep net only 11.")
    assert "at the smallest error, one wide layer needs fifteen units" in deep_wins.voice


def test_the_counts_in_the_words_are_the_nets_counts():
    net = sawtooth(3)
    words = stack_caption(3)
    assert f"With 3 layers: {net.units} units, {net.pieces(0, 1)} pieces, {len(net.breakpoints(0, 1))} kinks;" \
        in words.shown
    assert "With three layers: six units, eight pieces, seven kinks; one wide layer would need seven units." \
        in words.voice
    assert subtract_caption(2).shown.endswith(f"at most 1/{round(1 / deep_square_error_bound(2))}.")


@pytest.mark.parametrize("t", [0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("before, after", [(sawtooth(2), sawtooth(3)), (deep_square(1), deep_square(2))])
def test_the_morph_draws_an_exact_blend_of_two_relu_nets_at_every_t(before, after, t):
    axes, blend = get_unit_axes(), Blend(before, after, t)
    points = graph_points(axes, get_relu_graph(axes, blend, x_range=(0, 1)))
    xs = np.linspace(0, 1, 257)
    np.testing.assert_allclose(np.interp(xs, points[:, 0], points[:, 1]),
                               (1 - t) * before(xs) + t * after(xs), atol=1e-9)


def test_blend_dots_sit_on_the_blend_and_only_the_new_kinks_fade_in():
    axes, blend = get_unit_axes(), Blend(sawtooth(1), sawtooth(2), 0.4)
    dots = get_blend_dots(axes, blend)
    centres = np.array([axes.p2c(d.get_center())[:2] for d in dots])
    np.testing.assert_allclose(centres[:, 1], blend(centres[:, 0]), atol=1e-9)
    opacities = {round(float(x), 6): d.get_fill_opacity() for (x, _), d in zip(centres, dots)}
    assert opacities == {0.25: pytest.approx(0.4), 0.5: 1.0, 0.75: pytest.approx(0.4)}


def test_fitted_axes_keep_their_tick_labels_inside_the_safe_area():
    axes = get_fitted_unit_axes()
    assert axes.get_left()[0] >= -6.4 and axes.get_bottom()[1] >= -3.6 and axes.get_top()[1] <= 3.6

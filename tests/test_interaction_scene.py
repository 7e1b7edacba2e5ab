"""Interaction scene: the x1·x2 Taylor term of sin, and the ReLU product next to the true one."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from manim import Tex

from relu_core.interaction import ReluProduct, taylor_coefficients, taylor_latex
from scenes.interaction import (TAYLOR_ORDER, Interaction, InteractionParams, get_colour_bar, get_heat_map,
                                heat_rgb, interaction_index, level_blocks, signed, split_terms)
from scenes.style import theme


@pytest.fixture
def scene():
    scene = Interaction()
    scene.setup()  # builds the product and the error grid; nothing is rendered
    return scene


def test_sin_formula_is_relu_core_taylor_latex_with_the_x1x2_term_picked(scene):
    formula = scene.get_sin_formula()
    terms = [part.tex_string for part in formula[1:]]
    assert "".join(terms) == taylor_latex(scene.params.w, TAYLOR_ORDER, max_terms=6)
    assert formula.interaction.tex_string.endswith("x_1 x_2")
    assert "^" not in formula.interaction.tex_string


@pytest.mark.parametrize("w", [(1.0, 1.0, 1.0), (0.5, -2.0, 1.5), (np.pi / 2, 1.0, 2.0)])
def test_split_terms_joins_back_and_finds_the_interaction(w):
    tex = taylor_latex(w, 3, max_terms=6)
    terms = split_terms(tex)
    assert "".join(terms) == tex
    assert interaction_index(terms) is not None


def test_relu_product_formula_is_relu_core_latex(scene):
    assert scene.product == ReluProduct(scene.params.steps)
    assert scene.get_product_formula().tex_string == "p(x_1, x_2) = " + scene.product.latex()


def test_square_inset_draws_h_n_exactly(scene):
    from scenes.mobjects import graph_points
    axes, _, h_n, _ = scene.get_square_inset()
    points = graph_points(axes, h_n)
    assert np.allclose(points[:, 1], scene.product.square(points[:, 0]))
    inner = points[1:-1, 0]
    assert np.allclose(inner, scene.product.square.breakpoints())


def test_error_map_reports_relu_core_max_under_the_bound(scene):
    error = scene.get_error_map()
    assert error.worst == pytest.approx(1 / 16)  # the grid holds x1 = x2 = 1/4, the worst point
    assert error.worst <= scene.product.error_bound()
    assert "0.0625" in error[2][0].tex_string


def test_heat_map_colours_go_from_background_to_role_colours():
    rgb = heat_rgb(np.array([[-1.0, 0.0, 2.0]]), 1.0, "#0000FF", "#FF0000", "#101010")
    assert rgb.tolist() == [[[0, 0, 255], [16, 16, 16], [255, 0, 0]]]


@settings(max_examples=200, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 9), st.integers(1, 9)), elements=st.integers(-2, 2)))
def test_level_blocks_cover_every_cell_once_with_its_own_level(level):
    covered = np.zeros(level.shape, dtype=int)
    for k, r0, c0, r1, c1 in level_blocks(level):
        assert 0 <= r0 < r1 <= level.shape[0] and 0 <= c0 < c1 <= level.shape[1]
        assert np.all(level[r0:r1, c0:c1] == k)
        covered[r0:r1, c0:c1] += 1
    assert np.all(covered == 1)


def test_heat_map_paints_each_cell_in_its_levels_colour():
    values = np.array([[-6.0, -6.0, 0.0, 6.0], [-6.0, -6.0, 0.0, 6.0], [3.0, 0.0, 0.0, 6.0]])
    bands, _frame = get_heat_map(values, 6.0, "#0000FF", "#FF0000", size=4.0, levels=2)
    cell = 1.0  # 4.0 / 4 columns; the map is centred on the origin, rows going up
    for row, col in np.ndindex(values.shape):
        x, y = (col + 0.5) * cell - 2.0, (row + 0.5) * cell - 2.0
        inside = []
        for band in bands:
            boxes = band.points.reshape(-1, 16, 3)
            lo, hi = boxes.min(axis=1), boxes.max(axis=1)
            inside += [band] * int(np.sum((lo[:, 0] < x) & (x < hi[:, 0]) & (lo[:, 1] < y) & (y < hi[:, 1])))
        assert len(inside) == 1
        level = round(values[row, col] / 6.0 * 2)
        rgb = heat_rgb(np.array([[level / 2]]), 1.0, "#0000FF", "#FF0000", theme().background)[0, 0]
        assert inside[0].level == level
        assert inside[0].get_fill_color().to_hex().upper() == "#{:02X}{:02X}{:02X}".format(*rgb)
    assert sum(len(band.points) // 16 for band in bands) == 5  # the merged rectangles, not 12 cells


def test_default_sin_neuron_has_an_x1x2_term():
    assert taylor_coefficients(InteractionParams().w, 2)[(1, 1)] != 0


@pytest.mark.parametrize("kwargs", [
    {"steps": 0}, {"steps": 12}, {"steps": 2.5}, {"steps": True},
    {"w": (1.0, 1.0)}, {"w": (0.0, 1.0, 1.0)}, {"w": (1.0, 0.0, 1.0)}, {"w": (1.0, float("nan"), 1.0)},
    {"x_range": (1.0, -1.0)}, {"x_range": (-50.0, 50.0)},
])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        InteractionParams(**kwargs)


def test_render_has_one_subtitle_per_beat_and_ends_on_three_maps(render_scene):
    class Small(Interaction):
        params = InteractionParams(steps=1, x_range=(-1.0, 1.0))

    rendered = render_scene(Small, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    assert len(subs) == 7
    said = rendered.said()
    assert said.startswith("Back to the first question: a sin neuron mixes its inputs.")
    assert "That is 4 ReLUs in all." in said
    assert "one ReLU unit such as g(x₁ + x₂) is a ridge" in said
    assert f"p is a saddle of {len(rendered.scene.saddle)} flat facets." in said
    assert isinstance(rendered.scene.title, Tex)  # typeset like the formulas
    assert "Where |x₁| + |x₂| ≤ 1, the error stays within 1/16." in said
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    on_screen = rendered.scene.mobjects
    assert rendered.scene.maps in on_screen and rendered.scene.error_map in on_screen


def test_the_maps_look_alike_only_when_the_error_is_small_on_the_colour_scale(scene):
    assert scene.maps_caption().shown.endswith("look alike.")  # n = 3 covers all of [-1.5, 1.5]²
    wide = type("Wide", (Interaction,), {"params": InteractionParams(steps=1, x_range=(-3.0, 3.0))})()
    wide.setup()
    assert "agree in the middle" in wide.maps_caption().shown


def test_the_error_words_quote_relu_cores_bound_where_it_holds(scene):
    words = scene.error_caption()
    assert words.shown.startswith(f"Where |x₁| + |x₂| ≤ 3, the error stays within "
                                  f"1/{round(1 / scene.product.error_bound())}.")
    assert "one sixteenth" in words.voice and "≤" not in words.voice
    far = type("Far", (Interaction,), {"params": InteractionParams(steps=1, x_range=(5.0, 8.0))})()
    far.setup()
    assert far.error_caption().shown.startswith("Nowhere in this square is |x₁| + |x₂| ≤ 1")


def _bar_ends(bar):
    return [label.tex_string for label in bar[1]]


def test_value_maps_have_signed_colour_bars_whose_ends_are_the_maps_extremes(scene):
    maps = scene.get_value_maps()[0]
    vmax = max(float(np.max(np.abs(m.values))) for m in maps)
    assert vmax == pytest.approx(2.25)  # x1·x2 and p both reach ±2.25 at the corners of [-1.5, 1.5]²
    for heat_map in maps:
        bar = heat_map[2]
        assert bar.ends == (-vmax, vmax)
        assert _bar_ends(bar) == ["-2.25", "+2.25", "0"]
        assert bar.get_top()[1] < heat_map[0].get_bottom()[1]  # under its own map
    true_map = maps[1].values
    assert (true_map.min(), true_map.max()) == pytest.approx((-vmax, vmax))


def test_error_map_colour_bar_runs_from_zero_to_the_bound(scene):
    bar = scene.get_error_map()[3]
    assert bar.ends == (0.0, scene.product.error_bound())
    assert _bar_ends(bar) == ["0", "+0.0625"]
    assert float(scene.error.min()) == 0.0 and float(scene.error.max()) == pytest.approx(bar.ends[1])


def test_colour_bar_labels_carry_their_numbers_for_the_craft_check():
    bar = get_colour_bar(-1.5, 3.0, "#0000FF", "#FF0000")
    assert [label.value_format(label.value_source()) for label in bar[1]] == _bar_ends(bar) == ["-1.5", "+3", "0"]
    assert signed(-0.0) == "0"


def test_the_ridge_is_one_unit_of_h_n_on_x1_plus_x2(scene):
    term = scene.ridge_term
    assert term in scene.product.square.terms and scene.ridge_latex() == "g(x_1 + x_2)"
    surface = scene.get_surface(scene.ridge, scene.theme.approx)[0]
    faces = [m.fragment.points for m in surface if m.fragment.kind == "face"]
    assert faces
    for points in faces:
        assert np.allclose(points[:, 2], np.maximum(term.a * points[:, :2].sum(axis=1) + term.b, 0))


def test_the_saddle_is_painted_from_relu_cores_facets_of_p(scene):
    surface = scene.get_surface(scene.saddle, scene.theme.approx)[0]
    faces = [m.fragment.points for m in surface if m.fragment.kind == "face"]
    assert len(faces) >= len(scene.saddle)  # the painter may cut a facet, never drop one
    for points in faces:
        assert np.allclose(points[:, 2], scene.product(points[:, 0], points[:, 1]))


def _follows_the_narration_rules(words):
    """tests/test_speech.py's rules for computed beats: as many spoken clauses as shown, no digit or
    symbol for the voice, each clause short enough for one cue."""
    from narration.align import clause_groups, tokens
    from narration.cues import split_clauses
    assert len(clause_groups(tokens(words.shown))) == len(clause_groups(tokens(words.voice))), words
    assert not any(ch.isdigit() or ch in "₁₂₃=+−≤|/" for ch in words.voice), words.voice
    assert all(len(clause) <= 80 for clause in split_clauses(words.shown)), words.shown


@pytest.mark.parametrize("steps", [1, 3])
def test_ridge_and_saddle_words_are_computed_and_sayable(steps):
    scene = type("S", (Interaction,), {"params": InteractionParams(steps=steps)})()
    scene.setup()
    saddle = scene.saddle_caption()
    assert saddle.shown.endswith(f"p is a saddle of {len(scene.product.facets(-1.5, 1.5))} flat facets.")
    assert f"adds {2 * steps} ridges" in saddle.shown
    for words in (scene.ridge_caption(), saddle):
        _follows_the_narration_rules(words)

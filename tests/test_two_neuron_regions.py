"""TwoNeuronRegions: four exact regions on the plane, labelled clear of the lines; a folded output."""
from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor

from relu_core.two_neuron import SEED_NET
from scenes.style import BACKING_OPACITY
from scenes.two_neuron_regions import (TwoNeuronRegions, TwoNeuronRegionsParams, label_position,
                                       project)


@pytest.fixture
def scene():
    scene = TwoNeuronRegions()
    scene.setup()  # builds the net and the view; nothing is rendered
    return scene


def _data(scene, mob):
    """Scene points of a flat-view mobject back in (x1, x2)."""
    view = scene.view
    return (np.asarray(mob.get_anchors())[:, :2] - view.center[:2]) / view.unit + view.mid[:2]


def test_defaults_are_relu_core_seed_net():
    assert TwoNeuronRegionsParams().net == SEED_NET


def test_flat_regions_are_relu_core_regions(scene):
    regions = scene.get_regions()
    expected = SEED_NET.regions(-2, 2)
    for mob in regions:
        drawn = np.unique(np.round(_data(scene, mob), 9), axis=0)
        assert np.allclose(drawn, np.unique(expected[mob.case], axis=0))


def test_lifted_pieces_have_the_nets_heights(scene):
    view = scene.view
    view.lift.set_value(1.0)
    points = SEED_NET.surface_polygons(-2, 2)[4]
    scene_points, _ = view.to_scene(points)
    # straight down (elevation 0) a point's height shows as nothing; from the side it is its screen y
    view.elevation.set_value(np.pi / 2)
    side, _ = view.to_scene(points)
    heights = (side[:, 1] - view.center[1]) / (view.unit * view.gain)
    assert np.allclose(heights, SEED_NET(points[:, :2]))


def test_folds_sit_right_above_the_kink_lines(scene):
    for segment in SEED_NET.kink_segments(-2, 2):
        fold = scene.fold_points(segment)
        assert np.allclose(fold[:, 2], SEED_NET(fold[:, :2]))
        assert np.allclose(SEED_NET.pre_activations(fold[:, :2])[:, 0] * SEED_NET.pre_activations(
            fold[:, :2])[:, 1], 0)  # every point is on a kink line
        assert np.allclose(fold[[0, -1], :2], segment)


def test_the_output_is_not_one_plane():
    maps = {tuple(SEED_NET.linear_map(case)[0]) for case in (1, 2, 3, 4)}
    assert len(maps) == 4


def test_region_labels_say_which_neurons_are_on_where_relu_core_says_so(scene):
    from relu_core.two_neuron import CASE_NEURONS
    regions = SEED_NET.regions(-2, 2)
    labels = scene.get_region_labels()
    assert sorted(label.case for label in labels) == [1, 2, 3, 4]
    said = {(False, False): "neither neuron on", (False, True): "only neuron 2 on",
            (True, False): "only neuron 1 on", (True, True): "both neurons on"}
    for label in labels:
        words = "".join(line.text for line in label[1][1:])  # Text keeps no spaces
        on = tuple(bool(z > 0) for z in SEED_NET.pre_activations([label.centre])[0])
        assert words == said[on].replace(" ", "")  # it names the neurons that are on at its point
        assert words == CASE_NEURONS[label.case].replace(" ", "")
        assert label.height * 1080 / 8 >= 2 * 24  # two lines at full size: no shrinking to fit
        corners = (np.array([label.get_corner(c)[:2] for c in ((-1, -1, 0), (1, -1, 0), (1, 1, 0), (-1, 1, 0))])
                   - scene.view.center[:2]) / scene.view.unit
        assert np.all(SEED_NET.case(corners) == label.case)  # so no kink line crosses the label
        poly = regions[label.case]
        assert np.all(corners.min(axis=0) >= poly.min(axis=0)) and np.all(corners.max(axis=0) <= poly.max(axis=0))


def test_label_position_scales_a_box_that_does_not_fit():
    triangle = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    centre, scale = label_position(triangle, 4.0, 4.0)
    assert scale < 1


def test_straight_down_projection_is_the_identity():
    xy, _ = project(np.array([[0.3, -1.2, 7.0]]), 0.0, 0.0)
    assert xy.tolist() == [[0.3, -1.2]]


@pytest.mark.parametrize("kwargs", [
    {"W": ((1.0, 1.0),)},
    {"W": ((0.0, 0.0), (1.0, -1.0))},
    {"W": ((1.0, float("inf")), (1.0, -1.0))},
    {"v": (1.0,)},
    {"v": ("a", 1.0)},
    {"x_range": (1.0, 1.0)},
])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        TwoNeuronRegionsParams(**kwargs)


def test_the_legend_lists_relu_cores_four_case_formulas(scene):
    legend = scene.get_legend()
    assert [row[1].tex_string for row in legend] == [
        rf"{case}:\ " + SEED_NET.case_formula_numeric(case) for case in (1, 2, 3, 4)]


def test_the_contrast_plane_is_the_least_squares_plane_of_the_question(scene):
    fit = scene.fit
    axis = np.linspace(-2, 2, fit.samples)
    X = np.column_stack([g.ravel() for g in np.meshgrid(axis, axis)])
    residual = SEED_NET(X) - X @ np.array(fit.U)
    assert np.allclose(X.T @ residual, 0, atol=1e-9)  # the normal equations: no better U
    assert fit.max_miss == pytest.approx(np.abs(residual).max())
    plane = [p for p in scene.get_pieces() if p.style == "plane"]
    assert len(plane) == 1 and np.allclose(plane[0].points[:, 2], plane[0].points[:, :2] @ np.array(fit.U))
    note = scene.get_plane_note()
    assert note[1].tex_string == r"\hat y = 0.25x_1 + 0.75x_2"
    assert note[0].text.replace(" ", "") == "leastsquares,41×41grid:" and note[2].text.endswith("2away")


def test_the_painted_view_has_every_piece_and_a_labelled_height_axis(scene):
    surface = scene.get_surface()
    styles = [m.fragment.style for m in surface]
    assert {"case1", "case2", "case3", "case4", "plane", "floor", "floor_kink", "fold", "axis"} <= set(styles)
    assert scene.height_ticks().tolist() == [-2.0, 0.0, 2.0, 4.0]  # ŷ runs from -2 to 4 on [-2, 2]²
    labels = scene.get_height_labels()
    assert [m[1].tex_string for m in labels[:-1]] == ["-2", "0", "2", "4"] and labels[-1][1].tex_string == r"\hat y"
    for box, text in [*labels, *scene.get_floor()[3:]]:  # on backing boxes: readable over the surface
        assert box.get_fill_opacity() == BACKING_OPACITY and box.get_fill_color() == ManimColor(scene.theme.background)
        assert box.get_left()[0] < text.get_left()[0] and box.get_right()[0] > text.get_right()[0]
        assert box.get_bottom()[1] < text.get_bottom()[1] and box.get_top()[1] > text.get_top()[1]
    for mob in surface:
        if mob.fragment.style.startswith("case"):  # every painted piece lies on the net's output
            points = mob.fragment.points
            assert np.allclose(points[:, 2], SEED_NET(points[:, :2]))


def test_lifted_pieces_are_opaque_and_the_plane_shows_only_when_asked(scene):
    surface = scene.get_surface()
    scene.view.lift.set_value(1.0)
    surface.update()
    faces = [m for m in surface if m.fragment.style.startswith("case")]
    assert all(m.get_fill_opacity() == 1.0 for m in faces)
    plane = [m for m in surface if m.fragment.style == "plane"]
    assert all(m.get_fill_opacity() == 0.0 for m in plane)
    scene.plane_shown.set_value(1.0)
    surface.update()
    assert all(m.get_fill_opacity() > 0.4 for m in plane)


def test_render_has_one_subtitle_per_beat_and_ends_folded(render_scene):
    rendered = render_scene(TwoNeuronRegions, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    assert len(subs) == 5
    said = rendered.said()
    assert said.startswith("Now two inputs, x₁ and x₂.")
    assert "into the question's four cases" in said
    assert said.endswith("So is it just linear regression? No: one plane cannot fold. "
                         "This net is four flat pieces, folded where the neurons switch.")
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    view = rendered.scene.view
    assert view.lift.get_value() == 1.0 and view.elevation.get_value() > 0
    assert rendered.scene.surface in rendered.scene.mobjects
    assert "41×41 grid, is ŷ = 0.25x₁ + 0.75x₂" in said
    folds = np.concatenate([m.fragment.points for m in rendered.scene.folds])
    assert np.allclose(folds[:, 2], SEED_NET(folds[:, :2]))


def test_the_narration_counts_the_regions_and_planes_these_weights_make():
    from relu_core.two_neuron import TwoNeuronNet
    from scenes.two_neuron_regions import region_captions
    seed = TwoNeuronNet(W=((1.0, 1.0), (1.0, -1.0)), v=(1.0, -0.5))
    cases, lift, _ = region_captions(seed, 1.0, 2.0)  # x1 + x2 > 0 on all of [1, 2]²: neuron 1 always on
    assert cases.shown.startswith("In this square the lines leave two of the question's four cases.")
    assert "two flat pieces" in lift.shown and "y hat" in lift.voice and "ŷ" not in lift.voice
    flat = TwoNeuronNet(W=((1.0, 1.0), (1.0, -1.0)), v=(0.0, 0.0))
    assert "Here, yes: these weights give one plane." in region_captions(flat, -2.0, 2.0)[2].shown


def test_the_plane_words_quote_relu_cores_fit_and_are_sayable():
    from narration.align import clause_groups, tokens
    from scenes.two_neuron_regions import plane_caption
    words = plane_caption(SEED_NET.fit_plane(-2, 2))
    assert "41×41 grid, is ŷ = 0.25x₁ + 0.75x₂. The net is up to 2 away from it." in words.shown
    assert len(clause_groups(tokens(words.shown))) == len(clause_groups(tokens(words.voice)))
    assert not any(ch.isdigit() or ch in "ŷ₁₂=+×" for ch in words.voice), words.voice
    from relu_core.two_neuron import PlaneFit
    assert plane_caption(PlaneFit((1.0, 2.0), 0.0, 41, 0.0)).shown.endswith("Here it is the net itself.")

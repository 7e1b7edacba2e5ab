"""TwoNeuronRegions: four exact regions on the plane, labelled clear of the lines; a folded output."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core.two_neuron import SEED_NET
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


def test_region_labels_show_case_formulas_inside_their_regions(scene):
    regions = SEED_NET.regions(-2, 2)
    for label in scene.get_region_labels():
        assert label[1][1].tex_string == SEED_NET.case_formula_numeric(label.case)
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


def test_render_has_one_subtitle_per_beat_and_ends_folded(render_scene):
    rendered = render_scene(TwoNeuronRegions, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    assert len(subs) == 4
    said = " ".join(s.content.replace("\n", " ") for s in subs)
    assert said.startswith("Now two inputs, x₁ and x₂.")
    assert "into the question's four cases" in said
    assert said.endswith("So is it just linear regression? No: one plane cannot fold. "
                         "This net is four flat pieces, folded where the neurons switch.")
    duration = rendered.duration()
    assert subs[-1].end.total_seconds() == pytest.approx(duration, abs=0.3)
    view = rendered.scene.view
    assert view.lift.get_value() == 1.0 and view.elevation.get_value() > 0
    assert rendered.scene.regions in rendered.scene.mobjects
    assert len(rendered.scene.folds) == 2


def test_the_narration_counts_the_regions_and_planes_these_weights_make():
    from relu_core.two_neuron import TwoNeuronNet
    from scenes.two_neuron_regions import region_captions
    seed = TwoNeuronNet(W=((1.0, 1.0), (1.0, -1.0)), v=(1.0, -0.5))
    cases, lift, _ = region_captions(seed, 1.0, 2.0)  # x1 + x2 > 0 on all of [1, 2]²: neuron 1 always on
    assert cases.shown.startswith("In this square the lines leave two of the question's four cases.")
    assert "two flat pieces" in lift.shown and "y hat" in lift.voice and "ŷ" not in lift.voice
    flat = TwoNeuronNet(W=((1.0, 1.0), (1.0, -1.0)), v=(0.0, 0.0))
    assert "Here, yes: these weights give one plane." in region_captions(flat, -2.0, 2.0)[2].shown

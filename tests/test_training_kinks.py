"""TrainingKinks draws relu_core's trained nets exactly, puts each kink marker at -b_i/a_i, and renders."""
from __future__ import annotations

import numpy as np
import pytest
from manim import Dot, VGroup

from relu_core import parse_function
from relu_core.training import train
from scenes.mobjects import graph_points
from scenes.training_kinks import (TrainingKinks, TrainingKinksParams, frame_index, get_kink_marker,
                                   get_kink_rail, get_loss_axes, get_loss_line, get_main_axes,
                                   get_net_graph, get_progress_label, loss_points, place_kinks,
                                   run_training)

SMALL = TrainingKinksParams(width=4, train_steps=100, seconds=2.0)


@pytest.fixture(scope="module")
def trace():
    return run_training(SMALL)


def test_run_training_is_relu_core_train_and_deterministic(trace):
    again = train(parse_function("x**2"), -2, 2, width=4, steps=100, seed=0, record_every=1)
    np.testing.assert_array_equal(trace.losses, again.losses)
    assert trace.steps[0] == 0 and trace.steps[-1] == 100


@pytest.mark.parametrize("index", [0, 10, -1])
def test_drawn_net_lies_on_relu_core_and_turns_exactly_at_its_kinks(trace, index):
    axes, net = get_main_axes(SMALL), trace.nets[index]
    points = graph_points(axes, get_net_graph(axes, net, SMALL.x_range))
    inside = (points[:, 1] > axes.y_range[0] + 1e-9) & (points[:, 1] < axes.y_range[1] - 1e-9)
    np.testing.assert_allclose(points[:, 1], np.clip(net(points[:, 0]), *axes.y_range[:2]), atol=1e-6)
    kinks = net.kinks()
    kinks = kinks[(kinks > -2) & (kinks < 2)]
    corners = points[1:-1][inside[1:-1], 0]
    for corner in corners:  # every interior corner (not a clip point) is a unit's kink
        assert np.min(np.abs(kinks - corner)) < 1e-6


def test_markers_sit_at_each_units_kink_and_hide_outside_the_range(trace):
    axes = get_main_axes(SMALL)
    rail = get_kink_rail(axes, SMALL.x_range)[0]
    net = trace.nets[-1]
    markers = VGroup(*(get_kink_marker() for _ in range(net.width)))
    dots = VGroup(*(Dot() for _ in range(net.width)))
    place_kinks(markers, dots, axes, rail, net, SMALL.x_range)
    for marker, dot, kink in zip(markers, dots, net.kinks()):
        inside = -2 <= kink <= 2
        assert (marker.get_fill_opacity() > 0) == inside
        if inside:
            assert axes.p2c(marker.get_center())[0] == pytest.approx(kink, abs=1e-6)
            assert axes.p2c(dot.get_center())[1] == pytest.approx(
                np.clip(net(kink), *axes.y_range[:2]), abs=1e-6)


def test_frame_index_covers_every_snapshot_from_first_to_last():
    assert frame_index(0, 401) == 0 and frame_index(1, 401) == 400
    indices = [frame_index(a, 401) for a in np.linspace(0, 1, 50)]
    assert indices == sorted(indices)


def test_loss_line_is_log_of_relu_core_losses(trace):
    panel = get_loss_axes(trace)
    points = graph_points(panel[0], get_loss_line(panel[0], trace, len(trace.nets) - 1))
    np.testing.assert_allclose(points, loss_points(trace, len(trace.nets) - 1), atol=1e-6)
    floor = int(np.floor(np.log10(trace.losses.min())))
    np.testing.assert_allclose(points[:, 1], np.log10(trace.losses) - floor, atol=1e-6)


def test_progress_label_reads_the_trace(trace):
    step, loss = get_progress_label(trace, -1)
    assert step.text == "step100" and loss.text == f"loss{trace.losses[-1]:.2g}"


@pytest.mark.parametrize("kwargs", [{"target": "x +"}, {"target": "y"}, {"target": "log(x)"},
                                    {"x_range": (2, -2)}, {"x_range": (0, float("inf"))},
                                    {"x_range": "wide"}, {"width": 0}, {"width": 17}, {"width": 2.0},
                                    {"train_steps": 5}, {"seed": -1}, {"seconds": 0.5}])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        TrainingKinksParams(**kwargs)


class SmallTrainingKinks(TrainingKinks):
    params = SMALL


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    rendered = render_scene(SmallTrainingKinks, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    trace = rendered.scene.trace
    assert [s.content for s in subs] == [
        "Who puts the kinks in the right places? In a real network, training does. "
        "A net with 4 ReLU units learns this curve from samples.",
        "It starts from random weights: nearly flat, with one kink per unit, scattered along x.",
        "Each training step slides the kinks and turns the slopes. The loss, half the mean squared gap "
        f"to the samples, falls from {trace.losses[0]:.2g} to {trace.losses[-1]:.2g}.",
        "Nobody placed these kinks: training found the knot points and the slopes, as the answer said.",
    ]
    assert subs[0].start.total_seconds() == 0
    duration = rendered.duration()
    assert abs(subs[-1].end.total_seconds() - duration) < 0.3
    texts = {m.text for top in rendered.scene.mobjects for m in top.get_family() if hasattr(m, "text")}
    assert {"kinks", "step100", "loss"} <= texts


def test_the_loss_words_say_falls_only_when_every_recorded_loss_fell():
    from relu_core.training import TrainingTrace, init_net
    from scenes.training_kinks import training_caption
    nets = (init_net(2, -1.0, 1.0, seed=0),) * 3
    steady = training_caption(TrainingTrace([0, 1, 2], nets, [0.5, 0.05, 0.005]))
    bumpy = training_caption(TrainingTrace([0, 1, 2], nets, [0.5, 0.6, 0.005]))
    worse = training_caption(TrainingTrace([0, 1, 2], nets, [0.5, 0.4, 0.7]))
    assert steady.shown.endswith("falls from 0.5 to 0.005.") and steady.voice.endswith("about one hundred fold.")
    assert bumpy.shown.endswith("falls overall, from 0.5 to 0.005.")  # it rose once on the way
    assert worse.shown.endswith("goes from 0.5 to 0.7.")

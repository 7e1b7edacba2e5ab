"""TrainingKinks draws relu_core's trained nets exactly, puts each kink marker at -b_i/a_i, and renders."""
from __future__ import annotations

import numpy as np
import pytest
from manim import Dot, VGroup

from relu_core import parse_function
from relu_core.knots import bend_interval
from relu_core.training import train
from scenes.mobjects import graph_points
from scenes.training_kinks import (LOSS_TEX, SAMPLES, TrainingKinks, TrainingKinksParams, frame_index,
                                   get_bend_band, get_kink_marker, get_kink_rail, get_kink_status,
                                   get_loss_axes, get_loss_line, get_main_axes, get_net_graph,
                                   get_progress_label, kink_counts, kinks_caption, loss_points, loss_text,
                                   place_kinks, run_training)

SMALL = TrainingKinksParams(width=4, train_steps=100, seconds=2.0)


@pytest.fixture(scope="module")
def trace():
    return run_training(SMALL)


def test_run_training_is_relu_core_train_and_deterministic(trace):
    again = train(parse_function(SMALL.target), -2, 2, width=4, steps=100, samples=SAMPLES, seed=SMALL.seed,
                  record_every=1)
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
    (step_word, step), (loss_word, loss) = get_progress_label(trace, -1)
    assert (step_word.text, step.text) == ("step", "100")
    assert (loss_word.text, loss.text) == ("loss", loss_text(trace.losses[-1]))
    assert loss.value_format(loss.value_source()) == loss.text  # what the craft check compares


def test_the_progress_label_sits_where_pango_sets_the_whole_line(trace):
    """The readouts are drawn from glyphs typeset once; each glyph lands where one Text of the whole line
    puts it, whatever the number (a digit, a point, ×10⁻⁵)."""
    from manim import Text
    for index in (0, 3, -1):
        line, number = get_progress_label(trace, index)[1], trace.losses[index]
        whole = Text(f"loss {loss_text(number)}", font_size=line[1].font_size_value)
        drawn = [*line[0], *(slot for slot in line[1] if len(slot.points))]
        assert len(drawn) == len(whole)
        shift = whole[0].points[0] - drawn[0].points[0]
        for mine, pango in zip(drawn, whole):
            np.testing.assert_allclose(mine.points + shift, pango.points, atol=1e-6)


def test_losses_are_written_as_a_reader_writes_them_not_as_python_does():
    assert [loss_text(v) for v in (0.43, 0.0093, 4.3e-05, 1e-12)] == ["0.43", "0.0093", "4.3×10⁻⁵", "1×10⁻¹²"]


def test_the_loss_formula_on_screen_is_the_loss_relu_core_computes(trace):
    assert r"\frac{1}{%d}" % SAMPLES in LOSS_TEX[0] and r"\frac{1}{2}" in LOSS_TEX[0]
    assert LOSS_TEX[1:4] == (r"\hat y_j", "-", "y_j") and LOSS_TEX[4] == ")^2"
    x = np.linspace(*SMALL.x_range, SAMPLES)  # the samples train takes: SAMPLES points, equally spaced
    net, y = trace.nets[5], parse_function(SMALL.target)(x)
    assert trace.losses[5] == pytest.approx(np.sum(0.5 * (net(x) - y) ** 2) / SAMPLES, rel=1e-12)


def test_the_default_targets_kinks_gather_where_it_bends():
    """The claim of the default (tanh(3x), seed 1): the kinks end inside the band holding 95 % of the
    slope's turning, more of them than at the start; none is lost outside the plot."""
    params = TrainingKinksParams()
    band = bend_interval(parse_function(params.target), *params.x_range)
    trace = run_training(params)
    before, _ = kink_counts(trace.nets[0], params.x_range, band)
    after, outside = kink_counts(trace.final, params.x_range, band)
    assert band[1] - band[0] < 0.4 * (params.x_range[1] - params.x_range[0])  # it bends in a narrow part
    assert after == params.width > before and outside == 0
    words = kinks_caption(trace, params.x_range, band).shown
    assert f"{before} of {params.width} sat there at the start; now {after} do." in words
    assert "moved the kinks to where the curve bends" in words


def test_the_kink_words_do_not_claim_a_move_that_did_not_happen():
    from relu_core.training import ShallowNet, TrainingTrace
    spread = ShallowNet(a=[1.0, 1.0, 1.0], b=[1.5, 0.0, -1.5], c=[1.0, 1.0, 1.0])
    away = ShallowNet(a=[1.0, 1.0, 1.0], b=[5.0, 1.5, -1.5], c=[1.0, 1.0, 1.0])
    stayed = kinks_caption(TrainingTrace([0, 1], (spread, away), [1.0, 0.5]), (-2, 2), (-0.5, 0.5)).shown
    assert "moved" not in stayed and "0 of 3 kinks sit now; 1 did at the start." in stayed
    assert stayed.endswith("1 slid outside the plot, where it bends nothing we see.")
    straight = kinks_caption(TrainingTrace([0, 1], (spread, spread), [1.0, 0.5]), (-2, 2), None).shown
    assert "does not bend" in straight


def test_the_kink_status_counts_the_kinks_in_the_band_and_outside_the_plot(trace):
    net = trace.final
    band = (-0.5, 0.5)
    kinks = net.kinks()
    status = get_kink_status(net, SMALL.x_range, band)
    inside = int(np.sum((kinks >= -0.5) & (kinks <= 0.5)))
    outside = int(np.sum((kinks < -2) | (kinks > 2)))
    assert kink_counts(net, SMALL.x_range, band) == (inside, outside)
    assert status.original_text.startswith(f"{inside} of {net.width} kinks where it bends")
    assert status.value_source() == status.original_text


def test_the_band_spans_the_bend_interval_on_the_rail():
    axes = get_main_axes(SMALL)
    rail = get_kink_rail(axes, SMALL.x_range)[0]
    band = get_bend_band(axes, rail, (-0.73, 0.73))
    assert axes.p2c(band.get_left())[0] == pytest.approx(-0.73) and axes.p2c(band.get_right())[0] == pytest.approx(0.73)
    assert band.get_bottom()[1] < rail.get_center()[1] < band.get_top()[1]


def test_y_tick_labels_sit_left_of_the_plot_clear_of_the_curve():
    axes = get_main_axes(TrainingKinksParams())
    plot_left = axes.c2p(axes.x_range[0], 0)[0]
    for label in axes.get_y_axis().numbers:
        assert label.get_right()[0] < plot_left


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
        "A net with 4 ReLU units learns this curve from 200 samples.",
        "It starts from random weights: nearly flat, with one kink per unit, scattered along x. "
        "The band marks where the curve bends.",
        rendered.scene.spoken_beats[2].shown,
        kinks_caption(trace, SMALL.x_range, rendered.scene.band).shown,
    ]
    assert subs[2].content.endswith(f"from {loss_text(trace.losses[0])} to {loss_text(trace.losses[-1])}.")
    assert subs[0].start.total_seconds() == 0
    duration = rendered.duration()
    assert abs(subs[-1].end.total_seconds() - duration) < 0.3
    texts = {m.text for top in rendered.scene.mobjects for m in top.get_family() if hasattr(m, "text")}
    assert {"kinks", "step", "100", "loss", loss_text(trace.losses[-1])} <= texts


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

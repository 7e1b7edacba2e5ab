"""WhereKinksGo draws relu_core's two interpolants exactly, with their error curves and worst errors."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core import compare_knots, format_number, parse_function, pointwise_error
from scenes.mobjects import get_kink_dots, get_relu_graph, graph_points
from scenes.where_kinks_go import (ANSWER, SIDES, WhereKinksGo, WhereKinksGoParams, even_caption,
                                   get_comparison, get_error_curve, get_error_label, get_panel, get_rule,
                                   get_verdict, piece_errors, place_rule, placed_caption, verdict_caption)

PARAMS = WhereKinksGoParams()


@pytest.fixture(scope="module")
def comparison():
    return get_comparison(PARAMS)


def test_comparison_is_relu_core_compare_knots(comparison):
    expected = compare_knots(parse_function("exp(x)"), 5, 0.0, 4.0)
    for side in SIDES:
        np.testing.assert_array_equal(comparison[f"{side}_knots"], expected[f"{side}_knots"])
        assert comparison[f"{side}_error"] == expected[f"{side}_error"]


@pytest.mark.parametrize("side", SIDES)
def test_drawn_interpolant_lies_on_relu_core_and_turns_exactly_at_the_knots(comparison, side):
    axes = get_panel(PARAMS, comparison)[0]
    p = comparison[f"{side}_interpolant"]
    points = graph_points(axes, get_relu_graph(axes, p, x_range=PARAMS.x_range))
    np.testing.assert_allclose(points[:, 1], p(points[:, 0]), atol=1e-6)
    np.testing.assert_allclose(points[:, 0], comparison[f"{side}_knots"], atol=1e-9)
    dots = get_kink_dots(axes, p, x_range=PARAMS.x_range)
    assert len(dots) == PARAMS.pieces - 1


@pytest.mark.parametrize("side", SIDES)
def test_error_curve_is_relu_core_pointwise_error_and_peaks_at_the_worst_error(comparison, side):
    error_axes = get_panel(PARAMS, comparison)[1]
    points = graph_points(error_axes, get_error_curve(error_axes, PARAMS, comparison, side))
    expected = pointwise_error(parse_function("exp(x)"), comparison[f"{side}_interpolant"], points[:, 0])
    np.testing.assert_allclose(points[:, 1], expected, atol=1e-6)
    assert points[:, 1].max() == pytest.approx(comparison[f"{side}_error"], rel=1e-3)


def test_error_panels_share_one_scale_that_fits_the_worst_error(comparison):
    error_axes = get_panel(PARAMS, comparison)[1]
    assert error_axes.y_range[1] >= comparison["uniform_error"] >= comparison["optimal_error"]


def test_labels_show_relu_core_numbers(comparison):
    assert get_error_label(comparison, "uniform").text == f"worsterror{comparison['uniform_error']:.3g}"
    assert f"{comparison['ratio']:.1f}×" in get_verdict(comparison).text


def test_square_is_a_tie_and_the_verdict_says_so():
    tie = get_comparison(WhereKinksGoParams(target="x**2", x_range=(-2, 2), pieces=4))
    assert tie["ratio"] == pytest.approx(1.0)
    assert "tie" in get_verdict(tie).text


@pytest.mark.parametrize("kwargs", [{"target": "exp("}, {"target": "sqrt(x)", "x_range": (-1, 1)},
                                    {"x_range": (1, 1)}, {"x_range": (0,)}, {"pieces": 1},
                                    {"pieces": 13}, {"pieces": 3.0}])
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        WhereKinksGoParams(**kwargs)


class SmallWhereKinksGo(WhereKinksGo):
    params = WhereKinksGoParams(target="sqrt(x)", pieces=3)


def test_render_has_one_subtitle_per_beat_covering_the_video(render_scene):
    rendered = render_scene(SmallWhereKinksGo, pixel_width=426)  # libx264 needs an even width
    subs = rendered.beat_subtitles()  # one per beat: its clause cues joined
    assert [s.content for s in subs] == [
        "3 straight pieces for this curve, so 2 kinks: where should they go?",
        "Evenly spaced kinks: the error is uneven, worst on the piece from 0 to 1.33.",
        "Placed by curvature: kinks crowd where it bends, and spread out where it is nearly straight.",
        "Same number of kinks, a worst error 3.1 times smaller: the weights locate the convexities. "
        + ANSWER.shown,
    ]
    assert subs[0].start.total_seconds() == 0
    duration = rendered.duration()
    assert abs(subs[-1].end.total_seconds() - duration) < 0.3
    family = [m for top in rendered.scene.mobjects for m in top.get_family()]
    texts = {m.text for m in family if hasattr(m, "text")}
    formulas = {m.tex_string for m in family if hasattr(m, "tex_string")}
    from scenes.where_kinks_go import RULE, TITLES
    assert set(TITLES.values()) | {RULE} <= formulas  # the gap rule in the title, the equal shares in the plot
    assert any(t.startswith("samenumberofkinks") for t in texts)


def test_the_even_side_names_its_worst_piece_from_the_errors_piece_by_piece(comparison):
    p = WhereKinksGoParams()
    errors = piece_errors(p, comparison, "uniform")
    worst = int(np.argmax(errors))
    assert errors[worst] == pytest.approx(comparison["uniform_error"], rel=1e-5)  # a finer grid per piece
    knots = comparison["uniform_knots"]
    assert even_caption(p, comparison).shown.endswith(
        f"worst on the piece from {format_number(knots[worst])} to {format_number(knots[worst + 1])}.")


def test_a_tie_is_narrated_as_a_tie_and_the_ratio_as_the_verdict_shows_it(comparison):
    square = WhereKinksGoParams(target="x**2", x_range=(-2, 2), pieces=4)
    tie = get_comparison(square)
    assert "every piece is off by about the same" in even_caption(square, tie).shown
    assert "kinks stay evenly spaced" in placed_caption(tie).shown
    assert verdict_caption(tie).shown.startswith("This curve bends about the same everywhere")
    ratio = f"{comparison['ratio']:.1f}"
    assert f"a worst error {ratio} times smaller" in verdict_caption(comparison).shown
    assert "x one times x two" in verdict_caption(comparison).voice


def test_the_placement_rule_sits_inside_the_placed_plot_clear_of_the_curve_or_is_left_out(comparison):
    axes = get_panel(PARAMS, comparison)[0]
    rule = place_rule(get_rule(), axes, PARAMS)
    assert rule is not None  # exp(x) leaves the upper left free
    assert axes.get_left()[0] <= rule.get_left()[0] and rule.get_top()[1] <= axes.get_top()[1]
    right_end = axes.p2c(rule.get_right())[0]  # exp rises: the curve is highest under the rule there
    assert rule.get_bottom()[1] > axes.c2p(right_end, float(np.exp(right_end)))[1]
    square = WhereKinksGoParams(target="x**2", x_range=(-2, 2), pieces=4)
    assert place_rule(get_rule(), get_panel(square, get_comparison(square))[0], square) is None


def test_the_rule_on_screen_is_what_relu_core_places_the_kinks_by(comparison):
    """Each placed piece holds about the same ∫√|f''| (f = exp: ∫√(e^x) = 2e^(x/2)); the 5 % of the density
    spread evenly keeps the shares within 10 % of each other. Evenly spaced pieces are far apart."""
    from scenes.where_kinks_go import RULE, get_title
    assert r"equal $\int \sqrt{|f''(x)|}\,dx$" in RULE == get_rule().tex_string
    assert r"\propto 1/\sqrt{|f''(x)|}" in get_title("optimal").tex_string
    for side, spread in (("optimal", 0.1), ("uniform", 0.1)):
        shares = np.diff(2 * np.exp(comparison[f"{side}_knots"] / 2))
        assert (shares.max() / shares.min() - 1 < spread) == (side == "optimal")

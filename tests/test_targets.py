"""Every scene that takes a target draws every target the parser accepts (issue 12, item 1).

Straight lines, |x|, relu, sign and constants are the natural first tries with a ReLU explainer;
`render ApproximateSquare --target "abs(x)"` used to crash with an IndexError in add_terms.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from relu_core import interpolant, parse_function
from scenes.explainer import story_classes

PIECEWISE_LINEAR = ["abs(x)", "x", "2*x+1", "-x", "relu(x)", "sign(x)", "9", "0", "abs(x - 1) - abs(x + 2)"]
"""Targets whose approximation needs few or no bends: each used to leave a step without new terms."""
TARGETS = PIECEWISE_LINEAR + ["sin(3*x)", "x**2", "exp(x)"]


def target_scenes() -> list[type]:
    return [cls for cls in story_classes()
            if any(f.metadata.get("tweak") == "target" for f in dataclasses.fields(cls.params))]


def test_the_target_scenes_are_the_five_that_approximate_a_curve():
    assert [cls.__name__ for cls in target_scenes()] == [
        "ApproximateSquare", "ZoomToLine", "TrainingKinks", "WhereKinksGo", "WhatFollows"]


def _approximate_square(params) -> None:
    from scenes.approximate_square import get_steps
    steps = get_steps(params)
    f = parse_function(params.target)
    assert len(steps) == params.steps
    for step in steps:
        assert all(t.c != 0 for t in step.sum.terms)  # no 0·g(...) term to draw
        lo, hi = max(step.interval[0], params.x_range[0]), min(step.interval[1], params.x_range[1])
        knots = np.linspace(lo, hi, 2 * step.k + 1)
        if params.target != "x**2":
            np.testing.assert_allclose(step.sum(knots), f(knots), atol=1e-9)


def _zoom_to_line(params) -> None:
    from scenes.zoom_to_line import zoom_steps
    f = parse_function(params.target)
    steps = zoom_steps(f, params)  # what the scene draws: the sum, its window piece, that piece's gap
    assert len(steps) == params.zooms + 1 and all(np.isfinite(step.gap) for step in steps)
    assert np.all(np.isfinite(interpolant(f, params.knots)(params.knots)))


def _training_kinks(params) -> None:
    from scenes.training_kinks import loss_decades, loss_points, run_training
    trace = run_training(dataclasses.replace(params, train_steps=40))
    low, high = loss_decades(trace)
    assert low < high and np.all(np.isfinite(loss_points(trace, len(trace.steps) - 1)))


def _where_kinks_go(params) -> None:
    from scenes.where_kinks_go import get_comparison
    result = get_comparison(params)
    assert result["uniform_error"] >= 0 and result["optimal_error"] >= 0 and result["ratio"] >= 0


def _what_follows(params) -> None:
    from scenes.what_follows import closing_facts, rate_caption
    facts = closing_facts(params)
    assert facts.worst >= 0 and np.isfinite(facts.outside_sum) and rate_caption(facts).shown


BUILDERS = {"ApproximateSquare": _approximate_square, "ZoomToLine": _zoom_to_line,
            "TrainingKinks": _training_kinks, "WhereKinksGo": _where_kinks_go, "WhatFollows": _what_follows}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("scene", list(BUILDERS))
def test_every_target_scene_builds_for_every_target(scene, target):
    cls = {c.__name__: c for c in target_scenes()}[scene]
    x_range = (0.5, 4.0) if target == "exp(x)" and scene == "WhereKinksGo" else cls.params.x_range
    params = dataclasses.replace(cls.params, target=target, x_range=x_range)
    BUILDERS[scene](params)


@pytest.mark.parametrize("scene, target", [
    ("ApproximateSquare", "9"), ("ApproximateSquare", "2*x+1"), ("ZoomToLine", "9"), ("TrainingKinks", "9"),
    ("WhereKinksGo", "9"), ("WhatFollows", "9"),
])
def test_every_target_scene_draws_a_still_of_a_straight_or_constant_target(scene, target, tmp_path_factory):
    """The whole construct() runs (animations skipped, as for a png): every mobject is built.
    A constant is the most degenerate target: no bend, no slope, zero error everywhere."""
    from manim import tempconfig
    cls = {c.__name__: c for c in target_scenes()}[scene]
    small = dataclasses.replace(cls.params, target=target,
                                **({"train_steps": 40} if scene == "TrainingKinks" else {}))
    variant = type(scene, (cls,), {"params": small})
    media = tmp_path_factory.getbasetemp() / "target-stills"  # shared: each formula is typeset once
    with tempconfig({"media_dir": str(media), "quality": "low_quality", "pixel_width": 256,
                     "pixel_height": 144, "save_last_frame": True, "write_to_movie": False, "format": "png",
                     "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}):
        variant().render()


def test_approximate_square_renders_abs_x_at_low_quality(render_scene):
    """The issue's first crash, rendered for real (animations played): h_1 = |x| exactly, then steps
    that add nothing and say so."""
    from scenes.approximate_square import ApproximateSquare
    variant = type("ApproximateSquare", (ApproximateSquare,),
                   {"params": dataclasses.replace(ApproximateSquare.params, target="abs(x)")})
    rendered = render_scene(variant, frame_rate=5)
    assert rendered.video.stat().st_size > 0
    assert rendered.duration() > 5
    assert [s.new_terms for s in rendered.scene.steps][1:] == [(), ()]

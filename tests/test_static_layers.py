"""Still shapes drawn into a play's background give every frame exactly as Manim's own drawing does."""
from __future__ import annotations

import numpy as np
import pytest

from scenes import static_layers
from tests.golden_frames import GOLDEN, render_frames

SMALL = {**GOLDEN, "pixel_width": 320, "pixel_height": 180, "frame_rate": 10}


@pytest.fixture
def manims_drawing(monkeypatch):
    """Manim's own CairoRenderer methods for one test, as in a fresh process (restored after it)."""
    from manim.renderer.cairo_renderer import CairoRenderer
    if static_layers._manims_update_frame is not None:  # installed by an earlier test in this process
        monkeypatch.setattr(CairoRenderer, "save_static_frame_data", static_layers._manims_save_static)
        monkeypatch.setattr(CairoRenderer, "update_frame", static_layers._manims_update_frame)
        monkeypatch.setattr(CairoRenderer, "play", static_layers._manims_play)
    else:
        for name in ("save_static_frame_data", "update_frame", "play"):
            monkeypatch.setattr(CairoRenderer, name, getattr(CairoRenderer, name))


def in_background(monkeypatch) -> list[int]:
    """Count the still shapes each layered frame leaves in the background (so a test sees it was used)."""
    counts = []
    draw = static_layers.Layers.draw

    def counted(self, renderer):
        draw(self, renderer)
        counts.append(len(self.in_background))

    monkeypatch.setattr(static_layers.Layers, "draw", counted)
    return counts


def assert_same_frames(plain, layered) -> None:
    assert [n for _, n in plain] == [n for _, n in layered]
    for i, ((a, _), (b, _)) in enumerate(zip(plain, layered)):
        assert np.array_equal(a, b), f"frame {i} differs in {int((a != b).any(axis=2).sum())} pixels"


def passes_under():
    """A dot slides under a square drawn above it, and a label above both, away from the dot's path,
    turns red once the dot is past the middle: another mobject's updater recolours it (the label has no
    updater and no animation of its own)."""
    from manim import BLUE, RED, WHITE, YELLOW, Dot, Mobject, Scene, Square, Text, linear

    class PassesUnder(Scene):
        def construct(self):
            dot = Dot([-5, 0, 0], radius=0.4, color=RED)
            square = Square(side_length=2).set_fill(BLUE, opacity=0.6)
            far = Square(side_length=1).move_to([4, 2.5, 0]).set_fill(YELLOW, opacity=1)
            label = Text("label").move_to([0, -2.5, 0])  # away from the dot's path
            watcher = Mobject()  # no points; its updater recolours the label (the dot's own would be
            watcher.add_updater(lambda _: label.set_color(RED if dot.get_x() > 0 else WHITE))  # suspended)
            self.add(dot, square, far, label, watcher)
            self.play(dot.animate.move_to([5, 0, 0]), run_time=2, rate_func=linear)
            self.wait(0.5)

    return PassesUnder


def test_a_shape_passing_under_a_still_one_is_drawn_as_manim_draws_it(manims_drawing, monkeypatch):
    scene = passes_under()
    plain = render_frames(scene, SMALL)
    assert static_layers.install()
    counts = in_background(monkeypatch)
    layered = render_frames(scene, SMALL)
    assert_same_frames(plain, layered)
    assert max(counts) >= 2 and min(counts) < max(counts)  # the far square stays in; the square rises


@pytest.mark.parametrize("broken", ["no lifting", "no change check"])
def test_the_frame_check_fails_when_the_layering_is_wrong(broken, manims_drawing, monkeypatch):
    """The comparison above catches a still shape left in the background while the dot passes under it,
    and one whose colour another shape's updater changed."""
    scene = passes_under()
    plain = render_frames(scene, SMALL)
    assert static_layers.install()
    if broken == "no lifting":
        monkeypatch.setattr(static_layers, "on_top", lambda boxes, top: top)
    else:
        monkeypatch.setattr(static_layers, "_looks", lambda mobject: ())
    with pytest.raises(AssertionError, match="differs"):
        assert_same_frames(plain, render_frames(scene, SMALL))


def test_shapes_rebuilt_every_frame_are_drawn_every_frame(manims_drawing):
    """always_redraw replaces its submobjects each frame: the new ones count as moving."""
    from manim import GREEN, Axes, Dot, Scene, ValueTracker, always_redraw

    class Redrawn(Scene):
        def construct(self):
            axes = Axes(x_range=[-3, 3], y_range=[-2, 2])
            at = ValueTracker(-2.5)
            graph = always_redraw(lambda: axes.plot(lambda x: max(0, x - at.get_value()), color=GREEN))
            dot = always_redraw(lambda: Dot(axes.c2p(at.get_value(), 0)))
            self.add(graph, axes, dot)  # the axes above the graph: still, and crossed by it
            self.play(at.animate.set_value(2.5), run_time=1.5)

    plain = render_frames(Redrawn, SMALL)
    assert static_layers.install()
    assert_same_frames(plain, render_frames(Redrawn, SMALL))


PAYS = {"RulerAndProtractor", "ApproximateSquare", "ZoomToLine", "TwoNeuronRegions"}
"""Scenes with still shapes above moving ones that can stay in the background (the others have none)."""
STORY = ["ReluUnit", "ApproximateSquare", "ZoomToLine", "RulerAndProtractor", "TwoNeuronRegions",
         "Interaction", "DepthCascade", "TrainingKinks", "WhereKinksGo", "WhatFollows"]


@pytest.mark.parametrize("scene", STORY)
def test_every_frame_of_every_scene_is_the_same_layered(scene, manims_drawing, monkeypatch):
    from scenes.explainer import STORY as ORDER, scene_class
    assert set(STORY) == set(ORDER)
    plain = render_frames(scene_class(scene))
    assert static_layers.install()
    counts = in_background(monkeypatch)
    layered = render_frames(scene_class(scene))
    assert_same_frames(plain, layered)
    assert counts  # its frames were drawn by the layers
    if scene in PAYS:
        assert sum(counts) > 0  # with still shapes in their backgrounds

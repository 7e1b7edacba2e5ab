"""ExplainerScene keeps mobjects with updaters on top, so what does not move stays in the still background."""
from __future__ import annotations

import pytest

from scenes.base import ExplainerScene


@pytest.fixture
def scene(tmp_path):
    from manim import tempconfig
    with tempconfig({"media_dir": str(tmp_path), "disable_caching": True, "progress_bar": "none"}):
        scene = ExplainerScene()
        scene.setup()
        yield scene


def live(name: str):
    from manim import Dot
    dot = Dot()
    dot.name = name
    dot.add_updater(lambda m: None)
    return dot


def still(name: str):
    from manim import Square
    square = Square()
    square.name = name
    return square


def names(scene) -> list[str]:
    return [m.name for m in scene.mobjects]


def test_a_still_mobject_added_after_a_live_one_goes_below_it(scene):
    scene.add(still("axes"), live("graph"), still("label"), live("readout"), still("row"))
    assert names(scene) == ["axes", "label", "row", "graph", "readout"]


def test_live_mobjects_keep_their_order_and_readding_moves_nothing_else(scene):
    scene.add(live("b"), live("a"), still("s"))
    scene.add(scene.mobjects[0])  # re-adding a still mobject: Manim moves it to the end, then below the live ones
    assert names(scene) == ["s", "b", "a"]


def test_add_above_puts_a_mobject_at_a_chosen_depth(scene):
    axes, curve = still("axes"), still("curve")
    scene.add(axes, curve, live("graph"))
    scene.add_above(still("band"), axes)
    assert names(scene) == ["axes", "band", "curve", "graph"]
    band = scene.mobjects[1]
    scene.add_above(band, curve)  # moving it again does not duplicate it
    assert names(scene) == ["axes", "curve", "band", "graph"]


def test_a_mobject_whose_updater_sits_on_a_submobject_counts_as_live(scene):
    from manim import VGroup
    group = VGroup(still("label"), live("number"))
    group.name = "readout"
    scene.add(group, still("later"))
    assert names(scene) == ["later", "readout"]

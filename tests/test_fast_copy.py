"""Copies of formulas share only the parsed SVG path; everything a copy can change stays its own."""
from __future__ import annotations

import numpy as np
import pytest

from scenes.fast_copy import install


def unpatch_glyph_copies(monkeypatch) -> None:
    """Give glyphs Manim's own copy (inherited from Mobject) for one test, as in a fresh process."""
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
    if "__deepcopy__" in VMobjectFromSVGPath.__dict__:  # installed by an earlier test
        monkeypatch.delattr(VMobjectFromSVGPath, "__deepcopy__")


@pytest.fixture(scope="module")
def formula(tmp_path_factory):
    from manim import MathTex, tempconfig
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        install()
        yield MathTex(r"h_2(x) = g(x) + g(-x)", color="#FF0000")


def test_a_copy_shares_the_path_and_nothing_else(formula):
    copy = formula.copy()
    pairs = list(zip(formula.family_members_with_points(), copy.family_members_with_points()))
    assert pairs and all(a.path_obj is b.path_obj for a, b in pairs)
    for a, b in pairs:
        assert a is not b and a.points is not b.points
        np.testing.assert_array_equal(a.points, b.points)
        assert a.get_fill_color() == b.get_fill_color()


def test_changing_a_copy_leaves_the_original_alone(formula):
    before = [m.points.copy() for m in formula.family_members_with_points()]
    copy = formula.copy().shift([1.0, 2.0, 0.0]).set_color("#00FF00")
    copy[0][0].points[:] = 0
    after = [m.points for m in formula.family_members_with_points()]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))
    assert formula[0][1].get_fill_color().to_hex().upper() == "#FF0000"


def test_rendering_without_the_worker_keeps_manims_own_copy(tmp_path, monkeypatch):
    """A scene rendered the plain-manim way (ours or anyone's) copies glyphs as Manim does."""
    from manim import Scene, Text, tempconfig
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    from tests.fake_scenes import OtherFakeScene

    unpatch_glyph_copies(monkeypatch)  # as in a fresh process
    copies = []

    class Plain(Scene):
        def construct(self):
            word = Text("kink")
            copies.append((word, word.copy()))
            self.add(word)

    with tempconfig({"media_dir": str(tmp_path), "format": "png", "quality": "low_quality",
                     "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none"}):
        OtherFakeScene().render()
        Plain().render()
    assert "__deepcopy__" not in VMobjectFromSVGPath.__dict__
    word, copy = copies[0]
    assert all(a.path_obj is not b.path_obj
               for a, b in zip(word.family_members_with_points(), copy.family_members_with_points()))

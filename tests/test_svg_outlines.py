"""Formulas and labels read back from kept outlines are the ones Manim parses from their SVGs."""
from __future__ import annotations

import numpy as np
import pytest

from scenes import svg_outlines


@pytest.fixture
def outlines(tmp_path, monkeypatch):
    """svg_outlines installed into an empty folder, with Manim's in-memory cache empty, for one test:
    as a fresh render process finds them. Manim's own parse is put back afterwards."""
    from manim import config
    from manim.mobject.svg import svg_mobject
    monkeypatch.setattr(svg_mobject.SVGMobject, "init_svg_mobject", svg_mobject.SVGMobject.init_svg_mobject)
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})
    monkeypatch.setattr(svg_outlines, "_parse", None)
    monkeypatch.setattr(svg_outlines, "_folder", None)
    monkeypatch.setattr(svg_outlines, "_memory", {})
    monkeypatch.setattr(svg_outlines, "_used", set())
    monkeypatch.setitem(config, "media_dir", str(tmp_path / "media"))
    folder = tmp_path / "outlines"
    assert svg_outlines.install(folder)
    parsed = []
    parse = svg_outlines._parse
    monkeypatch.setattr(svg_outlines, "_parse", lambda mob, use: parsed.append(
        not use or svg_outlines._memory_key(mob) not in svg_mobject.SVG_HASH_TO_MOB_MAP) or parse(mob, use))

    def new_process() -> None:  # what the next render starts with: the folder, not the memory
        svg_mobject.SVG_HASH_TO_MOB_MAP.clear()

    return folder, parsed, new_process


def same_mobject(a, b) -> bool:
    fa, fb = a.family_members_with_points(), b.family_members_with_points()
    return len(fa) == len(fb) and all(
        np.array_equal(x.points, y.points) and x.get_fill_color() == y.get_fill_color() for x, y in zip(fa, fb))


def test_a_formula_is_parsed_once_then_read_back_the_same(outlines):
    from manim import MathTex
    folder, parsed, new_process = outlines
    first = MathTex(r"h_2(x) =", r"\tfrac{1}{2}x", color="#FF8800")
    assert sum(parsed) == 1 and len(list(folder.glob("*.pickle"))) == 1
    new_process()
    again = MathTex(r"h_2(x) =", r"\tfrac{1}{2}x", color="#FF8800")
    assert sum(parsed) == 1  # read, not parsed
    assert same_mobject(again, first)
    assert [part.tex_string for part in again] == [part.tex_string for part in first]


def test_another_formula_is_not_read_from_the_first_ones_file(outlines):
    from manim import MathTex
    folder, parsed, new_process = outlines
    square = MathTex("x^2")
    new_process()
    cube = MathTex("y^3")
    assert sum(parsed) == 2 and len(list(folder.glob("*.pickle"))) == 2
    assert not same_mobject(cube, square)


def test_a_pango_label_is_read_back_the_same(outlines):
    """Manim's Text does not use its in-memory SVG cache: its outlines are read for it alone."""
    from manim import Text
    folder, parsed, new_process = outlines
    first = Text("largest error", color="#00AAFF")
    again = Text("largest error", color="#00AAFF")
    assert len(parsed) == 1 and len(list(folder.glob("*.pickle"))) == 1  # parsed once, then read
    assert same_mobject(again, first) and again.text == first.text
    assert not any(a is b for a, b in zip(again.family_members_with_points(), first.family_members_with_points()))


def test_a_damaged_file_is_parsed_again_and_replaced(outlines):
    from manim import MathTex
    folder, parsed, new_process = outlines
    first = MathTex("x^2")
    (kept,) = folder.glob("*.pickle")
    kept.write_bytes(kept.read_bytes()[:100])  # cut short, as by a full disk
    new_process()
    again = MathTex("x^2")
    assert sum(parsed) == 2 and same_mobject(again, first)
    new_process()
    MathTex("x^2")
    assert sum(parsed) == 2  # the file written anew reads back


def test_outlines_read_ahead_are_taken_from_memory_and_a_label_gets_its_own_copy(outlines):
    """What the preview loop does between renders: preload the keys a render used, then the next render
    (here: the same process, its folder emptied) parses nothing and reads no file."""
    from manim import MathTex, Text
    folder, parsed, new_process = outlines
    first_formula, first_label = MathTex("x^2", color="#FF8800"), Text("largest error")
    assert len(svg_outlines.used()) == 2 and sorted(p.stem for p in folder.glob("*.pickle")) == svg_outlines.used()
    memory = {"stale": object()}
    svg_outlines.preload(folder, svg_outlines.used(), memory)
    assert sorted(memory) == svg_outlines.used()  # the stale entry is gone: one scene's outlines at most
    for kept in folder.glob("*.pickle"):
        kept.unlink()
    assert svg_outlines.install(folder, memory)
    new_process()
    formula, label, label_again = MathTex("x^2", color="#FF8800"), Text("largest error"), Text("largest error")
    assert sum(parsed) == 2 and not list(folder.glob("*.pickle"))  # from memory: not parsed, not read
    assert same_mobject(formula, first_formula) and same_mobject(label, first_label)
    parts = [label.family_members_with_points(), label_again.family_members_with_points(),
             [m for kept in memory.values() for m in kept.family_members_with_points()]]
    assert len({id(m) for group in parts for m in group}) == sum(map(len, parts))  # no part shared


def test_a_render_from_kept_outlines_is_the_render_from_parsed_svgs(tmp_path):
    """Through the worker, as the command renders: the second render reads every label's outlines
    the first one parsed and kept, and x264 gets the very same pictures."""
    import av

    from relu_explainer_cli.paths import cache_root
    from relu_explainer_cli.render import RenderOptions, render_scenes
    from relu_explainer_cli.worker import OUTLINES_DIR

    def render(folder: str) -> list[np.ndarray]:
        options = RenderOptions(quality="low", jobs=1, cache=False, out_dir=tmp_path / folder)
        (clip,) = render_scenes(["tests.fake_scenes:OddTimings"], {}, options, progress=lambda line: None)
        with av.open(str(clip.video)) as container:
            return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]

    parsed = render("parsed")
    kept = sorted((cache_root() / OUTLINES_DIR).glob("*.pickle"))
    assert len(kept) == 4  # the four beats' labels
    read = render("read")
    assert sorted((cache_root() / OUTLINES_DIR).glob("*.pickle")) == kept
    assert len(read) == len(parsed) and all(np.array_equal(a, b) for a, b in zip(read, parsed))


def test_a_render_forked_after_a_read_ahead_takes_its_outlines_from_memory(tmp_path, monkeypatch):
    """The preview loop's read-ahead, through the worker: the clip names the outlines it used; once
    they are in the command's memory (worker.OUTLINES_IN_MEMORY) and gone from the folder, the next
    render parses none again (it writes no file) and x264 gets the very same pictures."""
    import av

    from relu_explainer_cli import worker
    from relu_explainer_cli.paths import cache_root
    from relu_explainer_cli.render import RenderOptions, render_scenes

    def render(folder: str):
        options = RenderOptions(quality="low", jobs=1, cache=False, out_dir=tmp_path / folder)
        (clip,) = render_scenes(["tests.fake_scenes:OddTimings"], {}, options, progress=lambda line: None)
        with av.open(str(clip.video)) as container:
            return clip, [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]

    folder = cache_root() / worker.OUTLINES_DIR
    clip, parsed = render("parsed")
    assert sorted(clip.outlines) == sorted(p.stem for p in folder.glob("*.pickle")) and len(clip.outlines) == 4
    monkeypatch.setattr(worker, "OUTLINES_IN_MEMORY", {})
    svg_outlines.preload(folder, list(clip.outlines), worker.OUTLINES_IN_MEMORY)
    for kept in folder.glob("*.pickle"):
        kept.unlink()
    again, read = render("read")
    assert again.outlines == clip.outlines and not list(folder.glob("*.pickle"))
    assert len(read) == len(parsed) and all(np.array_equal(a, b) for a, b in zip(read, parsed))


def test_the_same_module_imported_again_installs_over_manims_parse_not_over_the_first(monkeypatch, tmp_path):
    """The preview loop installs it between renders, then a render imports the scenes afresh and
    installs again: the second must wrap Manim's parse, or every SVG is looked up through both."""
    import importlib.util

    from manim.mobject.svg import svg_mobject
    installed = svg_mobject.SVGMobject.init_svg_mobject  # an earlier test's install may still be in place
    manims = getattr(installed, "manim_parse", installed)
    monkeypatch.setattr(svg_mobject.SVGMobject, "init_svg_mobject", manims)
    for name in ("_parse", "_folder", "_memory", "_used"):
        monkeypatch.setattr(svg_outlines, name, getattr(svg_outlines, name))
    spec = importlib.util.spec_from_file_location("scenes.svg_outlines_again", svg_outlines.__file__)
    again = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(again)
    assert svg_outlines.install(tmp_path / "a") and again.install(tmp_path / "b")
    assert svg_mobject.SVGMobject.init_svg_mobject is again._init_svg_mobject
    assert again._parse is manims and svg_outlines._parse is manims

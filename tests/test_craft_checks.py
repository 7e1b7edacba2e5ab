"""Each craft check (tests/craft.py) fails on a scene broken on purpose, and passes its honest twin.

The scenes are tiny (a second or two, few formulas), each broken in one way, and must fail exactly the
one check that looks for that: a check that also fired elsewhere would cry wolf.
"""
from __future__ import annotations

import datetime

import pytest
import srt
from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, Scene, Square, Text, Transform, ValueTracker,
                   always_redraw)

from relu_core import ReluSum, ReluTerm
from scenes.mobjects import get_axes, get_formula, get_kink_dots, get_relu_graph, with_backing
from scenes.readout import Readout
from scenes.style import FONT_SIZE, theme
from tests.craft import CHECKS, craft_render, subtitle_findings
from tests.golden_frames import TEX_CACHE


def hinge(b: float) -> ReluSum:
    return ReluSum((ReluTerm(1.0, b),))


def vee(b: float) -> ReluSum:
    return ReluSum((ReluTerm(1.0, b), ReluTerm(-1.0, b)))


class Plot(Scene):
    """Axes (no tick numbers: no TeX needed) for the broken ReLU scenes."""

    def setup(self) -> None:
        self.axes = get_axes([-3, 3, 1], [-1, 3, 1], width=6, height=4, numbers=False)
        self.add(self.axes)


# -- relu -------------------------------------------------------------------------------------------
class MorphBetweenKinks(Plot):
    """Transform g(x) into g(x - 1) + g(-x - 1): midway the curve is neither, nor any ReLU sum."""

    def construct(self) -> None:
        self.graph = get_relu_graph(self.axes, hinge(0.0))
        self.add(self.graph)
        self.play(Transform(self.graph, get_relu_graph(self.axes, vee(-1.0))), run_time=1)


class CurveOffItsAxes(Plot):
    def construct(self) -> None:
        self.graph = get_relu_graph(self.axes, hinge(0.0))
        self.play(Create(self.graph), run_time=0.5)
        self.play(self.graph.animate.shift(0.5 * UP), run_time=0.5)


class KinkDotsFlyOff(Plot):
    def construct(self) -> None:
        self.graph = get_relu_graph(self.axes, vee(-1.0))
        self.dots = get_kink_dots(self.axes, vee(-1.0))
        self.add(self.graph)
        self.play(FadeIn(self.dots, shift=0.6 * DOWN), run_time=0.6)


class RedrawnFromRelu(Plot):
    """The honest way: animate the parameter, redraw the curve and its dots from relu_core each frame;
    a Transform into the same shape elsewhere on the curve is fine too."""

    def construct(self) -> None:
        b = ValueTracker(0.0)
        self.graph = always_redraw(lambda: get_relu_graph(self.axes, vee(b.get_value())))
        self.dots = always_redraw(lambda: get_kink_dots(self.axes, vee(b.get_value())))
        self.add(self.graph, self.dots)
        self.play(b.animate.set_value(-1.5), run_time=1)
        still = get_relu_graph(self.axes, hinge(0.0), x_range=(-3, 0))
        self.play(Create(still), run_time=0.5)
        self.play(Transform(still, get_relu_graph(self.axes, hinge(0.0), x_range=(-3, 0))), run_time=0.5)


# -- text layout and size ---------------------------------------------------------------------------
class TextAtTheEdge(Scene):
    def construct(self) -> None:
        self.play(FadeIn(Text("by the edge", font_size=FONT_SIZE.body).to_edge(RIGHT, buff=0.1)), run_time=0.5)


class TextOverText(Scene):
    def construct(self) -> None:
        self.play(FadeIn(Text("first words", font_size=FONT_SIZE.body)),
                  FadeIn(Text("second words", font_size=FONT_SIZE.body).shift(0.1 * UP)), run_time=0.5)


MUTED, MAGENTA = theme().muted, theme().regions[2]  # an axis name's grey and case 3's fill (TwoNeuronRegions)


class TextOnAFill(Scene):
    """A grey axis name on a magenta piece of surface: 1.2:1, as x2 lay in TwoNeuronRegions before."""

    def construct(self) -> None:
        piece = Square(2.0, fill_color=MAGENTA, fill_opacity=1.0, stroke_width=0)
        self.play(FadeIn(piece), FadeIn(get_formula("x_2", color=MUTED, font_size=FONT_SIZE.label)), run_time=0.5)


class TinyFormula(Scene):
    def construct(self) -> None:
        self.play(FadeIn(get_formula(r"h_2(x) = x^2", font_size=FONT_SIZE.small).scale(0.5)), run_time=0.5)


class TidyText(Scene):
    """Readable text: inside the safe area, apart, big enough; a hidden text under another is not seen;
    a crossfade swaps two texts in one place."""

    def construct(self) -> None:
        words = Text("a title", font_size=FONT_SIZE.title).to_edge(UP, buff=0.5)
        formula = get_formula(r"h_2(x) = x^2", font_size=FONT_SIZE.small).next_to(words, DOWN, buff=0.3)
        hidden = Text("hidden", font_size=FONT_SIZE.body).move_to(words).set_opacity(0)
        piece = Square(1.5, fill_color=MAGENTA, fill_opacity=1.0, stroke_width=0).shift(2 * DOWN)
        backed = with_backing(get_formula("x_2", color=MUTED, font_size=FONT_SIZE.label)).move_to(piece)
        white = get_formula("x_1", font_size=FONT_SIZE.label).next_to(piece, LEFT, buff=-0.6)  # 3.2:1 on it
        self.play(FadeIn(words), FadeIn(formula), FadeIn(piece), FadeIn(backed), FadeIn(white), run_time=0.5)
        self.add(hidden)
        self.wait(0.2)


# -- numbers ----------------------------------------------------------------------------------------
class UnsourcedReadout(Scene):
    def construct(self) -> None:
        self.number = Readout(0.5, decimals=2)
        self.play(FadeIn(self.number), run_time=0.5)


class StaleReadout(Scene):
    """A readout that says where its number comes from, but is not updated as that changes."""

    def construct(self) -> None:
        self.b = ValueTracker(0.0)
        self.number = Readout(0.0, decimals=2)
        self.number.value_source = lambda: ReluTerm(1.0, self.b.get_value()).kink
        self.add(self.number)
        self.play(self.b.animate.set_value(-1.0), run_time=1)


class StaleFormula(Scene):
    """A formula that names the term while a and b move on."""

    def construct(self) -> None:
        self.a = ValueTracker(1.0)
        self.formula = get_formula("g(x)")
        self.formula.value_source = lambda: ReluTerm(self.a.get_value(), 0.0).latex()
        self.add(self.formula)
        self.play(self.a.animate.set_value(2.0), run_time=1)


class LiveNumbers(Scene):
    """The honest way: the readout follows its source every frame, the formula is redrawn from it."""

    def construct(self) -> None:
        b = ValueTracker(0.0)
        kink = lambda: ReluTerm(1.0, b.get_value()).kink  # noqa: E731
        self.number = Readout(kink(), decimals=2).shift(UP)
        self.number.value_source = kink
        self.number.add_updater(lambda m: m.set_value(kink()))

        def formula():
            shown = get_formula(ReluTerm(1.0, round(b.get_value(), 1)).latex()).shift(DOWN)
            shown.value_source = lambda: ReluTerm(1.0, round(b.get_value(), 1)).latex()
            return shown

        self.formula = always_redraw(formula)
        self.add(self.number, self.formula)
        self.play(b.animate.set_value(-1.0), run_time=1)


# -- subtitles --------------------------------------------------------------------------------------
class RushedSubtitles(Scene):
    def construct(self) -> None:
        self.add_subcaption("This sentence is far too long to be read in the half second it is shown.",
                            duration=0.5)
        self.wait(0.5)


class SlowSubtitles(Scene):
    def construct(self) -> None:
        self.add_subcaption("A short line,\nread at ease.", duration=2)
        self.wait(2)


def render(scene_class: type, tmp_path, **config):
    return craft_render(scene_class, tmp_path / "media", tex_dir=str(TEX_CACHE / "Tex"),
                        text_dir=str(TEX_CACHE / "texts"), **config)


@pytest.mark.parametrize("scene_class, check", [
    (MorphBetweenKinks, "relu"),
    (CurveOffItsAxes, "relu"),
    (KinkDotsFlyOff, "relu"),
    (TextAtTheEdge, "safe_area"),
    (TextOverText, "overlap"),
    (TextOnAFill, "contrast"),
    (TinyFormula, "text_size"),
    (UnsourcedReadout, "numbers"),
    (StaleReadout, "numbers"),
    (StaleFormula, "numbers"),
    (RushedSubtitles, "subtitles"),
])
def test_a_scene_broken_one_way_fails_exactly_that_check(tmp_path, scene_class, check):
    run = render(scene_class, tmp_path)
    assert {f.check for f in run.findings} == {check}, "\n".join(run.report(c) for c in CHECKS)


@pytest.mark.parametrize("scene_class", [RedrawnFromRelu, TidyText, LiveNumbers, SlowSubtitles])
def test_the_honest_twin_passes_every_check(tmp_path, scene_class):
    run = render(scene_class, tmp_path)
    assert run.samples >= 1 and run.srt.exists() == (scene_class is SlowSubtitles)
    assert not run.findings, "\n".join(run.report(c) for c in CHECKS)


def test_a_morph_fails_midway_and_its_end_shows_the_target_function(tmp_path):
    run = render(MorphBetweenKinks, tmp_path)
    assert [f.phase for f in run.of("relu")] == ["mid"]  # after the Transform, graph shows vee(-1) exactly


def test_the_same_morph_fails_when_every_frame_is_drawn(tmp_path):
    run = render(MorphBetweenKinks, tmp_path, frames="all")
    assert [f.phase for f in run.of("relu")] == ["mid"]
    assert run.duration == pytest.approx(1.0)


def test_a_finding_says_scene_time_animation_mobject_and_what(tmp_path):
    report = render(MorphBetweenKinks, tmp_path).report("relu")
    assert report.startswith("MorphBetweenKinks: relu: 1 problem(s)")
    line = report.splitlines()[1]
    assert line.startswith("  0.50 s mid of play 0 (Transform(VMobject))")
    assert "VMobject self.graph" in line and "off g(x)" in line and "units at (x, y)" in line


def test_a_stale_number_names_what_it_shows_and_should_show(tmp_path):
    found = render(StaleReadout, tmp_path).of("numbers")
    assert found[0].what == "shows '0.00' but its source gives '0.50' now"
    assert found[0].subject == 'Readout "0.00" self.number'


def cue(start: float, end: float, text: str) -> srt.Subtitle:
    return srt.Subtitle(1, datetime.timedelta(seconds=start), datetime.timedelta(seconds=end), text)


@pytest.mark.parametrize("text, seconds, problem", [
    ("x" * 34, 2.0, None),                                   # 17 characters a second: at the limit
    ("x" * 35, 2.0, "17.5 characters a second"),
    ("one\ntwo\nthree", 10.0, "3 lines"),
    ("y" * 43, 10.0, "a line of 43 characters"),
    ("y" * 42 + "\n" + "z" * 42, 10.0, None),
])
def test_subtitle_limits(tmp_path, text, seconds, problem):
    path = tmp_path / "cues.srt"
    path.write_text(srt.compose([cue(1.0, 1.0 + seconds, text)]), encoding="utf-8")
    found = subtitle_findings(path, "Demo")
    assert [problem in f.what for f in found] == ([True] if problem else [])


def test_unknown_checks_and_frame_modes_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown craft checks"):
        craft_render(SlowSubtitles, tmp_path, checks=["beauty"])
    with pytest.raises(ValueError, match="frames must be"):
        craft_render(SlowSubtitles, tmp_path, frames="some")

"""Tiny scenes for the command-line tests: a second or so each, no LaTeX, with params like the real ones."""
from __future__ import annotations

import time
from dataclasses import dataclass

from manim import DOWN, LEFT, RIGHT, UP, Create, Dot, FadeIn, Text, ValueTracker, always_redraw

from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak

__all__ = ["FakeParams", "FakeScene", "OtherFakeScene", "BrokenScene", "OddTimings"]


@dataclass(frozen=True)
class FakeParams:
    """The shared knobs (`target`, `steps`, `x_range`), declared and checked as real scenes do."""

    target: str = tweak("target", "x**2")
    steps: int = tweak("steps", 3, min=1, max=1000)
    x_range: tuple[float, float] = tweak("x_range", (-2.0, 2.0))
    seconds: float = knob(1.0, "how long the scene lasts", min=0.1, max=600)

    def __post_init__(self) -> None:
        check_knobs(self)


@dataclass(frozen=True)
class OtherParams:
    """Knobs of a scene that takes no target."""

    speed: float = 1.0


class FakeScene(ExplainerScene):
    """A one-second scene: the target's text and a dot; two beats, so two subtitles."""

    params = FakeParams()
    description = "A one-second test scene that writes its target."

    def construct(self) -> None:
        p = self.params
        self.say(f"target {p.target} with {p.steps} steps")
        label = Text(f"{p.target}  n={p.steps}  {p.x_range}", color=self.theme.text).shift(UP)
        self.play(FadeIn(label), run_time=p.seconds / 2)
        self.say("a dot")
        self.play(Create(Dot(DOWN, color=self.theme.target)), run_time=p.seconds / 2)


class OtherFakeScene(ExplainerScene):
    """A one-second scene without a target."""

    params = OtherParams()
    description = "A one-second test scene with no target."

    def construct(self) -> None:
        self.say("just a dot")
        self.play(Create(Dot(color=self.theme.approx)), run_time=1.0 / self.params.speed)


class BrokenScene(ExplainerScene):
    """A scene whose construct() fails, to test how a worker failure is reported."""

    params = OtherParams()
    description = "Fails on purpose."

    def construct(self) -> None:
        self.say("about to fail")
        self.play(Create(Dot()), run_time=0.5)
        raise RuntimeError("BrokenScene fails on purpose")


class OddTimings(ExplainerScene):
    """Plays whose run times are no whole number of frames, stills, a live dot and four beats: what a
    render split over two processes (relu_explainer_cli.shards) must put back together exactly."""

    params = OtherParams()
    description = "Plays of odd lengths, for the split-render tests."

    def construct(self) -> None:
        x = ValueTracker(-3.0)
        dot = always_redraw(lambda: Dot([x.get_value(), 0, 0], color=self.theme.target))
        self.add(dot)
        for beat, (run_time, still) in enumerate([(0.37, 0.5), (0.1, 0.23), (0.71, 1.04), (0.05, 0.4)]):
            self.say(f"beat {beat}: {run_time} seconds")
            label = Text(f"beat {beat}", color=self.theme.text).shift(UP + (beat - 1.5) * RIGHT)
            self.play(FadeIn(label), x.animate.set_value(x.get_value() + 1.5), run_time=run_time)
            self.wait(still)
            self.play(label.animate.shift(DOWN + 0.2 * LEFT), run_time=run_time / self.params.speed)


class LongPlay(ExplainerScene):
    """A 6-second play between short ones, its shapes functions of a tracker: what the two processes of a
    split render draw as two halves, and must join without a seam."""

    params = OtherParams()
    description = "One long play, for the split-render tests."
    clock = False  # a shape moved by an updater that takes dt: then the play is not halved

    def construct(self) -> None:
        x = ValueTracker(-3.0)

        def costly_dot() -> Dot:  # 10 ms a frame, as a scene's curves take: the other process arrives in time
            time.sleep(0.01)
            return Dot([x.get_value(), 0, 0], color=self.theme.target)

        dot = always_redraw(costly_dot)
        follower = Dot([0, -1, 0], color=self.theme.text)
        if self.clock:
            follower.add_updater(lambda mobject, dt: mobject.shift(dt * 0.8 * RIGHT))  # it adds up the dts
        else:
            follower.add_updater(lambda mobject: mobject.set_x(-0.5 * x.get_value()))
        self.add(dot, follower)
        self.play(x.animate.set_value(-2.0), run_time=0.5)
        self.play(x.animate.set_value(3.0), Create(Text("long", color=self.theme.text).shift(UP)), run_time=6.0)
        self.play(x.animate.set_value(0.0), run_time=0.4)


class LongPlayWithClock(LongPlay):
    clock = True

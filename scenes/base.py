"""ExplainerScene: the base of every scene, with its parameters, theme and subtitles.

Each scene keeps its knobs in one frozen dataclass held as the class attribute `params`; a variant
is a subclass that replaces it:

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Knobs:
...     terms: int = 3
>>> class Mine(ExplainerScene):
...     params = Knobs(terms=5)
>>> Mine.params.terms
5
"""
from __future__ import annotations

from typing import Any, ClassVar

from manim import Scene

from .fast_copy import install as share_glyph_paths
from .style import Theme, theme

__all__ = ["ExplainerScene", "CaptionMixin"]


class CaptionMixin:
    """Subtitles that last until the next one: `self.say(text)` at the start of each beat."""

    _caption: tuple[str, float] | None = None
    _beats: int = 0

    def say(self, text: str) -> None:
        """Start a beat: a subtitle that lasts until the next `say`, and a new section.

        Sections make one clip per beat with `--save_sections` (the slides step through them).
        """
        self.flush_caption()
        self.next_section(f"beat{self._beats:02d}")
        self._beats += 1
        self._caption = (text, self.time)

    def flush_caption(self) -> None:
        """Write the open subtitle into the scene's .srt, if it lasted any time."""
        if self._caption is None:
            return
        text, start = self._caption
        self._caption = None
        duration = self.time - start
        if duration > 0:
            self.add_subcaption(text, duration=duration, offset=-duration)


class ExplainerScene(CaptionMixin, Scene):
    """A Scene with the project's theme as background and `params` as its knobs.

    Subclasses set `params` (a frozen dataclass instance) and `description` (one line for
    `relu-explainer list`), and write `construct()` as a short list of beats.
    """

    params: ClassVar[Any] = None
    description: ClassVar[str] = ""

    def setup(self) -> None:
        share_glyph_paths()  # copies of formulas 10x faster (scenes/fast_copy.py)
        self.theme: Theme = theme()
        self.camera.background_color = self.theme.background

    def tear_down(self) -> None:
        self.flush_caption()

    def add(self, *mobjects):
        """Add as Manim does, then keep the live mobjects (those with updaters) last in drawing order.

        During an animation Manim redraws every mobject from the first moving one onwards and keeps
        the ones before it in a still background. A label added after a live graph would be redrawn
        every frame for nothing; with the live ones kept on top it joins the background. (Measured on
        ZoomToLine: 86 to 120 shapes redrawn a frame, of which 14 moved.)
        """
        super().add(*mobjects)
        is_live = [bool(m.get_family_updaters()) for m in self.mobjects]  # walks each family once
        self.mobjects = ([m for m, live in zip(self.mobjects, is_live) if not live]
                         + [m for m, live in zip(self.mobjects, is_live) if live])
        return self

    def add_above(self, mobject, below) -> None:
        """Put `mobject` in the scene just above `below` in drawing order (a band over the axes, under
        the curves), so only what lies above it is redrawn while it animates."""
        if mobject in self.mobjects:
            self.mobjects.remove(mobject)
        self.mobjects.insert(self.mobjects.index(below) + 1, mobject)

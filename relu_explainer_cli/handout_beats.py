"""The handout's material from rendered scenes: per beat its key frame, narration and formula.

A beat is one `say` section of a scene rendered with sections (as `slides` renders them): its key
frame is the section clip's last frame (what is on screen when the beat ends), its narration the
beat's subtitles (slides.clip_slides: the script's words, not the audio).

>>> narration_text("Flat,\\nthen a ramp.")
'Flat, then a ramp.'
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .handout_numbers import Table, beat_formulas, numbers_tables
from .slides import clip_slides

if TYPE_CHECKING:
    from .render import Clip

__all__ = ["Beat", "ScenePages", "narration_text", "last_frame", "scene_pages", "KEY_FRAME_WIDTH"]

KEY_FRAME_WIDTH = 1280
"""Key frames wider than this are scaled down: 1280 px over the page's 180 mm is 180 dpi."""


@dataclass(frozen=True)
class Beat:
    """One beat on paper: its key frame (PNG bytes), narration and formula (LaTeX, or None)."""

    frame: bytes
    narration: str
    formula: str | None = None


@dataclass(frozen=True)
class ScenePages:
    """One scene's part of the handout: its title, beats, and tables of numbers (none: no numbers page)."""

    name: str
    title: str
    beats: tuple[Beat, ...]
    tables: tuple[Table, ...] = ()


def narration_text(caption: str) -> str:
    """A beat's subtitle lines as one paragraph."""
    return " ".join(line.strip() for line in caption.splitlines() if line.strip())


def last_frame(video: Path, max_width: int = KEY_FRAME_WIDTH) -> bytes:
    """The last picture of a clip as PNG bytes, at most `max_width` pixels wide."""
    import av
    frame = None
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            pass
    if frame is None:
        raise ValueError(f"{video} has no picture")
    image = frame.to_image()
    if image.width > max_width:
        image = image.resize((max_width, round(image.height * max_width / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def scene_pages(clip: Clip, params: Any, title: str = "") -> ScenePages:
    """The handout part of one rendered scene. Formulas only when the scene says one per beat and the
    render has that many beats (a mismatch would put a formula under the wrong picture: none then)."""
    slides = clip_slides(clip)
    formulas = beat_formulas(clip.scene, params)
    if formulas is None or len(formulas) != len(slides):
        formulas = [None] * len(slides)
    beats = tuple(Beat(last_frame(s.video), narration_text(s.caption), formula)
                  for s, formula in zip(slides, formulas))
    return ScenePages(clip.scene, title or clip.title or clip.scene, beats, numbers_tables(clip.scene, params))

"""Tiny scenes with sound, for the tests of audio tracks, stitching and slides: no voice needed.

`ToneScene` adds a generated 440 Hz tone with Manim's own `self.add_sound`, as narration does, at a
known time, so a test can find where the tone lands in what was written.
"""
from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from manim import Circle, Create, Dot, FadeIn, Square, config

from scenes.base import ExplainerScene

__all__ = ["TONE_HZ", "TONE_LEVEL", "tone_wav", "onsets", "ToneParams", "ToneScene", "BeatTones", "render_beats"]

TONE_HZ = 440
TONE_LEVEL = 0.5


def tone_wav(path: Path, seconds: float, rate: int = 22_050) -> Path:
    """Write a mono 16-bit WAV of a TONE_HZ sine at TONE_LEVEL (the voice's rate and format) to `path`."""
    t = np.arange(round(seconds * rate)) / rate
    samples = np.rint(TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * t) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples.tobytes())
    return path


def onsets(samples: np.ndarray, rate: int, level: float = TONE_LEVEL / 5, gap: float = 0.1) -> list[float]:
    """Seconds at which sound starts after at least `gap` seconds below `level` (or at the start)."""
    loud = np.flatnonzero(np.abs(samples).max(axis=0) > level)
    if loud.size == 0:
        return []
    starts = [loud[0]] + [b for a, b in zip(loud, loud[1:]) if b - a > gap * rate]
    return [float(s) / rate for s in starts]


def _tone(seconds: float) -> Path:
    """The tone file, in the render's own media folder (the worker gives every render its own)."""
    return tone_wav(Path(config.media_dir) / f"tone-{seconds:.3f}s.wav", seconds)


@dataclass(frozen=True)
class ToneParams:
    """When the tone sounds and for how long; how long the scene lasts."""

    tone_at: float = 0.0
    tone_seconds: float = 0.3
    seconds: float = 1.2


class ToneScene(ExplainerScene):
    """A square drawn while a tone sounds at `tone_at`: one beat, one subtitle."""

    params = ToneParams()
    description = "A test scene with a tone in its sound track."
    title = "A tone, then a square"

    def construct(self) -> None:
        p = self.params
        self.say("a tone and a square")
        self.add_sound(str(_tone(p.tone_seconds)), time_offset=p.tone_at)
        self.play(Create(Square(color=self.theme.approx)), run_time=p.seconds)


class BeatTones(ExplainerScene):
    """Three beats, a tone at the start of each: the slides must play each beat's own tone."""

    params = ToneParams(tone_seconds=0.2)
    description = "A test scene with a tone at the start of each of its three beats."
    title = "Three beats, three tones"
    captions = ("a square", "a dot", "a circle")

    def construct(self) -> None:
        for caption, shape, run_time in zip(self.captions, (Square, Dot, Circle), (1.0, 0.7, 1.0)):
            self.say(caption)
            # Manim places a sound at whole milliseconds, rounding down (pydub), and a beat's start
            # time sums frame lengths in floating point (0.9999… s): 2 ms keeps the tone in its beat.
            self.add_sound(str(_tone(self.params.tone_seconds)), time_offset=0.002)
            self.play(FadeIn(shape(color=self.theme.target)), run_time=run_time)


def render_beats(scene_cls: type, media: Path, with_sound: bool = False):
    """Render `scene_cls` at 256x144, 10 fps, one clip per beat (section), into `media`: the Clip the
    deck, handout and pptx writers take. `with_sound` gives the video its sound as the worker does."""
    from manim import tempconfig

    from relu_explainer_cli.render import Clip
    from relu_explainer_cli.soundtrack import fix_clip_audio, picture_seconds
    with tempconfig({"frame_rate": 10, "pixel_width": 256, "pixel_height": 144, "disable_caching": True,
                     "progress_bar": "none", "verbosity": "WARNING", "save_sections": True,
                     "media_dir": str(media)}):
        scene = scene_cls()
        scene.render()
        writer = scene.renderer.file_writer
        video = Path(writer.movie_file_path)
        if with_sound:
            assert fix_clip_audio(video, writer)
        index = Path(writer.sections_output_dir) / f"{scene_cls.__name__}.json"
    seconds = picture_seconds(video) if with_sound else scene.time
    return Clip(scene_cls.__name__, video, video.with_suffix(".srt"), seconds, index)

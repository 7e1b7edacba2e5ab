"""A clip's sound: as long as its picture, in sync with it, AAC in mp4 and Opus in webm; gif and png silent."""
from __future__ import annotations

import doctest
from pathlib import Path

import av
import numpy as np
import pytest
from manim import Create, Dot, Scene, Square, config, tempconfig

from relu_explainer_cli import soundtrack
from relu_explainer_cli.soundtrack import (RATE, fix_clip_audio, picture_seconds, read_audio, resample,
                                           segment_samples)
from tests.tone_scenes import TONE_LEVEL, ToneParams, ToneScene, onsets, tone_wav

TINY = {"pixel_width": 256, "pixel_height": 144, "frame_rate": 10, "disable_caching": True,
        "progress_bar": "none", "verbosity": "ERROR"}
TONE_AT = 0.4


class LateTone(ToneScene):
    params = ToneParams(tone_at=TONE_AT, tone_seconds=0.3, seconds=1.5)


def render(cls, media: Path, fmt: str):
    """Render `cls` tiny in `fmt`; return (its video, its file writer)."""
    with tempconfig({**TINY, "media_dir": str(media), "format": fmt}):
        scene = cls()
        scene.render()
    return Path(scene.renderer.file_writer.output_plan.primary_artifact), scene.renderer.file_writer


def audio_stream(path: Path) -> tuple[str, float | None]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        seconds = float(stream.duration * stream.time_base) if stream.duration else None
        return stream.codec_context.name, seconds


def audio_seconds(path: Path) -> float:
    """How long a file's sound lasts: the stream's declared length (mp4), else the samples decoded (webm)."""
    name, declared = audio_stream(path)
    return declared if declared is not None else read_audio(path).shape[1] / RATE


def test_module_doctests_pass():
    assert doctest.testmod(soundtrack).failed == 0


class PlainTone(Scene):
    """A plain Manim scene (not an ExplainerScene, which pads its track): a tone at TONE_AT."""

    def construct(self) -> None:
        self.play(Create(Square()), run_time=TONE_AT)
        self.add_sound(str(tone_wav(Path(config.media_dir) / "tone.wav", 0.3)))
        self.play(Create(Dot()), run_time=1.1)


@pytest.mark.parametrize("fmt", ["mp4", "webm"])
def test_manim_alone_writes_a_track_that_ends_before_the_picture(tmp_path, fmt):
    """Why fix_clip_audio exists (Manim 0.22): when this fails, Manim may have fixed it."""
    video, writer = render(PlainTone, tmp_path, fmt)
    heard = read_audio(video)
    assert heard.shape[1] / RATE < picture_seconds(video) - 0.3
    fix_clip_audio(video, writer)
    assert audio_seconds(video) == pytest.approx(picture_seconds(video), abs=0.001)


def test_manims_mp4_track_starts_late_by_the_aac_priming(tmp_path):
    """Manim muxes its AAC from a raw .aac file, with no edit list to skip the encoder's 1024 priming samples."""
    video, _ = render(LateTone, tmp_path, "mp4")
    [onset] = onsets(read_audio(video), RATE)
    assert onset - TONE_AT == pytest.approx(1024 / RATE, abs=0.002)


@pytest.mark.parametrize("fmt, codec", [("mp4", "aac"), ("webm", "opus")])
def test_a_clip_gets_its_scenes_sound_for_its_whole_length_in_sync(tmp_path, fmt, codec):
    video, writer = render(LateTone, tmp_path, fmt)
    assert fix_clip_audio(video, writer)
    heard = read_audio(video)
    assert audio_stream(video)[0] == codec
    length = picture_seconds(video)
    assert length == pytest.approx(round(length * 10) / 10)  # whole frames at 10 fps
    assert audio_seconds(video) == pytest.approx(length, abs=0.001)
    [onset] = onsets(heard, RATE)
    assert abs(onset - TONE_AT) <= 0.005
    assert np.abs(heard).max() == pytest.approx(TONE_LEVEL, abs=0.05)  # no gain change, no clipping


def test_a_scene_without_sound_stays_silent_and_untouched(tmp_path):
    from tests.fake_scenes import OtherFakeScene
    video, writer = render(OtherFakeScene, tmp_path, "mp4")
    before = video.read_bytes()
    assert not fix_clip_audio(video, writer)
    assert video.read_bytes() == before and read_audio(video) is None


def test_a_failed_rewrite_keeps_the_clip_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    video, writer = render(LateTone, tmp_path, "mp4")
    before, files = video.read_bytes(), sorted(video.parent.iterdir())

    def disk_full(out, *args, **kwargs):
        Path(out).write_bytes(b"half a video")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(soundtrack, "write_av", disk_full)
    with pytest.raises(OSError):
        fix_clip_audio(video, writer)
    assert video.read_bytes() == before and sorted(video.parent.iterdir()) == files


def test_manims_mix_converts_to_samples_at_the_tracks_rate():
    from pydub import AudioSegment
    from pydub.generators import Sine
    tone = Sine(440, sample_rate=22_050).to_audio_segment(duration=250, volume=-6.0)
    mix = AudioSegment.silent(500, frame_rate=22_050).overlay(tone, position=100)
    samples = segment_samples(mix)
    assert samples.shape == (1, RATE // 2)
    [onset] = onsets(samples, RATE, level=0.1)
    assert onset == pytest.approx(0.1, abs=0.001)
    assert np.abs(samples).max() == pytest.approx(10 ** (-6 / 20), abs=0.02)


@pytest.mark.parametrize("from_rate", [22_050, 44_100, 16_000])
def test_resampling_keeps_a_click_where_it_was(from_rate):
    click = np.zeros((1, from_rate), np.float32)
    click[0, from_rate // 4] = 1.0
    out = resample(click, from_rate)
    assert out.shape == (1, RATE)
    assert abs(int(np.argmax(np.abs(out[0]))) - RATE // 4) <= 1


@pytest.mark.parametrize("fmt, codec", [("mp4", "aac"), ("webm", "opus"), ("gif", None), ("png", None)])
def test_the_render_command_writes_sound_into_videos_only(tmp_path, fmt, codec):
    from relu_explainer_cli.main import main
    assert main(["render", "tests.tone_scenes:ToneScene", "--quality", "low", "--format", fmt,
                 "--out", str(tmp_path), "--no-cache", "-j", "1"]) == 0
    [written] = [p for p in tmp_path.iterdir() if p.suffix == f".{fmt}"]
    if codec is None:
        with av.open(str(written)) as container:
            assert not container.streams.audio
        return
    name, _ = audio_stream(written)
    assert name == codec
    heard = read_audio(written)
    assert abs(audio_seconds(written) - picture_seconds(written)) <= 1 / 15
    assert abs(onsets(heard, RATE)[0]) <= 0.005  # the tone is added at the scene's start

"""Stitching: clips joined by stream copy last as long as their sum, with subtitles and chapters to match."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import av
import pytest
import srt

from relu_explainer_cli import stitch as stitch_module
from tests.video_frames import frame_times, shown_frames
from relu_explainer_cli.errors import RenderError
from relu_explainer_cli.render import Clip
from relu_explainer_cli.stitch import TOLERANCE, Chapter, chapter_stamp, chapters_text, merge_srt, stitch
from relu_explainer_cli.worker import video_duration

TINY = {"pixel_width": 256, "pixel_height": 144, "frame_rate": 10, "disable_caching": True,
        "progress_bar": "none", "verbosity": "WARNING"}


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> list[Clip]:
    """Three ~1 s clips of the fake scenes at 256×144, 10 fps, each with its .srt."""
    from manim import tempconfig

    from tests.fake_scenes import FakeParams, FakeScene, OtherFakeScene

    root = tmp_path_factory.mktemp("clips")
    variants = [("FakeScene", FakeScene), ("OtherFakeScene", OtherFakeScene),
                ("FakeScene", type("FakeScene", (FakeScene,), {"params": FakeParams(target="abs(x)",
                                                                                   seconds=1.4)}))]
    out = []
    for index, (name, cls) in enumerate(variants):
        with tempconfig({**TINY, "media_dir": str(root / f"m{index}")}):
            scene = cls()
            scene.render()
            plan = scene.renderer.file_writer.output_plan
        video = root / f"{index}-{name}.mp4"
        shutil.move(plan.primary_artifact, video)
        sub = root / f"{index}-{name}.srt"
        shutil.move(plan.subcaption_file, sub)
        out.append(Clip(name, video, sub, video_duration(video)))
    return out


@pytest.fixture
def stitched(clips, tmp_path):
    return stitch(clips, tmp_path)


def test_stitched_video_lasts_the_sum_of_its_clips(clips, stitched):
    total = sum(c.duration for c in clips)
    assert abs(stitched.duration - total) <= TOLERANCE
    assert abs(video_duration(stitched.video) - total) <= TOLERANCE


def test_stitched_video_plays_from_first_to_last_frame(clips, stitched):
    with av.open(str(stitched.video)) as container:
        first = next(container.decode(video=0))
    assert first.width == 256
    rate = 10
    assert abs(shown_frames(stitched.video) - sum(c.duration for c in clips) * rate) <= 2
    times, _ = frame_times(stitched.video)
    assert times == sorted(times)


def test_merged_srt_is_in_order_and_covers_the_video(clips, stitched):
    subs = list(srt.parse(stitched.srt.read_text()))
    per_clip = [len(list(srt.parse(c.srt.read_text()))) for c in clips]
    assert len(subs) == sum(per_clip)
    starts = [s.start.total_seconds() for s in subs]
    assert starts == sorted(starts)
    assert [s.index for s in subs] == list(range(1, len(subs) + 1))
    assert subs[-1].end.total_seconds() <= stitched.duration + TOLERANCE
    # each clip's subtitles fall inside its chapter
    k = 0
    for chapter, count in zip(stitched.chapters, per_clip):
        for sub in subs[k:k + count]:
            assert chapter.start - 1e-3 <= sub.start.total_seconds()
            assert sub.end.total_seconds() <= chapter.start + chapter.duration + 1e-3
        k += count
    assert "abs(x)" in subs[-2].content


def test_chapters_start_at_the_cumulative_clip_durations(clips, stitched):
    listed = json.loads(stitched.chapters_json.read_text())
    assert [c["scene"] for c in listed] == [c.scene for c in clips]
    assert listed[0]["start"] == 0
    for before, after in zip(listed, listed[1:]):
        assert after["start"] == pytest.approx(before["start"] + before["duration"], abs=1e-3)
    starts = [sum(c.duration for c in clips[:k]) for k in range(len(clips))]
    assert stitched.chapters_txt.read_text().splitlines() == [
        f"{chapter_stamp(start)} {clip.scene}" for start, clip in zip(starts, clips)]


def test_a_failed_stitch_leaves_the_previous_video_intact(clips, tmp_path, monkeypatch):
    good = tmp_path / "relu_explainer.mp4"
    good.write_bytes(b"the previous good video")

    def broken(path):
        raise RenderError("does not play")

    monkeypatch.setattr(stitch_module, "_check_plays", broken)
    with pytest.raises(RenderError):
        stitch(clips, tmp_path)
    assert good.read_bytes() == b"the previous good video"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["relu_explainer.mp4"]


def test_a_clip_of_the_wrong_length_is_refused(clips, tmp_path, monkeypatch):
    real = stitch_module._duration
    monkeypatch.setattr(stitch_module, "_duration",
                        lambda p: real(p) + (5.0 if p.parent != tmp_path else 0.0))
    with pytest.raises(RenderError, match="clips add up to"):
        stitch_module.concat_videos([c.video for c in clips], tmp_path / "x.mp4")
    assert list(tmp_path.iterdir()) == []


def test_stitch_handles_paths_with_apostrophes(clips, tmp_path):
    odd = tmp_path / "it's here"
    odd.mkdir()
    moved = [replace(c, video=Path(shutil.copy(c.video, odd / f"{i}.mp4"))) for i, c in enumerate(clips)]
    result = stitch(moved, odd)
    assert abs(result.duration - sum(c.duration for c in clips)) <= TOLERANCE


def test_nothing_to_stitch_is_an_error(tmp_path):
    with pytest.raises(RenderError, match="nothing to stitch"):
        stitch([], tmp_path)


@pytest.mark.parametrize("seconds, stamp", [(0, "00:00"), (59.99, "00:59"), (61, "01:01"),
                                            (3600, "1:00:00")])
def test_chapter_stamps_read_like_youtube_chapters(seconds, stamp):
    assert chapter_stamp(seconds) == stamp


def test_chapters_text_has_one_line_a_scene():
    assert chapters_text([Chapter("ReluUnit", 0, 10), Chapter("ZoomToLine", 10, 70)]) == \
        "00:00 ReluUnit\n00:10 ZoomToLine\n"


def test_merge_srt_skips_clips_without_subtitles(tmp_path):
    (tmp_path / "a.srt").write_text("1\n00:00:00,500 --> 00:00:01,000\nhi\n")
    merged = list(srt.parse(merge_srt([(None, 0.0), (tmp_path / "a.srt", 3.0)])))
    assert [(s.start.total_seconds(), s.content) for s in merged] == [(3.5, "hi")]


# --- sound, chapters, soft subtitles, WebVTT, transcript -------------------------------------------

FPS = TINY["frame_rate"]


def render_clip(cls, name: str, root: Path, fmt: str = "mp4") -> Clip:
    """Render `cls` tiny, give it its sound as the worker does, and return it as the worker would."""
    from manim import tempconfig

    from relu_explainer_cli.soundtrack import fix_clip_audio

    media = root / f"media-{name}-{fmt}"
    with tempconfig({**TINY, "media_dir": str(media), "format": fmt}):
        scene = cls()
        scene.render()
        plan = scene.renderer.file_writer.output_plan
        fix_clip_audio(Path(plan.primary_artifact), scene.renderer.file_writer)
    video = root / f"{name}.{fmt}"
    shutil.move(plan.primary_artifact, video)
    sub = root / f"{name}.srt"
    shutil.move(plan.subcaption_file, sub)
    return Clip(cls.__name__, video, sub, video_duration(video), title=getattr(cls, "title", ""))


def decoded_audio(path: Path):
    """(samples (channels, n) as the file's audio stream lasts, rate, codec name, stream duration in s)."""
    import numpy as np
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        frames = list(container.decode(stream))
        rate = stream.codec_context.sample_rate
        samples = np.concatenate([f.to_ndarray() for f in frames], axis=1)
        start = float(frames[0].pts * frames[0].time_base)
        duration = float(stream.duration * stream.time_base) if stream.duration else None
        name = stream.codec_context.name
    assert abs(start) < 1e-3
    if duration is not None:  # the decoder returns whole codec frames; the container says where sound ends
        samples = samples[:, :round(duration * rate)]
    return samples, rate, name, samples.shape[1] / rate


@pytest.fixture(scope="module")
def mixed_clips(tmp_path_factory) -> list[Clip]:
    """A silent clip, a toned one, a silent one, a toned one: the tone at each toned clip's start."""
    from tests.fake_scenes import FakeScene, OtherFakeScene
    from tests.tone_scenes import ToneScene

    root = tmp_path_factory.mktemp("mixed")
    return [render_clip(FakeScene, "0-silent", root), render_clip(ToneScene, "1-tone", root),
            render_clip(OtherFakeScene, "2-silent", root), render_clip(ToneScene, "3-tone", root)]


@pytest.fixture(scope="module")
def mixed(mixed_clips, tmp_path_factory):
    return stitch(mixed_clips, tmp_path_factory.mktemp("mixed_out"))


def picture_seconds(path: Path) -> float:
    """The frame slots the decoded pictures fill over the frame rate: how long the pictures last."""
    return shown_frames(path) / FPS


def test_the_stitched_sound_lasts_as_long_as_the_picture(mixed):
    samples, rate, codec, seconds = decoded_audio(mixed.video)
    assert mixed.has_audio and codec == "aac"
    assert abs(seconds - picture_seconds(mixed.video)) <= 1 / FPS
    assert abs(seconds - sum(c.duration for c in mixed.chapters)) <= 1 / 48_000 * 2


def test_a_tone_at_a_clips_start_sounds_at_its_chapter_start_and_silent_clips_stay_silent(mixed):
    import numpy as np

    from tests.tone_scenes import onsets
    samples, rate, _, _ = decoded_audio(mixed.video)
    heard = onsets(samples, rate)
    starts = [c.start for c in mixed.chapters]
    assert len(heard) == 2
    for onset, start in zip(heard, [starts[1], starts[3]]):
        assert abs(onset - start) <= 0.040
    for k in (0, 2):  # the silent clips are silence, not the neighbours' sound
        begin, end = round(starts[k] * rate), round((starts[k] + mixed.chapters[k].duration) * rate) - 1200
        assert np.abs(samples[:, begin:end]).max() < 0.01


def test_chapters_inside_the_video_have_readable_titles_at_the_clips_starts(mixed):
    with av.open(str(mixed.video)) as container:
        marks = container.chapters()
    assert [m["metadata"]["title"] for m in marks] == [
        "FakeScene", "A tone, then a square", "OtherFakeScene", "A tone, then a square"]
    for mark, chapter in zip(marks, mixed.chapters):
        assert float(mark["start"] * mark["time_base"]) == pytest.approx(chapter.start, abs=1e-3)
        assert float(mark["end"] * mark["time_base"]) == pytest.approx(chapter.start + chapter.duration, abs=1e-3)
    listed = json.loads(mixed.chapters_json.read_text(encoding="utf-8"))
    assert [c["title"] for c in listed] == ["", "A tone, then a square", "", "A tone, then a square"]
    assert mixed.chapters_txt.read_text(encoding="utf-8").splitlines()[1].endswith(" A tone, then a square")


def embedded_cues(path: Path, kind: str) -> list[tuple[float, float, str]]:
    """The soft subtitles of a video (or the cues of a .vtt file), decoded by FFmpeg."""
    out = []
    with av.open(str(path)) as container:
        stream = container.streams.subtitles[0]
        assert stream.codec_context.name == kind
        for packet in container.demux(stream):
            if not packet.size or packet.pts is None:
                continue
            for sub in stream.decode(packet):
                text = sub.dialogue.decode()
                if text:
                    start = float(packet.pts * packet.time_base)
                    out.append((round(start, 3), round(start + float(packet.duration * packet.time_base), 3),
                                text))
    return out


def srt_cues(path: Path) -> list[tuple[float, float, str]]:
    return [(round(s.start.total_seconds(), 3), round(s.end.total_seconds(), 3), s.content)
            for s in srt.parse(path.read_text(encoding="utf-8"))]


def test_the_mp4_carries_the_subtitles_as_a_soft_mov_text_track(mixed):
    expected = srt_cues(mixed.srt)
    assert len(expected) == 5
    assert embedded_cues(mixed.video, "mov_text") == expected


def test_a_webvtt_file_beside_the_video_holds_the_same_cues(mixed):
    text = mixed.vtt.read_text(encoding="utf-8")
    assert mixed.vtt == mixed.video.with_suffix(".vtt") and text.startswith("WEBVTT\n\n")
    assert embedded_cues(mixed.vtt, "webvtt") == srt_cues(mixed.srt)


def test_the_transcript_is_the_whole_narration_in_chapters(mixed):
    text = mixed.transcript.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [f"## {chapter_stamp(c.start)} {c.label}" for c in mixed.chapters]
    body = re.sub(r"\\(.)", r"\1", " ".join(text.split()))  # markdown's escapes (x\\*\\*2) undone
    at = 0
    for _, _, cue in srt_cues(mixed.srt):  # every cue, in order
        at = body.index(" ".join(cue.split()), at) + 1


def test_silent_clips_stitch_into_a_silent_video(stitched):
    assert not stitched.has_audio
    with av.open(str(stitched.video)) as container:
        assert not container.streams.audio


def test_a_webm_explainer_has_opus_sound_webvtt_subtitles_and_chapters(tmp_path):
    from tests.fake_scenes import FakeScene
    from tests.tone_scenes import ToneScene, onsets

    clips = [render_clip(FakeScene, "silent", tmp_path, "webm"), render_clip(ToneScene, "tone", tmp_path, "webm")]
    (tmp_path / "out").mkdir()
    result = stitch(clips, tmp_path / "out")
    assert result.video.suffix == ".webm"
    samples, rate, codec, seconds = decoded_audio(result.video)
    assert codec == "opus" and rate == 48_000
    assert abs(seconds - picture_seconds(result.video)) <= 1 / FPS
    [onset] = onsets(samples, rate)
    assert abs(onset - result.chapters[1].start) <= 0.040
    with av.open(str(result.video)) as container:
        assert [m["metadata"]["title"] for m in container.chapters()] == ["FakeScene", "A tone, then a square"]
    assert embedded_cues(result.video, "webvtt") == srt_cues(result.srt)

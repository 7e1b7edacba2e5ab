"""Stitching: clips joined by stream copy last as long as their sum, with subtitles and chapters to match."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import av
import pytest
import srt

from relu_explainer_cli import stitch as stitch_module
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
        frames = list(container.decode(video=0))
    assert frames[0].width == 256
    rate = 10
    assert abs(len(frames) - sum(c.duration for c in clips) * rate) <= 2
    times = [float(f.pts * f.time_base) for f in frames]
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
    assert stitched.chapters_txt.read_text().splitlines() == [
        "00:00 FakeScene", "00:01 OtherFakeScene", "00:02 FakeScene"]


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

"""A scene rendered in two processes (relu_explainer_cli.shards) is the scene rendered in one: the same
frames at the same times, the same subtitles; and the plays are shared out, each drawn once."""
from __future__ import annotations

import multiprocessing
import re

import av
import numpy as np
import pytest

from relu_explainer_cli.render import RenderOptions, render_scenes
from relu_explainer_cli.shards import HALVED_FROM, Claims, frames_drawn
from scenes.explainer import STORY
from tests.video_frames import frame_times

ODD = "tests.fake_scenes:OddTimings"
LONG = "tests.fake_scenes:LongPlay"


def _take_all(claims: Claims, method: str, plays: int, taken) -> None:
    for play in range(plays):
        if getattr(claims, method)(play):
            taken[play] += 1


@pytest.mark.parametrize("method", ["take", "take_second_half"])
def test_every_play_and_second_half_is_taken_by_exactly_one_of_two_racing_processes(method):
    plays = 3000
    claims = Claims()
    context = multiprocessing.get_context("fork")
    taken = context.Array("i", plays)  # its own lock makes each += atomic
    racers = [context.Process(target=_take_all, args=(claims, method, plays, taken)) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert [racer.exitcode for racer in racers] == [0, 0]
    assert list(taken) == [1] * plays


@pytest.mark.parametrize("run_time, fps", [(0.37, 15), (0.1, 15), (1.0, 60), (0.05, 10), (2.0 / 3, 30)])
def test_frames_drawn_is_what_manim_draws(run_time, fps):
    step = 1 / fps
    assert frames_drawn(run_time, fps, still=False) == len(np.arange(0, run_time, step))
    assert frames_drawn(run_time, fps, still=True) == int(run_time / step)


def _pictures(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24").astype(np.int16) for frame in container.decode(video=0)]


def _render_whole_and_split(scene: str, tmp_path):
    whole = render_scenes([scene], {}, RenderOptions(quality="low", fps=15, jobs=1, cache=False,
                                                     out_dir=tmp_path / "whole"), progress=lambda line: None)[0]
    split = render_scenes([scene], {}, RenderOptions(quality="low", fps=15, jobs=2, cache=False, debug=True,
                                                     out_dir=tmp_path / "split"), progress=lambda line: None)[0]
    log = (tmp_path / "split" / "logs" / f"{scene.rsplit(':', 1)[-1]}.log").read_text()
    plays, halves = re.search(r"split render: (\d+) of \d+ plays .* and half of (\d+)", log).groups()
    return whole, split, int(plays), int(halves)


def _assert_same_video(split, whole) -> None:
    assert frame_times(split.video) == frame_times(whole.video)
    assert split.duration == pytest.approx(whole.duration, abs=1e-6)
    pictures, expected = _pictures(split.video), _pictures(whole.video)
    worst = max(float(np.abs(a - b).mean()) for a, b in zip(pictures, expected))
    assert len(pictures) == len(expected) and worst < 1.0  # x264's noise: one thread against several


@pytest.mark.parametrize("scene, halved", [(LONG, 1), (LONG + "WithClock", 0)])
def test_a_long_play_is_drawn_in_two_halves_that_join_without_a_seam(scene, halved, tmp_path):
    """Halved when its frames are a function of time (the other process jumped to the half), not when an
    updater adds up each frame's dt; the same video either way."""
    whole, split, _, halves = _render_whole_and_split(scene, tmp_path)
    assert 6.0 * 15 >= HALVED_FROM and halves == halved
    _assert_same_video(split, whole)


def test_a_split_render_shows_the_same_frames_times_and_subtitles(tmp_path):
    whole, split, drawn_elsewhere, halves = _render_whole_and_split(ODD, tmp_path)
    assert 0 < drawn_elsewhere < 15 and halves == 0  # of 15 short plays (8 moves, 7 waits): both drew
    assert split.srt.read_text() == whole.srt.read_text()
    _assert_same_video(split, whole)


HALVED_SCENES = ["ReluUnit", "ApproximateSquare", "RulerAndProtractor", "TwoNeuronRegions", "Interaction",
                 "TrainingKinks"]
"""The story's scenes with a play halved at 480p15 (ZoomToLine, DepthCascade and the last two have none)."""


@pytest.mark.parametrize("scene", HALVED_SCENES)
def test_every_scene_split_with_its_long_plays_halved_shows_the_frames_of_one_process(scene, tmp_path):
    """The halves jump over frames, which is exact only when the scene's updaters read the scene's state
    (shards.halves): each scene with a halved play, split, against the same scene in one process."""
    assert scene in STORY
    whole, split, _, _ = _render_whole_and_split(scene, tmp_path)
    _assert_same_video(split, whole)

"""A scene rendered in two processes (relu_explainer_cli.shards) is the scene rendered in one: the same
frames at the same times, the same subtitles; and the plays are shared out, each drawn once."""
from __future__ import annotations

import multiprocessing

import av
import numpy as np
import pytest

from relu_explainer_cli.render import RenderOptions, render_scenes
from relu_explainer_cli.shards import Claims, frames_drawn
from tests.video_frames import frame_times

ODD = "tests.fake_scenes:OddTimings"


def _take_all(claims: Claims, plays: int, taken) -> None:
    for play in range(plays):
        if claims.take(play):
            taken[play] += 1


def test_every_play_is_taken_by_exactly_one_of_two_racing_processes():
    plays = 3000
    claims = Claims()
    context = multiprocessing.get_context("fork")
    taken = context.Array("i", plays)  # its own lock makes each += atomic
    racers = [context.Process(target=_take_all, args=(claims, plays, taken)) for _ in range(2)]
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


def test_a_split_render_shows_the_same_frames_times_and_subtitles(tmp_path):
    whole = render_scenes([ODD], {}, RenderOptions(quality="low", fps=15, jobs=1, cache=False,
                                                   out_dir=tmp_path / "whole"), progress=lambda line: None)[0]
    split = render_scenes([ODD], {}, RenderOptions(quality="low", fps=15, jobs=2, cache=False, debug=True,
                                                   out_dir=tmp_path / "split"), progress=lambda line: None)[0]
    log = (tmp_path / "split" / "logs" / "OddTimings.log").read_text()
    drawn_elsewhere = int(log.split("split render: ")[1].split()[0])
    assert 0 < drawn_elsewhere < 15  # of 15 plays (8 moves, 4 waits, 3 end-of-beat waits): both drew
    assert split.srt.read_text() == whole.srt.read_text()
    assert frame_times(split.video) == frame_times(whole.video)
    assert split.duration == pytest.approx(whole.duration, abs=1e-6)
    pictures, expected = _pictures(split.video), _pictures(whole.video)
    worst = max(float(np.abs(a - b).mean()) for a, b in zip(pictures, expected))
    assert len(pictures) == len(expected) and worst < 1.0  # x264's noise: one thread against several

"""Render one scene in two processes at once, so a lone scene (a preview) uses both cores.

Both processes run the scene's whole `construct()`. Each `play()` (a `wait()` is one too) is drawn by
whichever process reaches it first: it takes the play's number from a shared counter (`Claims`), and
the other process skips that play as Manim's own `-n FROM,UPTO` does (the animations jump to their end,
nothing is drawn or encoded). So the slower process, busy drawing a long play, is overtaken by the
other, and the work splits itself without knowing in advance what each play costs. A skipped play
draws nothing (Manim's skip still draws its background and one frame, which a video never shows).

Two things make the halves fit back together exactly:

- A skipped play advances the scene's clock by the frames it would have drawn, not by its run time
  (Manim's skip adds the run time; a drawn play adds one frame's time per frame: `np.arange(0, run_time,
  dt)` frames, or `int(run_time / dt)` for a still wait). Beats wait until whole-frame times, so both
  processes then make the same decisions, and the subtitles land on the same frames.
- Both write their partial movies (`uncached_<play>.mp4`, named by the play's number) into the same
  folder, each typesets in a TeX folder of its own, and the first process, once the second has exited,
  fills its skipped plays' places with the second's files before Manim joins them.

Only silent renders to mp4 or webm, without Manim's cache or one clip per beat, below 4K, are split
(`can_split`): Manim drops a sound added while a play is skipped, sections and cached plays keep their
own lists, and two 4K processes need twice the memory.
`tests/test_shards.py` checks that a split render shows the same frames, at the same times, with the
same subtitles, as the render in one process.

>>> frames_drawn(1.0, 15, still=False), frames_drawn(1.0, 15, still=True), frames_drawn(0.1, 15, still=False)
(15, 15, 2)
"""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Callable

import numpy as np

__all__ = ["SHARDS", "SPLIT_FORMATS", "UNSPLIT_QUALITIES", "HELPER_DIR", "can_split", "Claims", "frames_drawn",
           "install"]

SHARDS = 2
"""Processes one scene is split over (one per core of the machines this was measured on)."""
SPLIT_FORMATS = frozenset({"mp4", "webm"})
"""Formats whose partial movies Manim joins as they are (the GIF and mov paths make their own files)."""
UNSPLIT_QUALITIES = frozenset({"4k"})
"""Qualities rendered in one process: a 4K worker peaks near 1.9 GB, and two would pass the 3 GB a
render may take (bench/run.py's 4K check)."""
HELPER_DIR = "shard1"
"""The second process's own folder in the media folder, for its TeX and Pango files."""


def can_split(*, format: str, voice: str, sections: bool, cache: bool, quality: str) -> bool:
    """Whether a render with these settings can be split over processes (see the module's docstring).

    >>> can_split(format="mp4", voice="none", sections=False, cache=False, quality="low")
    True
    >>> can_split(format="mp4", voice="piper", sections=False, cache=False, quality="low")
    False
    """
    return (format in SPLIT_FORMATS and voice == "none" and not sections and not cache
            and quality not in UNSPLIT_QUALITIES)


class Claims:
    """The shared counter of plays taken: `take(i)` is True for exactly one of the processes that ask.

    Every process asks for every play, in order, so "taken" is all plays below the counter.

    >>> claims = Claims()
    >>> claims.take(0), claims.take(0), claims.take(1), claims.take(0)
    (True, False, True, False)
    """

    def __init__(self) -> None:
        self._next = multiprocessing.get_context("fork").Value("q", 0)

    def take(self, play: int) -> bool:
        with self._next.get_lock():
            if self._next.value > play:
                return False
            self._next.value = play + 1
            return True


def frames_drawn(run_time: float, fps: float, *, still: bool) -> int:
    """The frames Manim 0.22 draws for a play of `run_time` seconds: one per `np.arange(0, run_time,
    1/fps)` step, or `int(run_time / (1/fps))` for a still wait (`freeze_current_frame`)."""
    dt = 1 / fps
    return int(run_time / dt) if still else len(np.arange(0, run_time, dt))


def _advance(start: float, frames: int, dt: float, still: bool) -> float:
    """The clock after `frames` frames from `start`, added as Manim adds them (one sum, or one a frame),
    so both processes hold the very same float."""
    if still:
        return start + frames * dt
    for _ in range(frames):
        start += 1 * dt
    return start


def install(claims: Claims, *, wait_for_helper: Callable[[], None] | None) -> None:
    """Make this process's CairoRenderer draw only the plays it `claims`, and keep the clock exact.

    In the first process `wait_for_helper` is called before Manim joins the partial movies (it waits
    for the second process and raises if that failed), and the skipped plays' places are filled with
    the second's files; in the second (`None`), the movie is not joined at all: its files are the output.
    """
    from manim.renderer.cairo_renderer import CairoRenderer

    plain_status, plain_play, plain_finished = (CairoRenderer.update_skipping_status, CairoRenderer.play,
                                                CairoRenderer.scene_finished)
    plain_render, plain_static = CairoRenderer.render, CairoRenderer.save_static_frame_data

    def update_skipping_status(self) -> None:
        plain_status(self)
        self.drawn_elsewhere = not self.skip_animations and not claims.take(self.num_plays)
        if self.drawn_elsewhere:
            self.skip_animations = True

    def play(self, scene, *args, **kwargs) -> None:
        start = self.time
        plain_play(self, scene, *args, **kwargs)
        if getattr(self, "drawn_elsewhere", False):
            still = scene.is_current_animation_frozen_frame()
            fps = self.camera.frame_rate
            self.time = _advance(start, frames_drawn(scene.duration, fps, still=still), 1 / fps, still)
            self.__dict__.setdefault("plays_elsewhere", []).append(self.num_plays - 1)
            self.drawn_elsewhere = False

    def render(self, scene, time, moving_mobjects=None) -> None:
        if not getattr(self, "drawn_elsewhere", False):  # a skipped play's one frame is never shown
            plain_render(self, scene, time, moving_mobjects)

    def save_static_frame_data(self, scene, static_mobjects):
        if getattr(self, "drawn_elsewhere", False):  # nor is its still background
            self.static_image = None
            return None
        return plain_static(self, scene, static_mobjects)

    def scene_finished(self, scene) -> None:
        writer = self.file_writer
        if wait_for_helper is None:  # the second process: its partial movies are all it makes
            writer.join_all_encode_jobs()
            return
        wait_for_helper()
        elsewhere = getattr(self, "plays_elsewhere", [])
        os.write(2, f"split render: {len(elsewhere)} of {self.num_plays} plays drawn by the second "
                    f"process\n".encode())  # the worker's log (kept with --debug), whatever sys.stderr is
        for play in elsewhere:
            path = writer.output_plan.segment_path(f"uncached_{play:05}")
            if not Path(path).is_file():
                raise RuntimeError(f"the second render process did not write play {play} ({path})")
            writer.partial_movie_files[play] = str(path)
        plain_finished(self, scene)

    CairoRenderer.update_skipping_status = update_skipping_status
    CairoRenderer.play = play
    CairoRenderer.scene_finished = scene_finished
    CairoRenderer.render, CairoRenderer.save_static_frame_data = render, save_static_frame_data

"""Render one scene in two processes at once, so a lone scene (a preview) uses both cores.

Both processes run the scene's whole `construct()`. Each `play()` (a `wait()` is one too) is drawn by
whichever process reaches it first: it takes the play's number from a shared counter (`Claims`), and
the other process skips that play as Manim's own `-n FROM,UPTO` does (the animations jump to their end,
nothing is drawn or encoded). So the slower process, busy drawing a long play, is overtaken by the
other, and the work splits itself without knowing in advance what each play costs. A skipped play
draws nothing (Manim's skip still draws its background and one frame, which a video never shows).

A long play (at least HALVED_FROM moving frames) whose frames are a function of time can be shared
too, as two halves: the other process, arriving at a play the first one is drawing, takes its second
half if the drawer has not reached it (`Claims.take_second_half`). It jumps to the half (the first
update it runs is the half's first frame), draws the rest into a movie of its own, and the drawer
stops at the half (the play's end, `Animation.finish` and the updaters, sets where it leaves the
shapes). A jump shows what every frame would have shown only when nothing keeps state from frame to
frame: so a play is halved only when no shape or the scene has an updater that takes `dt` and no shape
is a TracedPath; an updater without `dt` must, as Manim's `always_redraw`, read the scene's state (the
scenes' updaters all do). Without this a scene whose cost is one long play (the training run of
TrainingKinks) has it drawn by one process while the other waits.

Three things make the parts fit back together exactly:

- A skipped play advances the scene's clock by the frames it would have drawn, not by its run time
  (Manim's skip adds the run time; a drawn play adds one frame's time per frame: `np.arange(0, run_time,
  dt)` frames, or `int(run_time / dt)` for a still wait). Beats wait until whole-frame times, so both
  processes then make the same decisions, and the subtitles land on the same frames.
- Both write their partial movies (`uncached_<play>.mp4`, named by the play's number) into the same
  folder, each typesets in a TeX folder of its own, and the first process, once the second has exited,
  fills its skipped plays' places with the second's files before Manim joins them, and puts each half
  the second drew beside its own (a second half is `uncached_<play>_half.mp4`).
- A frame not drawn because the other process draws it still advances the clock by one frame, as
  Manim's `add_frame` does.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

__all__ = ["SHARDS", "SPLIT_FORMATS", "UNSPLIT_QUALITIES", "HELPER_DIR", "HALVED_FROM", "can_split", "Claims",
           "frames_drawn", "halves", "install"]

SHARDS = 2
"""Processes one scene is split over (one per core of the machines this was measured on)."""
SPLIT_FORMATS = frozenset({"mp4", "webm"})
"""Formats whose partial movies Manim joins as they are (the GIF and mov paths make their own files)."""
UNSPLIT_QUALITIES = frozenset({"4k"})
"""Qualities rendered in one process: a 4K worker peaks near 1.9 GB, and two would pass the 3 GB a
render may take (bench/run.py's 4K check)."""
HELPER_DIR = "shard1"
"""The second process's own folder in the media folder, for its TeX and Pango files."""
HALVED_FROM = 30
"""The fewest moving frames of a play the two processes may share as two halves (2 s of a 15 fps
preview): a shorter one is over before the other process could save much by taking half."""
HALF_SUFFIX = "_half"
"""Ends the name of the partial movie holding a play's second half."""


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
        context = multiprocessing.get_context("fork")
        self._next = context.Value("q", 0)
        self._halved = context.Value("q", -1)  # the last play whose second half was taken

    def take(self, play: int) -> bool:
        with self._next.get_lock():
            if self._next.value > play:
                return False
            self._next.value = play + 1
            return True

    def take_second_half(self, play: int) -> bool:
        """True for the first process to ask for `play`'s second half: the one drawing it, on reaching the
        half, or the other, on reaching a play it did not take.

        >>> claims = Claims()
        >>> claims.take_second_half(4), claims.take_second_half(4), claims.take_second_half(7)
        (True, False, True)
        """
        with self._halved.get_lock():
            if self._halved.value >= play:
                return False
            self._halved.value = play
            return True


def frames_drawn(run_time: float, fps: float, *, still: bool) -> int:
    """The frames Manim 0.22 draws for a play of `run_time` seconds: one per `np.arange(0, run_time,
    1/fps)` step, or `int(run_time / (1/fps))` for a still wait (`freeze_current_frame`)."""
    dt = 1 / fps
    return int(run_time / dt) if still else len(np.arange(0, run_time, dt))


def halves(scene, fps: float) -> int | None:
    """The frame a play's second half starts at, or None when it is a still, ends on a condition
    (`wait_until`), has fewer than HALVED_FROM frames or keeps state from frame to frame (see above);
    `scene` has compiled the play."""
    from manim import TracedPath
    if scene.is_current_animation_frozen_frame() or scene.stop_condition is not None or scene.updaters:
        return None
    frames = frames_drawn(scene.duration, fps, still=False)
    if frames < HALVED_FROM:
        return None
    family = scene.get_mobject_family_members()
    if any(isinstance(m, TracedPath) or m.has_time_based_updater() for m in family):
        return None
    return frames // 2


@dataclass
class _Half:
    """A halved play as one process draws it: `role` is "first" (drawing it; it keeps the second half
    unless the other process has taken it by `middle`), "first only" (the other took it) or "second"
    (this process took it, and jumps to `middle`)."""

    role: str
    middle: int  # the frame the second half starts at
    frame: int = 0  # the frames of the play this process has reached
    drawn: bool = True  # whether the frame it is at is drawn here

    def step(self, take_second_half: Callable[[], bool]) -> bool:
        """Move to the play's next frame; whether this process updates and draws it."""
        frame, self.frame = self.frame, self.frame + 1
        if self.role == "first" and frame == self.middle and not take_second_half():
            self.role = "first only"
        self.drawn = not ((self.role == "second" and frame < self.middle)
                          or (self.role == "first only" and frame >= self.middle))
        return self.drawn


def _advance(start: float, frames: int, dt: float, still: bool) -> float:
    """The clock after `frames` frames from `start`, added as Manim adds them (one sum, or one a frame),
    so both processes hold the very same float."""
    if still:
        return start + frames * dt
    for _ in range(frames):
        start += 1 * dt
    return start


def install(claims: Claims, *, wait_for_helper: Callable[[], None] | None) -> None:
    """Make this process's CairoRenderer draw only the plays, and halves of plays, it `claims`, and keep
    the clock exact.

    In the first process `wait_for_helper` is called before Manim joins the partial movies (it waits
    for the second process and raises if that failed), and the plays and halves the second drew are put
    in their places; in the second (`None`), the movie is not joined at all: its files are the output.
    """
    from manim import Scene
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene_file_writer import SceneFileWriter

    plain_status, plain_play, plain_finished = (CairoRenderer.update_skipping_status, CairoRenderer.play,
                                                CairoRenderer.scene_finished)
    plain_render, plain_static = CairoRenderer.render, CairoRenderer.save_static_frame_data
    plain_compile, plain_add_movie = Scene.compile_animation_data, SceneFileWriter.add_partial_movie_file
    plain_update = Scene.update_to_time
    naming_half = [False]  # this process's next partial movie is a second half

    def update_skipping_status(self) -> None:
        plain_status(self)
        self.drawn_elsewhere = not self.skip_animations and not claims.take(self.num_plays)
        if self.drawn_elsewhere:
            self.skip_animations = True
        self.half = None  # a _Half when this process draws a halved play

    def compile_animation_data(scene, *args, **kwargs):
        compiled = plain_compile(scene, *args, **kwargs)
        renderer = scene.renderer
        elsewhere = getattr(renderer, "drawn_elsewhere", False)
        if not isinstance(renderer, CairoRenderer) or (renderer.skip_animations and not elsewhere):
            return compiled  # Manim's own skip (-n, a cached play)
        middle = halves(scene, renderer.camera.frame_rate)
        if middle is None:
            return compiled
        if not elsewhere:
            renderer.half = _Half("first", middle)
        elif claims.take_second_half(renderer.num_plays):
            renderer.half = _Half("second", middle, drawn=False)
            renderer.drawn_elsewhere = renderer.skip_animations = False
            naming_half[0] = True
        return compiled

    def add_partial_movie_file(writer, hash_animation):
        if naming_half[0] and hash_animation is not None:
            hash_animation += HALF_SUFFIX
        naming_half[0] = False
        plain_add_movie(writer, hash_animation)

    def play(self, scene, *args, **kwargs) -> None:
        start = self.time
        plain_play(self, scene, *args, **kwargs)
        if getattr(self, "drawn_elsewhere", False):
            still = scene.is_current_animation_frozen_frame()
            fps = self.camera.frame_rate
            self.time = _advance(start, frames_drawn(scene.duration, fps, still=still), 1 / fps, still)
            self.__dict__.setdefault("plays_elsewhere", []).append(self.num_plays - 1)
            self.drawn_elsewhere = False
        elif getattr(self, "half", None) and self.half.role != "first":  # the other process drew a half
            drew = "second" if self.half.role == "first only" else "first"
            self.__dict__.setdefault("halves_elsewhere", []).append((self.num_plays - 1, drew))
        self.half = None

    def update_to_time(scene, t: float) -> None:
        renderer = scene.renderer
        half = getattr(renderer, "half", None)
        if half is None or half.step(lambda: claims.take_second_half(renderer.num_plays)):
            plain_update(scene, t)

    def render(self, scene, time, moving_mobjects=None) -> None:
        if getattr(self, "drawn_elsewhere", False):  # a skipped play's one frame is never shown
            return
        half = getattr(self, "half", None)
        if half is not None and not half.drawn:  # the other process draws this frame
            self.time += 1 * (1 / self.camera.frame_rate)  # as add_frame
            return
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
        elsewhere, halved = getattr(self, "plays_elsewhere", []), getattr(self, "halves_elsewhere", [])
        os.write(2, f"split render: {len(elsewhere)} of {self.num_plays} plays drawn by the second "
                    f"process, and half of {len(halved)}\n".encode())  # the worker's log (kept with --debug)
        for play in elsewhere:
            writer.partial_movie_files[play] = _drawn_by_second(writer, f"uncached_{play:05}", play)
        for play, drew in sorted(halved, reverse=True):  # later insertions first: earlier places stay put
            if drew == "second":  # after this process's first half
                movie = _drawn_by_second(writer, f"uncached_{play:05}{HALF_SUFFIX}", play)
                writer.partial_movie_files.insert(play + 1, movie)
            else:  # before this process's second half
                writer.partial_movie_files.insert(play, _drawn_by_second(writer, f"uncached_{play:05}", play))
        plain_finished(self, scene)

    CairoRenderer.update_skipping_status = update_skipping_status
    CairoRenderer.play = play
    CairoRenderer.scene_finished = scene_finished
    CairoRenderer.render, CairoRenderer.save_static_frame_data = render, save_static_frame_data
    Scene.compile_animation_data, Scene.update_to_time = compile_animation_data, update_to_time
    SceneFileWriter.add_partial_movie_file = add_partial_movie_file


def _drawn_by_second(writer, name: str, play: int) -> str:
    """The path of the partial movie `name` the second process wrote, or an error saying it did not."""
    path = writer.output_plan.segment_path(name)
    if not Path(path).is_file():
        raise RuntimeError(f"the second render process did not write play {play} ({path})")
    return str(path)

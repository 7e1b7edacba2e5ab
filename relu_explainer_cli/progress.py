"""Live progress of a render: how many frames each scene has drawn, of how many, and when it will end.

The worker reports (`reporting`): a thread reads the scene's clock (`renderer.time`, which counts cached
animations too) a few times a second and writes `{"done", "total", "fps"}` to a small JSON file the
command polls (`read_frames`). The total is the frame count of the last complete render of the same
scene, params and video settings, kept in the user cache: a scene's length is known only once its
`construct()` has run, and a dry pass to learn it first would cost 1.4 s a scene (ZoomToLine at
480p15, 17 % of its render). The first render of a scene therefore shows frames done without a total.

The command shows them (`live_progress`): a rich bar per scene on a terminal, a plain line per scene
every PLAIN_EVERY_S otherwise (CI logs, pipes).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import IO, Iterator

__all__ = ["FRAMES_FILE", "PLAIN_EVERY_S", "reporting", "read_frames", "SceneProgress", "PlainProgress",
           "RichProgress", "live_progress"]

FRAMES_FILE = "frames.json"
"""The worker's progress file, beside its job file."""
REPORT_S = 0.25
PLAIN_EVERY_S = 10.0


# --- in the worker --------------------------------------------------------------------------------

@contextlib.contextmanager
def reporting(path: Path, totals: Path | None) -> Iterator[None]:
    """While the block renders a scene, write its progress to `path` every REPORT_S seconds.

    `totals` is a folder remembering each scene's frame count, for the next render's total; None
    remembers nothing. Manim's Scene.render is wrapped for the block only (this is the worker's own
    process), so the scene's construction code needs no change.
    """
    from manim import Scene

    original = Scene.render

    @functools.wraps(original)  # __wrapped__: a render that reports nothing (shards' second process)
    def render(scene, *args, **kwargs):
        key = _key(scene)
        total = _read_total(totals, key)
        reporter = _Reporter(path, scene, total)
        reporter.start()
        try:
            result = original(scene, *args, **kwargs)
        finally:
            reporter.stop()
        _write_total(totals, key, reporter.frames())
        return result

    Scene.render = render
    try:
        yield
    finally:
        Scene.render = original


def _key(scene) -> str:
    from manim import config
    cls = type(scene)
    text = (f"{cls.__module__}.{cls.__qualname__}|{getattr(scene, 'params', None)!r}|{config.frame_rate}|"
            f"{config.pixel_width}x{config.pixel_height}")
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def _read_total(totals: Path | None, key: str) -> int | None:
    if totals is None:
        return None
    try:
        return int((totals / f"{key}.txt").read_text())
    except (OSError, ValueError):
        return None


def _write_total(totals: Path | None, key: str, frames: int) -> None:
    if totals is None or frames <= 0:
        return
    with contextlib.suppress(OSError):  # only a nicer bar next time: never fail a render over it
        totals.mkdir(parents=True, exist_ok=True)
        _replace_text(totals / f"{key}.txt", str(frames))


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):  # a read-only folder refuses this too: the next run sweeps it
            tmp.unlink(missing_ok=True)
        raise


class _Reporter(threading.Thread):
    def __init__(self, path: Path, scene, total: int | None) -> None:
        super().__init__(name="frames-reporter", daemon=True)
        self.path, self.scene, self.total = path, scene, total
        self._stopped = threading.Event()

    def frames(self) -> int:
        from manim import config
        return int(round(self.scene.renderer.time * config.frame_rate))

    def run(self) -> None:
        last = None
        while not self._stopped.wait(REPORT_S):
            last = self._write(last)

    def stop(self) -> None:
        """Stop reporting; the last report says every frame is done."""
        self._stopped.set()
        self.join()
        self._write(None, final=True)

    def _write(self, last: int | None, final: bool = False) -> int | None:
        from manim import config
        done = self.frames()
        if done == last:
            return last
        if final:
            total = done
        else:  # a total smaller than the frames done is from an older, shorter version of the scene
            total = self.total if self.total is not None and done <= self.total else None
        with contextlib.suppress(OSError):  # a full or read-only disk is the render's to report
            _replace_text(self.path, json.dumps({"done": done, "total": total, "fps": config.frame_rate}))
        return done


# --- in the command -------------------------------------------------------------------------------

def read_frames(path: Path) -> tuple[int, int | None, float] | None:
    """(frames done, total or None, fps) from a worker's progress file; None before its first report.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / FRAMES_FILE
    >>> read_frames(path) is None
    True
    >>> _ = path.write_text('{"done": 30, "total": 90, "fps": 15}')
    >>> read_frames(path)
    (30, 90, 15.0)
    """
    try:
        report = json.loads(path.read_text())
        total = report.get("total")
        return int(report["done"]), (int(total) if total is not None else None), float(report["fps"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class SceneProgress:
    """What render_scenes tells about each scene's frames; this base shows nothing (library use)."""

    def start(self, scene: str) -> None:
        """`scene`'s worker has started."""

    def update(self, scene: str, done: int, total: int | None, fps: float) -> None:
        """`scene` has drawn `done` frames of `total` (None: not known yet)."""

    def finish(self, scene: str) -> None:
        """`scene` is rendered."""


class PlainProgress(SceneProgress):
    """A line per scene every `every` seconds, for logs: no cursor movement, no colours.

    >>> import io
    >>> stream = io.StringIO()
    >>> plain = PlainProgress(stream, every=0)
    >>> plain.start("FakeScene"); plain.update("FakeScene", 30, 90, 15.0)
    >>> stream.getvalue().split(", ETA")[0]
    '      FakeScene: 30 of 90 frames (33 %)'
    """

    def __init__(self, stream: IO[str], every: float | None = None) -> None:
        self.stream, self.every = stream, PLAIN_EVERY_S if every is None else every
        self._started: dict[str, float] = {}
        self._shown: dict[str, float] = {}

    def start(self, scene: str) -> None:
        self._started[scene] = self._shown[scene] = time.monotonic()

    def update(self, scene: str, done: int, total: int | None, fps: float) -> None:
        from .render import format_seconds  # render imports this module
        now = time.monotonic()
        if now - self._shown.get(scene, now) < self.every or done <= 0:
            return
        self._shown[scene] = now
        if total:
            elapsed = now - self._started.get(scene, now)
            eta = format_seconds(elapsed / done * max(0, total - done))
            line = f"      {scene}: {done} of {total} frames ({100 * done // total} %), ETA {eta}"
        else:
            line = f"      {scene}: {done} frames ({format_seconds(done / fps)} of video) so far"
        with contextlib.suppress(OSError):  # a closed terminal must not stop the clean-up
            print(line, file=self.stream, flush=True)


class RichProgress(SceneProgress):
    """A rich progress bar per scene: frames done of total, elapsed time and ETA."""

    def __init__(self, stream: IO[str], force_terminal: bool | None = None) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("frames"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(file=stream, force_terminal=force_terminal), transient=False)
        self._tasks: dict[str, object] = {}
        self._last: dict[str, tuple[int, int | None]] = {}

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError):
            self._progress.stop()

    def start(self, scene: str) -> None:
        self._tasks[scene] = self._progress.add_task(f"      {scene}", total=None)

    def update(self, scene: str, done: int, total: int | None, fps: float) -> None:
        if scene in self._tasks:
            self._last[scene] = done, total
            self._progress.update(self._tasks[scene], completed=done, total=total)

    def finish(self, scene: str) -> None:
        if scene in self._tasks:
            done, total = self._last.get(scene, (0, None))
            whole = max(total or done, 1)  # the bar ends full
            self._progress.update(self._tasks[scene], total=whole, completed=whole)


@contextlib.contextmanager
def live_progress(stream: IO[str] | None = None) -> Iterator[SceneProgress]:
    """Rich bars when `stream` (default stderr) is a terminal, plain periodic lines otherwise."""
    stream = sys.stderr if stream is None else stream
    if getattr(stream, "isatty", lambda: False)():
        with RichProgress(stream) as bars:
            yield bars
    else:
        yield PlainProgress(stream)

"""`relu-explainer batch course.toml`: render a course's variants, skipping those already rendered.

The file lists variants and/or a grid of them (batch_plan.py); every one is checked before anything
renders. Each variant's files are named by its content key (<Scene>-<theme>-<480p15>-<key>.mp4 and
.srt), so a rerun renders only what is new or changed. Variants render on a local pool of worker
processes, or on a Dask cluster with `--scheduler` (batch_exec.py); the command writes each result
atomically into `--out` and keeps a manifest (manifest.json) of every variant: its status (done,
skipped, failed, pending), file, time and, for a failure, its log.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO

from .errors import EXIT_OK, Interrupted, RenderError

__all__ = ["register", "cmd_batch", "MANIFEST", "Status"]

MANIFEST = "manifest.json"
POLL_S = 0.25
REDRAW_S = 0.5
STALE_PART_S = 60.0  # a staged file this old belongs to a batch that was killed while writing it

EXAMPLES = """\
examples:
  relu-explainer batch course.toml                       every variant, on this machine (--jobs N at once)
  relu-explainer batch course.toml --dry-run             check them all, say what would render
  relu-explainer batch course.toml --scheduler tcp://10.0.0.5:8786 --out build/course

batch file (TOML): defaults at the top level, a [grid] of lists (every combination) and/or
[[variant]] tables, each with the keys of `render`'s flags:
  quality = "low"
  voice = "none"
  [grid]
  scenes = ["ApproximateSquare", "ZoomToLine"]     # or "all"
  targets = ["x**2", "abs(x)"]
  themes = ["dark", "light"]
  [[variant]]
  scene = "ApproximateSquare"
  target = "sin(3*x)"
  steps = 5
  quality = "medium"
grid keys: scenes, targets, x_ranges, steps, pieces, themes, qualities, fps, voices, formats;
[params.SceneName] sets any field of one scene's params (see `relu-explainer list`).
"""


def register(sub: argparse._SubParsersAction, add_scene_options: Callable) -> None:
    """Add the `batch` command (its settings live in the TOML file, so none of `render`'s scene flags)."""
    from .main import _int
    parser = sub.add_parser(
        "batch", help="render many variants from a TOML file, skipping those already rendered",
        description="Render every variant a TOML file lists (a grid and/or single variants) into DIR, each "
                    "file named by a hash of what decides its frames; variants already there are skipped. "
                    "A manifest (DIR/manifest.json) lists each one's status, file, time and log.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("batch", type=Path, metavar="FILE.toml", help="the variants to render")
    parser.add_argument("--out", type=Path, default=Path("media/batch"), metavar="DIR",
                        help="output directory (default: media/batch)")
    parser.add_argument("--jobs", "-j", type=_int, default=os.cpu_count() or 1, metavar="N",
                        help="variants rendered at once on this machine (default: %(default)s, the number of "
                             "CPUs); with --scheduler, the cluster's workers decide")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="render on a Dask distributed cluster (needs the batch extra: "
                             "pip install 'relu-explainer[batch]')")
    parser.add_argument("--dry-run", action="store_true",
                        help="check every variant and say which would render; render and create nothing")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    from .batch_plan import read_plan
    from .render import RenderOptions, check_latex, check_output_dir
    if args.scheduler:
        from .batch_exec import check_dask
        check_dask(args.scheduler)
    else:
        RenderOptions(jobs=args.jobs)  # --jobs checked as `render` checks it
    plan = read_plan(args.batch)
    out_dir = check_output_dir(args.out, create=False)
    check_latex()
    todo = [v for v in plan.variants if not (out_dir / v.video_name).exists()]
    if args.dry_run:
        for variant in plan.variants:
            verb = "would render" if variant in todo else "already rendered"
            out(f"{verb} {variant.where}: {variant.describe()}: {out_dir / variant.video_name}")
        same = f", {plan.duplicates} named twice" if plan.duplicates else ""
        out(f"{len(plan.variants)} variants{same}: {len(todo)} to render, "
            f"{len(plan.variants) - len(todo)} already rendered (dry run: nothing rendered)")
        return EXIT_OK
    from .batch_exec import DaskPool, LocalPool
    pool = DaskPool(args.scheduler) if args.scheduler and todo else LocalPool(max(1, min(args.jobs, len(todo))))
    try:
        return _run(plan, todo, args, pool, out)
    finally:
        pool.close()


def _run(plan, todo, args, pool, out) -> int:
    """Create the output folder, render what is to do, write the manifest, say how it went."""
    from .render import check_output_dir
    out_dir = check_output_dir(args.out)
    _sweep_parts(out_dir)
    manifest = Manifest(out_dir, args.batch, plan.variants)
    for variant in plan.variants:
        if variant not in todo:
            manifest.set(variant, "skipped")
    manifest.write()
    status = Status(len(plan.variants), len(plan.variants) - len(todo))
    where = f"the Dask scheduler {args.scheduler}" if args.scheduler else f"{min(args.jobs, len(todo))} local workers"
    status.say(f"{len(plan.variants)} variants: " + (f"{len(todo)} to render on {where}, " if todo else "")
               + f"{status.skipped} already rendered")
    if todo:
        _render(todo, out_dir, pool, manifest, status, out)
    for variant in plan.variants:
        if variant not in todo:
            out(str(out_dir / variant.video_name))
    status.close()
    if status.failed:
        raise RenderError(f"{status.failed} of {len(plan.variants)} variants failed (their logs: "
                          f"{out_dir / 'logs'}); the rest are in {out_dir}, listed in {manifest.path}")
    return EXIT_OK


def _render(todo, out_dir: Path, pool, manifest: "Manifest", status: "Status", out) -> None:
    """Submit every variant to `pool`, write each result as it comes; the caller closes the pool."""
    from . import lifecycle
    left = len(todo)
    try:
        for variant in todo:
            pool.submit(variant)
        while left:
            lifecycle.check_stop()
            for variant, result in pool.finished(POLL_S):
                _finish(variant, result, out_dir, manifest, status, out)
                pool.collected(variant)
                left -= 1
            status.update(pool.running())
    except KeyboardInterrupt:
        status.say("stopping: the variants rendering now are dropped, the finished ones are kept")
        try:
            for variant, result in pool.finished(0):  # finished before the stop (or half written): keep them
                _finish(variant, result, out_dir, manifest, status, out)
                pool.collected(variant)
        finally:
            pool.close(stop=True)
        manifest.write()
        _remove_own_parts(out_dir)
        status.close()
        raise Interrupted(lifecycle.received()) from None
    except BaseException:
        pool.close(stop=True)
        manifest.write()
        _remove_own_parts(out_dir)
        raise


def _finish(variant, result: dict[str, Any], out_dir: Path, manifest: "Manifest", status: "Status",
            out) -> None:
    """Write a finished variant's files (or its log), record it, say so; again, after a Ctrl-C cut it
    short, it completes what is missing and counts it once."""
    from .render import atomic_write
    if manifest.entries[variant.key]["status"] in ("done", "failed"):
        status.done -= manifest.entries[variant.key]["status"] == "done"
        status.failed -= manifest.entries[variant.key]["status"] == "failed"
    seconds = result.get("seconds")
    extra = {"seconds": round(seconds, 2) if seconds else None, "host": result.get("host"),
             "attempts": result.get("attempts")}
    if result["status"] == "done":
        video = out_dir / variant.video_name
        try:
            if not video.exists():  # another batch into this folder may have written it: never twice
                if result.get("srt") is not None:  # first: a video there means its subtitles are too
                    atomic_write(video.with_suffix(".srt"), result["srt"])
                atomic_write(video, result["video"])
            (out_dir / "logs" / f"{variant.stem}.log").unlink(missing_ok=True)  # an earlier failure's
        except OSError as error:
            raise RenderError(f"cannot write {video}: {error.strerror or error}") from None
        manifest.set(variant, "done", duration=round(result["duration"], 3), **extra)
        status.done += 1
        status.event(f"{variant.video_name} done in {_seconds(seconds)} ({variant.describe()})")
        out(str(video))
    elif result["status"] == "stopped":
        manifest.set(variant, "pending")
    else:
        log = out_dir / "logs" / f"{variant.stem}.log"
        try:
            log.parent.mkdir(exist_ok=True)
            atomic_write(log, (result.get("log") or result.get("error", "")).encode())
        except OSError:
            log = None
        manifest.set(variant, "failed", error=result.get("error"), log=str(log) if log else None, **extra)
        status.failed += 1
        status.event(f"{variant.where} failed ({variant.describe()}): {result.get('error')}"
                     + (f"; log: {log}" if log else ""))
    manifest.write()


def _seconds(value: float | None) -> str:
    from .render import format_seconds
    return format_seconds(value) if value is not None else "?"


def _remove_own_parts(out_dir: Path) -> None:
    """Remove this process's staged files: a Ctrl-C can land between a temporary file's creation and
    the `try` that would remove it."""
    for folder in (out_dir, out_dir / "logs"):
        for part in folder.glob(f".*.{os.getpid()}.*.part") if folder.is_dir() else ():
            part.unlink(missing_ok=True)


def _sweep_parts(out_dir: Path) -> None:
    """Remove staged files that a batch killed mid-write left (never a young one: it may be another's)."""
    now = time.time()
    for folder in (out_dir, out_dir / "logs"):
        for part in folder.glob(".*.part") if folder.is_dir() else ():
            try:
                if now - part.stat().st_mtime > STALE_PART_S:
                    part.unlink()
            except OSError:
                pass


class Manifest:
    """DIR/manifest.json: the batch file, then one entry a variant, rewritten whole after each change.

    A skipped variant keeps the time its earlier render took, from the manifest that run left.
    """

    def __init__(self, out_dir: Path, batch: Path, variants) -> None:
        self.path = out_dir / MANIFEST
        self.batch = str(batch)
        earlier = {}
        try:
            for entry in json.loads(self.path.read_text())["variants"]:
                earlier[entry["key"]] = entry
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self.entries = {}
        for v in variants:
            before = earlier.get(v.key, {})
            self.entries[v.key] = {
                "where": v.where, "scene": v.scene, "theme": v.theme, "quality": v.quality, "video": v.label,
                "voice": v.voice, "format": v.format, "params": dict(v.overrides), "key": v.key,
                "file": v.video_name, "srt": f"{v.stem}.srt" if v.format != "png" else None,
                "status": "pending", "seconds": before.get("seconds"), "duration": before.get("duration")}

    def set(self, variant, status: str, **fields: Any) -> None:
        entry = self.entries[variant.key]
        entry["status"] = status
        entry.update({k: v for k, v in fields.items() if v is not None})
        if status == "done":
            for stale in ("error", "log"):
                entry.pop(stale, None)

    def write(self) -> None:
        from .render import atomic_write
        text = json.dumps({"batch": self.batch,
                           "updated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                           "variants": list(self.entries.values())}, indent=1)
        atomic_write(self.path, text + "\n")


class Status:
    """done / running / failed and an ETA: a line redrawn in place on a terminal, plain lines otherwise.

    >>> import io
    >>> status = Status(10, 2, stream=io.StringIO(), clock=iter([0.0, 60.0]).__next__)
    >>> status.done = 2
    >>> status.line(running=2)
    '[2/8] done 2, running 2, failed 0 (2 skipped); elapsed 1 min, ETA 3 min'
    """

    def __init__(self, total: int, skipped: int, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.total, self.skipped = total, skipped
        self.done = self.failed = 0
        self.running = 0
        self.stream = stream or sys.stderr
        self.clock = clock
        self.started = clock()
        self.tty = _isatty(self.stream)
        self.drawn = 0.0

    def line(self, running: int | None = None) -> str:
        from .render import format_seconds
        if running is not None:
            self.running = running
        todo = self.total - self.skipped
        finished = self.done + self.failed
        elapsed = self.clock() - self.started
        eta = ""
        if 0 < finished < todo:
            eta = f", ETA {format_seconds(elapsed / finished * (todo - finished))}"
        skipped = f" ({self.skipped} skipped)" if self.skipped else ""
        return (f"[{finished}/{todo}] done {self.done}, running {self.running}, failed {self.failed}{skipped}; "
                f"elapsed {format_seconds(elapsed)}{eta}")

    def say(self, text: str) -> None:
        self._clear()
        self._print(text)

    def event(self, text: str) -> None:
        """A variant finished: its line, with the counts (on a terminal, the redrawn line has them)."""
        self._clear()
        self.running = max(0, self.running - 1)
        self._print(text if self.tty else f"{self.line()}: {text}")
        self.drawn = 0.0

    def update(self, running: int) -> None:
        self.running = running
        if self.tty and self.clock() - self.drawn >= REDRAW_S:
            self.drawn = self.clock()
            self._print("\r\x1b[K" + self.line(), end="")

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.tty and self.drawn:
            self._print("\r\x1b[K", end="")

    def _print(self, text: str, end: str = "\n") -> None:
        try:
            print(text, end=end, file=self.stream, flush=True)
        except (OSError, ValueError):  # the terminal is gone (SIGHUP): the exit code still tells
            pass


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

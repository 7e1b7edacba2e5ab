"""Render scenes in parallel worker processes and move their files into place atomically.

Each scene renders in its own process with its own media directory (and so its own TeX directory),
inside a work directory on the output's filesystem; finished files are `os.replace`d into the output
directory, so a failed or interrupted render never leaves a truncated file where a good one was.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .errors import Interrupted, RenderError, UsageError
from .params import scene_spec, to_json

try:
    import fcntl
except ImportError:  # not POSIX: no cache sharing between processes, each render uses its own media dir
    fcntl = None

__all__ = ["RenderOptions", "Clip", "render_scenes", "check_output_dir", "check_latex",
           "LATEX_MESSAGE", "QUALITY_LABELS", "FORMATS", "format_seconds", "atomic_write_text", "readable"]

QUALITY_LABELS = {"low": "480p15", "medium": "720p30", "high": "1080p60", "4k": "2160p60"}
FORMATS = ("mp4", "webm", "gif", "png")
TRANSPARENT_FORMATS = ("webm", "gif", "png")
LATEX_MESSAGE = ("LaTeX is missing: run `make setup` (installs texlive-latex-base texlive-latex-extra "
                 "texlive-fonts-recommended texlive-science cm-super-minimal dvisvgm)")
LOG_TAIL = 15
EXIT_NO_SPACE = 4  # the worker's exit code when the disk is full (worker.EXIT_NO_SPACE)
NEARLY_FULL_BYTES = 1 << 20  # a worker failed and less than this is free: the disk filled up
WORK_PREFIX = ".relu-explainer-work-"


@dataclass(frozen=True)
class RenderOptions:
    """How to render: quality, format and where to put the files."""

    quality: str = "high"
    fps: int | None = None
    format: str = "mp4"
    transparent: bool = False
    out_dir: Path = Path("media")
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache: bool = True
    theme: str = "dark"
    sections: bool = False
    debug: bool = False

    def __post_init__(self) -> None:
        if self.quality not in QUALITY_LABELS:
            raise UsageError(f"unknown quality {self.quality!r}: choose one of {', '.join(QUALITY_LABELS)}")
        if self.format not in FORMATS:
            raise UsageError(f"unknown format {self.format!r}: choose one of {', '.join(FORMATS)}")
        if self.transparent and self.format not in TRANSPARENT_FORMATS:
            raise UsageError(f"--transparent needs a format with an alpha channel: "
                             f"{', '.join(TRANSPARENT_FORMATS)} ({self.format} has none)")
        if self.sections and self.format == "png":
            raise UsageError("sections (one clip per beat) need a video format, not png")
        if self.fps is not None and not 1 <= self.fps <= 120:
            raise UsageError(f"fps must be between 1 and 120, got {self.fps}")
        if not 1 <= self.jobs <= 64:
            raise UsageError(f"jobs must be between 1 and 64, got {self.jobs}")

    @property
    def label(self) -> str:
        """'1080p60', or '1080p24' when --fps changes the rate."""
        label = QUALITY_LABELS[self.quality]
        return label if self.fps is None else f"{label.split('p')[0]}p{self.fps}"


@dataclass(frozen=True)
class Clip:
    """One rendered scene: its file, subtitles, length in seconds and (with sections) its beats' index."""

    scene: str
    video: Path
    srt: Path | None
    duration: float
    sections: Path | None = None


def format_seconds(seconds: float) -> str:
    """'12.3 s', '40 s', '1 min 20 s', '1 h 2 min'.

    >>> format_seconds(12.34), format_seconds(40.2), format_seconds(80), format_seconds(3720)
    ('12.3 s', '40 s', '1 min 20 s', '1 h 2 min')
    """
    if seconds < 20:
        return f"{seconds:.1f} s"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def check_latex() -> None:
    """Refuse early, in the user's words, when `latex` or `dvisvgm` is not on PATH."""
    if not (shutil.which("latex") and shutil.which("dvisvgm")):
        raise RenderError(LATEX_MESSAGE)


def check_output_dir(out_dir: Path) -> Path:
    """Create `out_dir` if needed and prove it is writable (by writing a file); return it absolute."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"output directory {out_dir} is a file, not a directory") from None
    except OSError as error:
        raise UsageError(f"cannot create output directory {out_dir}: {error.strerror}") from None
    if not out_dir.is_dir():
        raise UsageError(f"output directory {out_dir} is a file, not a directory")
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(f"output directory {out_dir} is not writable")
    try:
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".write-test-"):
            pass
    except OSError as error:
        raise UsageError(f"output directory {out_dir} is not writable: {error.strerror}") from None
    return out_dir.resolve()


def readable(path: Path) -> None:
    """Give a temporary file (mkstemp makes it 0600) the permissions of a normal new file."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        readable(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class _Job:
    index: int
    scene: str
    dir: Path
    job_file: Path
    result_file: Path
    log_file: Path
    process: subprocess.Popen | None = None
    log: object = None
    started: float = 0.0
    cache: Path | None = None  # the scene's shared cache media dir, when this render holds its lock


def _worker_env(theme: str) -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    paths = [root, os.getcwd()] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["RELU_EXPLAINER_THEME"] = theme
    return env


class _ForkedWorker:
    """A worker forked from this process: it inherits manim and the scene modules already imported
    (measured 1.2 s saved per scene), and answers like a `subprocess.Popen` (poll, wait, terminate, kill).
    The theme needs no passing: run_job sets it from the job file."""

    def __init__(self, job_file: Path, log) -> None:
        self._process = multiprocessing.get_context("fork").Process(
            target=_forked_main, args=(str(job_file), log.fileno()), daemon=False)
        self._process.start()

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired("relu_explainer_cli.worker", timeout)
        return self._process.exitcode

    def terminate(self) -> None:
        self._process.terminate()

    def kill(self) -> None:
        self._process.kill()


def _forked_main(job_file: str, log_fd: int) -> None:
    """The forked worker: output to the job's log, default signal handling, then worker.main."""
    import signal

    from . import worker
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler turns SIGTERM into Ctrl-C
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(worker.main([job_file]))


def _start_worker(job: _Job, env: dict[str, str]):
    """Fork the worker where the OS can (Linux), else start `python -m relu_explainer_cli.worker JOB`
    with `env` (PYTHONPATH and the theme, which a fresh interpreter does not inherit from us)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return _ForkedWorker(job.job_file, job.log)
    return subprocess.Popen([sys.executable, "-m", "relu_explainer_cli.worker", str(job.job_file)],
                            stdin=subprocess.DEVNULL, stdout=job.log, stderr=subprocess.STDOUT, env=env)


def _log_tail(path: Path, lines: int = LOG_TAIL) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    # Rich wraps long lines; keep the last non-empty ones.
    kept = [line.rstrip() for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def render_scenes(
    names: list[str],
    overrides: Mapping[str, dict],
    options: RenderOptions,
    progress: Callable[[str], None] = print,
) -> list[Clip]:
    """Render `names` (story names or `module:Class`) with `overrides[name]` params changes.

    Up to `options.jobs` worker processes run at once, each with its own media directory. Finished
    files land in `options.out_dir` as <Scene>.<format> and <Scene>.srt (and sections/<Scene>/ with
    `sections=True`). Raises RenderError (with the worker's log tail) on a failure and Interrupted on
    Ctrl-C; either way the work directory is removed and no earlier good file is touched.
    """
    out_dir = check_output_dir(options.out_dir)
    specs = {name: scene_spec(name) for name in names}
    with ExitStack() as locks:  # the scenes' cache locks, held until their files are installed
        return _render_scenes(names, specs, overrides, options, progress, out_dir, locks)


def _cache_lock(media: Path, locks: ExitStack) -> bool:
    """Lock a scene's cache media dir for this process; False when another render holds it.

    Two renders of one scene into one output directory would otherwise write the same manim files
    at once (and one would move the other's video away); the second renders without the cache.
    """
    if fcntl is None:
        return False
    try:
        media.parent.mkdir(parents=True, exist_ok=True)
        file = open(media.parent / f"{media.name}.lock", "a+b")
    except OSError:
        return False
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        file.close()
        return False
    locks.callback(file.close)  # closing the file releases the lock
    return True


def _render_scenes(names, specs, overrides, options, progress, out_dir, locks) -> list[Clip]:
    try:
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out_dir))
    except OSError as error:
        raise RenderError(f"cannot start a render in {out_dir}: {error.strerror}") from None
    jobs: list[_Job] = []
    try:
        for index, name in enumerate(names):
            short = name.split(":")[-1]
            job_dir = work / f"{index:02d}-{name.replace(':', '_').replace('.', '_')}"
            job_dir.mkdir()
            module, cls = specs[name]
            media = out_dir / ".cache" / name.replace(":", "_")
            cached = options.cache and _cache_lock(media, locks)
            if not cached:
                media = job_dir / "media"
            job = _Job(index, short, job_dir, job_dir / "job.json", job_dir / "result.json", job_dir / "worker.log",
                       cache=media if cached else None)
            job.job_file.write_text(json.dumps({
                "scene": short, "module": module, "cls": cls, "overrides": to_json(overrides.get(name, {})),
                "media_dir": str(media), "tex_cache": str(out_dir / ".cache" / "tex"),
                "quality": options.quality, "fps": options.fps,
                "parallel": min(options.jobs, len(names)) > 1,  # other workers share the cores
                "format": options.format, "transparent": options.transparent, "cache": options.cache,
                "theme": options.theme, "sections": options.sections, "debug": options.debug,
                "result": str(job.result_file),
            }))
            jobs.append(job)
    except OSError as error:  # e.g. a full disk: no room even for the job files
        shutil.rmtree(work, ignore_errors=True)
        raise RenderError(f"cannot start a render in {out_dir}: {error.strerror}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    pending = list(jobs)
    running: list[_Job] = []
    clips: dict[int, Clip] = {}
    started = time.perf_counter()
    env = _worker_env(options.theme)
    n = len(jobs)
    try:
        while pending or running:
            while pending and len(running) < options.jobs:
                job = pending.pop(0)
                job.log = open(job.log_file, "wb")
                job.started = time.perf_counter()
                job.process = _start_worker(job, env)
                running.append(job)
                progress(f"      {job.scene}: rendering at {options.label} "
                         f"(scene {job.index + 1} of {n})")
            time.sleep(0.05)
            for job in list(running):
                rc = job.process.poll()
                if rc is None:
                    continue
                running.remove(job)
                job.log.close()
                if rc != 0:
                    if rc < 0 and job.cache is not None:  # killed by a signal, maybe mid-write
                        shutil.rmtree(job.cache, ignore_errors=True)
                    raise _failure(job, rc, out_dir)
                clips[job.index] = _install(job, out_dir, options)
                if options.debug:  # keep manim's log of every scene, not only of failures
                    (out_dir / "logs").mkdir(exist_ok=True)
                    kept = out_dir / "logs" / f"{job.scene}.log"
                    os.replace(job.log_file, kept)
                    progress(f"      {job.scene}: manim's log is in {kept}")
                done = len(clips)
                elapsed = time.perf_counter() - started
                eta = "" if done == n else f", ETA {format_seconds(elapsed / done * (n - done))}"
                progress(f"[{done}/{n}] {job.scene} done in {format_seconds(time.perf_counter() - job.started)} "
                         f"(elapsed {format_seconds(elapsed)}{eta})")
    except KeyboardInterrupt:
        _stop(running)
        _clean(work, out_dir, jobs, stopped=running)
        raise Interrupted("interrupted") from None
    except BaseException:
        _stop(running)
        _clean(work, out_dir, jobs, stopped=running)
        raise
    shutil.rmtree(work, ignore_errors=True)
    return [clips[i] for i in range(n)]


def _clean(work: Path, out_dir: Path, jobs: list[_Job], stopped: list[_Job] = ()) -> None:
    """Remove the work directory and any file staged for a rename that did not happen.

    A worker stopped midway may have left a file cut short in the scene's manim cache (a text's SVG,
    a partial movie), which manim would reuse by name and fail on, every later run: drop that cache.
    """
    shutil.rmtree(work, ignore_errors=True)
    for job in stopped:
        if job.cache is not None:
            shutil.rmtree(job.cache, ignore_errors=True)
    for job in jobs:
        for staged in out_dir.glob(f".{job.scene}.*.{os.getpid()}.part"):  # ours, not another render's
            staged.unlink(missing_ok=True)


def _stop(running: list[_Job]) -> None:
    """Stop the workers still running (Ctrl-C already reached them if it came from the terminal)."""
    for job in running:
        if job.process and job.process.poll() is None:
            job.process.terminate()
    deadline = time.monotonic() + 5
    for job in running:
        if job.process is None:
            continue
        try:
            job.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            job.process.kill()
            job.process.wait()
        if job.log:
            job.log.close()


def _failure(job: _Job, rc: int, out_dir: Path) -> RenderError:
    """The error for a failed worker: LaTeX missing, or the tail of its log (kept in out_dir/logs)."""
    try:
        result = json.loads(job.result_file.read_text())
    except (OSError, ValueError):
        result = {}
    if result.get("error") == "latex":
        return RenderError(LATEX_MESSAGE)
    tail = _log_tail(job.log_file)
    try:
        free_bytes = shutil.disk_usage(out_dir).free
    except OSError:
        free_bytes = None
    # The worker says so (exit 4) when it can; but a full disk can also stop it where it cannot even
    # write its traceback (an empty log, exit 1): then the disk itself is the evidence.
    nearly_full = free_bytes is not None and free_bytes < NEARLY_FULL_BYTES
    if rc == EXIT_NO_SPACE or "No space left on device" in tail or nearly_full:
        free = "" if free_bytes is None else f" ({free_bytes // 1024} kB free)"
        if job.cache is not None:  # it may hold files cut short: never reuse them, and free the space
            shutil.rmtree(job.cache, ignore_errors=True)
        return RenderError(f"{job.scene}: no space left on the disk of {out_dir}{free}: free some space "
                           f"or choose another --out; nothing was written")
    kept = ""
    try:
        logs = out_dir / "logs"
        logs.mkdir(exist_ok=True)
        dest = logs / f"{job.scene.replace(':', '_')}.log"
        os.replace(job.log_file, dest)
        kept = f" (full log: {dest})"
    except OSError:
        pass
    return RenderError(f"{job.scene} failed to render (worker exit {rc}){kept}; last lines of its log:",
                       details=tail)


def _install(job: _Job, out_dir: Path, options: RenderOptions) -> Clip:
    """Move one worker's files into out_dir under their final names, each with one rename."""
    result = json.loads(job.result_file.read_text())
    stem = job.scene
    ext = ".png" if options.format == "png" else f".{options.format}"
    video = out_dir / f"{stem}{ext}"
    # Stage beside the target (same filesystem) so the final step is one atomic rename.
    staged = out_dir / f".{stem}{ext}.{os.getpid()}.part"  # unique: another render may share out_dir
    shutil.move(result["video"], staged)
    os.replace(staged, video)
    srt = None
    if options.format != "png":
        srt = out_dir / f"{stem}.srt"
        if result.get("srt"):
            staged = out_dir / f".{stem}.srt.{os.getpid()}.part"
            shutil.move(result["srt"], staged)
            os.replace(staged, srt)
        else:
            srt.unlink(missing_ok=True)  # an old one would not match the new clip
            srt = None
    sections = _install_sections(Path(result["sections"]), out_dir, stem) if result.get("sections") else None
    return Clip(job.scene, video, srt, float(result["duration"]), sections)


def _install_sections(index: Path, out_dir: Path, stem: str) -> Path:
    """Copy a scene's section clips and JSON index to out_dir/sections/<Scene>/, swapped in whole."""
    entries = json.loads(index.read_text())
    root = out_dir / "sections"
    root.mkdir(exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{stem}.", dir=root))
    for entry in entries:
        if entry.get("video"):
            shutil.move(index.parent / entry["video"], staged / entry["video"])
    shutil.move(index, staged / index.name)
    final = root / stem
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{stem}.old.", dir=root))
        os.replace(final, old / stem)
    os.replace(staged, final)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    return final / index.name

"""Render scenes in parallel worker processes and move their files into place atomically.

Each scene renders in its own process with its own media directory (and so its own TeX directory),
inside a work directory on the output's filesystem; finished files are `os.replace`d into the output
directory, so a failed or interrupted render never leaves a truncated file where a good one was.
"""
from __future__ import annotations

import contextlib
import errno
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

from . import lifecycle
from .errors import Interrupted, RenderError, UsageError
from .job import Job
from .params import scene_spec, to_json
from .paths import cache_root, scene_cache, tex_cache
from .progress import FRAMES_FILE, SceneProgress, read_frames
from .workdir import make_work_dir, sweep_stale_work_dirs

try:
    import fcntl
except ImportError:  # not POSIX: no cache sharing between processes, each render uses its own media dir
    fcntl = None

__all__ = ["RenderOptions", "Clip", "render_scenes", "check_output_dir", "check_latex",
           "LATEX_MESSAGE", "QUALITY_LABELS", "FORMATS", "format_seconds", "atomic_write", "readable", "worker_env",
           "longest_first", "seconds_taken", "record_seconds", "SECONDS_FILE"]

QUALITY_LABELS = {"low": "480p15", "medium": "720p30", "high": "1080p60", "4k": "2160p60"}
FORMATS = ("mp4", "webm", "gif", "png")
TRANSPARENT_FORMATS = ("webm", "gif", "png")
LATEX_MESSAGE = ("LaTeX is missing: run `make setup` (installs texlive-latex-base texlive-latex-extra "
                 "texlive-fonts-recommended texlive-science cm-super-minimal dvisvgm)")
LOG_TAIL = 15
EXIT_NO_SPACE = 4  # the worker's exit code when the disk is full (worker.EXIT_NO_SPACE)
NEARLY_FULL_BYTES = 1 << 20  # a worker failed and less than this is free: the disk filled up
POLL_S = 0.05  # how often the command looks at its workers
FRAMES_POLL_S = 0.5  # how often it reads their frame counts


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
    voice: str = "none"  # the narration voice, for the Job (checked by the command with narration.check_voice)
    sections: bool = False
    draft: bool = False  # a preview's: the fastest encoder settings (worker.DRAFT_X264_PRESET)
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
    title: str = ""  # the scene class's readable `title`: the stitched video's chapter name
    outlines: tuple[str, ...] = ()  # the glyph outlines it used (scenes.svg_outlines keys)
    typeset: tuple = ()  # the formulas and labels it typeset (scenes.typesetting.used)


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


def check_output_dir(out_dir: Path, create: bool = True) -> Path:
    """Prove `out_dir` is (or can be made) a writable directory, by writing a file; return it absolute.

    With `create=False` nothing is created: a missing `out_dir` is checked through the nearest folder
    above it that exists, so a command refused later leaves no empty output folder behind.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> check_output_dir(root / "a" / "b", create=False) == (root / "a" / "b").resolve(), (root / "a").exists()
    (True, False)
    """
    out_dir = Path(out_dir)
    probe = out_dir
    if not create:
        while not probe.exists() and not probe.is_symlink() and probe.parent != probe:
            probe = probe.parent
    try:
        if create:
            out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"output directory {out_dir} is a file, not a directory") from None
    except OSError as error:
        raise UsageError(f"cannot create output directory {out_dir}: {error.strerror}") from None
    if not probe.is_dir():
        if probe != out_dir:
            raise UsageError(f"cannot create output directory {out_dir}: {probe} is a file")
        raise UsageError(f"output directory {out_dir} is a file, not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"output directory {out_dir} is not writable")
    reason = _unwritable(probe)
    if reason is not None:
        verb = "output directory {} is not writable" if probe == out_dir else "cannot create output directory {}"
        raise UsageError(f"{verb.format(out_dir)}: {reason}")
    return out_dir.resolve()


def readable(path: Path) -> None:
    """Give a temporary file (mkstemp makes it 0600) the permissions of a normal new file."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to a temporary file beside `path`, then rename it over `path`:
    a reader sees all of it or the file before, never half of it. The staged name holds the pid, so
    that a stopped command can remove its own (batch) and never another's."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
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
    polled: float = 0.0  # when its frame count was last read

    @property
    def frames_file(self) -> Path:
        """Where the worker reports its frames (progress.reporting), beside its job file."""
        return self.job_file.with_name(FRAMES_FILE)


def worker_env() -> dict[str, str]:
    """This environment, with PYTHONPATH so a fresh interpreter finds the package and `module:Class` scenes."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    paths = [root, os.getcwd()] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


class _ForkedWorker:
    """A worker forked from this process: it inherits manim and the scene modules already imported
    (measured 1.2 s saved per scene), and answers like a `subprocess.Popen` (poll, wait, terminate, kill).
    The theme needs no passing: run_job sets it from the job file."""

    def __init__(self, job_file: Path, log) -> None:
        self._process = multiprocessing.get_context("fork").Process(
            target=_forked_main, args=(str(job_file), log.fileno(), os.getpid()), daemon=False)
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


def _forked_main(job_file: str, log_fd: int, parent_pid: int) -> None:
    """The forked worker: the command alone decides when it stops (lifecycle.worker_signals), output
    to the job's log, then worker.main."""
    lifecycle.worker_signals(parent_pid)
    from . import worker
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.exit(worker.main([job_file]))


def _start_worker(job: _Job, env: dict[str, str]):
    """Fork the worker where the OS can (Linux), else start `python -m relu_explainer_cli.worker JOB`
    with `env` (PYTHONPATH; the theme and voice travel in the job file)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return _ForkedWorker(job.job_file, job.log)
    # Windows has no signal mask to hold Ctrl-C back with: a new process group never receives it.
    flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    return subprocess.Popen([sys.executable, "-m", "relu_explainer_cli.worker", str(job.job_file),
                             "--parent", str(os.getpid())],
                            stdin=subprocess.DEVNULL, stdout=job.log, stderr=subprocess.STDOUT, env=env,
                            creationflags=flags)


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
    frames: SceneProgress | None = None,
) -> list[Clip]:
    """Render `names` (story names or `module:Class`) with `overrides[name]` params changes.

    Up to `options.jobs` worker processes run at once, each with its own media directory. Finished
    files land in `options.out_dir` as <Scene>.<format> and <Scene>.srt (and sections/<Scene>/ with
    `sections=True`). `progress` gets a line as each scene starts and ends, `frames` each scene's frame
    count as it renders (progress.live_progress). Raises RenderError (with the worker's log tail) on
    a failure and Interrupted on Ctrl-C, SIGTERM or SIGHUP; either way the work directory is removed
    and no earlier good file is touched. Work folders that killed runs left in the output directory
    are removed first.
    """
    specs = {name: scene_spec(name) for name in names}
    out_dir = check_output_dir(options.out_dir)
    for folder in sweep_stale_work_dirs(out_dir):
        progress(f"      removed {folder.name}: a killed render left it")
    with ExitStack() as locks:  # the scenes' cache locks, held until their files are installed
        return _render_scenes(names, specs, overrides, options, progress, frames or SceneProgress(),
                              out_dir, locks)


def _cache_lock(media: Path, locks: ExitStack) -> bool:
    """Lock a scene's cache media dir for this process; False when another render holds it.

    Two renders of one scene into one output directory would otherwise write the same manim files
    at once (and one would move the other's video away); the second renders without the cache.
    While held, the lock file holds the holder's pid, and is emptied when the holder lets go: a
    render killed outright (SIGKILL) leaves it full, and may have left files cut short in the cache,
    which manim would reuse by name; the next holder drops that cache first.
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
        file.seek(0)
        if file.read():  # its last holder was killed while using it
            shutil.rmtree(media, ignore_errors=True)
        os.ftruncate(file.fileno(), 0)
        os.write(file.fileno(), str(os.getpid()).encode())
    except OSError:
        file.close()
        return False

    def release() -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(file.fileno(), 0)
        file.close()  # closing the file releases the lock

    locks.callback(release)
    return True


def _render_scenes(names, specs, overrides, options, progress, frames, out_dir, locks) -> list[Clip]:
    try:
        work, work_lock = make_work_dir(out_dir)
    except OSError as error:
        raise RenderError(f"cannot start a render in {out_dir}: {error.strerror}") from None
    if work_lock is not None:  # held until this run is over: later runs leave the folder alone
        locks.callback(work_lock.close)
    jobs: list[_Job] = []
    try:
        for index, name in enumerate(names):
            short = name.split(":")[-1]
            job_dir = work / f"{index:02d}-{name.replace(':', '_').replace('.', '_')}"
            job_dir.mkdir()
            module, cls = specs[name]
            media = scene_cache(out_dir, name)
            cached = options.cache and _cache_lock(media, locks)
            if not cached:
                media = job_dir / "media"
            job = _Job(index, short, job_dir, job_dir / "job.json", job_dir / "result.json", job_dir / "worker.log",
                       cache=media if cached else None)
            Job(scene=short, module=module, cls=cls, overrides=to_json(overrides.get(name, {})),
                media_dir=str(media), tex_cache=str(tex_cache()), cache_dir=str(cache_root()),
                result=str(job.result_file), quality=options.quality, fps=options.fps,
                parallel=min(options.jobs, len(names)) > 1,  # other workers share the cores
                shards=shards_for(options, len(names)),
                format=options.format, transparent=options.transparent, cache=options.cache,
                sections=options.sections, draft=options.draft, theme=options.theme, voice=options.voice,
                debug=options.debug).write(job.job_file)
            jobs.append(job)
    except OSError as error:  # e.g. a full disk: no room even for the job files
        shutil.rmtree(work, ignore_errors=True)
        raise RenderError(f"cannot start a render in {out_dir}: {error.strerror}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    pending = longest_first(jobs, seconds_taken())
    running: list[_Job] = []
    clips: dict[int, Clip] = {}
    started = time.perf_counter()
    env = worker_env()
    n = len(jobs)
    try:
        while pending or running:
            lifecycle.check_stop()  # a stop whose KeyboardInterrupt was swallowed on the way
            while pending and len(running) < options.jobs:
                job = pending.pop(0)
                job.log = open(job.log_file, "wb")
                job.started = time.perf_counter()
                with lifecycle.terminal_signals_blocked():  # a Ctrl-C now finds it on `running`
                    job.process = _start_worker(job, env)
                    running.append(job)
                frames.start(job.scene)
                progress(f"      {job.scene}: rendering at {options.label} "
                         f"(scene {job.index + 1} of {n})")
            time.sleep(POLL_S)
            for job in list(running):
                _report_frames(job, frames)
                rc = job.process.poll()
                if rc is None:
                    continue
                if rc < 0 and -rc in lifecycle.STOP_SIGNALS:  # someone signalled the whole group and
                    lifecycle.stop_by(-rc)                    # it reached the worker before us
                if rc != 0:
                    lifecycle.check_stop()  # not a failure: we are stopping, the worker went first
                running.remove(job)
                job.log.close()
                if rc != 0:
                    if rc < 0 and job.cache is not None:  # killed by a signal, maybe mid-write
                        shutil.rmtree(job.cache, ignore_errors=True)
                    raise _failure(job, rc, out_dir)
                try:
                    clips[job.index] = _install(job, out_dir, options)
                except OSError as error:  # the output's disk filled up or turned read-only mid-render
                    if error.errno in (errno.ENOSPC, errno.EDQUOT):
                        raise _no_space(job, out_dir) from None
                    raise RenderError(f"{job.scene}: cannot write to the output directory {out_dir}: "
                                      f"{error.strerror or error}") from None
                frames.finish(job.scene)
                record_seconds(job.scene, time.perf_counter() - job.started)
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
        raise Interrupted(lifecycle.received()) from None
    except BaseException:
        _stop(running)
        _clean(work, out_dir, jobs, stopped=running)
        raise
    shutil.rmtree(work, ignore_errors=True)
    return [clips[i] for i in range(n)]


def shards_for(options: RenderOptions, scenes: int) -> int:
    """Processes to split each scene over: shards.SHARDS when every scene can have that many of the
    `jobs` and its settings allow it (shards.can_split), else 1.

    >>> shards_for(RenderOptions(quality="low", jobs=2, cache=False), 1)
    2
    >>> shards_for(RenderOptions(quality="low", jobs=2, cache=False), 2), shards_for(RenderOptions(jobs=2), 1)
    (1, 1)
    >>> shards_for(RenderOptions(quality="4k", jobs=2, cache=False), 1)
    1
    """
    from . import shards
    fits = scenes * shards.SHARDS <= options.jobs
    allowed = shards.can_split(format=options.format, voice=options.voice, sections=options.sections,
                               cache=options.cache, quality=options.quality)
    return shards.SHARDS if fits and allowed else 1


SECONDS_FILE = "render-seconds.json"
"""In the user cache: how long each scene's last render took, so the next run starts the longest first."""


def seconds_taken() -> dict[str, float]:
    """{scene: seconds its last render took}, from the user cache; {} when there is none yet."""
    try:
        known = json.loads((cache_root() / SECONDS_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in known.items() if isinstance(v, (int, float))} if isinstance(known, dict) else {}


def record_seconds(scene: str, seconds: float) -> None:
    """Remember how long `scene` took (the last render at any quality; only the order matters)."""
    with contextlib.suppress(OSError):
        cache_root().mkdir(parents=True, exist_ok=True)
        atomic_write(cache_root() / SECONDS_FILE, json.dumps({**seconds_taken(), scene: round(seconds, 2)}))


def longest_first(jobs: list, seconds: Mapping[str, float]) -> list:
    """The jobs in the order to start them: scenes never timed first (in story order), then the longest,
    so that parallel workers finish together instead of one rendering a long scene alone at the end.

    >>> from types import SimpleNamespace as Job
    >>> [j.scene for j in longest_first([Job(scene="A"), Job(scene="B"), Job(scene="C")], {"A": 3, "C": 9})]
    ['B', 'C', 'A']
    """
    return sorted(jobs, key=lambda job: -seconds.get(job.scene, float("inf")))


def _clean(work: Path, out_dir: Path, jobs: list[_Job], stopped: list[_Job] = ()) -> None:
    """Remove the work directory and any file staged for a rename that did not happen.

    A worker stopped midway may have left a file cut short in the scene's manim cache (a text's SVG,
    a partial movie), which manim would reuse by name and fail on, every later run: drop that cache.
    """
    shutil.rmtree(work, ignore_errors=True)  # on a disk turned read-only it stays: the next run sweeps it
    for job in stopped:
        if job.cache is not None:
            shutil.rmtree(job.cache, ignore_errors=True)
    for job in jobs:
        with contextlib.suppress(OSError):  # never hide the error that brought us here
            for staged in out_dir.glob(f".{job.scene}.*.{os.getpid()}.part"):  # ours, not another render's
                staged.unlink(missing_ok=True)


def _report_frames(job: _Job, frames: SceneProgress) -> None:
    """Pass on the worker's frame count, every FRAMES_POLL_S at most."""
    now = time.monotonic()
    if now - job.polled < FRAMES_POLL_S:
        return
    job.polled = now
    report = read_frames(job.frames_file)
    if report is not None:
        frames.update(job.scene, *report)


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


def _unwritable(folder: Path | None) -> str | None:
    """Why no file can be created in `folder` now (e.g. 'Read-only file system'); None if one can."""
    if folder is None or not folder.is_dir():
        return None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            return None
    except OSError as error:
        return error.strerror or str(error)


def _no_space(job: _Job, out_dir: Path) -> RenderError:
    """The error for a disk that filled up; the scene's cache, which may hold files cut short, goes."""
    try:
        free = f" ({shutil.disk_usage(out_dir).free // 1024} kB free)"
    except OSError:
        free = ""
    if job.cache is not None:  # never reuse files cut short, and free the space
        shutil.rmtree(job.cache, ignore_errors=True)
    return RenderError(f"{job.scene}: no space left on the disk of {out_dir}{free}: free some space "
                       f"or choose another --out; nothing was written")


def _failure(job: _Job, rc: int, out_dir: Path) -> RenderError:
    """The error for a failed worker: LaTeX missing, a full or read-only disk, or the tail of its log
    (kept in out_dir/logs)."""
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
        return _no_space(job, out_dir)
    # A folder turned read-only (a remount, a USB stick's write protection): the worker exits 5 when
    # it can tell, or dies in manim's RuntimeError; either way the folders themselves are the evidence.
    for folder in (out_dir, job.cache.parent if job.cache is not None else None):
        reason = _unwritable(folder)
        if reason is not None:
            return RenderError(f"{job.scene}: cannot write to {folder}: {reason}; nothing was written")
    kept = ""
    try:
        logs = out_dir / "logs"
        logs.mkdir(exist_ok=True)
        dest = logs / f"{job.scene.replace(':', '_')}.log"
        os.replace(job.log_file, dest)
        kept = f" (full log: {dest})"
    except OSError:
        pass
    how = f"killed by {_signal_name(-rc)}" if rc < 0 else f"worker exit {rc}"
    return RenderError(f"{job.scene} failed to render ({how}){kept}; last lines of its log:", details=tail)


def _signal_name(signum: int) -> str:
    """'SIGKILL' for 9 (what the kernel's out-of-memory killer sends).

    >>> _signal_name(9)
    'SIGKILL'
    """
    import signal
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


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
    return Clip(job.scene, video, srt, float(result["duration"]), sections, result.get("title") or "",
                tuple(result.get("outlines", ())), tuple(result.get("typeset", ())))


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

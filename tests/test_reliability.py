"""Reliability of the `relu-explainer` command: concurrent renders, Ctrl-C then a rerun, a read-only or
full output disk, LaTeX missing, and huge params refused quickly.

Each case runs the command in a fresh process, as a user does, on the tiny scenes of tests/fake_scenes.py
at --quality low. test_cli.py covers the other error paths (bad flags, config files, a failed worker,
Ctrl-C with --no-cache); test_expressions.py fuzzes the target parser. Neither is repeated here.

The read-only and full-disk cases mount a small tmpfs (we run as root in CI): chmod cannot make a
directory read-only for root (CAP_DAC_OVERRIDE ignores the mode bits), but a read-only mount refuses
even root with EROFS, and a tmpfs of a few kB fills up for real (ENOSPC) in the middle of a render.
Without the right to mount, those cases are skipped (test_cli.py has a monkeypatched variant).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAKE = "tests.fake_scenes:FakeScene"
WORK_PREFIX = ".relu-explainer-work-"


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "relu_explainer_cli.main", *args]


def as_from_a_terminal() -> None:
    """(preexec_fn) Ctrl-C and SIGHUP at their defaults in the command, as a terminal's shell starts it,
    even when these tests were started ignoring them (e.g. in the background of a shell without job
    control): a command started ignoring a signal rightly keeps ignoring it."""
    for signum in (signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def run(*args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)


def assert_valid_video(path: Path) -> None:
    """A complete video: every frame its header promises decodes. (FakeScene's length is its beats',
    which last at least their subtitles' reading time: not a fixed number here.)"""
    from relu_explainer_cli.worker import video_duration
    from tests.video_frames import frame_times, shown_frames
    seconds = video_duration(path)
    _, rate = frame_times(path)
    frames = shown_frames(path)
    assert seconds >= 1.0 and abs(frames - seconds * rate) <= 2, (path, seconds, frames)


def leftovers(out: Path) -> list[str]:
    """Temporary files of a render: work directories and staged .part files, anywhere below out."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.name.startswith(WORK_PREFIX) or p.name.endswith(".part"))


def one_line_error(stderr: str) -> str:
    """The command's error line: the last line of stderr, with no traceback anywhere."""
    assert "Traceback" not in stderr, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith(("relu-explainer: ", "relu-explainer render: ")), stderr
    return last


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    """Mount a tmpfs at `path` for the block, or skip the test when mounting is not allowed."""
    if shutil.which("mount") is None:  # a bare Debian has no `mount` package
        pytest.skip("no mount command here")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


# --- two renders into one output directory at once ------------------------------------------------

def test_two_renders_into_the_same_directory_at_once_both_succeed(tmp_path):
    """Both share the output dir and its manim cache: before the fix, one moved the other's video
    away (FileNotFoundError, exit 1). Now the second render finds the scene's cache locked and
    renders into a media directory of its own."""
    out = tmp_path / "media"
    processes = [subprocess.Popen(command("render", FAKE, "--out", str(out), "--quality", "low"), cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    results = [(p, *p.communicate(timeout=120)) for p in processes]
    for process, stdout, stderr in results:
        assert process.returncode == 0, stderr
        assert stdout.split() == [str(out / "FakeScene.mp4")]
    assert_valid_video(out / "FakeScene.mp4")
    assert (out / "FakeScene.srt").read_text().count("-->") == 2
    assert leftovers(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["FakeScene.mp4", "FakeScene.srt"]  # no cache in --out


# --- Ctrl-C midway, then the next run ------------------------------------------------------------

def test_ctrl_c_midway_with_the_cache_then_the_next_run_succeeds(tmp_path):
    """test_cli.py interrupts a --no-cache render; this one interrupts a render that writes manim's
    cache (what a user gets by default), then checks the rerun reuses it safely."""
    out = tmp_path / "media"
    out.mkdir()
    process = subprocess.Popen(command("render", FAKE, "--out", str(out), "--quality", "low"), cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=as_from_a_terminal)
    from relu_explainer_cli.paths import scene_cache
    cache = scene_cache(out, FAKE)  # in the user cache (RELU_EXPLAINER_CACHE, tests/conftest.py)
    deadline = time.monotonic() + 60
    while not any(cache.rglob("*.*")):  # manim has begun writing the scene's files: midway
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal does: the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted"
    assert not (out / "FakeScene.mp4").exists() and not (out / "FakeScene.srt").exists()
    assert leftovers(out) == []
    # Before the fix, a text SVG cut short in the cache made every later run fail (ParseError);
    # now the stopped scene's cache is dropped.
    assert not cache.exists()

    again = run("render", FAKE, "--out", str(out), "--quality", "low")
    assert again.returncode == 0, again.stderr
    assert_valid_video(out / "FakeScene.mp4")
    assert leftovers(out) == []


def child_pids(pid: int) -> list[int]:
    """The pids whose parent is `pid` (from /proc: the workers of a command)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # the field after "(comm)" is the state, then the parent's pid
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie, dead but not yet reaped, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def wait_until_gone(pids: list[int], seconds: float = 5.0) -> list[int]:
    """Wait for `pids` to end; return those still running after `seconds`."""
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


_STARTED: list[tuple[subprocess.Popen, list[int]]] = []


@pytest.fixture(autouse=True)
def _stop_slow_renders():
    """A slow render that a failed test left running is stopped, workers and all."""
    yield
    while _STARTED:
        process, workers = _STARTED.pop()
        for pid in [process.pid, *workers]:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            process.communicate(timeout=10)


def start_slow_render(out: Path, *extra: str, seconds: float = 600,
                      preexec=as_from_a_terminal) -> tuple[subprocess.Popen, list[int]]:
    """A FakeScene render `seconds` long (it never gets to the end) in its own session; returns it and
    its workers' pids once one is rendering. 60 s of it took 4.7 s once fades were cheap and long plays
    split over two processes: a second render beside it could outlast it on a busy machine."""
    slow = out.parent / "slow.toml"
    slow.write_text(f'["{FAKE}"]\nseconds = {seconds}\n')
    process = subprocess.Popen(command("render", FAKE, "--out", str(out), "--quality", "low",
                                       "--config", str(slow), *extra), cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=preexec)
    deadline = time.monotonic() + 60
    while not (workers := child_pids(process.pid)):
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.02)
    _STARTED.append((process, workers))
    time.sleep(1.0)  # the worker is past its start-up, inside manim
    return process, workers


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_ctrl_c_that_reaches_the_worker_first_still_exits_130(tmp_path):
    """The terminal sends SIGINT to the whole process group, and which process acts on it first is up
    to the scheduler. Here the worker gets it a full second before the command: before, the worker
    died of KeyboardInterrupt (exit 1) and the command reported "FakeScene failed to render" (exit 1).
    Only the command decides what a Ctrl-C means."""
    out = tmp_path / "media"
    process, workers = start_slow_render(out, "--no-cache")
    for pid in workers:
        os.kill(pid, signal.SIGINT)
    time.sleep(1.0)
    assert process.poll() is None, process.communicate()  # the render goes on: the worker ignored it
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == []


def ignoring_ctrl_c() -> None:
    """(preexec_fn) The command starts with SIGINT ignored, as a shell without job control starts
    `command &`: how the bare-Debian runs of issue 12 started it (fresh-debian in the background)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_a_ctrl_c_the_command_ignores_is_ignored_by_its_workers_too(tmp_path):
    """Issue 12's failure on a bare Debian 12, made deterministic: started ignoring SIGINT, the command
    (Python keeps an inherited SIG_IGN) ignored the test's Ctrl-C, but its forked worker set Python's
    SIGINT handler again, died of KeyboardInterrupt in manimpango and was reported as "FakeScene
    failed to render (worker exit 1)". Now the workers ignore it as the command does; the render goes
    on until something the command does not ignore (SIGTERM) stops it."""
    out = tmp_path / "media"
    process, workers = start_slow_render(out, "--no-cache", preexec=ignoring_ctrl_c)
    os.killpg(process.pid, signal.SIGINT)
    time.sleep(1.5)
    assert process.poll() is None, process.communicate()
    assert all(running(pid) for pid in workers)
    os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert err.strip().splitlines()[-1] == "interrupted (SIGTERM)" and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
@pytest.mark.parametrize("signum, code, line", [(signal.SIGTERM, 143, "interrupted (SIGTERM)"),
                                                (signal.SIGHUP, 129, "interrupted (SIGHUP)")])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path, signum, code, line):
    """SIGHUP is what closing the terminal sends (to the whole group), SIGTERM what `kill` and service
    managers send. Both stop the render as Ctrl-C does and exit 128 + the signal's number, as shells
    report it; before, SIGHUP killed the command outright (exit -1) and left its work folder."""
    out = tmp_path / "media"
    process, workers = start_slow_render(out, "--no-cache")
    os.killpg(process.pid, signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert err.strip().splitlines()[-1] == line
    assert wait_until_gone(workers) == []
    assert sorted(p.name for p in out.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_sigkill_takes_the_workers_along_and_the_next_run_sweeps_what_it_left(tmp_path):
    """SIGKILL gives the command no time to stop anything: the kernel kills its workers (they asked
    with prctl PR_SET_PDEATHSIG), and the next run into the same folder removes the dead run's work
    folder and drops the scene cache it was writing (files cut short there would break every run)."""
    from relu_explainer_cli.paths import scene_cache
    out = tmp_path / "media"
    process, workers = start_slow_render(out)
    assert all(running(pid) for pid in workers)
    process.kill()
    process.communicate(timeout=30)
    orphans = wait_until_gone(workers)
    for pid in orphans:  # never leave one rendering on
        os.kill(pid, signal.SIGKILL)
    assert orphans == [], "the workers go on rendering as orphans"
    assert [p.name for p in out.iterdir() if p.name.startswith(WORK_PREFIX)], "nothing left to sweep?"
    cache = scene_cache(out, FAKE)
    lock = cache.parent / f"{cache.name}.lock"
    assert lock.read_text() == str(process.pid)  # the dead run never let go of the cache

    again = run("render", FAKE, "--out", str(out), "--quality", "low")
    assert again.returncode == 0, again.stderr
    assert "a killed render left it" in again.stderr
    assert leftovers(out) == [] and lock.read_text() == ""
    assert_valid_video(out / "FakeScene.mp4")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_a_render_never_sweeps_the_work_folder_of_a_render_still_going(tmp_path):
    out = tmp_path / "media"
    process, _ = start_slow_render(out, "--no-cache")
    theirs = [p for p in out.iterdir() if p.name.startswith(WORK_PREFIX)]
    ours = run("render", "tests.fake_scenes:OtherFakeScene", "--out", str(out), "--quality", "low", "--no-cache")
    assert ours.returncode == 0, ours.stderr
    assert "killed render" not in ours.stderr and all(folder.is_dir() for folder in theirs)
    assert process.poll() is None
    os.killpg(process.pid, signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode == 130 and leftovers(out) == []


def test_stale_work_folders_are_told_apart_by_their_lock_and_pid(tmp_path):
    """Held lock: a live run (whatever its pid looks like from here). Free lock and a dead pid: stale.
    No lock yet: stale only when its pid is dead and the folder is not young (a run just starting)."""
    from relu_explainer_cli import workdir
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from relu_explainer_cli.workdir import make_work_dir\n"
        f"work, lock = make_work_dir(Path({str(tmp_path)!r})); print(work.name, flush=True); time.sleep(60)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        live = tmp_path / holder.stdout.readline().strip()
        done = subprocess.run([sys.executable, "-c", (
            "from pathlib import Path; from relu_explainer_cli.workdir import make_work_dir\n"
            f"print(make_work_dir(Path({str(tmp_path)!r}))[0].name)")], cwd=ROOT, capture_output=True, text=True)
        dead = tmp_path / done.stdout.strip()
        dead_pid = int(dead.name[len(WORK_PREFIX):].split("-")[0])  # its run is over
        unlocked_young = tmp_path / f"{WORK_PREFIX}{dead_pid}-young"
        unlocked_old = tmp_path / f"{WORK_PREFIX}{dead_pid}-old"
        for folder in (unlocked_young, unlocked_old):
            folder.mkdir()
        os.utime(unlocked_old, (time.time() - 3600, time.time() - 3600))
        removed = workdir.sweep_stale_work_dirs(tmp_path)
        assert sorted(removed) == sorted([dead, unlocked_old])
        assert live.is_dir() and unlocked_young.is_dir()
    finally:
        holder.kill()
        holder.wait()
    assert workdir.sweep_stale_work_dirs(tmp_path) == [live]  # its run is over now


def test_a_signal_the_command_was_started_ignoring_stays_ignored():
    """`nohup relu-explainer render` ignores SIGHUP, and a shell without job control starts `command &`
    ignoring SIGINT: the command must not take them back (Python itself leaves an ignored SIGINT)."""
    from relu_explainer_cli import lifecycle
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with lifecycle.stop_signals():
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


@pytest.mark.parametrize("use_prctl", [True, False])
def test_a_worker_dies_with_its_parent(use_prctl):
    """A parent that forks a child and then dies (as a SIGKILLed command does): the child, which asked
    to die with it, is gone within a second; without prctl (not Linux) a thread watches the parent."""
    code = (
        "import os, time\n"
        "from relu_explainer_cli.lifecycle import die_with_parent\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        f"    die_with_parent(parent, use_prctl={use_prctl})\n"
        "    time.sleep(30)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(0.3)\n"
        "os._exit(0)\n")
    parent = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    child = int(parent.stdout.split()[0])
    assert wait_until_gone([child], seconds=3.0) == []


# --- usage errors leave nothing behind -------------------------------------------------------------

@pytest.mark.parametrize("args, config", [
    (["ApproximateSquare", "--target", "1/0"], None),
    (["ReluUnit", "--target", "sin(x)"], None),
    ([FAKE], f'["{FAKE}"]\nbogus = 1\n'),
])
def test_usage_errors_create_no_output_folder(tmp_path, capsys, monkeypatch, args, config):
    """Before, the output folder was made before the params were checked: an empty `--out` stayed."""
    from relu_explainer_cli.main import main
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out" / "deeper"
    if config:
        (tmp_path / "c.toml").write_text(config)
        args = args + ["--config", str(tmp_path / "c.toml")]
    code = main(["render", *args, "--quality", "low", "--out", str(out)])
    assert code == 2, capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- a read-only output directory ----------------------------------------------------------------

@pytest.mark.parametrize("below", ["", "sub/dir"])
def test_read_only_output_directory_is_one_clear_line(tmp_path, below):
    """A read-only mount stops root too (EROFS), unlike chmod. The output dir itself, or one to be
    created inside it. Exit 2 like the other bad-`--out` cases: the project's errors.py counts an
    impossible --out as a usage error (test_cli.py asserts 2 for the monkeypatched variant)."""
    with tmpfs(tmp_path / "ro", "ro,size=64k") as mount:
        out = mount / below
        result = run("render", FAKE, "--out", str(out), "--quality", "low", timeout=30)
        assert result.returncode == 2, result.stderr
        line = one_line_error(result.stderr)
        assert str(out) in line and ("not writable" in line or "Read-only file system" in line), line
        assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("cache", [True, False])
def test_output_directory_turned_read_only_mid_render_is_one_line(tmp_path, cache):
    """The output folder turns read-only while the scene renders (a remount, a file system going
    read-only after an error): before, a 15-line RuntimeError traceback from manim. Without the cache the worker
    itself fails to write (into the work folder in --out); with it, the worker renders into the user
    cache and moving the clip into place fails. Either way: one line, exit 1, no file half-written, and
    once the folder is writable again the next run sweeps what could not be removed."""
    out = tmp_path / "usb"
    out.mkdir()
    (out / "FakeScene.mp4").write_bytes(b"previous good clip")
    if shutil.which("mount") is None:  # a bare Debian has no `mount` package
        pytest.skip("no mount command here")
    process, _ = start_slow_render(out, *([] if cache else ["--no-cache"]), seconds=8)
    # A read-only bind mount over the folder: every path opened from now on is refused (EROFS), as
    # after a remount, which the kernel would refuse while the command holds files open for writing.
    bound = subprocess.run(["mount", "--bind", str(out), str(out)], capture_output=True, text=True)
    if bound.returncode != 0:
        process.kill()
        process.communicate()
        pytest.skip(f"cannot bind-mount here: {bound.stderr.strip()}")
    try:
        made_ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(out)], capture_output=True, text=True)
        assert made_ro.returncode == 0, made_ro.stderr
        _, err = process.communicate(timeout=120)
    finally:
        subprocess.run(["umount", str(out)], capture_output=True)
    assert process.returncode == 1, err
    line = one_line_error(err)
    assert err.count("\n") <= 2, err  # the "rendering" line and the error
    assert "Read-only file system" in line and str(out) in line, line
    assert (out / "FakeScene.mp4").read_bytes() == b"previous good clip"
    # Nothing half-written beside the clips; the work folder (and a progress report staged in it when
    # the folder turned read-only) could not be removed, and the next run sweeps it.
    assert not [p for p in out.rglob("*.part")
                if not any(part.startswith(WORK_PREFIX) for part in p.relative_to(out).parts)]
    again = run("render", "tests.fake_scenes:OtherFakeScene", "--out", str(out), "--quality", "low")
    assert again.returncode == 0, again.stderr
    assert leftovers(out) == []


# --- a full disk --------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["8k", "16k", "32k"])
def test_full_disk_is_one_clear_line_and_leaves_no_partial_file(tmp_path, size):
    """A small tmpfs fills up while manim writes (a text's SVG, a partial movie, the final video: where
    depends on the size and on the machine's fonts). The worker exits with its own code when it can;
    when it cannot even write its traceback, the nearly full disk tells. Either way the message says
    the disk is full, the previous clip stays, and the scene's cache (which may hold files cut short)
    is removed. (On a bare Debian 12 the 32 kB case once failed with an empty log and exit 1.)"""
    with tmpfs(tmp_path / "full", f"size={size}") as out:
        (out / "FakeScene.mp4").write_bytes(b"previous good clip")
        result = run("render", FAKE, "--out", str(out), "--quality", "low", timeout=120)
        assert result.returncode == 1, result.stderr
        line = one_line_error(result.stderr)
        assert "no space left" in line and str(out) in line, line
        assert (out / "FakeScene.mp4").read_bytes() == b"previous good clip"
        assert not (out / "FakeScene.srt").exists()
        assert leftovers(out) == []
        assert [p.name for p in out.rglob("*.mp4")] == ["FakeScene.mp4"]  # no cached partial movie


def test_a_worker_that_died_silently_on_a_full_disk_is_reported_as_a_full_disk(tmp_path):
    """Exit 1 and an empty log (no room for the traceback): the nearly full disk is the evidence."""
    from relu_explainer_cli.render import _failure, _Job
    with tmpfs(tmp_path / "full", "size=64k") as out:
        job_dir = out / "job"
        job_dir.mkdir()
        (job_dir / "worker.log").write_bytes(b"")
        filler = os.open(out / "filler", os.O_WRONLY | os.O_CREAT)  # fill the disk (unbuffered writes)
        with contextlib.suppress(OSError):
            while True:
                os.write(filler, b"x" * 4096)
        os.close(filler)
        job = _Job(0, "FakeScene", job_dir, job_dir / "job.json", job_dir / "result.json", job_dir / "worker.log")
        message = str(_failure(job, 1, out))
        assert message.startswith("FakeScene: no space left on the disk of") and "kB free" in message, message
    roomy = tmp_path / "roomy"
    roomy.mkdir()
    (roomy / "worker.log").write_text("Traceback ...\nValueError: a bug\n")
    job = _Job(0, "FakeScene", roomy, roomy / "job.json", roomy / "result.json", roomy / "worker.log")
    assert "failed to render (worker exit 1)" in str(_failure(job, 1, tmp_path))  # room enough: a bug


# --- LaTeX missing --------------------------------------------------------------------------------

def test_missing_latex_on_path_names_make_setup(tmp_path):
    """PATH without latex and dvisvgm (an empty directory): refused before any worker starts."""
    env = {**os.environ, "PATH": str(tmp_path / "empty-bin")}
    (tmp_path / "empty-bin").mkdir()
    result = run("render", FAKE, "--out", str(tmp_path / "out"), "--quality", "low", env=env, timeout=30)
    assert result.returncode == 1, result.stderr
    line = one_line_error(result.stderr)
    assert "LaTeX is missing" in line and "make setup" in line and "dvisvgm" in line
    assert leftovers(tmp_path / "out") == []


# --- huge or non-finite params are refused quickly ------------------------------------------------

REFUSALS = [
    # (arguments, a piece of the message that states the limit or the problem)
    (["--steps", "1000000"], "steps must be between 1 and 6"),
    (["--x-range", "-1e9", "1e9"], "x_range is too wide to read (at most 100 long"),
    (["--x-range", "-1e308", "1e308"], "x_range is too wide"),
    (["--x-range", "-inf", "1"], "not a finite number"),
    (["--target", "x**1000000"], "exponents must be at most 64"),
    (["--target", "x*" * 150 + "x"], "formula too long"),
    # Parsed fine, but not finite on the scene's x range: the scene's own check, in the parent.
    (["--target", "log(x)", "--x-range", "-1", "1"], "is not finite everywhere on [-1, 1]"),
    (["--target", "1/0"], "is not finite everywhere"),
]
IN_PROCESS_REFUSALS = [  # the same kind, checked without a fresh manim import each (the suite stays fast)
    (["--target", "sqrt(x)", "--x-range", "-2", "2"], "is not finite everywhere"),
    (["--target", "exp(exp(x))", "--x-range", "-1", "8"], "is not finite everywhere"),
    (["--steps", "1000"], "steps must be between 1 and"),  # the scene's limit, on its params field
    (["--x-range", "-1e5", "1e5"], "x_range is too wide"),
]


def test_huge_and_non_finite_params_are_refused_within_seconds(tmp_path):
    """Each refusal runs in a fresh process (so a hang or a memory blow-up would show) and must finish
    within a few seconds; importing the scene (manim) is most of it. Run at once to keep this fast."""
    started = time.monotonic()
    running = []
    for index, (args, message) in enumerate(REFUSALS):
        argv = command("render", "ApproximateSquare", "--quality", "low", "--format", "png",
                       "--out", str(tmp_path / f"out{index}"), *args)
        running.append((args, message, subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE,
                                                        stderr=subprocess.PIPE, text=True)))
    for args, message, process in running:
        try:
            _, err = process.communicate(timeout=max(1.0, 30 - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail(f"{args}: still running after 30 s instead of a quick refusal")
        assert process.returncode == 2, (args, err)
        line = one_line_error(err.splitlines()[0] + "\n")  # the message, then maybe a caret line
        assert message in err, (args, err)
        assert len(line) < 300, line
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("args, message", IN_PROCESS_REFUSALS)
def test_more_non_finite_and_too_big_params_are_refused(args, message, tmp_path, capsys, monkeypatch):
    from relu_explainer_cli.main import main
    monkeypatch.chdir(ROOT)
    from relu_explainer_cli.params import load_scene
    load_scene("ApproximateSquare")  # manim's import, once for all cases, outside the timing
    started = time.perf_counter()
    code = main(["render", "ApproximateSquare", "--quality", "low", "--format", "png",
                 "--out", str(tmp_path), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in one_line_error(err), err
    assert time.perf_counter() - started < 5


def test_config_file_cannot_smuggle_in_huge_params(tmp_path):
    config = tmp_path / "huge.toml"
    config.write_text("x_range = [-1e300, 1e300]\n")
    result = run("render", "ApproximateSquare", "--config", str(config), "--out", str(tmp_path), timeout=30)
    assert result.returncode == 2 and "x_range is too wide" in one_line_error(result.stderr)
    config.write_text("[ApproximateSquare]\nsteps = 1000000\n")
    result = run("render", "ApproximateSquare", "--config", str(config), "--out", str(tmp_path), timeout=30)
    assert result.returncode == 2 and "steps must be between 1 and" in one_line_error(result.stderr)


def test_relu_core_refuses_huge_constructions_quickly():
    import numpy as np
    import relu_core
    from relu_core.approximations import interpolant, square_approximation, uniform_knots
    for build in (lambda: square_approximation(10**6), lambda: relu_core.square_approximation(10**9),
                  lambda: uniform_knots(0, 1, 10**9),
                  lambda: interpolant(np.sin, np.linspace(0, 1, 10**6))):
        started = time.perf_counter()
        with pytest.raises(ValueError, match="at most|between"):
            build()
        assert time.perf_counter() - started < 1.0


def test_disk_already_full_is_one_clear_line_and_leaves_nothing_behind(tmp_path):
    """No room even for the job files: refused before a worker starts (was an internal error)."""
    with tmpfs(tmp_path / "full", "size=32k") as out:
        with contextlib.suppress(OSError), open(out / "filler", "wb") as filler:
            filler.write(b"\0" * 64 * 1024)
        result = run("render", FAKE, "--out", str(out), "--quality", "low", timeout=60)
        assert result.returncode == 1, result.stderr
        line = one_line_error(result.stderr)
        assert "No space left on device" in line and str(out) in line and "internal error" not in line, line
        assert leftovers(out) == []
        assert not list(out.rglob("*.mp4"))

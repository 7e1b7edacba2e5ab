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


def run(*args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)


def assert_valid_video(path: Path, seconds: float = 1.0) -> None:
    """A complete video: its header gives the scene's length and every frame decodes."""
    import av
    from relu_explainer_cli.worker import video_duration
    assert abs(video_duration(path) - seconds) < 0.25, path
    with av.open(str(path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 10, (path, frames)


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
    assert sorted(p.name for p in out.iterdir()) == [".cache", "FakeScene.mp4", "FakeScene.srt"]


# --- Ctrl-C midway, then the next run ------------------------------------------------------------

def test_ctrl_c_midway_with_the_cache_then_the_next_run_succeeds(tmp_path):
    """test_cli.py interrupts a --no-cache render; this one interrupts a render that writes manim's
    cache (what a user gets by default), then checks the rerun reuses it safely."""
    out = tmp_path / "media"
    out.mkdir()
    process = subprocess.Popen(command("render", FAKE, "--out", str(out), "--quality", "low"), cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    cache = out / ".cache" / FAKE.replace(":", "_")
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
    (["--terms", "1000000"], "terms must be at most 1000"),
    (["--x-range", "-1e9", "1e9"], "x range is too wide: at most 1e+06"),
    (["--x-range", "-1e308", "1e308"], "x range is too wide"),
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
    (["--terms", "1000"], "terms must be between 1 and"),  # within the command's limit, beyond the scene's
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
    assert result.returncode == 2 and "x range is too wide" in one_line_error(result.stderr)
    config.write_text("[ApproximateSquare]\nterms = 1000000\n")
    result = run("render", "ApproximateSquare", "--config", str(config), "--out", str(tmp_path), timeout=30)
    assert result.returncode == 2 and "terms must be between 1 and" in one_line_error(result.stderr)


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

"""`relu-explainer batch` for real: a grid of four variants on a Dask cluster (two worker processes on
127.0.0.1, one killed while it renders) and on the local pool (one worker killed too) give the same
bytes, each file written once; a rerun renders nothing.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_reliability import as_from_a_terminal, child_pids, running, wait_until_gone

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
GRID = """\
quality = "low"
voice = "none"
fps = 10
[grid]
scenes = ["tests.fake_scenes:FakeScene"]
targets = ["x**2", "abs(x)"]
themes = ["dark", "light"]
"""


def start_batch(course: Path, out: Path, *extra: str, terminal: bool = False) -> subprocess.Popen:
    """The batch command; with `terminal`, in a session of its own with Ctrl-C at its default, as a
    terminal's shell starts it (so the test can send it the terminal's SIGINT)."""
    session = dict(start_new_session=True, preexec_fn=as_from_a_terminal) if terminal else {}
    return subprocess.Popen([sys.executable, "-m", "relu_explainer_cli.main", "batch", str(course),
                             "--out", str(out), *extra], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **session)


def renders_under(pid: int) -> list[int]:
    """The render workers (`python -m relu_explainer_cli.worker`) started by process `pid`."""
    found = []
    for child in child_pids(pid):
        try:
            if b"relu_explainer_cli.worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            pass
    return found


def wait_for_render(holder_pids, batch: subprocess.Popen) -> tuple[int, list[int]]:
    """Wait until one of `holder_pids()` runs a render worker; return that holder and its renders."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and batch.poll() is None:
        for pid in holder_pids():
            if renders := renders_under(pid):
                return pid, renders
        time.sleep(0.05)
    raise AssertionError(f"no render started: {batch.communicate()}")


def kill_while_rendering(holder_pids, batch: subprocess.Popen, holder: bool = True) -> tuple[int, list[int]]:
    """Wait until one of `holder_pids()` runs a render worker, let it get into manim, then SIGKILL the
    holder (a Dask worker process) or, with `holder=False`, the render worker; return the killed pid and
    the renders."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and batch.poll() is None:
        for pid in holder_pids():
            renders = renders_under(pid)
            if renders:
                time.sleep(0.3)  # past its start-up: inside manim, mid-render
                victim = pid if holder else renders[0]
                try:
                    os.kill(victim, signal.SIGKILL)
                except ProcessLookupError:  # that render finished first (a FakeScene is short): the next one
                    continue
                return victim, renders
        time.sleep(0.05)
    raise AssertionError(f"no render to kill: {batch.communicate()}")


def finish(batch: subprocess.Popen) -> str:
    out, err = batch.communicate(timeout=300)
    assert batch.returncode == 0, err
    return err


def test_a_grid_on_a_dask_cluster_with_a_worker_killed_gives_the_local_pools_bytes(tmp_path):
    from tests.video_frames import shown_frames
    course = tmp_path / "course.toml"
    course.write_text(GRID)
    on_dask, local = tmp_path / "dask", tmp_path / "local"

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        workers = client.run(os.getpid)  # {address: pid}
        batch = start_batch(course, on_dask, "--scheduler", cluster.scheduler_address)
        killed, renders = kill_while_rendering(lambda: list(workers.values()), batch)
        finish(batch)
    assert wait_until_gone(renders) == []  # the killed worker's render died with it

    batch = start_batch(course, local, "-j", "2")
    _, renders = kill_while_rendering(lambda: [batch.pid], batch, holder=False)  # a render worker of the local pool
    finish(batch)

    manifests = {run: json.loads((run / "manifest.json").read_text())["variants"] for run in (on_dask, local)}
    assert [e["status"] for e in manifests[local]] == ["done"] * 4
    assert sorted(e.get("attempts") for e in manifests[local]) == [1, 1, 1, 2]  # the killed one, again
    names = sorted(p.name for p in local.iterdir())
    assert names == sorted(p.name for p in on_dask.iterdir())
    assert len([n for n in names if n.endswith(".mp4")]) == 4 and len(names) == 9  # 4 mp4, 4 srt, manifest
    for entry in manifests[on_dask]:
        assert entry["status"] == "done"
        for name in (entry["file"], entry["srt"]):
            assert (on_dask / name).read_bytes() == (local / name).read_bytes(), name
        assert shown_frames(on_dask / entry["file"]) == round(entry["duration"] * 10)

    before = {p.name: p.stat().st_mtime_ns for p in local.iterdir() if p.suffix in (".mp4", ".srt")}
    again = start_batch(course, local)
    assert "4 variants: 4 already rendered" in finish(again)
    assert {p.name: p.stat().st_mtime_ns for p in local.iterdir() if p.suffix in (".mp4", ".srt")} == before
    assert all(running(pid) is False for pid in renders)


LONG = """\
quality = "medium"
voice = "none"
[[variant]]
scene = "tests.fake_scenes:FakeScene"
params = { seconds = 60.0 }
[[variant]]
scene = "tests.fake_scenes:FakeScene"
theme = "light"
params = { seconds = 60.0 }
"""
STOPPED_WITHIN_S = 3.0
"""A stopped render on a Dask worker ends this soon (it checks every batch_exec.STOP_CHECK_S); a
minute of FakeScene at 720p30 takes far longer to render, so a render left running is seen."""


def test_ctrl_c_on_a_dask_batch_stops_the_renders_running_on_its_workers(tmp_path):
    """Cancelling a running Dask task does not stop it: the command's stop event does, and the Dask
    workers themselves live on for the next batch."""
    course = tmp_path / "course.toml"
    course.write_text(LONG)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        workers = client.run(os.getpid)
        batch = start_batch(course, tmp_path / "out", "--scheduler", cluster.scheduler_address, terminal=True)
        _, renders = wait_for_render(lambda: list(workers.values()), batch)
        time.sleep(1.0)  # inside manim, drawing
        os.killpg(batch.pid, signal.SIGINT)  # as the terminal does
        _, err = batch.communicate(timeout=60)
        assert batch.returncode == 130, err
        assert wait_until_gone(renders, STOPPED_WITHIN_S) == [], "a render ran on after the stop"
        assert all(running(pid) for pid in workers.values())
    assert not [p for p in (tmp_path / "out").iterdir() if p.suffix == ".mp4"]

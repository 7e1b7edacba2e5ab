"""What a render process sets up for speed before the scene: the frozen heap, one OpenBLAS thread."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from manim import Create, Dot

from relu_explainer_cli import worker
from relu_explainer_cli.job import Job
from scenes.base import ExplainerScene
from tests.fake_scenes import OtherParams

ROOT = Path(__file__).resolve().parents[1]
frozen_while_building: list[int] = []


class FreezeProbe(ExplainerScene):
    """Records how many objects the collector had frozen when the scene was built."""

    params = OtherParams()
    description = "A dot, and a look at the collector."

    def construct(self) -> None:
        frozen_while_building.append(gc.get_freeze_count())
        self.play(Create(Dot()), run_time=0.2)


@pytest.mark.parametrize("freeze", [True, False])
def test_the_scene_is_built_with_everything_before_it_frozen(tmp_path, monkeypatch, freeze):
    """With FREEZE_HEAP the collector skips manim's, numpy's and the scenes' objects (hundreds of
    thousands); without it nothing is frozen, which is what the probe would see if the freeze went."""
    from manim import tempconfig
    monkeypatch.setattr(worker, "FREEZE_HEAP", freeze)
    frozen_while_building.clear()
    job = Job(scene="FreezeProbe", module=__name__, cls="FreezeProbe", media_dir=str(tmp_path / "media"),
              tex_cache="", cache_dir="", result=str(tmp_path / "result.json"), quality="low", cache=False)
    gc.unfreeze()
    try:
        with tempconfig({}):
            result = worker.run_job(job)
    finally:
        gc.unfreeze()  # the rest of the test session collects as before
    assert Path(result["video"]).exists()
    if freeze:
        assert frozen_while_building[0] > 100_000
    else:
        assert frozen_while_building == [0]


def _fresh_python(code: str, blas_threads: str | None = None) -> str:
    """What `python -c code` prints, started with OPENBLAS_NUM_THREADS unset (or set to `blas_threads`)."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if blas_threads is not None:
        env["OPENBLAS_NUM_THREADS"] = blas_threads
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.parametrize("preset, expected", [(None, "1"), ("3", "3")])
def test_the_command_asks_openblas_for_one_thread_unless_told(preset, expected):
    code = "import os, relu_explainer_cli; print(os.environ['OPENBLAS_NUM_THREADS'])"
    assert _fresh_python(code, preset) == expected


def test_numpy_imported_after_the_package_starts_no_blas_threads():
    """OpenBLAS reads the variable when numpy loads it: one thread, so no idle ones spin beside a render."""
    code = ("import os, relu_explainer_cli, numpy, scipy.linalg; "
            "print(len(os.listdir('/proc/self/task')))")
    assert _fresh_python(code) == "1"

"""`relu-explainer batch`: the TOML plan, its refusals, content keys, the manifest, skips, faults, Ctrl-C.

No render here: the task that renders a variant (batch_exec.render_variant) is replaced by one that
returns made-up bytes, so these tests see the command's own behaviour in a second or so. The real
renders, on a local pool and on a Dask cluster with a worker killed, are in test_batch_dask.py.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from relu_explainer_cli import batch_exec, batch_plan
from relu_explainer_cli.batch_plan import expand, source_digest
from relu_explainer_cli.main import main

ROOT = Path(__file__).resolve().parent.parent
FAKE = "tests.fake_scenes:FakeScene"
OTHER = "tests.fake_scenes:OtherFakeScene"
GRID = f"""\
quality = "low"
voice = "none"
[grid]
scenes = ["{FAKE}"]
targets = ["x**2", "abs(x)"]
themes = ["dark", "light"]
"""


@pytest.fixture(autouse=True)
def _in_project(monkeypatch):
    monkeypatch.chdir(ROOT)


def toml(tmp_path: Path, text: str, name: str = "course.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def plan_of(text: str):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return expand(tomllib.loads(textwrap.dedent(text)), "course.toml", voice_check=lambda v: v)


# --- the plan --------------------------------------------------------------------------------------

def test_a_grid_is_every_combination_and_a_tweak_skips_the_scenes_that_do_not_take_it():
    plan = plan_of(f"""\
        quality = "low"
        voice = "none"
        [grid]
        scenes = ["{FAKE}", "{OTHER}"]
        targets = ["x**2", "abs(x)"]
        themes = ["dark", "light"]
        [[variant]]
        scene = "{FAKE}"
        target = "x**2"
        theme = "dark"
    """)
    got = [(v.cls, v.theme, v.overrides.get("target")) for v in plan.variants]
    # OtherFakeScene takes no target: one variant a theme, not two; the [[variant]] repeats grid variant 1
    assert got == [("FakeScene", "dark", "x**2"), ("OtherFakeScene", "dark", None),
                   ("FakeScene", "light", "x**2"), ("OtherFakeScene", "light", None),
                   ("FakeScene", "dark", "abs(x)"), ("FakeScene", "light", "abs(x)")]
    assert plan.duplicates == 3


def test_the_same_settings_spelled_twice_share_one_key_and_any_change_makes_a_new_one():
    default, spelled = (plan_of(f'quality = "low"\n[[variant]]\nscene = "{FAKE}"\n' + extra).variants[0]
                        for extra in ("", "steps = 3\nx_range = [-2, 2.0]\n"))
    assert default.key == spelled.key and default.video_name == spelled.video_name
    keys = {default.key}
    for extra in ("steps = 4\n", 'theme = "light"\n', 'quality = "medium"\n', "fps = 10\n",
                  'format = "webm"\n', "params = { seconds = 2.0 }\n"):
        keys.add(plan_of(f'quality = "low"\n[[variant]]\nscene = "{FAKE}"\n{extra}').variants[0].key)
    assert len(keys) == 7
    assert default.video_name == f"FakeScene-dark-480p15-{default.key[:12]}.mp4"


def test_a_changed_scene_changes_its_own_key_only(tmp_path, monkeypatch):
    for name in ("batch_scene_a", "batch_scene_b"):
        (tmp_path / f"{name}.py").write_text("from tests.fake_scenes import FakeScene\n\n"
                                             "class Mine(FakeScene):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    source_digest.cache_clear()
    before = source_digest("batch_scene_a"), source_digest("batch_scene_b")
    with open(tmp_path / "batch_scene_a.py", "a") as file:
        file.write("# a changed line\n")
    source_digest.cache_clear()
    after = source_digest("batch_scene_a"), source_digest("batch_scene_b")
    assert after[0] != before[0] and after[1] == before[1]


def test_a_scene_key_covers_what_it_imports_from_scenes_and_relu_core_and_not_the_other_scenes():
    files = {f"{p.parent.name}/{p.name}" for p in batch_plan._closure("scenes.relu_unit")}
    assert {"scenes/relu_unit.py", "scenes/base.py", "scenes/style.py", "relu_core/terms.py"} <= files
    assert "scenes/approximate_square.py" not in files and "scenes/zoom_to_line.py" not in files


# --- refusals: every variant checked before anything renders, named by its place ------------------

REFUSALS = [
    (f'[[variant]]\nscene = "{FAKE}"\n[[variant]]\nscene = "{FAKE}"\n[[variant]]\nscene = "{FAKE}"\ntarget = "sin("\n',
     "course.toml: [[variant]] 3: --target: "),
    (f'[grid]\nscenes = ["{FAKE}"]\ntargets = ["x", "log(x"]\n', "course.toml: [grid] targets item 2: --target: "),
    (f'[grid]\nscenes = ["{FAKE}"]\nsteps = [3, 0]\n', "course.toml: [grid] variant 2: tests.fake_scenes:FakeScene: steps must be between"),
    (f'[grid]\nscenes = ["{OTHER}"]\ntargets = ["x"]\n', "course.toml: [grid] targets: applies to none of the scenes"),
    (f'[[variant]]\nscene = "{OTHER}"\ntarget = "x"\n', "course.toml: [[variant]] 1: --target applies to none"),
    (f'[[variant]]\nscene = "ApproximateSquar"\n', "did you mean ApproximateSquare?"),
    (f'[[variant]]\nscene = "{FAKE}"\nquality = "ultra"\n', "course.toml: [[variant]] 1: unknown quality 'ultra'"),
    (f'[[variant]]\nscene = "{FAKE}"\nvoice = "festival"\n', "course.toml: [[variant]] 1: --voice: unknown voice"),
    (f'[[variant]]\nscene = "{FAKE}"\ntheme = "sepia"\n', "course.toml: [[variant]] 1: --theme: unknown theme"),
    (f'[[variant]]\nscene = "{FAKE}"\nfps = 0\n', "fps must be between 1 and 120"),
    (f'[[variant]]\nscene = "{FAKE}"\nthemes = ["dark"]\n', "unknown key 'themes' (a grid's key? in [[variant]] it is 'theme')"),
    (f'[[variant]]\nscene = "{FAKE}"\nparams = {{ seconds = 1000 }}\n', "[[variant]] 1: tests.fake_scenes:FakeScene: seconds must be"),
    (f'[[variant]]\nscene = "{FAKE}"\n[params.OtherFakeScene]\nspeed = 2.0\n', "[params.OtherFakeScene]: no variant renders OtherFakeScene"),
    (f'[[variant]]\ntarget = "x"\n', "course.toml: [[variant]] 1: scene is missing"),
    ('quality = "low"\n', "course.toml: no variants"),
    (f'colour = "red"\n[[variant]]\nscene = "{FAKE}"\n', "course.toml: unknown key 'colour'"),
    (f'[grid]\nscenes = []\n', "course.toml: [grid]: scenes must be a non-empty list"),
    ('[grid\n', "is not valid TOML"),
]


@pytest.mark.parametrize("text, message", REFUSALS, ids=[m[:40] for _, m in REFUSALS])
def test_a_bad_variant_is_refused_with_its_place_in_the_file_and_nothing_is_created(
        text, message, tmp_path, capsys):
    out = tmp_path / "out"
    path = toml(tmp_path, text)
    assert main(["batch", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message.replace("course.toml", str(path)) in err, err
    assert len(err.strip().splitlines()) <= 3, err  # one line (a formula error adds its caret lines)
    assert not out.exists()


def test_a_missing_batch_file_is_one_line(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope.toml")]) == 2
    assert "batch file not found" in capsys.readouterr().err


def test_scheduler_without_dask_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    assert main(["batch", str(toml(tmp_path, GRID)), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "pip install 'relu-explainer[batch]'" in capsys.readouterr().err


def test_dry_run_lists_each_variant_and_creates_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["batch", str(toml(tmp_path, GRID)), "--out", str(out), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.startswith("would render [grid] variant") for line in lines[:4])
    assert lines[-1] == "4 variants: 4 to render, 0 already rendered (dry run: nothing rendered)"
    assert not out.exists()


# --- running, with a stand-in for the render --------------------------------------------------------

class FakeRenders:
    """Stands in for batch_exec.render_variant: bytes named after the task, a failure or a kill on cue."""

    def __init__(self, fail=(), kill_once=(), block=()):
        self.calls: list[dict] = []
        self.fail, self.kill_once, self.block = set(fail), set(kill_once), set(block)
        self.lock = threading.Lock()

    def __call__(self, task, stopping=None, started=None):
        target = task["overrides"].get("target")
        with self.lock:
            self.calls.append(task)
            kill = (target, task["theme"]) in self.kill_once
            self.kill_once.discard((target, task["theme"]))
        if (target, task["theme"]) in self.block:
            os.kill(os.getpid(), signal.SIGINT)  # the user's Ctrl-C, while this variant renders
            stopping.wait(10)
            return {"status": "stopped", "error": "stopped", "log": ""}
        if kill:
            return {"status": "killed", "error": "its worker was killed by SIGKILL", "log": "", "seconds": 0.1}
        if (target, task["theme"]) in self.fail:
            return {"status": "failed", "error": "worker exit 1: RuntimeError: on purpose",
                    "log": "Traceback\nRuntimeError: on purpose", "seconds": 0.1}
        return {"status": "done", "video": f"video {target} {task['theme']}".encode(), "srt": b"1\n",
                "duration": 1.0, "seconds": 0.1, "host": "here"}


def run_batch(tmp_path, fake, monkeypatch, *extra):
    monkeypatch.setattr(batch_exec, "render_variant", fake)
    out = tmp_path / "out"
    code = main(["batch", str(toml(tmp_path, GRID)), "--out", str(out), "-j", "2", *extra])
    return code, out, json.loads((out / "manifest.json").read_text())["variants"]


def test_a_batch_writes_each_variant_once_and_a_rerun_renders_nothing(tmp_path, monkeypatch, capsys):
    fake = FakeRenders()
    code, out, manifest = run_batch(tmp_path, fake, monkeypatch)
    assert code == 0 and len(fake.calls) == 4
    assert [e["status"] for e in manifest] == ["done"] * 4
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([e["file"] for e in manifest] + [e["srt"] for e in manifest] + ["manifest.json"])
    assert (out / manifest[2]["file"]).read_bytes() == b"video abs(x) dark"
    err = capsys.readouterr().err
    assert "[4/4] done 4, running 0, failed 0" in err and "ETA" in err  # plain lines: not a terminal
    again = FakeRenders()
    code, out, manifest = run_batch(tmp_path, again, monkeypatch)
    assert code == 0 and again.calls == [] and [e["status"] for e in manifest] == ["skipped"] * 4
    assert manifest[0]["seconds"] == 0.1  # the time of the render that made it
    assert "0 already rendered" not in capsys.readouterr().err


def test_a_failing_variant_is_marked_failed_with_its_log_and_the_rest_go_on(tmp_path, monkeypatch, capsys):
    code, out, manifest = run_batch(tmp_path, FakeRenders(fail={("abs(x)", "dark")}), monkeypatch)
    assert code == 1
    assert [e["status"] for e in manifest] == ["done", "done", "failed", "done"]
    assert "RuntimeError: on purpose" in Path(manifest[2]["log"]).read_text()
    assert not (out / manifest[2]["file"]).exists()
    assert "1 of 4 variants failed" in capsys.readouterr().err
    code, out, manifest = run_batch(tmp_path, FakeRenders(), monkeypatch)  # fixed: only it renders again
    assert code == 0 and [e["status"] for e in manifest] == ["skipped", "skipped", "done", "skipped"]
    assert "log" not in manifest[2] and not (out / "logs" / Path(manifest[2]["file"]).with_suffix(".log")).exists()


def test_a_variant_whose_worker_was_killed_is_rendered_again_and_written_once(tmp_path, monkeypatch):
    fake = FakeRenders(kill_once={("x**2", "light")})
    code, out, manifest = run_batch(tmp_path, fake, monkeypatch)
    assert code == 0 and len(fake.calls) == 5
    assert [e["status"] for e in manifest] == ["done"] * 4 and manifest[1]["attempts"] == 2


@pytest.fixture
def ctrl_c_reaches_us():
    """SIGINT as a terminal delivers it. Started as a background job (`make test &`, a CI runner), the
    test process inherits SIGINT ignored, and the command rightly keeps an inherited SIG_IGN."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_stops_cleanly_keeping_the_finished_variants_and_the_manifest(tmp_path, monkeypatch, capsys,
                                                                              ctrl_c_reaches_us):
    fake = FakeRenders(block={("abs(x)", "light")})
    code, out, manifest = run_batch(tmp_path, fake, monkeypatch, "-j", "1")
    assert code == 130 and capsys.readouterr().err.rstrip().endswith("interrupted")
    assert [e["status"] for e in manifest] == ["done", "done", "done", "pending"]
    assert not (out / manifest[3]["file"]).exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_the_local_pool_stops_a_worker_it_started_when_told_to_stop():
    """LocalPool.close(stop=True) terminates the worker processes rendering now."""
    import subprocess
    pool = batch_exec.LocalPool(1)
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    pool._started(process)
    pool.close(stop=True)
    assert process.wait(timeout=5) == -signal.SIGTERM


@pytest.mark.parametrize("address, code, message", [
    ("nonsense", 2, "'nonsense' is not an address: give tcp://HOST:PORT"),
    ("tcp://127.0.0.1:1", 1, "cannot reach the Dask scheduler at tcp://127.0.0.1:1: Connection refused"),
])
def test_a_bad_or_unreachable_scheduler_is_one_line_and_creates_nothing(address, code, message, tmp_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    assert main(["batch", str(toml(tmp_path, GRID)), "--out", str(out), "--scheduler", address]) == code
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_a_worker_whose_code_differs_from_the_commands_refuses_the_variant():
    """The key names the command's code; a worker with other code would write other frames under it."""
    plan = plan_of(f'quality = "low"\nvoice = "none"\n[[variant]]\nscene = "{FAKE}"\n')
    task = {**plan.variants[0].task(), "source": "0" * 64}
    result = batch_exec.render_variant(task)
    assert result["status"] == "failed" and "differs from the command's" in result["error"]


def test_on_a_terminal_the_status_line_is_redrawn_in_place_and_events_print_above_it():
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    from relu_explainer_cli.batch import Status
    screen = Terminal()
    clock = iter([0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0]).__next__
    status = Status(4, 0, stream=screen, clock=clock)
    status.update(running=2)
    status.done = 1
    status.event("A.mp4 done in 1.0 s")
    assert screen.getvalue() == ("\r\x1b[K[0/4] done 0, running 2, failed 0; elapsed 2.0 s"
                                 "\r\x1b[KA.mp4 done in 1.0 s\n")

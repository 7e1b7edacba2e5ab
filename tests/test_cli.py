"""The relu-explainer command: parsing, params mapping, every error path, and a few real (low) renders."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from relu_explainer_cli import params as params_module
from relu_explainer_cli import render as render_module
from relu_explainer_cli.errors import UsageError
from relu_explainer_cli.main import build_parser, main
from relu_explainer_cli.params import build_params, check_tweaks, load_config, resolve_overrides, to_json
from relu_explainer_cli.render import RenderOptions, format_seconds

ROOT = Path(__file__).resolve().parent.parent
FAKE = "tests.fake_scenes:FakeScene"
OTHER = "tests.fake_scenes:OtherFakeScene"
BROKEN = "tests.fake_scenes:BrokenScene"


@pytest.fixture(autouse=True)
def _in_project(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The command in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "relu_explainer_cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, **kwargs)


def error_of(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def fake_classes():
    from tests.fake_scenes import FakeScene, OtherFakeScene
    return {"FakeScene": FakeScene, "OtherFakeScene": OtherFakeScene}


# --- parsing and help ------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [[], ["list"], ["render"], ["slides"]])
def test_every_command_has_help_with_examples(command, capsys):
    assert main([*command, "--help"]) == 0
    assert "examples:" in capsys.readouterr().out


def test_render_options_parse_with_negative_range():
    args = build_parser().parse_args(["render", "ApproximateSquare", "--x-range", "-3", "2.5", "--steps",
                                      "7", "--quality", "low", "--format", "gif", "-j", "1"])
    assert args.x_range == [-3.0, 2.5] and args.steps == 7 and args.scenes == ["ApproximateSquare"]
    assert (args.quality, args.format, args.jobs, args.no_cache) == ("low", "gif", 1, False)


def test_help_does_not_import_manim():
    code = "import sys; from relu_explainer_cli.main import main; main(['render', '--help']); " \
           "print('manim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout
    assert out.strip().endswith("False")


def test_list_prints_story_order_with_params(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    from scenes.explainer import STORY
    positions = [out.index(name) for name in STORY]
    assert positions == sorted(positions)
    assert "x_range: tuple[float, float] = " in out
    assert "steps: int = 3 (1 to 6): n of the seeds' h_n" in out  # limits and meaning from the field


def test_the_voice_defaults_to_piper_when_it_is_installed_else_none_with_one_line(capsys, monkeypatch,
                                                                                   tmp_path):
    narration = pytest.importorskip("narration")
    args = ["render", FAKE, "--dry-run", "--out", str(tmp_path / "out")]
    monkeypatch.setattr(narration, "check_voice", lambda spec: spec)
    assert main(args) == 0 and "voice piper" in capsys.readouterr().out

    def not_installed(spec):
        if spec != "none":
            raise narration.VoiceError("piper-tts is not installed: pip install -e '.[voice]'")
        return spec
    monkeypatch.setattr(narration, "check_voice", not_installed)
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "voice none" in captured.out
    assert [line for line in captured.err.splitlines() if "narration" in line] == [
        "no narration (piper-tts is not installed: pip install -e '.[voice]'); rendering with subtitles "
        "only; --voice none hides this line"]
    assert main(args + ["--voice", "none"]) == 0 and "narration" not in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_job_is_typed_and_carries_theme_and_voice(tmp_path):
    from relu_explainer_cli.job import Job
    job = Job(scene="FakeScene", module="tests.fake_scenes", cls="FakeScene", media_dir="m", tex_cache="t",
              cache_dir="c", result="r", overrides=to_json({"x_range": (-1.0, 1.0)}), theme="light",
              voice="espeak")
    job.write(tmp_path / "job.json")
    assert Job.read(tmp_path / "job.json") == job
    (tmp_path / "bad.json").write_text(json.dumps({"scene": "FakeScene", "theme": 3}))
    with pytest.raises(ValueError, match="bad job file: module: field required.*theme: input should be"):
        Job.read(tmp_path / "bad.json")


def test_use_theme_sets_the_process_theme_without_an_environment_variable(monkeypatch):
    from scenes import style
    monkeypatch.setattr(style, "_current", "dark")
    style.use_theme("light")
    assert style.theme().name == "light" and "RELU_EXPLAINER_THEME" not in os.environ
    with pytest.raises(ValueError, match="unknown theme"):
        style.use_theme("neon")
    assert style.theme().name == "light"


def test_format_seconds_reads_like_a_clock():
    assert [format_seconds(s) for s in (3.25, 45, 80, 7260)] == ["3.2 s", "45 s", "1 min 20 s", "2 h 1 min"]


# --- errors: one line, exit 2 for usage, 1 for failures ---------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["render", "ReluUnt"], "did you mean ReluUnit?"),
    (["render", "--target", "x +* 2"], "--target: syntax error"),
    (["render", "--target", "y**2"], "^"),
    (["render", "--x-range", "3", "-3"], "--x-range: x_range is reversed"),
    (["render", "--x-range", "1", "1"], "x_range is empty"),
    (["render", "--x-range", "-1e7", "1e7"], "ReluUnit: x_range is too wide to read (at most 40 long"),
    (["render", "--x-range", "nan", "1"], "not a finite number"),
    (["render", "--steps", "0"], "ApproximateSquare: steps must be between 1 and 6"),
    (["render", "--steps", "-4"], "steps must be between 1 and 6"),
    (["render", "--steps", "7"], "steps must be between 1 and 6 for this scene (h_7's formula"),
    (["render", "Interaction", "--steps", "9"], "Interaction: steps must be between 1 and 8"),
    (["render", "--pieces", "1"], "ZoomToLine: pieces must be between 2 and 41"),
    (["render", "--steps", "two"], "not a whole number"),
    (["render", "--terms", "3"], "unrecognized arguments: --terms"),
    (["render", "os:system"], "os:system is not a scene"),
    (["render", "tests.fake_scenes:FakeParams"], "not a Manim Scene class"),
    (["render", "--voice", "bogus"], "--voice: unknown voice 'bogus'"),
    (["render", "--quality", "ultra"], "invalid choice"),
    (["render", "--format", "mp4", "--transparent"], "--transparent needs a format with an alpha"),
    (["render", "--fps", "0"], "fps must be between 1 and 120"),
    (["render", "--jobs", "0"], "jobs must be between 1 and 64"),
    (["render", OTHER, "--target", "x"], "--target applies to none of the selected scenes"),
    (["bogus"], "invalid choice"),
])
def test_usage_errors_exit_2_with_one_message(args, message, capsys, tmp_path):
    code, err = error_of(capsys, *args, "--out", str(tmp_path)) if args[0] == "render" else \
        error_of(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 3  # the message, and for a formula its caret lines


def test_bad_target_points_at_the_bad_token(capsys):
    code, err = error_of(capsys, "render", FAKE, "--target", "x + y")
    assert code == 2
    lines = err.splitlines()
    assert lines[-2].strip() == "x + y" and lines[-1].index("^") == lines[-2].index("y")


def test_a_huge_target_with_escapes_shows_a_short_escaped_window(capsys):
    target = "x + " * 40 + "\x1b[2J" + "\ny" + " + x" * 1200
    code, err = error_of(capsys, "render", FAKE, "--target", target)
    assert code == 2 and "\x1b" not in err and len(err) < 400
    assert len(err.strip().splitlines()) == 3  # message, window, caret: the newline stayed escaped


def test_unknown_scene_lists_the_known_ones(capsys):
    code, err = error_of(capsys, "render", "Nonsense")
    from scenes.explainer import STORY
    assert code == 2 and all(name in err for name in STORY)


def test_output_directory_blocked_by_a_file(capsys, tmp_path):
    (tmp_path / "file").write_text("")
    code, err = error_of(capsys, "render", FAKE, "--out", str(tmp_path / "file" / "sub"))
    assert code == 2 and "cannot create output directory" in err


def test_unwritable_output_directory(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(render_module.os, "access", lambda *a: False)
    code, err = error_of(capsys, "render", FAKE, "--out", str(tmp_path))
    assert code == 2 and "is not writable" in err


def test_missing_latex_says_what_to_install(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(render_module.shutil, "which", lambda name: None)
    code, err = error_of(capsys, "render", FAKE, "--out", str(tmp_path))
    assert code == 1
    assert err.strip().startswith("relu-explainer: LaTeX is missing: run `make setup`") and "dvisvgm" in err


def test_errors_in_a_fresh_process_have_no_traceback():
    result = run("render", "ReluUnt")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    result = run("render", "--steps", "0", "--debug")
    assert result.returncode == 2 and "Traceback" in result.stderr


def test_a_scene_that_is_not_a_scene_is_a_usage_error_in_a_fresh_process():
    result = run("render", "os:system", "--voice", "none")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "os:system is not a scene: os.system is a builtin_function_or_method" in result.stderr


# --- config files and params mapping -------------------------------------------------------------

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "video.toml"
    path.write_text(text)
    return path


def test_config_top_level_and_scene_tables(tmp_path):
    top, tables = load_config(write(tmp_path, 'target = "sin(x)"\ntheme = "light"\nx-range = [-1, 2]\n'
                                              '[FakeScene]\nsteps = 5\nseconds = 0.5\n'))
    assert top == {"target": "sin(x)", "theme": "light", "x_range": (-1.0, 2.0)}
    assert tables == {"FakeScene": {"steps": 5, "seconds": 0.5}}
    overrides = resolve_overrides(fake_classes(), {k: v for k, v in top.items() if k != "theme"}, tables)
    assert overrides == {"FakeScene": {"target": "sin(x)", "x_range": (-1.0, 2.0), "steps": 5,
                                       "seconds": 0.5}, "OtherFakeScene": {}}


@pytest.mark.parametrize("text, message", [
    ('colour = "red"\n', "unknown key 'colour'"),
    ('terms = 3\n', "unknown key 'terms'"),
    ('steps = true\n', "steps in .*: steps must be a whole number, got True"),
    ('x_range = [0, "1"]\n', "x_range must be 2 numbers"),
    ('theme = "neon"\n', "unknown theme"),
    ('target = \n', "not valid TOML"),
])
def test_config_errors_name_the_key(tmp_path, text, message):
    with pytest.raises(UsageError, match=message):
        load_config(write(tmp_path, text))


def test_config_unknown_key_lists_the_valid_ones(tmp_path):
    with pytest.raises(UsageError) as info:
        load_config(write(tmp_path, "speed = 2\n"))
    assert "target, x_range, steps, pieces, theme" in str(info.value)


def test_config_scene_table_unknown_key_lists_that_scenes_params(tmp_path):
    with pytest.raises(UsageError, match="its params are target, steps, x_range, seconds"):
        resolve_overrides(fake_classes(), {}, {"FakeScene": {"speed": 3}})


def test_config_unknown_scene_table_suggests_one():
    with pytest.raises(UsageError, match="did you mean ReluUnit"):
        resolve_overrides(fake_classes(), {}, {"ReluUnt": {"steps": 3}})


def test_command_line_wins_over_the_config(tmp_path, capsys):
    path = write(tmp_path, '[FakeScene]\nsteps = 5\n')
    overrides = resolve_overrides(fake_classes(), {"steps": 9}, {"FakeScene": {"steps": 5}},
                                  {"steps": "--steps"})
    assert overrides["FakeScene"] == {"steps": 9}
    assert path.exists()


def test_missing_config_file(capsys, tmp_path):
    code, err = error_of(capsys, "render", FAKE, "--config", str(tmp_path / "nope.toml"))
    assert code == 2 and "config file not found" in err


def test_tweak_applies_only_to_scenes_that_take_it():
    overrides = resolve_overrides(fake_classes(), {"target": "abs(x)"}, {})
    assert overrides == {"FakeScene": {"target": "abs(x)"}, "OtherFakeScene": {}}


def test_scene_validation_runs_through_dataclasses_replace():
    from tests.fake_scenes import FakeScene
    with pytest.raises(UsageError, match="FakeScene: .*unknown name"):
        build_params("FakeScene", FakeScene, {"target": "x + q"})
    params = build_params("FakeScene", FakeScene, {"x_range": [-1, 1], "steps": 2})
    assert params.x_range == (-1.0, 1.0) and params.steps == 2


def test_params_survive_the_json_trip_to_the_worker():
    from tests.fake_scenes import FakeScene
    overrides = {"x_range": (-1.0, 4.0), "target": "sin(x)"}
    trip = json.loads(json.dumps(to_json(overrides)))
    assert build_params("FakeScene", FakeScene, trip) == build_params("FakeScene", FakeScene, overrides)


def test_variable_and_nested_tuples_coerce():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Knobs:
        kinks: tuple[float, ...] = (1.0, 2.0)
        W: tuple[tuple[float, float], tuple[float, float]] = ((1.0, 0.0), (0.0, 1.0))

    class Scene:
        params = Knobs()

    built = build_params("S", Scene, {"kinks": [1, 2, 3], "W": [[2, 0], [0, 2]]})
    assert built.kinks == (1.0, 2.0, 3.0) and built.W == ((2.0, 0.0), (0.0, 2.0))
    with pytest.raises(UsageError, match="W must be 2 rows of 2 numbers"):
        build_params("S", Scene, {"W": [[2, 0]]})


@pytest.mark.parametrize("key, value", [("steps", True), ("steps", 2.5), ("steps", "3"), ("x_range", "0 1"),
                                        ("x_range", [0, 1, 2]), ("target", 3), ("pieces", [4])])
def test_check_tweaks_refuses_values_of_the_wrong_type(key, value):
    with pytest.raises(UsageError, match=f"{key} must be"):
        check_tweaks({key: value})


def test_a_tweak_reaches_only_the_fields_declared_as_that_tweak():
    """`steps` in TrainingKinks meant Adam steps: renamed train_steps, the --steps tweak skips it."""
    from scenes.training_kinks import TrainingKinks
    with pytest.raises(UsageError, match="--steps applies to none of the selected scenes"):
        resolve_overrides({"TrainingKinks": TrainingKinks}, {"steps": 3}, {}, {"steps": "--steps"})


def test_every_tweak_means_one_thing_in_every_scene():
    """A field named like a shared tweak is declared as that tweak (its meaning is the tweak's help)."""
    import dataclasses

    from scenes.explainer import story_classes
    from scenes.knobs import TWEAKS
    for cls in story_classes():
        for f in dataclasses.fields(cls.params):
            assert "help" in f.metadata, f"{cls.__name__}.{f.name} has no meaning"
            if f.name in TWEAKS:
                assert f.metadata.get("tweak") == f.name, f"{cls.__name__}.{f.name} is not the shared tweak"
                assert f.metadata["help"].startswith(TWEAKS[f.name].help)


def test_render_options_refuse_transparent_mp4():
    with pytest.raises(UsageError, match="alpha channel"):
        RenderOptions(format="mp4", transparent=True)
    assert RenderOptions(format="webm", transparent=True, quality="low").label == "480p15"
    assert RenderOptions(quality="high", fps=24).label == "1080p24"


# --- real renders through the command (low quality) -----------------------------------------------

def test_render_a_tweaked_scene_writes_clip_and_subtitles(tmp_path, capsys):
    code = main(["render", FAKE, OTHER, "--quality", "low", "--out", str(tmp_path), "--no-cache",
                 "--target", "sin(3*x)", "--fps", "10"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert (tmp_path / "FakeScene.mp4").stat().st_size > 0
    assert "sin(3*x)" in (tmp_path / "FakeScene.srt").read_text()
    assert "[2/2]" in captured.err and "done in" in captured.err
    assert captured.out.split() == [str(tmp_path / "FakeScene.mp4"), str(tmp_path / "OtherFakeScene.mp4")]
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # no cache in --out (H1: it moved to the user cache)
        "FakeScene.mp4", "FakeScene.srt", "OtherFakeScene.mp4", "OtherFakeScene.srt"]
    # --no-cache keeps no partial movies; only typeset formulas (named by their LaTeX source's hash)
    from relu_explainer_cli.paths import cache_root, tex_cache
    assert not (cache_root() / "scenes").exists()
    assert all(p.suffix == ".svg" for p in tex_cache().iterdir())


@pytest.mark.parametrize("fmt, transparent", [("png", False), ("gif", True)])
def test_render_png_still_and_transparent_gif(tmp_path, capsys, fmt, transparent):
    from PIL import Image
    args = ["render", OTHER, "--quality", "low", "--out", str(tmp_path), "--format", fmt, "--no-cache"]
    assert main(args + (["--transparent"] if transparent else [])) == 0, capsys.readouterr().err
    image = Image.open(tmp_path / f"OtherFakeScene.{fmt}")
    assert image.size == (854, 480)
    if fmt == "gif":
        assert image.n_frames > 5 and "transparency" in image.info


def test_whole_explainer_is_stitched_with_subtitles_and_chapters(tmp_path, capsys, monkeypatch):
    import scenes.explainer
    monkeypatch.setattr(scenes.explainer, "MODULES",
                        {"FakeScene": "tests.fake_scenes", "OtherFakeScene": "tests.fake_scenes"})
    monkeypatch.setattr(scenes.explainer, "STORY", ("FakeScene", "OtherFakeScene"))
    assert main(["render", "--quality", "low", "--out", str(tmp_path), "--no-cache", "-j", "2",
                 "--voice", "none"]) == 0
    chapters = json.loads((tmp_path / "relu_explainer_chapters.json").read_text())
    assert [c["scene"] for c in chapters] == ["FakeScene", "OtherFakeScene"]
    second = int(chapters[1]["start"])  # FakeScene's length: its beats paced by reading time
    assert chapters[1]["start"] == pytest.approx(chapters[0]["duration"], abs=1e-3)
    assert (tmp_path / "relu_explainer_chapters.txt").read_text() == \
        f"00:00 FakeScene\n00:{second:02d} OtherFakeScene\n"
    assert (tmp_path / "relu_explainer.srt").read_text().count("-->") == 3
    from relu_explainer_cli.worker import video_duration
    assert abs(video_duration(tmp_path / "relu_explainer.mp4") - sum(c["duration"] for c in chapters)) < 0.5


def test_a_failed_render_keeps_the_previous_file_and_shows_the_log(tmp_path):
    good = tmp_path / "BrokenScene.mp4"
    good.write_bytes(b"previous good clip")
    result = run("render", BROKEN, "--quality", "low", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "BrokenScene failed to render" in result.stderr
    assert "BrokenScene fails on purpose" in result.stderr  # the worker's log tail
    assert "Traceback" not in result.stderr.splitlines()[0]
    assert good.read_bytes() == b"previous good clip"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in {"BrokenScene.mp4", "logs", ".cache"}]
    assert leftovers == []


def test_ctrl_c_exits_130_and_leaves_no_temporary_files(tmp_path):
    good = tmp_path / "FakeScene.mp4"
    good.write_bytes(b"previous good clip")
    slow = tmp_path / "slow.toml"  # a 30 s scene: still rendering when Ctrl-C comes
    slow.write_text(f'["{FAKE}"]\nseconds = 30\n')
    process = subprocess.Popen(
        [sys.executable, "-m", "relu_explainer_cli.main", "render", FAKE, "--quality", "low",
         "--out", str(tmp_path), "--no-cache", "--config", str(slow)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # SIGINT at its default, as a terminal starts a command, even if pytest was started ignoring it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".relu-explainer-work-") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal does: the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == "interrupted"
    assert good.read_bytes() == b"previous good clip"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["FakeScene.mp4", "slow.toml"]


def test_a_real_scene_renders_a_tweaked_still(tmp_path, capsys):
    """The first story scene that takes an x range, as a png still at low quality."""
    from PIL import Image
    have, _ = params_module.available_story()
    takers = [n for n in have if "x_range" in
              {f.name for f in params_module.param_fields(params_module.load_scene(n))}]
    if not takers:
        pytest.skip("no written scene takes an x range yet")
    name = takers[0]
    assert main(["render", name, "--quality", "low", "--format", "png", "--out", str(tmp_path),
                 "--no-cache", "--x-range", "-2", "4", "--theme", "light"]) == 0, capsys.readouterr().err
    image = Image.open(tmp_path / f"{name}.png").convert("RGB")
    assert image.size == (854, 480)
    assert image.getpixel((2, 2)) == (255, 255, 255)  # the light theme's background


def test_without_fork_the_worker_runs_as_a_fresh_python(tmp_path, capsys, monkeypatch):
    """Where the OS cannot fork (Windows), each scene renders in `python -m relu_explainer_cli.worker`."""
    import multiprocessing
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    started = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda argv, **kw: started.append(argv) or real_popen(argv, **kw))
    assert main(["render", OTHER, "--quality", "low", "--out", str(tmp_path), "--no-cache"]) == 0, \
        capsys.readouterr().err
    assert [argv[1:3] for argv in started] == [["-m", "relu_explainer_cli.worker"]]
    assert (tmp_path / "OtherFakeScene.mp4").stat().st_size > 0

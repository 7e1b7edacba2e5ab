"""`relu-explainer preview`: one fast render, and with --watch a render on every edit that shows the edit.

The watch loop runs here in the test's own process (as the command runs it), driven by its output:
after each preview line (or error line) the test makes the next edit, and stops the loop when none is
left. The scene is a tiny one of the test's own, `module:Class` in tmp_path: a coloured square.
"""
from __future__ import annotations

import importlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from relu_explainer_cli import params as params_module
from relu_explainer_cli import preview
from relu_explainer_cli.main import build_parser, main

TIMEOUT_S = 60  # a watch that has not done its steps by then has failed

SCENE = '''\
from dataclasses import dataclass

from manim import FadeIn, Square

from scenes.base import ExplainerScene

FILL = "{fill}"


@dataclass(frozen=True)
class TinyParams:
    side: float = 3.0


class Tiny(ExplainerScene):
    params = TinyParams()

    def construct(self) -> None:
        {body}
        self.play(FadeIn(Square(self.params.side, color=FILL, fill_opacity=1.0)), run_time=0.3)
'''
RED, BLUE = "#FF0000", "#0000FF"
LINE = re.compile(r"^preview: (?P<path>\S+) \((?P<seconds>\d+\.\d) s\)$")


def write_scene(folder: Path, module: str, fill: str = RED, body: str = "pass") -> Path:
    path = folder / f"{module}.py"
    path.write_text(SCENE.format(fill=fill, body=body))
    return path


def last_frame(video: Path):
    """The video's last frame as an RGB array."""
    import av
    with av.open(str(video)) as container:
        frame = None
        for frame in container.decode(video=0):
            pass
        return frame.to_ndarray(format="rgb24")


def centre(video: Path) -> tuple[int, ...]:
    frame = last_frame(video)
    return tuple(int(c) for c in frame[frame.shape[0] // 2, frame.shape[1] // 2])


def corner(video: Path) -> tuple[int, ...]:
    return tuple(int(c) for c in last_frame(video)[2, 2])


@pytest.fixture
def project(tmp_path, monkeypatch, request):
    """A user's folder with a scene module of a name no other test uses; afterwards the modules a watch
    dropped and imported again are put back, so later tests see the ones they imported."""
    roots = ("scenes", "relu_core")
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] in roots}
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = f"tiny_{request.node.name.split('[')[0][5:]}"[:60]
    yield tmp_path, module
    for name in [n for n in sys.modules if n.split(".")[0] in roots or n == module]:
        del sys.modules[name]
    sys.modules.update(saved)
    for package in [m for name, m in saved.items() if hasattr(m, "__path__")]:  # a submodule first imported
        for attribute, value in list(vars(package).items()):  # during the test is not one of `saved`:
            if isinstance(value, type(sys)) and value.__name__ not in saved:  # `from scenes import x` would
                delattr(package, attribute)  # find the package's stale attribute, not import it afresh
    importlib.reload(params_module)


class Script:
    """Drives a watch loop: after each line it prints (a preview or an error) the next step runs; when
    no step is left the loop is stopped. A loop that hangs is stopped after TIMEOUT_S."""

    def __init__(self, *steps) -> None:
        self.steps = list(steps)
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.timer = threading.Timer(TIMEOUT_S, self.stop.set)

    def out(self, line: str) -> None:
        self.lines.append(line)
        self._next()

    def report(self, line: str) -> None:
        self.errors.append(line)
        self._next()

    def _next(self) -> None:
        if self.steps:
            self.steps.pop(0)()
        else:
            self.stop.set()

    def run(self, argv: list[str]) -> preview.Previewer:
        previewer = preview.Previewer(build_parser().parse_args(["preview", *argv, "--watch"]))
        previewer.check()
        self.timer.start()
        try:
            preview.watch(previewer, previewer.watched(), self.out, report=self.report, stop_event=self.stop)
        finally:
            self.timer.cancel()
        assert not self.steps, f"the watch stopped with steps left; lines {self.lines}, errors {self.errors}"
        return previewer

    def videos(self) -> list[Path]:
        return [Path(LINE.match(line)["path"]) for line in self.lines]


def argv_for(module: str, out: Path, *extra: str) -> list[str]:
    return [f"{module}:Tiny", "--out", str(out), "--no-open", *extra]


# --- watching ----------------------------------------------------------------------------------------

def test_a_toml_change_renders_again_with_what_it_changed(project):
    folder, module = project
    write_scene(folder, module)
    toml = folder / "look.toml"
    toml.write_text('theme = "dark"\n')
    frames = []
    script = Script(lambda: (frames.append(corner(Path(LINE.match(script.lines[-1])["path"]))),
                             toml.write_text('theme = "light"\n')))
    script.run(argv_for(module, folder / "media", "--params", str(toml)))
    assert len(script.lines) == 2 and not script.errors, script.errors
    assert all(LINE.match(line) for line in script.lines), script.lines
    dark, light = frames[0], corner(script.videos()[1])
    assert max(dark) < 60 and min(light) > 200, (dark, light)


def test_between_previews_the_watch_reads_the_last_renders_outlines_into_memory(project, monkeypatch):
    """After each preview the loop reads the glyph outlines that render used into the command's memory
    (worker.OUTLINES_IN_MEMORY), for the next render forked from it (tests/test_svg_outlines.py)."""
    from relu_explainer_cli import worker
    folder, module = project
    write_scene(folder, module, body='from manim import MathTex; self.add(MathTex("s^2"))')
    monkeypatch.setattr(worker, "OUTLINES_IN_MEMORY", {})
    seen = []
    edit = folder / f"{module}.py"
    script = Script(lambda: (seen.append(dict(worker.OUTLINES_IN_MEMORY)), edit.write_text(edit.read_text())),
                    lambda: (seen.append(dict(worker.OUTLINES_IN_MEMORY)), script.stop.set()))
    previewer = script.run(argv_for(module, folder / "media"))
    assert seen[0] == {} and sorted(seen[1]) == sorted(previewer.outlines)  # read once the first was shown
    assert len(previewer.outlines) == 1 and sorted(worker.OUTLINES_IN_MEMORY) == sorted(previewer.outlines)


def test_between_previews_the_watch_builds_the_last_renders_formulas_and_a_code_change_drops_them(
        project, monkeypatch):
    """After each preview the loop builds the formulas that render typeset into the command's memory
    (worker.TYPESET_IN_MEMORY, tests/test_typesetting.py): one template a formula, whatever its colour,
    so after a theme tweak the render copies it and draws it in the new theme's colour. An edit of the
    code drops them (the code that built them has changed)."""
    from collections import OrderedDict

    from relu_explainer_cli import worker
    from scenes.style import theme
    folder, module = project
    write_scene(folder, module, body='from scenes.mobjects import get_formula; '
                                     'self.add(get_formula(r"\\blacksquare", font_size=300).to_corner([-1, 1, 0]))')
    monkeypatch.setattr(worker, "TYPESET_IN_MEMORY", OrderedDict())
    toml = folder / "look.toml"
    toml.write_text('theme = "dark"\n')
    edit = folder / f"{module}.py"
    seen, corners = [], []

    def look() -> None:
        seen.append([(key[0].__name__, key[2], key[3]) for key in worker.TYPESET_IN_MEMORY])
        corners.append(last_frame(Path(LINE.match(script.lines[-1])["path"]))[:120, :200].reshape(-1, 3))

    script = Script(lambda: (look(), toml.write_text('theme = "light"\n')),
                    lambda: (look(), edit.write_text(edit.read_text())), lambda: (look(), script.stop.set()))
    script.run(argv_for(module, folder / "media", "--params", str(toml)))
    assert seen == [[], [("MathTex", (r"\blacksquare",), None)], []], seen

    def share(pixels, colour: str) -> float:  # of the top-left corner's pixels, those of `colour`
        rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        return float(np.mean(np.abs(pixels.astype(int) - rgb).max(axis=1) < 6))
    dark, light = theme("dark").text, theme("light").text
    assert share(corners[0], dark) > 0.1 and share(corners[0], light) < 0.01  # (a few edge pixels blend)
    assert share(corners[1], light) > 0.1 and share(corners[1], dark) < 0.01  # the template, recoloured


def test_a_toml_syntax_error_is_one_line_and_the_watch_renders_once_it_is_fixed(project):
    folder, module = project
    write_scene(folder, module)
    toml = folder / "look.toml"
    toml.write_text('theme = "dark"\n')
    script = Script(lambda: toml.write_text('theme = \n'), lambda: toml.write_text('theme = "light"\n'))
    script.run(argv_for(module, folder / "media", "--params", str(toml)))
    assert len(script.lines) == 2, script.lines
    [error] = script.errors
    assert "\n" not in error and "Traceback" not in error, error
    assert error.startswith("relu-explainer: config file") and "is not valid TOML" in error, error
    assert min(corner(script.videos()[1])) > 200  # the fixed file's light theme


def test_an_edited_scene_module_renders_the_edited_code(project, monkeypatch):
    folder, module = project
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as for most users: imports write a .pyc
    path = write_scene(folder, module, fill=RED)
    reds = []

    def edit() -> None:  # the same size, in the same second (a quick second save): the .pyc looks valid
        reds.append(centre(script.videos()[0]))
        before = path.stat()
        write_scene(folder, module, fill=BLUE)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    script = Script(edit)
    script.run(argv_for(module, folder / "media"))
    assert path.read_text().count(BLUE) == 1 and not script.errors, script.errors
    red, blue = reds[0], centre(script.videos()[1])
    assert red[0] > 200 > max(red[1:]) and blue[2] > 200 > max(blue[:2]), (red, blue)


def test_a_broken_scene_is_one_line_and_the_next_edit_renders(project, monkeypatch):
    folder, module = project
    monkeypatch.setattr(sys, "stderr", sys.__stderr__)  # fd 2, as in the command: the worker's log
    write_scene(folder, module)
    script = Script(lambda: write_scene(folder, module, body="if True"),  # a SyntaxError
                    lambda: write_scene(folder, module, body="raise RuntimeError('on purpose')"),
                    lambda: write_scene(folder, module, fill=BLUE))
    script.run(argv_for(module, folder / "media"))
    assert len(script.lines) == 2, (script.lines, script.errors)
    syntax, failed = script.errors
    assert "\n" not in syntax and "SyntaxError" in syntax and "Traceback" not in syntax, syntax
    first, *tail = failed.splitlines()  # a failed render: its line, then its log's last lines
    assert "Tiny failed to render" in first and "RuntimeError: on purpose" in failed, failed
    assert all(line.startswith("  | ") for line in tail)
    assert centre(script.videos()[1])[2] > 200


def test_a_scene_broken_at_start_is_watched_until_it_is_fixed(project):
    folder, module = project
    write_scene(folder, module, body="if True")
    script = Script(lambda: write_scene(folder, module, fill=BLUE))
    script.run(argv_for(module, folder / "media"))
    [error] = script.errors
    assert "SyntaxError" in error and "\n" not in error, error
    assert len(script.lines) == 1 and centre(script.videos()[0])[2] > 200


def test_the_viewer_opens_after_the_first_preview_only(project, monkeypatch):
    folder, module = project
    write_scene(folder, module)
    toml = folder / "look.toml"
    toml.write_text("")
    opened = fake_viewer(folder, monkeypatch)
    script = Script(lambda: toml.write_text('theme = "light"\n'))
    argv = [f"{module}:Tiny", "--out", str(folder / "media"), "--params", str(toml)]
    previewer = script.run(argv)
    previewer.viewer.wait(timeout=10)
    assert len(script.lines) == 2
    assert opened.read_text().splitlines() == [str(script.videos()[0])]


def fake_viewer(folder: Path, monkeypatch) -> Path:
    """An `xdg-open` on PATH that writes what it was asked to open to a file, and a display."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    log = folder / "opened.txt"
    viewer = bin_dir / "xdg-open"
    viewer.write_text(f'#!/bin/sh\necho "$1" >> {log}\n')
    viewer.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":99")
    return log


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS always has a display")
def test_no_viewer_without_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert preview.viewer_command() is None


def test_only_code_and_the_params_file_count_as_changes(tmp_path):
    code = tmp_path / "scenes"
    (code / "__pycache__").mkdir(parents=True)
    (code / "sub").mkdir()
    toml = tmp_path / "look.toml"
    roots, files, code_dirs = preview._watch_roots([code, toml])
    assert roots == [code, code / "sub", tmp_path] and files == {toml}
    counts = preview.watch_filter(files, code_dirs)
    assert counts(None, str(code / "mobjects.py")) and counts(None, str(code / "sub" / "x.py"))
    assert counts(None, str(toml))
    for other in (code / "__pycache__" / "mobjects.cpython-311.pyc", code / ".mobjects.py.swp",
                  tmp_path / "media" / "Tiny.mp4", tmp_path / "other.toml", tmp_path / "look.toml~"):
        assert not counts(None, str(other)), other


def test_forget_keeps_manim_and_drops_relu_core_only_when_it_changed(project):
    import relu_core
    import scenes.style  # noqa: F401
    folder, module = project
    write_scene(folder, module)
    previewer = preview.Previewer(build_parser().parse_args(["preview", f"{module}:Tiny"]))
    importlib.import_module(module)
    kept = {name: sys.modules[name] for name in ("manim", "numpy", "relu_core", "relu_core.terms")}
    style = sys.modules["scenes.style"]
    previewer.forget([folder / "look.toml"])
    assert module not in sys.modules and sys.modules.get("scenes.style") is not style  # dropped (params
    assert all(sys.modules[name] is m for name, m in kept.items())  # imports scenes.style anew)
    previewer.forget([Path(relu_core.__file__).parent / "terms.py"])
    assert "relu_core.terms" not in sys.modules and sys.modules["manim"] is kept["manim"]


# --- one render, and the command's errors -----------------------------------------------------------

def test_without_watch_one_render_prints_its_line_and_opens_nothing_with_no_open(project, monkeypatch, capsys):
    folder, module = project
    write_scene(folder, module)
    opened = fake_viewer(folder, monkeypatch)
    assert main(["preview", f"{module}:Tiny", "--out", str(folder / "media"), "--no-open"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert LINE.match(line) and Path(LINE.match(line)["path"]) == (folder / "media" / "Tiny.mp4").resolve()
    time.sleep(1.0)  # a viewer is started without waiting for it: give one the time to write
    assert not opened.exists()


def x264_options(video: Path) -> str:
    """The settings x264 wrote into the stream (its SEI text: "... options: cabac=1 ref=1 ...")."""
    import av
    with av.open(str(video)) as container:
        head = b"".join(bytes(packet) for _, packet in zip(range(3), container.demux(video=0)))
    return head.split(b"options: ", 1)[1].split(b"\x00", 1)[0].decode()


def test_a_preview_is_encoded_with_the_draft_preset_and_a_render_is_not(project, capsys):
    """Previews trade file size for speed (worker.DRAFT_X264_PRESET: ultrafast, no B-frames)."""
    folder, module = project
    write_scene(folder, module)
    assert main(["preview", f"{module}:Tiny", "--out", str(folder / "preview"), "--no-open"]) == 0
    assert main(["render", f"{module}:Tiny", "--out", str(folder / "render"), "--quality", "low", "--no-cache"]) == 0
    capsys.readouterr()
    preview, render = x264_options(folder / "preview" / "Tiny.mp4"), x264_options(folder / "render" / "Tiny.mp4")
    assert "bframes=0" in preview and "subme=0" in preview, preview  # ultrafast
    assert "bframes=3" in render and "subme=1" in render, render  # superfast


def test_previews_skip_manims_cache_unless_asked():
    parse = build_parser().parse_args
    assert parse(["preview", "ReluUnit"]).no_cache is True
    assert parse(["preview", "ReluUnit", "--cache"]).no_cache is False
    assert parse(["preview", "ReluUnit"]).quality == "low"


def test_help_has_examples_and_imports_no_manim():
    code = ("import sys; from relu_explainer_cli.main import main; main(['preview', '--help']); "
            "print('manim' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "examples:" in result.stdout and result.stdout.split()[-1] == "False", result.stdout + result.stderr


@pytest.mark.parametrize("argv, message", [
    (["Nope", "--watch"], "unknown scene 'Nope'"),
    (["ReluUnt", "--watch"], "did you mean ReluUnit?"),
    (["ReluUnit", "--x-range", "3", "1", "--watch"], "x_range is reversed"),
    (["ReluUnit", "ZoomToLine"], "unrecognized arguments: ZoomToLine"),
    (["ReluUnit", "--steps", "3", "--watch"], "--steps applies to none of the selected scenes"),
    (["ApproximateSquare", "--steps", "99", "--watch"], "ApproximateSquare: steps"),
    (["nowhere_at_all:Tiny", "--watch"], "no module 'nowhere_at_all'"),
])
def test_bad_input_at_start_exits_2_with_one_line(argv, message, capsys, tmp_path, monkeypatch):
    def watch(*args, **kwargs):  # a start that let the bad input through would watch forever
        raise AssertionError("started watching")

    monkeypatch.setattr(preview, "watch", watch)
    assert main(["preview", *argv, "--out", str(tmp_path / "media"), "--no-open"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and message in err, err
    assert not (tmp_path / "media").exists()


SLOW = "self.add(Square().add_updater(lambda m, dt: m.rotate(dt)))\n        self.wait(60)"  # 900 frames


@pytest.mark.parametrize("when", ["rendering", "watching"])
def test_ctrl_c_exits_130_and_leaves_no_temporary_files(project, when):
    folder, module = project
    write_scene(folder, module)
    out = folder / "media"
    env = {**os.environ, "PYTHONPATH": str(folder)}
    proc = subprocess.Popen([sys.executable, "-m", "relu_explainer_cli.main", "preview", f"{module}:Tiny",
                             "--watch", "--no-open", "--out", str(out)], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            # SIGINT at its default, as a terminal starts a command
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = proc.stdout.readline()
        assert LINE.match(line.strip()), (line, proc.stderr.read() if proc.poll() is not None else "")
        if when == "rendering":
            write_scene(folder, module, body=SLOW)
            deadline = time.monotonic() + 60
            while not any(p.name.startswith(".") for p in out.iterdir()):  # its work folder: it has begun
                assert time.monotonic() < deadline, "the second render never started"
                time.sleep(0.05)
            time.sleep(0.5)
            assert any(p.name.startswith(".") for p in out.iterdir()), "the second render is over already"
        os.killpg(proc.pid, signal.SIGINT)  # as the terminal does: the whole process group
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "interrupted", err
    assert sorted(p.name for p in out.iterdir()) == ["Tiny.mp4"]  # the first preview, nothing half-made

"""Live progress: the worker reports its frames, the command shows them (bars on a terminal, lines in logs)."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

from relu_explainer_cli import progress

ROOT = Path(__file__).resolve().parent.parent
FAKE = "tests.fake_scenes:FakeScene"


def test_the_worker_reports_every_frame_and_remembers_the_total(tmp_path, render_scene):
    from tests.fake_scenes import FakeScene
    frames_file, totals = tmp_path / progress.FRAMES_FILE, tmp_path / "totals"
    with progress.reporting(frames_file, totals):
        rendered = render_scene(FakeScene)
    report = json.loads(frames_file.read_text())
    frames = round(rendered.duration() * report["fps"])
    assert report["done"] == report["total"] and abs(report["done"] - frames) <= 1, (report, frames)
    assert [int(p.read_text()) for p in totals.iterdir()] == [report["done"]]  # the next render's total
    from manim import Scene
    assert Scene.render is not None and Scene.render.__name__ == "render" and \
        Scene.render.__qualname__ == "Scene.render"  # unwrapped after the block


def test_plain_lines_off_a_terminal_say_frames_then_of_how_many(tmp_path, capsys, monkeypatch):
    """Not a terminal (pytest captures stderr): a plain line per scene every PLAIN_EVERY_S. The first
    render of a scene cannot know its length; the second says 'N of M frames' and an ETA."""
    from relu_explainer_cli.main import main
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(progress, "PLAIN_EVERY_S", 0.2)
    config = tmp_path / "long.toml"
    config.write_text(f'["{FAKE}"]\nseconds = 6\n')
    args = ["render", FAKE, "--quality", "low", "--no-cache", "--config", str(config), "--out", str(tmp_path)]
    assert main(args) == 0
    first = capsys.readouterr().err
    assert re.search(r"FakeScene: \d+ frames \([\d.]+ s of video\) so far", first), first
    assert main(args) == 0
    second = capsys.readouterr().err
    assert re.search(r"FakeScene: \d+ of \d+ frames \(\d+ %\), ETA ", second), second
    assert "\x1b[" not in first + second  # no terminal codes in a log


def test_rich_bars_on_a_terminal_show_frames_of_total():
    stream = io.StringIO()
    with progress.RichProgress(stream, force_terminal=True) as bars:
        bars.start("FakeScene")
        bars.update("FakeScene", 30, 90, 15.0)
        bars.finish("FakeScene")
    shown = stream.getvalue()
    assert "FakeScene" in shown and "90/90" in shown and "frames" in shown  # the bar ends full


def test_live_progress_is_plain_off_a_terminal():
    with progress.live_progress(io.StringIO()) as bars:
        assert isinstance(bars, progress.PlainProgress)

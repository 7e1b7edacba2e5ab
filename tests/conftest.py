"""Shared fixtures: render a scene at low quality into a temporary media directory."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

@pytest.fixture(autouse=True)
def _user_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own user cache (relu_explainer_cli.paths.cache_root), never ~/.cache: renders
    keep their TeX, voice and Manim caches there. Outside tmp_path, which tests list to the file."""
    monkeypatch.setenv("RELU_EXPLAINER_CACHE", str(tmp_path_factory.mktemp("user-cache")))


LOW = {"quality": "low_quality", "frame_rate": 10, "pixel_width": 426, "pixel_height": 240,
       "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}


@dataclass
class Rendered:
    scene: object          # the scene after construct(): its mobjects are what was on screen at the end
    video: Path
    srt: Path

    def subtitles(self) -> list:
        """The .srt beside the video, parsed (srt.Subtitle entries)."""
        import srt
        return list(srt.parse(self.srt.read_text()))

    def beat_subtitles(self) -> list:
        """One subtitle per beat: its cues (say() cuts a beat's text at clauses) joined back, from the
        beat's first cue's start to its last cue's end."""
        import srt
        cues = self.subtitles()
        merged = []
        for beat in self.scene.spoken_beats:
            mine = [c for c in cues if beat.start - 1e-3 <= c.start.total_seconds() < beat.end - 1e-3]
            if mine:
                text = " ".join(c.content.replace("\n", " ") for c in mine)
                merged.append(srt.Subtitle(len(merged) + 1, mine[0].start, mine[-1].end, text))
        return merged

    def said(self) -> str:
        """Every beat's subtitle, in order, as one line: what a viewer reads through the scene."""
        return " ".join(s.content for s in self.beat_subtitles())

    def duration(self) -> float:
        """The video's length in seconds, from its container."""
        import av
        with av.open(str(self.video)) as container:
            return container.duration / 1e6


@pytest.fixture
def render_scene(tmp_path):
    """render_scene(SceneClass, **config) -> Rendered, at 240p10 unless told otherwise."""
    from manim import tempconfig

    from scenes.fast_copy import install as share_glyph_paths
    share_glyph_paths()  # as the worker does for every render of ours (relu_explainer_cli/worker.py)

    def render(scene_class: type, **overrides) -> Rendered:
        options = {**LOW, "media_dir": str(tmp_path / "media"), **overrides}
        with tempconfig(options):
            scene = scene_class()
            scene.render()
            video = Path(scene.renderer.file_writer.movie_file_path)
        return Rendered(scene, video, video.with_suffix(".srt"))

    return render


CHROMIUM = Path(shutil.which("chromium") or "chromium")  # Debian package, via system-deps.sh --test
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by playwright (never a downloaded browser), once per test module."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (scripts/system-deps.sh --test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

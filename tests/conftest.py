"""Shared fixtures: render a scene at low quality into a temporary media directory."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

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

    def duration(self) -> float:
        """The video's length in seconds, from its container."""
        import av
        with av.open(str(self.video)) as container:
            return container.duration / 1e6


@pytest.fixture
def render_scene(tmp_path):
    """render_scene(SceneClass, **config) -> Rendered, at 240p10 unless told otherwise."""
    from manim import tempconfig

    def render(scene_class: type, **overrides) -> Rendered:
        options = {**LOW, "media_dir": str(tmp_path / "media"), **overrides}
        with tempconfig(options):
            scene = scene_class()
            scene.render()
            video = Path(scene.renderer.file_writer.movie_file_path)
        return Rendered(scene, video, video.with_suffix(".srt"))

    return render

"""The job a worker renders: one typed description the command writes and the worker reads.

The command (render.py) writes a `Job` as JSON beside the worker's other files; the worker
(`python -m relu_explainer_cli.worker JOB.json`, or a forked copy of the command) reads it back with
every field checked against its type by pydantic, so a missing or mistyped field is an error at
once, not a `.get()` default in another file. Everything a render needs travels here, the theme and
the voice included (no environment variables).

>>> job = Job(scene="ReluUnit", module="scenes.relu_unit", cls="ReluUnit", overrides={"x_range": [-2, 2]},
...           media_dir="m", tex_cache="t", cache_dir="c", result="r.json", quality="low")
>>> Job.from_json(job.to_json()) == job
True
>>> try:
...     Job.from_json(job.to_json().replace('"quality":"low"', '"quality":4'))
... except ValueError as error:
...     print(error)
bad job file: quality: input should be a valid string
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Job"]


@dataclass(frozen=True)
class Job:
    """One scene to render, and how."""

    scene: str
    """The scene's name as files are named: <scene>.mp4 (the class name of `module:Class`)."""
    module: str
    """The module to import the scene class from."""
    cls: str
    """The scene class's name in `module`."""
    media_dir: str
    """Manim's media directory for this render: its own, or the scene's cache when this run holds its lock."""
    tex_cache: str
    """The shared folder of typeset formulas, seeded into the render's own TeX folder."""
    cache_dir: str
    """The user cache root (relu_explainer_cli.paths.cache_root): voices are cached beneath it."""
    result: str
    """Where the worker writes its result JSON."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """The params fields to change, as JSON values; the worker turns them into the params dataclass."""
    quality: str = "high"
    fps: int | None = None
    format: str = "mp4"
    transparent: bool = False
    cache: bool = True
    """Use Manim's partial-movie cache (False: every frame afresh)."""
    parallel: bool = False
    """Other workers share the cores (the encoder then runs one thread)."""
    shards: int = 1
    """Processes the scene is split over (relu_explainer_cli.shards): 2 when the run has a core to spare."""
    sections: bool = False
    """One clip per beat (for slides)."""
    draft: bool = False
    """A preview: the fastest encoder settings, larger files (worker.DRAFT_X264_PRESET)."""
    theme: str = "dark"
    """The colour theme, for scenes.style.use_theme."""
    voice: str = "none"
    """The narration voice: 'none', 'piper', 'espeak' or a path to a piper .onnx model."""
    debug: bool = False

    def to_json(self) -> str:
        """The job as one JSON object."""
        return _adapter().dump_json(self).decode()

    @classmethod
    def from_json(cls, text: str) -> Job:
        """A job from its JSON, every field checked; ValueError naming each bad field."""
        from pydantic import ValidationError
        try:
            return _adapter().validate_json(text, strict=True)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'job'}: {e['msg'].lower()}"
                                 for e in error.errors())
            raise ValueError(f"bad job file: {problems}") from None

    def write(self, path: Path) -> None:
        """Write the job to `path` (a temporary name, then a rename: a reader never sees half a job)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(self.to_json(), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def read(cls, path: Path) -> Job:
        """The job written at `path`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _adapter():
    from pydantic import TypeAdapter
    return TypeAdapter(Job)

"""Render one scene in its own process: `python -m relu_explainer_cli.worker JOB.json`.

The job names the scene, its params overrides (JSON), the output settings and a media directory of its
own (so its own TeX directory: two processes sharing one crash, see shared/NOTES.md). The worker writes
a result JSON beside the job with the paths manim wrote; the parent moves them into place. Manim's log
goes to this process's stderr, which the parent keeps in a log file and shows when the render fails.
"""
from __future__ import annotations

import errno
import importlib
import json
import os
import sys
import time
from pathlib import Path

__all__ = ["QUALITIES", "run_job", "main"]

QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality", "4k": "fourk_quality"}
"""--quality names → manim's: 480p15, 720p30, 1080p60, 2160p60."""

EXIT_LATEX_MISSING = 3
EXIT_NO_SPACE = 4
"""The disk filled up (ENOSPC): the parent says so instead of showing a log it may have had no room for."""


def video_duration(path: Path) -> float:
    """Seconds of video in a container, from its stream (or the container) header."""
    import av
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration is not None:
            return container.duration / 1_000_000
        return float(stream.frames / stream.average_rate) if stream.average_rate else 0.0


def run_job(job: dict) -> dict:
    """Render the job's scene and return {"video", "srt", "sections", "duration"} (paths as strings)."""
    os.environ["RELU_EXPLAINER_THEME"] = job.get("theme", "dark")
    from manim import config

    config.media_dir = job["media_dir"]
    config.verbosity = "INFO" if job.get("debug") else "WARNING"
    config.progress_bar = "none"
    config.quality = QUALITIES[job["quality"]]
    if job.get("fps"):
        config.frame_rate = job["fps"]
    config.disable_caching = not job.get("cache", True)
    config.video_encoder_options = {**config.video_encoder_options, "preset": "veryfast"}
    config.format = job["format"]
    config.transparent = bool(job.get("transparent"))
    config.save_sections = bool(job.get("sections"))

    from .params import build_params
    module = importlib.import_module(job["module"])
    base = getattr(module, job["cls"])
    params = build_params(job["scene"], base, job.get("overrides", {}))
    # A subclass with the new params and the same name, so the file is still <Scene>.mp4.
    cls = type(base.__name__, (base,), {"params": params, "__module__": base.__module__,
                                        "__qualname__": base.__qualname__})
    scene = cls()
    scene.render()
    plan = scene.renderer.file_writer.output_plan
    video = Path(plan.primary_artifact)
    srt = Path(plan.subcaption_file) if plan.subcaption_file else None
    sections = Path(plan.section_index) if job.get("sections") and plan.section_index else None
    duration = video_duration(video) if job["format"] != "png" else 0.0
    return {
        "video": str(video),
        "srt": str(srt) if srt and srt.exists() else None,
        "sections": str(sections) if sections and sections.exists() else None,
        "duration": duration,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    job_path = Path(argv[0])
    job = json.loads(job_path.read_text())
    result_path = Path(job["result"])
    started = time.perf_counter()
    try:
        result = run_job(job)
    except FileNotFoundError as error:
        missing = Path(str(error.filename or "")).name
        if missing in {"latex", "dvisvgm", "xelatex"}:
            result_path.write_text(json.dumps({"error": "latex", "program": missing}))
            print(f"LaTeX program not found: {missing}", file=sys.stderr)
            return EXIT_LATEX_MISSING
        raise
    except OSError as error:  # PyAV's av.error.OSError too
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            try:  # stderr is a log file, likely on the same full disk
                print(f"no space left on device: {error}", file=sys.stderr, flush=True)
            except OSError:
                pass
            return EXIT_NO_SPACE
        raise
    result["seconds"] = time.perf_counter() - started
    tmp = result_path.with_suffix(".part")
    tmp.write_text(json.dumps(result))
    os.replace(tmp, result_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

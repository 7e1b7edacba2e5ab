"""Render one scene in its own process: `python -m relu_explainer_cli.worker JOB.json`.

The job names the scene, its params overrides (JSON), the output settings and a media directory of its
own (so its own TeX directory: two processes sharing one crash, see shared/NOTES.md). The worker writes
a result JSON beside the job with the paths manim wrote; the parent moves them into place. Manim's log
goes to this process's stderr, which the parent keeps in a log file and shows when the render fails.
"""
from __future__ import annotations

import contextlib
import errno
import gc
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

from .job import Job

__all__ = ["QUALITIES", "run_job", "main", "seed_tex_dir", "publish_tex", "disk_full_error", "refused_error"]

QUALITIES = {"low": "low_quality", "medium": "medium_quality", "high": "high_quality", "4k": "fourk_quality"}
"""--quality names → manim's: 480p15, 720p30, 1080p60, 2160p60."""

X264_PRESET = "superfast"
"""x264's preset for renders: 7 ms a 1080p frame against 11 for veryfast, files about 1.7x as large
(bench/README.md)."""
DRAFT_X264_PRESET = "ultrafast"
"""x264's preset for previews (`Job.draft`): half superfast's CPU a 480p frame (1.1 against 2.2 ms, one
thread, the story's own frames), files about twice as large. Next previews took 0.75 to 0.9 of the time
(RulerAndProtractor, Interaction, ApproximateSquare, interleaved runs, 2026-12-02)."""
X264_PARAMS = "no-deblock=1:b-adapt=0"
"""On top of `superfast`: no deblocking filter, and B-frames in a fixed pattern instead of chosen frame
by frame. On the scenes' own frames (flat colours, thin lines) the picture is as close to the drawn one
(PSNR 45.8 dB either way), files are 0.88 to 0.97 as large, and x264 takes 0.76 to 0.91 of the CPU
(min of 5 runs, 1080p60 and 480p15 clips, bench-style, 2026-12-02). Other codecs ignore the option."""
MAX_INFLIGHT_ENCODERS = 2
"""Partial movies a worker encodes at once while drawing on (Manim's default, 1, waits at every end)."""

FREEZE_HEAP = True
"""Before the scene is built, everything already in memory (manim, numpy, the scenes, a preview loop's
read-ahead) goes into the collector's permanent generation (`gc.freeze()`): the cyclic collector then
walks only what the render makes. It walked the whole heap: perf put 13 % of a preview's CPU in the
collector, 6.5 % after (RulerAndProtractor, 480p15); with one OpenBLAS thread (relu_explainer_cli's
BLAS_THREADS) next previews took 0.86 of the time. What is frozen was alive anyway; new cycles are still
collected. Documentation: https://docs.python.org/3/library/gc.html#gc.freeze"""

OUTLINES_DIR = "outlines"
"""In the user cache: parsed glyph outlines of formulas and labels (scenes.svg_outlines)."""
OUTLINES_IN_MEMORY: dict[str, object] = {}
"""Outlines the preview loop read between renders (svg_outlines.preload): a worker forked from it finds
them here instead of unpickling each from OUTLINES_DIR. Empty in any other process."""
TYPESET_IN_MEMORY: OrderedDict = OrderedDict()
"""Formula and label templates the preview loop built between renders (scenes.typesetting.prebuild): a
worker forked from it copies them instead of typesetting. Empty in any other process."""
TEXTS_DIR = "texts"
"""In the user cache: the SVGs Pango writes for the labels the preview loop builds between renders."""

EXIT_LATEX_MISSING = 3
EXIT_NO_SPACE = 4
"""The disk filled up (ENOSPC): the parent says so instead of showing a log it may have had no room for."""
EXIT_NOT_WRITABLE = 5
"""A folder refused a write (read-only, no permission): the parent names it instead of a traceback."""


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


def seed_tex_dir(shared: Path, own: Path) -> set[str]:
    """Link (or copy) the shared cache's typeset SVGs into this render's own TeX dir; return their names.

    Manim names a TeX SVG by the hash of its whole LaTeX source, so a cached one cannot go stale
    (unlike partial movies); only the directory must not be shared while LaTeX writes into it.
    """
    own.mkdir(parents=True, exist_ok=True)
    try:
        svgs = list(shared.glob("*.svg"))
    except OSError:
        return set()
    for svg in svgs:
        target = own / svg.name
        if target.exists():
            continue
        try:
            os.link(svg, target)
        except OSError:
            try:
                shutil.copyfile(svg, target)
            except OSError:
                target.unlink(missing_ok=True)
    return {svg.name for svg in svgs}


def publish_tex(own: Path, shared: Path, known: set[str]) -> None:
    """Add this render's new SVGs to the shared cache, each by one atomic rename; a failure only skips it."""
    try:
        shared.mkdir(parents=True, exist_ok=True)
        new = [svg for svg in own.glob("*.svg") if svg.name not in known]
    except OSError:
        return
    for svg in new:
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=shared, prefix=f".{svg.name}.", suffix=".part")
            os.close(fd)
            shutil.copyfile(svg, tmp)
            os.replace(tmp, shared / svg.name)
        except OSError:
            if tmp:
                Path(tmp).unlink(missing_ok=True)


def run_job(job: Job) -> dict:
    """Render the job's scene and return {"video", "srt", "sections", "duration"} (paths as strings)."""
    from manim import config

    from scenes.style import use_theme
    use_theme(job.theme)
    config.media_dir = job.media_dir
    config.verbosity = "INFO" if job.debug else "WARNING"
    config.progress_bar = "none"
    config.quality = QUALITIES[job.quality]
    if job.fps:
        config.frame_rate = job.fps
    config.disable_caching = not job.cache
    # One x264 thread when other workers keep the other cores busy: 14 % less CPU a frame than auto.
    threads = {"threads": "1"} if job.parallel or job.shards > 1 else {}
    preset = DRAFT_X264_PRESET if job.draft else X264_PRESET
    config.video_encoder_options = {**config.video_encoder_options, "preset": preset, "x264-params": X264_PARAMS,
                                    **threads}
    # Encode an animation's movie while the next one is drawn, instead of waiting for it at its end.
    config.max_inflight_encoders = MAX_INFLIGHT_ENCODERS
    config.format = job.format
    config.transparent = job.transparent
    config.save_sections = job.sections
    _use_narrator(job)

    from scenes import fast_copy, fast_fades, fast_paths, static_layers, svg_outlines, typesetting

    from . import fast_encoder
    from .params import build_params
    fast_encoder.install()
    fast_copy.install()  # here, not in ExplainerScene.setup(): only our renders
    fast_fades.install()
    fast_paths.install()
    static_layers.install()
    svg_outlines.install(Path(job.cache_dir) / OUTLINES_DIR if job.cache_dir else None, OUTLINES_IN_MEMORY)
    typesetting.use_store(TYPESET_IN_MEMORY)
    from . import gif
    as_gif = gif.use_lossless_source(config)  # manim writes a lossless .mov; gif.py makes the GIF
    module = importlib.import_module(job.module)
    base = getattr(module, job.cls)
    params = build_params(job.scene, base, job.overrides)
    # A subclass with the new params and the same name, so the file is still <Scene>.mp4.
    cls = type(base.__name__, (base,), {"params": params, "__module__": base.__module__,
                                        "__qualname__": base.__qualname__})
    shared_tex = Path(job.tex_cache) if job.tex_cache else None
    own_tex = Path(config.get_dir("tex_dir"))
    known = seed_tex_dir(shared_tex, own_tex) if shared_tex else set()
    if FREEZE_HEAP:
        gc.freeze()
    if job.shards > 1:
        _split(cls, shared_tex)
    scene = cls()
    scene.render()
    if shared_tex:
        publish_tex(own_tex, shared_tex, known)
    plan = scene.renderer.file_writer.output_plan
    video = Path(plan.primary_artifact)
    from .soundtrack import fix_clip_audio
    fix_clip_audio(video, scene.renderer.file_writer)  # Manim's: late in mp4, none in section clips
    srt = Path(plan.subcaption_file) if plan.subcaption_file else None
    sections = Path(plan.section_index) if job.sections and plan.section_index else None
    duration = video_duration(video) if job.format != "png" else 0.0
    if as_gif:
        video = gif.replace_with_gif(video)
    return {
        "video": str(video),
        "srt": str(srt) if srt and srt.exists() else None,
        "sections": str(sections) if sections and sections.exists() else None,
        "duration": duration,
        "title": getattr(base, "title", "") or "",  # the chapter's name in the stitched video
        "outlines": svg_outlines.used(),  # what the preview loop reads ahead for the next render
        "typeset": typesetting.used(),  # and what it builds for it
    }


def _split(cls, shared_tex: Path | None) -> None:
    """Start the second process of a split render, and make this one the first (shards.py)."""
    import multiprocessing

    from manim import config

    from . import lifecycle, shards
    claims = shards.Claims()
    first = os.getpid()

    def second() -> None:
        lifecycle.die_with_parent(first)
        own = Path(config.media_dir) / shards.HELPER_DIR  # LaTeX and Pango must not share a folder
        config.tex_dir, config.text_dir = str(own / "Tex"), str(own / "texts")
        if shared_tex:
            seed_tex_dir(shared_tex, own / "Tex")
        shards.install(claims, wait_for_helper=None)
        from manim import Scene
        getattr(Scene.render, "__wrapped__", Scene.render)(cls())  # the first process reports progress

    helper = multiprocessing.get_context("fork").Process(target=second, name="shard1", daemon=True)
    helper.start()

    def wait_for_helper() -> None:
        helper.join()
        if helper.exitcode != 0:
            raise RuntimeError(f"the second render process failed (exit {helper.exitcode}); see above")

    shards.install(claims, wait_for_helper=wait_for_helper)


def _use_narrator(job: Job) -> None:
    """Give the scenes the job's voice (scenes.base.use_narrator); silent when the voice is 'none'."""
    from scenes.base import use_narrator
    use_narrator(job.voice, Path(job.cache_dir) if job.cache_dir else None)


def _os_error_in_chain(error: BaseException | None, errnos: tuple[int, ...]) -> OSError | None:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in errnos:
            return error
        error = error.__cause__ or error.__context__
    return None


def disk_full_error(error: BaseException) -> OSError | None:
    """The ENOSPC/EDQUOT OSError (PyAV's too) in `error`'s chain of causes, if there is one."""
    return _os_error_in_chain(error, (errno.ENOSPC, errno.EDQUOT))


def refused_error(error: BaseException) -> OSError | None:
    """The EROFS/EACCES/EPERM OSError in `error`'s chain of causes: a folder that refused a write.

    >>> wrapped = RuntimeError("encoder failed")
    >>> wrapped.__cause__ = OSError(errno.EROFS, "Read-only file system")
    >>> refused_error(wrapped).strerror, refused_error(ValueError("a bug")) is None
    ('Read-only file system', True)
    """
    return _os_error_in_chain(error, (errno.EROFS, errno.EACCES, errno.EPERM))


def main(argv: list[str] | None = None) -> int:
    """`JOB.json [--parent PID]`: render the job; the exit code says how it failed (3, 4, 5).

    With `--parent` (a worker the command started), the command alone decides when this process
    stops, and it dies with the command (lifecycle.worker_signals); a forked worker has had that
    done before it gets here.
    """
    from . import lifecycle
    from .progress import FRAMES_FILE, reporting
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) >= 3 and argv[1] == "--parent":
        lifecycle.worker_signals(int(argv[2]))
    job_path = Path(argv[0])
    job = Job.read(job_path)
    result_path = Path(job.result)
    started = time.perf_counter()
    try:
        with reporting(job_path.with_name(FRAMES_FILE), Path(job.cache_dir) / "frames"):
            result = run_job(job)
    except FileNotFoundError as error:
        missing = Path(str(error.filename or "")).name
        if missing in {"latex", "dvisvgm", "xelatex"}:
            result_path.write_text(json.dumps({"error": "latex", "program": missing}))
            print(f"LaTeX program not found: {missing}", file=sys.stderr)
            return EXIT_LATEX_MISSING
        raise
    except Exception as error:  # manim wraps the encoder's OSError in a RuntimeError: look along the chain
        refused = refused_error(error)
        if refused is not None:
            with contextlib.suppress(OSError):  # stderr is a log file, maybe in the refusing folder
                print(f"cannot write {refused.filename or ''}: {refused.strerror}", file=sys.stderr, flush=True)
            return EXIT_NOT_WRITABLE
        full = disk_full_error(error)
        if full is None:
            raise
        try:  # stderr is a log file, likely on the same full disk
            print(f"no space left on device: {full}", file=sys.stderr, flush=True)
        except OSError:
            pass
        return EXIT_NO_SPACE
    result["seconds"] = time.perf_counter() - started
    tmp = result_path.with_suffix(".part")
    tmp.write_text(json.dumps(result))
    os.replace(tmp, result_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

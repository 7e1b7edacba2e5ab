"""Where one scene's render time goes: `python -m bench.profile SCENE QUALITY OUT` prints one JSON line.

The scene renders silent, caching off, in this process, as a worker of `--jobs 2` does (one x264
thread). Timers around Manim's and our functions add up the seconds of each part:

    draw         Camera.capture_mobjects: cairo paths, strokes and fills of the moving shapes
    scene        Scene.update_to_time and begin_animations: updaters, interpolation, the copies
                 animations make (the scene's own Python, relu_core included)
    svg_parse    SVGMobject.init_svg_mobject: typeset formulas and Pango texts read into outlines
    tex          tex_to_svg_file: LaTeX and dvisvgm (nothing when the formulas are cached)
    encoder_wait the drawing thread waiting for the encoder (its queue full, or an animation's end)
    convert      RGBA to YUV in the encoder thread (fast_encoder.timings)
    encode       x264 in the encoder thread (fast_encoder.timings)
    voice        synthesis (PiperVoice.synthesize; nothing when silent)

The encoder thread's parts overlap the drawing thread's; the others do not overlap each other. Each
part's floor, measured here on the scene's own last frame at its size: x264's cost for a frame with a
small moving dot (the cheapest changing frame), one conversion, and an empty frame's draw (the canvas
reset from the still background); `floor_s` is that cost times the frames the part must handle.
"""
from __future__ import annotations

import json
import sys
import time
from fractions import Fraction
from pathlib import Path

__all__ = ["profile_scene", "floors"]


def _timed(owner, name: str, totals: dict[str, float], part: str, calls: dict[str, int] | None = None) -> None:
    """Wrap owner.name so its wall seconds add to totals[part] (and its calls to calls[part])."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[part] = totals.get(part, 0.0) + time.perf_counter() - start
            if calls is not None:
                calls[part] = calls.get(part, 0) + 1

    setattr(owner, name, wrapper)


def floors(last_frame, rate: Fraction, camera) -> dict[str, float]:
    """ms per frame: x264 (superfast, one thread) on `last_frame` with a small dot moving, one RGBA to
    YUV conversion, and an empty frame's draw (camera reset to its background)."""
    import av
    import numpy as np
    height, width = last_frame.shape[:2]
    sink = av.open("/dev/null", mode="w", format="mp4")
    stream = sink.add_stream("libx264", rate=rate, options={"preset": "superfast", "threads": "1"})
    stream.pix_fmt, stream.width, stream.height = "yuv420p", width, height
    frames = []
    for i in range(60):
        frame = last_frame.copy()
        y, x = height // 2, width // 4 + i * width // 200
        frame[y - 8:y + 8, x - 8:x + 8] = (255, 107, 107, 255)
        frames.append(av.VideoFrame.from_ndarray(frame, format="rgba").reformat(format="yuv420p"))
    start = time.perf_counter()
    for pts, frame in enumerate(frames):
        frame.pts = pts
        for packet in stream.encode(frame):
            sink.mux(packet)
    for packet in stream.encode():
        sink.mux(packet)
    encode_ms = (time.perf_counter() - start) / len(frames) * 1000
    sink.close()
    start = time.perf_counter()
    for _ in range(20):
        av.VideoFrame.from_numpy_buffer(last_frame, format="rgba").reformat(format="yuv420p")
    convert_ms = (time.perf_counter() - start) / 20 * 1000
    start = time.perf_counter()
    for _ in range(20):
        camera.reset()
        np.array(camera.pixel_array)
    draw_ms = (time.perf_counter() - start) / 20 * 1000
    return {"encode_ms": round(encode_ms, 2), "convert_ms": round(convert_ms, 2), "draw_ms": round(draw_ms, 2)}


def profile_scene(scene: str, quality: str, out: Path) -> dict:
    """Render `scene` silent with the timers on; the parts' seconds, the frame counts and the floors."""
    from manim.camera.camera import Camera
    from manim.mobject.svg.svg_mobject import SVGMobject
    from manim.mobject.text import tex_mobject
    from manim.scene import scene_file_writer
    from manim.scene.scene import Scene

    from narration.voices import PiperVoice
    from relu_explainer_cli import fast_encoder
    from relu_explainer_cli.job import Job
    from relu_explainer_cli.params import scene_spec
    from relu_explainer_cli.paths import cache_root, tex_cache
    from relu_explainer_cli.worker import run_job

    totals: dict[str, float] = {}
    calls: dict[str, int] = {}
    _timed(Camera, "capture_mobjects", totals, "draw", calls)
    _timed(Scene, "update_to_time", totals, "scene")
    _timed(Scene, "begin_animations", totals, "scene")
    _timed(SVGMobject, "init_svg_mobject", totals, "svg_parse")
    _timed(tex_mobject, "tex_to_svg_file", totals, "tex")
    _timed(scene_file_writer._PartialMovieEncodeJob, "put", totals, "encoder_wait")
    _timed(scene_file_writer._PartialMovieEncodeJob, "join", totals, "encoder_wait")
    _timed(PiperVoice, "synthesize", totals, "voice")
    fast_encoder.timings = {}
    captured = {}
    _keep_last_frame(captured)

    module, cls = scene_spec(scene)
    out.mkdir(parents=True, exist_ok=True)
    job = Job(scene=scene, module=module, cls=cls, media_dir=str(out / "media"), tex_cache=str(tex_cache()),
              cache_dir=str(cache_root()), result=str(out / "result.json"), quality=quality, cache=False,
              parallel=True, voice="none")
    start = time.perf_counter()
    result = run_job(job)
    wall = time.perf_counter() - start
    encoder = fast_encoder.timings
    totals["convert"], totals["encode"] = encoder.get("convert_s", 0.0), encoder.get("encode_s", 0.0)
    unit = floors(captured["frame"], captured["rate"], captured["camera"])
    frames = {"shown": int(encoder.get("shown", 0)), "drawn": calls.get("draw", 0),
              "converted": int(encoder.get("converted", 0)), "encoded": int(encoder.get("encoded", 0))}
    floor_s = {"draw": unit["draw_ms"] * frames["drawn"] / 1000,
               "convert": unit["convert_ms"] * frames["converted"] / 1000,
               "encode": unit["encode_ms"] * frames["encoded"] / 1000,
               "tex": 0.0, "svg_parse": 0.0, "voice": 0.0}
    parts = {name: round(totals.get(name, 0.0), 2) for name in
             ("draw", "scene", "svg_parse", "tex", "encoder_wait", "convert", "encode", "voice")}
    return {"scene": scene, "quality": quality, "wall_s": round(wall, 2), "video_s": round(result["duration"], 2),
            "render_s_per_video_s": round(wall / result["duration"], 3), "frames": frames, "parts_s": parts,
            "floor_ms_per_frame": unit, "floor_s": {k: round(v, 2) for k, v in floor_s.items()}}


def _keep_last_frame(captured: dict) -> None:
    """Keep the last frame the renderer hands to the file writer, and its camera and rate."""
    from manim.renderer.cairo_renderer import CairoRenderer
    inner = CairoRenderer.add_frame

    def add_frame(self, frame, num_frames: int = 1):
        captured.update(frame=frame, rate=Fraction(self.camera.frame_rate).limit_denominator(1000),
                        camera=self.camera)
        return inner(self, frame, num_frames)

    CairoRenderer.add_frame = add_frame


def main(argv: list[str]) -> int:
    scene, quality, out = argv[0], argv[1], Path(argv[2])
    print(json.dumps(profile_scene(scene, quality, out)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

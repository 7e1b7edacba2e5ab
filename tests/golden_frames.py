"""Golden frames: two key frames per scene (the middle and the last), compared with stored PNGs.

Each scene of the STORY is rendered in-process at 426x240, 5 fps, caching off, into a temporary
media directory. The frames are captured as the renderer hands them to the file writer (raw RGBA,
before video encoding), so no codec noise gets in. Stored as tests/golden/<Scene>_<which>.png.

    python -m tests.golden_frames --regenerate [SCENE ...]    # rewrite them on purpose (make golden)
    python -m tests.golden_frames [SCENE ...]                  # compare only, print the differences

>>> compare(np.zeros((2, 2, 3), np.uint8), np.zeros((2, 2, 3), np.uint8)).ok
True
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
GOLDEN_DIR = HERE / "golden"
FAILURE_DIR = HERE / "_failures"
WHICH = ("middle", "last")
# LaTeX/Pango output is cached across runs (keyed by the content's hash, so it cannot go stale):
# compiling the formulas anew was a third of the render time.
TEX_CACHE = Path(tempfile.gettempdir()) / "relu-explainer-golden-cache"
GOLDEN = {"quality": "low_quality", "frame_rate": 5, "pixel_width": 426, "pixel_height": 240,
          "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}

# Tolerance. Two renders of the same scene give bit-identical frames (measured: max difference 0
# over all 18 frames), so these limits only leave room for a different cairo/pango/font version
# nudging anti-aliased edges; a changed colour, term or curve changes far more pixels than this.
MAX_MEAN_ABS = 2.0          # mean |golden - new| over all pixels and channels, in 0..255 units
BIG_DIFF = 40               # a pixel "differs" if any channel differs by more than this ...
MAX_BIG_FRACTION = 0.005    # ... and at most 0.5 % of the pixels may differ


def golden_path(scene: str, which: str) -> Path:
    return GOLDEN_DIR / f"{scene}_{which}.png"


def render_frames(scene_cls: type, options: dict = GOLDEN,
                  media_dir: Path | None = None) -> list[tuple[np.ndarray, int]]:
    """Render `scene_cls` in this process with `options`; every frame it hands to the file writer (RGBA,
    before encoding) and how often it is shown."""
    from manim import tempconfig

    with tempfile.TemporaryDirectory(prefix="golden_") as tmp:
        options = {**options, "media_dir": str(media_dir or Path(tmp) / "media"),
                   "tex_dir": str(TEX_CACHE / "Tex"), "text_dir": str(TEX_CACHE / "texts")}
        frames: list[tuple[np.ndarray, int]] = []
        with tempconfig(options):
            scene = scene_cls()
            renderer = scene.renderer
            original_add_frame = renderer.add_frame

            def add_frame(frame, num_frames: int = 1):
                if not renderer.skip_animations:
                    frames.append((frame.copy(), num_frames))
                return original_add_frame(frame, num_frames)

            renderer.add_frame = add_frame
            scene.render()
    return frames


def render_key_frames(scene_cls: type, media_dir: Path | None = None) -> dict[str, np.ndarray]:
    """Render `scene_cls` at GOLDEN settings; return {'middle': RGB array, 'last': RGB array}.

    The middle frame is the one at half the video's frame count (a held frame counts as often as
    it is shown), the last is the final frame written.
    """
    frames = [(frame[:, :, :3], n) for frame, n in render_frames(scene_cls, GOLDEN, media_dir)]
    if not frames:
        raise RuntimeError(f"{scene_cls.__name__} wrote no frames")
    total = sum(n for _, n in frames)
    middle_index, seen, middle = total // 2, 0, frames[-1][0]
    for frame, n in frames:
        if seen + n > middle_index:
            middle = frame
            break
        seen += n
    return {"middle": middle, "last": frames[-1][0]}


@dataclass
class Comparison:
    mean_abs: float
    big_fraction: float
    max_abs: int
    shape_ok: bool = True

    @property
    def ok(self) -> bool:
        return self.shape_ok and self.mean_abs < MAX_MEAN_ABS and self.big_fraction < MAX_BIG_FRACTION

    def __str__(self) -> str:
        if not self.shape_ok:
            return "frame sizes differ"
        return (f"mean |diff| {self.mean_abs:.3f}/255 (limit {MAX_MEAN_ABS}), "
                f"{100 * self.big_fraction:.3f}% of pixels differ by > {BIG_DIFF}/255 "
                f"(limit {100 * MAX_BIG_FRACTION}%), max |diff| {self.max_abs}")


def compare(golden: np.ndarray, new: np.ndarray) -> Comparison:
    if golden.shape != new.shape:
        return Comparison(float("inf"), 1.0, 255, shape_ok=False)
    diff = np.abs(golden.astype(np.int16) - new.astype(np.int16))
    return Comparison(float(diff.mean()), float((diff.max(axis=2) > BIG_DIFF).mean()),
                      int(diff.max()))


def write_diff_image(golden: np.ndarray, new: np.ndarray, out: Path) -> Path:
    """Save golden | new | amplified difference (x8, clipped) side by side to `out`."""
    h = max(golden.shape[0], new.shape[0])
    w = max(golden.shape[1], new.shape[1])

    def pad(a: np.ndarray) -> np.ndarray:
        p = np.zeros((h, w, 3), np.uint8)
        p[:a.shape[0], :a.shape[1]] = a
        return p

    g, n = pad(golden), pad(new)
    amplified = np.clip(np.abs(g.astype(np.int16) - n.astype(np.int16)) * 8, 0, 255).astype(np.uint8)
    gap = np.full((h, 4, 3), 255, np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.hstack([g, gap, n, gap, amplified])).save(out)
    return out


def load_png(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def check_scene(scene_cls: type, name: str | None = None) -> list[str]:
    """Render and compare both key frames; return failure messages (empty when all match)."""
    name = name or scene_cls.__name__
    new = render_key_frames(scene_cls)
    problems = []
    for which in WHICH:
        path = golden_path(name, which)
        if not path.exists():
            problems.append(f"{name} {which}: no golden frame {path}; run "
                            f"`python -m tests.golden_frames --regenerate {name}`")
            continue
        golden = load_png(path)
        result = compare(golden, new[which])
        if not result.ok:
            diff = write_diff_image(golden, new[which], FAILURE_DIR / f"{scene_cls.__name__}_{which}_diff.png")
            problems.append(f"{name} {which} frame differs from {path.name}: {result}; "
                            f"diff image (golden | new | difference x8): {diff}")
    return problems


def regenerate(name: str) -> list[Path]:
    from scenes.explainer import scene_class

    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    frames = render_key_frames(scene_class(name))
    paths = []
    for which in WHICH:
        Image.fromarray(frames[which]).save(golden_path(name, which), optimize=True)
        paths.append(golden_path(name, which))
    return paths


def main(argv: list[str] | None = None) -> int:
    from scenes.explainer import STORY, scene_class

    parser = argparse.ArgumentParser(prog="python -m tests.golden_frames", description=__doc__.split("\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="render and overwrite the golden PNGs")
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help=f"default: all of {', '.join(STORY)}")
    args = parser.parse_args(argv)
    for name in args.scenes:
        if name not in STORY:
            parser.error(f"unknown scene {name!r}; known scenes: {', '.join(STORY)}")
    failed = 0
    for name in args.scenes or STORY:
        if args.regenerate:
            for path in regenerate(name):
                print(path)
        else:
            problems = check_scene(scene_class(name), name)
            failed += bool(problems)
            print("\n".join(problems) or f"{name}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

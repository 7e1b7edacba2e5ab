"""Save frames of a video as PNGs to look at: python scripts/frames.py VIDEO OUT_DIR [N or t1,t2,...].

With N (default 8), N frames spread evenly over the video; with times in seconds, those moments.
"""
from __future__ import annotations

import sys
from pathlib import Path

import av


def save_frames(video: Path, out_dir: Path, spec: str = "8") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        duration = float(stream.duration * stream.time_base) if stream.duration else float(container.duration) / 1e6
        if "," in spec or "." in spec:
            times = [float(t) for t in spec.split(",")]
        else:
            n = int(spec)
            times = [duration * (i + 0.5) / n for i in range(n)]
        frames = [(float(f.pts * f.time_base), f) for f in container.decode(stream)]
    paths = []
    for t in times:
        _, frame = min(frames, key=lambda item: abs(item[0] - t))
        path = out_dir / f"{video.stem}_{t:06.2f}s.png"
        frame.to_image().save(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    for p in save_frames(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "8"):
        print(p)

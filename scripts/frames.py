"""Save frames of a video as PNGs to look at: python scripts/frames.py VIDEO OUT_DIR [N or t1,t2,...].

With N (default 8), N frames spread evenly over the video; with times in seconds, those moments.
Frames are decoded as a stream and only the wanted ones kept, so a long 1080p60 video fits in memory.
"""
from __future__ import annotations

import sys
from pathlib import Path

import av


def wanted_times(spec: str, duration: float) -> list[float]:
    """'8' → 8 evenly spread times; '1.5,3' → those times."""
    if "," in spec or "." in spec:
        return sorted(float(t) for t in spec.split(","))
    n = int(spec)
    return [duration * (i + 0.5) / n for i in range(n)]


def save_frames(video: Path, out_dir: Path, spec: str = "8") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        duration = float(container.duration) / 1e6
        times = wanted_times(spec, duration)
        for frame in container.decode(stream):
            while times and float(frame.pts * frame.time_base) >= times[0]:
                path = out_dir / f"{video.stem}_{times.pop(0):07.2f}s.png"
                frame.to_image().save(path)
                paths.append(path)
            if not times:
                break
    return paths


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    for p in save_frames(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "8"):
        print(p)

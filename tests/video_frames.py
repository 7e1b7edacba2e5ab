"""Count a video's pictures by time, not by decoded frames.

A still frame held for a while is encoded a few times, not once a frame (fast_encoder.stamps), and
each decoded frame lasts until the next one starts. So a clip's picture is measured as the frame slots
its decoded frames cover: the last frame's start plus one frame, at the stream's base frame rate.
"""
from __future__ import annotations

from pathlib import Path

import av

__all__ = ["frame_times", "shown_frames"]


def frame_times(path: Path) -> tuple[list[float], float]:
    """The start time (s) of every decoded frame, in decoding order, and the stream's frame rate."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = float(stream.base_rate or stream.average_rate)
        times = [float(frame.pts * frame.time_base) for frame in container.decode(stream)]
    return times, rate


def shown_frames(path: Path) -> int:
    """How many frame slots the pictures fill: a frame shown for two seconds at 10 fps counts 20."""
    times, rate = frame_times(path)
    return round((max(times) + 1 / rate) * rate) if times else 0

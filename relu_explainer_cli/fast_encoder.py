"""Hand frames to the video encoder without Manim 0.22's slow copy; convert a repeated frame once.

Manim's `VideoSegmentEncoder.write_frame` wraps each RGBA frame with `av.VideoFrame.from_ndarray`,
which copies it row by row: 16 ms for a 1080p frame, measured with PyAV 18.1 on these machines, against
0.01 ms for `from_numpy_buffer` (no copy). It then lets the stream convert RGBA to the stream's pixel
format once per frame, also for the `repeat` copies of a still frame. `install()` replaces the method with
one that wraps the array in place, converts it once (5.6 ms at 1080p), and encodes the converted frame
`repeat` times. The encoded video is the same: the same pixels reach the same encoder settings.

A still frame held for `repeat` frames in an H.264 stream is encoded at the hold's first timestamp and
its last HOLD_TAIL, not `repeat` times (the mp4 keeps each frame's own timestamp, so the picture is
shown for the same span). The tail is there because Manim's join of partial movies, and ours, let
libav rebuild the decoding timestamps from x264's reordering delay (two frames at `superfast`): had a
clip ended on one long frame, its last hold would come out shortened by that frame's length. Every
frame time shows the same picture as before, within x264's noise (tests/test_fast_encoder.py); a 1080p
frame costs x264 about 8 ms, and the silent explainer holds about half its frames (bench/profile.py). Other codecs (VP9 webm, the GIF's lossless source) get every frame, as Manim gives them.
It uses the encoder's private attributes, so on a Manim version it was not tested with
(`scenes.manim_compat.TESTED_MANIM`) `install()` refuses, with one warning.

>>> install() and install()  # idempotent
True
"""
from __future__ import annotations

import time
from fractions import Fraction

from scenes.manim_compat import manim_is_tested

__all__ = ["install", "write_frame", "HOLD_CODECS", "CONVERT_THREADS", "stamps", "timings"]

timings: dict[str, float] | None = None
"""Set to {} to add up where write_frame's time goes (bench/profile.py): seconds converting RGBA to the
stream's pixel format and encoding, and the counts of frames shown, converted and encoded."""

CONVERT_THREADS = 1
"""swscale threads for the RGBA to YUV conversion. PyAV builds a new scaler for every frame, and with its
default (one a core) every frame starts new threads that contend with the drawing thread: ReluUnit at
1080p60 rendered alone took 14.25 s instead of 16.56 s (three interleaved runs each; conversion 5.75 s
instead of 7.90 s). The pixels are the same (tests/test_fast_encoder.py)."""
HOLD_CODECS = frozenset({"libx264"})
"""Codecs whose streams get a held frame a few times (HOLD_TAIL + 1) instead of every frame."""
HOLD_TAIL = 4
"""Frames encoded one by one at the end of a hold: more than x264's reordering delay (2 at superfast)."""


def stamps(repeat: int, codec: str) -> tuple[int, ...]:
    """The offsets, from the hold's first frame, at which a frame shown `repeat` times is encoded.

    >>> stamps(1, "libx264"), stamps(180, "libx264"), stamps(3, "libvpx-vp9")
    ((0,), (0, 176, 177, 178, 179), (0, 1, 2))
    """
    if repeat > HOLD_TAIL + 1 and codec in HOLD_CODECS:
        return (0, *range(repeat - HOLD_TAIL, repeat))
    return tuple(range(repeat))


def write_frame(self, pixels, *, repeat: int = 1) -> None:
    """`VideoSegmentEncoder.write_frame`, with the frame wrapped without a copy and converted once."""
    import av

    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    started = time.perf_counter()
    try:
        pix_fmt = self._stream.pix_fmt
        if pix_fmt == "rgba":  # no conversion: the encoder may keep the buffer, so give it its own copy
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
        else:  # the converted frame owns new memory; the caller's array is free again on return
            frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba").reformat(
                format=pix_fmt, threads=CONVERT_THREADS)
        converted = time.perf_counter()
        offsets = stamps(repeat, self.spec.codec)
        for offset in offsets:
            frame.pts = self._next_pts + offset
            frame.time_base = time_base
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
        self._next_pts += repeat
    except BaseException as error:
        raise self._operation_error("encode", error) from error
    if timings is not None:
        _add(timings, convert_s=converted - started, encode_s=time.perf_counter() - converted,
             shown=repeat, converted=1, encoded=len(offsets))


def _add(totals: dict[str, float], **amounts: float) -> None:
    for key, amount in amounts.items():
        totals[key] = totals.get(key, 0) + amount


def install() -> bool:
    """Use `write_frame` for every Manim video segment in this process; True once it is in place.

    False, and Manim left as it is, on a Manim version this was not tested with.
    """
    if not manim_is_tested():
        return False
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    VideoSegmentEncoder.write_frame = write_frame
    return VideoSegmentEncoder.write_frame is write_frame

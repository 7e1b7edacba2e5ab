"""The fast frame hand-off gives the encoder exactly what Manim's own write_frame gives it."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from relu_explainer_cli import fast_encoder


def frames(n: int = 24, width: int = 320, height: int = 180) -> list[np.ndarray]:
    """A moving disc and a moving bar, RGBA, as the camera would hand them over."""
    yy, xx = np.mgrid[0:height, 0:width]
    out = []
    for i in range(n):
        rgba = np.zeros((height, width, 4), np.uint8)
        rgba[..., 3] = 255
        disc = (xx - 40 - 8 * i) ** 2 + (yy - 90) ** 2 < 30 ** 2
        rgba[disc] = (79, 195, 247, 255)
        rgba[20 + 5 * i: 30 + 5 * i, :] = (255, 107, 107, 255)
        out.append(np.ascontiguousarray(rgba))
    return out


def encode(path: Path, pix_fmt: str, codec: str, container: str) -> tuple[bytes, int]:
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    spec = VideoEncoderSpec(container, codec, pix_fmt, 320, 180, Fraction(15),
                            (("threads", "1"),) + ((("preset", "superfast"),) if codec == "libx264" else ()))
    encoder = VideoSegmentEncoder(target=path, spec=spec)
    for i, frame in enumerate(frames()):
        encoder.write_frame(frame, repeat=4 if i % 6 == 0 else 1)  # held frames, as in a wait
    encoder.finish()
    with av.open(str(path)) as video:
        packets = b"".join(bytes(p) for p in video.demux(video=0))
    with av.open(str(path)) as video:
        count = sum(1 for _ in video.decode(video=0))
    return packets, count


@pytest.mark.parametrize("pix_fmt, codec, container", [
    ("yuv420p", "libx264", "mp4"),      # the explainer's clips
    ("yuva420p", "libvpx-vp9", "webm"),  # --transparent webm
])
def test_the_same_frames_give_the_same_packets(tmp_path, monkeypatch, pix_fmt, codec, container):
    from manim.scene.video_segment_encoder import VideoSegmentEncoder
    manims = VideoSegmentEncoder.write_frame
    if manims is fast_encoder.write_frame:  # installed by an earlier test in this process
        pytest.skip("manim's own write_frame is already replaced in this process")
    expected = encode(tmp_path / f"manim.{container}", pix_fmt, codec, container)
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", fast_encoder.write_frame)
    got = encode(tmp_path / f"fast.{container}", pix_fmt, codec, container)
    assert got == expected
    assert got[1] == 24 + 4 * 3  # 24 frames, 4 of them held for 4 frames each


def test_a_frame_that_is_not_rgba_uint8_is_refused_as_before():
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    class Stub:
        _validate_frame = VideoSegmentEncoder._validate_frame
        spec = type("Spec", (), {"height": 180, "width": 320})()
        _closed = False

    with pytest.raises(TypeError, match="uint8"):
        fast_encoder.write_frame(Stub(), np.zeros((180, 320, 4), np.float32))

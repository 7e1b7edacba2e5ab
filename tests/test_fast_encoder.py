"""The fast frame hand-off gives the encoder exactly what Manim's own write_frame gives it."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from relu_explainer_cli import fast_encoder
from relu_explainer_cli.worker import DRAFT_X264_PRESET, X264_PARAMS, X264_PRESET


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


def segment(path: Path, pieces, pix_fmt: str = "yuv420p", codec: str = "libx264", container: str = "mp4",
            preset: str = X264_PRESET) -> Path:
    """Encode (frame, repeat) pieces into one partial movie, as Manim's encoder thread does (x264 with
    the worker's settings: a render's preset, or a preview's)."""
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    x264 = (("preset", preset), ("x264-params", X264_PARAMS)) if codec == "libx264" else ()
    spec = VideoEncoderSpec(container, codec, pix_fmt, 320, 180, Fraction(15), (("threads", "1"),) + x264)
    encoder = VideoSegmentEncoder(target=path, spec=spec)
    for frame, repeat in pieces:
        encoder.write_frame(frame, repeat=repeat)
    encoder.finish()
    return path


def encode(path: Path, pix_fmt: str, codec: str, container: str, hold: int = 4,
           preset: str = X264_PRESET) -> tuple[bytes, int]:
    """Every 6th frame held for `hold` frames, as in a wait; the packets and the count of decoded frames."""
    segment(path, [(frame, hold if i % 6 == 0 else 1) for i, frame in enumerate(frames())], pix_fmt, codec, container,
            preset)
    with av.open(str(path)) as video:
        packets = b"".join(bytes(p) for p in video.demux(video=0))
    with av.open(str(path)) as video:
        count = sum(1 for _ in video.decode(video=0))
    return packets, count


@pytest.mark.parametrize("pix_fmt, codec, container", [
    ("yuv420p", "libx264", "mp4"),      # the explainer's clips
    ("yuva420p", "libvpx-vp9", "webm"),  # --transparent webm
])
def test_the_same_frames_give_the_same_packets_when_no_hold_is_long(tmp_path, monkeypatch, pix_fmt, codec, container):
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


def shown(path: Path) -> list[np.ndarray]:
    """The picture on screen in every frame slot (RGB): a decoded frame lasts until the next starts."""
    from tests.video_frames import frame_times
    times, rate = frame_times(path)
    with av.open(str(path)) as video:
        pictures = [frame.to_ndarray(format="rgb24") for frame in video.decode(video=0)]
    order = np.argsort(times)
    starts = [round(times[i] * rate) for i in order]
    slots = []
    for k, i in enumerate(order):
        end = starts[k + 1] if k + 1 < len(order) else starts[k] + 1
        slots += [pictures[i]] * (end - starts[k])
    return slots


@pytest.mark.parametrize("preset", [X264_PRESET, DRAFT_X264_PRESET])  # renders', previews'
def test_a_long_hold_is_encoded_a_few_times_and_every_frame_slot_shows_the_same_picture(tmp_path, monkeypatch, preset):
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from tests.golden_frames import compare
    manims = VideoSegmentEncoder.write_frame
    if manims is fast_encoder.write_frame:
        pytest.skip("manim's own write_frame is already replaced in this process")
    _, manim_count = encode(tmp_path / "manim.mp4", "yuv420p", "libx264", "mp4", hold=30, preset=preset)
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", fast_encoder.write_frame)
    _, fast_count = encode(tmp_path / "fast.mp4", "yuv420p", "libx264", "mp4", hold=30, preset=preset)
    assert manim_count == 24 + 4 * 29 and fast_count == 24 + 4 * fast_encoder.HOLD_TAIL
    theirs, ours = shown(tmp_path / "manim.mp4"), shown(tmp_path / "fast.mp4")
    source = [frame[..., :3] for i, frame in enumerate(frames()) for _ in range(30 if i % 6 == 0 else 1)]
    assert len(theirs) == len(ours) == len(source) == 140
    for slot, (mine, manim, truth) in enumerate(zip(ours, theirs, source)):
        assert compare(manim, mine).ok, slot  # the golden frames' tolerance: x264's noise, no more
        assert np.abs(mine.astype(int) - truth).mean() <= np.abs(manim.astype(int) - truth).mean() + 0.5, slot


def join(files: list[Path], out: Path) -> Path:
    """Manim's own join of partial movies (SceneFileWriter.combine_files, its mp4 path)."""
    from types import SimpleNamespace

    from manim.scene.scene_file_writer import SceneFileWriter
    writer = SimpleNamespace(_concat_manifest_bytes=SceneFileWriter._concat_manifest_bytes,
                             output_spec=SimpleNamespace(transparent=False, segment_extension=".mp4"))
    SceneFileWriter.combine_files(writer, [str(f) for f in files], out)
    return out


@pytest.mark.parametrize("tail, keeps_length, preset", [(fast_encoder.HOLD_TAIL, True, X264_PRESET),
                                                         (1, False, X264_PRESET),
                                                         (fast_encoder.HOLD_TAIL, True, DRAFT_X264_PRESET)])
def test_a_clip_that_ends_on_a_hold_keeps_its_length_when_manim_joins_it(tmp_path, monkeypatch, tail, keeps_length,
                                                                          preset):
    """Manim's join lets libav rebuild the decoding timestamps from x264's reordering delay: a clip that
    ended on one long frame would lose most of that hold. The tail of frames encoded one by one keeps it
    (with the first and last frame alone, this test sees the loss)."""
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from relu_explainer_cli.worker import video_duration
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", fast_encoder.write_frame)
    monkeypatch.setattr(fast_encoder, "HOLD_TAIL", tail)
    moving = [(frame, 1) for frame in frames(12)]
    still = [(frames(1)[0], 45)]
    parts = [segment(tmp_path / name, piece, preset=preset)
             for name, piece in (("a.mp4", moving), ("b.mp4", still), ("c.mp4", moving), ("d.mp4", still))]
    expected = (12 + 45 + 12 + 45) / 15
    assert sum(video_duration(part) for part in parts) == pytest.approx(expected)
    joined = video_duration(join(parts, tmp_path / "joined.mp4"))
    assert (joined == pytest.approx(expected, abs=1e-3)) is keeps_length, joined


@pytest.mark.parametrize("height, width", [(480, 854), (1080, 1920)])  # a preview's odd chroma width, a render's
def test_the_single_threaded_conversion_gives_the_default_conversions_pixels(height, width):
    """CONVERT_THREADS changes how swscale splits the work, not a pixel of any plane."""
    rgba = np.random.default_rng(7).integers(0, 256, (height, width, 4), dtype=np.uint8)
    source = av.VideoFrame.from_numpy_buffer(rgba, format="rgba")

    def planes(frame):
        return [np.frombuffer(bytes(p), np.uint8).reshape(p.height, p.line_size)[:, :p.width] for p in frame.planes]

    default, ours = planes(source.reformat(format="yuv420p")), planes(
        source.reformat(format="yuv420p", threads=fast_encoder.CONVERT_THREADS))
    assert [p.shape for p in ours] == [(height, width), (height // 2, (width + 1) // 2), (height // 2, (width + 1) // 2)]
    for got, expected in zip(ours, default):
        np.testing.assert_array_equal(got, expected)

"""GIFs: one palette for the clip, flat colours exact in every frame, and the video's own length."""
from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from relu_explainer_cli.gif import MIN_DELAY_CS, Timeline, build_palette, write_gif

BACKGROUND = (22, 24, 29)
DISC = (255, 107, 107, 255)


def write_clip(path: Path, frames: int, rate: int = 15, transparent: bool = False, hold: int = 0,
               size: tuple[int, int] = (96, 64)) -> None:
    """A lossless clip as Manim writes it for a GIF: on a flat background (see-through if
    `transparent`, premultiplied as Manim's ARGB is), a disc with antialiased edges moving right a
    pixel a frame, and a band of 400 shades (more than a palette holds); then the last frame `hold`
    more times, as in a wait."""
    width, height = size
    yy, xx = np.mgrid[0:height, 0:width]
    background = np.array([0, 0, 0, 0] if transparent else [*BACKGROUND, 255], float)
    band = np.zeros((height, width, 4))
    band[-8:, :] = np.stack([np.linspace(0, 255, width), np.linspace(255, 0, width),
                             np.full(width, 128), np.full(width, 255)], axis=1)[None]
    band[-8:, :, 0] += np.arange(8)[:, None] * 0.5  # more distinct colours per column
    with av.open(str(path), "w", format="mov") as out:
        stream = out.add_stream("qtrle", rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "argb" if transparent else "rgb24"
        for i in [*range(frames), *[frames - 1] * hold]:
            cover = np.clip(8 - np.hypot(xx - 12 - i, yy - 24), 0, 1)[..., None]
            rgba = cover * np.array(DISC) + (1 - cover) * background
            rgba[-8:] = band[-8:]
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgba.round().astype(np.uint8)), format="rgba")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def gif_frames(path: Path) -> list[tuple[np.ndarray, int]]:
    """Each stored frame as a viewer composes it (RGBA), with its delay in ms."""
    out = []
    with Image.open(path) as image:
        for index in range(image.n_frames):
            image.seek(index)
            out.append((np.asarray(image.convert("RGBA")), image.info["duration"]))
    return out


def image_descriptors(raw: bytes) -> list[dict]:
    """The GIF's image descriptors, read from its blocks: offset, size, has a local colour table."""
    pos = 13 + (3 << ((raw[10] & 7) + 1) if raw[10] & 0x80 else 0)
    found = []

    def skip_sub_blocks(pos: int) -> int:
        while raw[pos]:
            pos += raw[pos] + 1
        return pos + 1

    while raw[pos] != 0x3B:
        if raw[pos] == 0x21:  # extension: label, then sub-blocks
            pos = skip_sub_blocks(pos + 2)
        elif raw[pos] == 0x2C:
            x, y, w, h, flags = struct.unpack("<HHHHB", raw[pos + 1:pos + 10])
            found.append({"box": (x, y, w, h), "local_palette": bool(flags & 0x80)})
            pos += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            pos = skip_sub_blocks(pos + 1)  # after the LZW code size
        else:
            raise ValueError(f"not a GIF block at byte {pos}")
    return found


@pytest.mark.parametrize("rate", [10, 15, 24, 30, 60])
@pytest.mark.parametrize("frames", [1, 2, 7, 15, 384, 1537])
def test_delays_add_up_to_the_videos_length_and_none_is_too_short(rate, frames):
    line = Timeline(Fraction(rate))
    for i in range(frames):
        line.offer(i, differs=True)
    delays = line.delays(frames)
    assert abs(sum(delays) * 10 - frames * 1000 / rate) <= 1000 / rate  # within one frame
    assert abs(sum(delays) * 10 - frames * 1000 / rate) <= 5 + 10 * (rate > 50)  # half a cs; +1 cs at 60 fps
    assert min(delays) >= MIN_DELAY_CS
    if rate <= 50:
        assert len(delays) == frames  # every frame kept


def test_15_fps_alternates_70_and_60_ms():
    line = Timeline(Fraction(15))
    for i in range(6):
        line.offer(i, differs=True)
    assert line.delays(6) == [7, 6, 7, 7, 6, 7]


def test_a_frame_repeated_after_a_dropped_one_is_still_shown():
    """At 60 fps a changed frame can come too soon; if the next repeats it, that one shows it."""
    line = Timeline(Fraction(60))
    kept = [line.offer(i, differs=True) for i in range(2)] + [line.offer(2, differs=True)]
    assert kept == [True, True, False]  # frame 2 starts 1 cs after frame 1
    assert line.offer(3, differs=True)  # frame 3 equals frame 2, but differs from frame 1: stored


def test_the_flat_colours_are_kept_exact_when_the_shades_do_not_fit():
    rng = np.random.default_rng(0)
    shades = rng.choice(1 << 24, 3000, replace=False)
    flat = np.array([0x16181D, 0xECEFF4, 0xFF6B6B])
    colours = np.unique(np.concatenate([flat, shades]))
    counts = np.where(np.isin(colours, flat), 100_000, 3)
    palette = build_palette(colours, counts, room=255)
    assert len(palette) <= 255
    rows = {tuple(int(v) for v in row) for row in palette}
    assert {(0x16, 0x18, 0x1D), (0xEC, 0xEF, 0xF4), (0xFF, 0x6B, 0x6B)} <= rows


@pytest.mark.parametrize("rate, frames", [(15, 30), (60, 45)])
def test_the_gif_lasts_as_long_as_the_video_with_one_palette_and_an_exact_background(tmp_path, rate, frames):
    write_clip(tmp_path / "clip.mov", frames, rate)
    gif = write_gif(tmp_path / "clip.mov", tmp_path / "clip.gif")
    shown = gif_frames(gif)
    assert abs(sum(d for _, d in shown) - frames * 1000 / rate) <= 1000 / rate
    assert len(shown) == (frames if rate <= 50 else len(shown)) and len(shown) > frames // 2
    for pixels, _ in shown:  # left of the disc's path and above the band: background only
        assert (pixels[:8, :] == (*BACKGROUND, 255)).all()
        assert (pixels[:40, :3] == (*BACKGROUND, 255)).all()
    blocks = image_descriptors(gif.read_bytes())
    assert len(blocks) == len(shown) and not any(b["local_palette"] for b in blocks)
    assert all(b["box"][2:] != (96, 64) for b in blocks[1:])  # later frames store what changed only


def test_a_held_frame_is_stored_once_and_lasts_the_hold(tmp_path):
    write_clip(tmp_path / "clip.mov", 10, hold=20)  # 10 moving frames, then 20 of the last one
    shown = gif_frames(write_gif(tmp_path / "clip.mov", tmp_path / "clip.gif"))
    assert len(shown) == 10
    assert sum(d for _, d in shown) == 2000 and shown[-1][1] == 1400


def test_a_transparent_clip_gives_a_gif_with_one_transparent_index(tmp_path):
    write_clip(tmp_path / "clip.mov", 12, transparent=True)
    gif = write_gif(tmp_path / "clip.mov", tmp_path / "clip.gif")
    with Image.open(gif) as image:
        assert "transparency" in image.info
    for pixels, _ in gif_frames(gif):
        assert (pixels[:8, :, 3] == 0).all()  # the background is see-through
        assert (pixels[-8:, :, 3] == 255).all()  # the band is opaque
        disc = pixels[:-8][pixels[:-8, :, 3] == 255]
        assert len(disc) > 100 and (disc == DISC).all()  # its edge too: no dark fringe


def test_a_failed_write_leaves_no_gif_behind(tmp_path):
    (tmp_path / "clip.mov").write_bytes(b"not a video")
    with pytest.raises(av.error.InvalidDataError):
        write_gif(tmp_path / "clip.mov", tmp_path / "clip.gif")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mov"]


@pytest.mark.parametrize("transparent", [False, True])
def test_a_rendered_gif_has_the_themes_exact_background_and_the_videos_length(tmp_path, transparent):
    from relu_explainer_cli.render import RenderOptions, render_scenes
    from scenes.style import theme

    options = RenderOptions(quality="low", format="gif", transparent=transparent, out_dir=tmp_path, jobs=1,
                            cache=False)
    clip, = render_scenes(["tests.fake_scenes:OtherFakeScene"], {}, options, progress=lambda line: None)
    assert clip.video == tmp_path / "OtherFakeScene.gif" and clip.duration > 0.5
    shown = gif_frames(clip.video)
    assert abs(sum(d for _, d in shown) / 1000 - clip.duration) <= 1 / 15  # within a frame at 15 fps
    background = tuple(int(theme().background[i:i + 2], 16) for i in (1, 3, 5)) + (255,)
    for pixels, _ in shown:  # the top rows: nothing is drawn there
        assert (pixels[:100] == ((0, 0, 0, 0) if transparent else background)).all()
    assert not any(b["local_palette"] for b in image_descriptors(clip.video.read_bytes()))
    assert not list(tmp_path.rglob("*.mov"))

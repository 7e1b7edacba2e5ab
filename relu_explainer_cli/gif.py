"""GIF output: one palette for the whole clip, no dithering, and the video's own timing.

Manim's own GIF dithers every frame (ordered Bayer dither) into a fixed 3-3-2 colour cube, so a
flat background is a pattern of colours it is not (the dark theme's #16181D came out as #000000 and
#002400) that changes wherever anything moves: 104.5 MB for ApproximateSquare's 44.9 s at 480p15.
Here the worker has Manim write a lossless video instead (QuickTime RLE, RGB, or ARGB with
``--transparent``: `use_lossless_source`), and `replace_with_gif` turns it into the GIF (0.84 MB):

- one global palette for the clip (`build_palette`): its flat colours (background, curves, text)
  exactly, and the antialiased shades between them by median cut (Pillow), from frames sampled
  across the clip;
- every pixel mapped to its nearest palette colour, no dither: a flat background is one exact colour
  in every frame, and ffmpeg's GIF encoder (PyAV) stores only the rectangle that changed;
- frame i starts at i·100/fps centiseconds, rounded (`Timeline`): at 15 fps the delays go 7, 6, 7 cs
  and the GIF lasts as long as the video, to half a centisecond; a held frame is stored once;
- with ``--transparent``, pixels under half opacity take the palette's one transparent index, and
  the others their colour un-premultiplied.

>>> Timeline(Fraction(15)).start(3)  # the fourth frame of a 15 fps clip starts at 0.20 s
20
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

__all__ = ["MIN_DELAY_CS", "SAMPLE_FRAMES", "FLAT_SHARE", "TRANSPARENT", "Timeline", "use_lossless_source",
           "build_palette", "nearest", "write_gif", "replace_with_gif"]

MIN_DELAY_CS = 2
"""Shortest delay stored: browsers show a frame of 0 or 1 cs for 10 cs, so above 50 fps frames are dropped."""

SAMPLE_FRAMES = 48
"""How many frames, spread over the clip, the palette is built from."""

FLAT_SHARE = 0.001
"""A colour covering at least this share of the sampled pixels is a flat colour: kept exact."""

TRANSPARENT = 255
"""The palette index of transparent pixels (``--transparent``); the other 255 hold colours."""


@dataclass
class Timeline:
    """Which frames of a `rate` fps video the GIF stores, and when each starts, in centiseconds.

    GIF delays are whole centiseconds. Each frame starts at its own time rounded, so rounding errors
    never add up. A frame equal to the last stored one is not stored again (the stored one lasts
    longer), nor one less than `MIN_DELAY_CS` after it.

    Examples
    --------
    >>> line = Timeline(Fraction(15))
    >>> [line.offer(i, differs=True) for i in range(4)]
    [True, True, True, True]
    >>> line.delays(4)
    [7, 6, 7, 7]
    >>> line = Timeline(Fraction(15))
    >>> [line.offer(i, differs=i != 2) for i in range(4)]  # frame 2 repeats frame 1
    [True, True, False, True]
    >>> line.delays(4)
    [7, 13, 7]
    """

    rate: Fraction
    kept: list[int] = field(default_factory=list)

    def start(self, frame: int) -> int:
        """Centisecond at which `frame` starts: frame·100/rate, halves rounded up."""
        return math.floor(Fraction(100 * frame) / self.rate + Fraction(1, 2))

    def offer(self, frame: int, differs: bool) -> bool:
        """Store `frame` (the next one, `differs` from the last stored one)? Records and says so."""
        if self.kept and not (differs and self.start(frame) - self.start(self.kept[-1]) >= MIN_DELAY_CS):
            return False
        self.kept.append(frame)
        return True

    def delays(self, frames: int) -> list[int]:
        """The delay of each stored frame, for a video of `frames` frames in all.

        They add up to the video's length; only a last frame under `MIN_DELAY_CS` is lengthened to it.
        """
        ends = self.kept[1:] + [frames]
        delays = [self.start(b) - self.start(a) for a, b in zip(self.kept, ends)]
        if delays:
            delays[-1] = max(delays[-1], MIN_DELAY_CS)
        return delays


def use_lossless_source(config) -> bool:
    """If Manim's `config` asks for a GIF, make it write a lossless .mov for `replace_with_gif`.

    Returns True when it did. QuickTime RLE keeps every colour exact (x264's yuv420p would blur the
    colours at each edge into shades no palette holds), and ARGB keeps the alpha of ``--transparent``.
    """
    if config.format != "gif":
        return False
    config.format = "mov"
    config.video_codec = "qtrle"
    config.pixel_format = "argb" if config.transparent else "rgb24"
    return True


def _unpack(colours: np.ndarray) -> np.ndarray:
    """Colours 0xRRGGBB (as `_keys` makes them, alpha ignored) to an (n, 3) int32 array of r, g, b."""
    colours = np.asarray(colours).astype(np.int64)
    return np.stack([(colours >> 16) & 0xFF, (colours >> 8) & 0xFF, colours & 0xFF], axis=1).astype(np.int32)


def _pixels(frame, alpha: bool) -> np.ndarray:
    """A decoded frame as (h, w, 3) RGB or, with `alpha`, (h, w, 4) ARGB: the lossless source's own
    layouts, so no conversion and no copy (any other video is converted)."""
    wanted = "argb" if alpha else "rgb24"
    if frame.format.name != wanted:
        frame = frame.reformat(format=wanted)
    return frame.to_ndarray()


def _keys(pixels: np.ndarray) -> np.ndarray:
    """(h, w, 3) RGB or (h, w, 4) ARGB pixels as (h, w) uint32 colours 0xAARRGGBB (0x00RRGGBB for RGB).

    Manim's ARGB is premultiplied (white text's edge at alpha 152 is 152, 152, 152): the colour is
    divided by the alpha again, since a GIF shows a pixel either whole or not at all.

    >>> _keys(np.array([[[152, 152, 152, 152], [0, 0, 0, 0]]], np.uint8)).tolist() == [[0x98FFFFFF, 0]]
    True
    """
    if pixels.shape[2] == 3:
        rgb, alpha = pixels.astype(np.uint32), np.uint32(0)
    else:
        alpha = pixels[..., 0].astype(np.uint32)
        rgb = (pixels[..., 1:].astype(np.uint32) * 255 + alpha[..., None] // 2) // np.maximum(alpha, 1)[..., None]
        rgb = np.minimum(rgb, 255)
    return (alpha << 24) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _changed(pixels: np.ndarray, before: np.ndarray) -> tuple[slice, slice]:
    """The smallest box of rows and columns holding every pixel that differs from `before`."""
    differs = (pixels != before).reshape(len(pixels), -1)  # rows of bytes: 30x faster than any(axis=2)
    rows = np.flatnonzero(differs.any(axis=1))
    if not rows.size:
        return slice(0, 0), slice(0, 0)
    band = differs[rows[0]:rows[-1] + 1].any(axis=0).reshape(pixels.shape[1], -1)
    columns = np.flatnonzero(band.any(axis=1))
    return slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1)


def build_palette(colours: np.ndarray, counts: np.ndarray, room: int) -> np.ndarray:
    """At most `room` RGB colours for a clip whose sampled pixels have `colours` `counts` times.

    Parameters
    ----------
    colours
        Distinct colours, 0xRRGGBB.
    counts
        How many sampled pixels have each colour.
    room
        Palette entries available.

    Returns
    -------
    np.ndarray
        (k, 3) uint8, k <= room. Every colour is kept exact if they fit; else the flat ones (a share of
        at least `FLAT_SHARE`, the most common first, up to half the room), and the rest of the room
        for median-cut averages of the others, weighted by their counts.

    Examples
    --------
    >>> build_palette(np.array([0x16181D, 0xFFFFFF]), np.array([90, 10]), room=255).tolist()
    [[22, 24, 29], [255, 255, 255]]
    """
    from PIL import Image

    colours = np.asarray(colours)
    counts = np.asarray(counts)
    if len(colours) <= room:
        return _unpack(colours).astype(np.uint8)
    order = np.argsort(-counts, kind="stable")
    flat = order[counts[order] >= FLAT_SHARE * counts.sum()][: room // 2]
    rest = np.setdiff1d(order, flat, assume_unique=True)
    # Pillow's median cut takes pixels: repeat each shade by its count, at most about 2 M pixels.
    scale = min(1.0, 2_000_000 / counts[rest].sum())
    pixels = np.repeat(_unpack(colours[rest]).astype(np.uint8), np.maximum(1, (counts[rest] * scale).astype(int)),
                       axis=0)
    image = Image.frombytes("RGB", (len(pixels), 1), pixels.tobytes())
    quantized = image.quantize(colors=room - len(flat), method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
    used = np.unique(np.asarray(quantized))
    shades = np.array(quantized.getpalette()[: 3 * 256], np.uint8).reshape(-1, 3)[used]
    return np.concatenate([_unpack(colours[flat]).astype(np.uint8), shades])


def nearest(colours: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Index in `palette` ((k, 3) RGB) of the nearest colour (Euclidean in RGB) to each 0xRRGGBB colour.

    Examples
    --------
    >>> nearest(np.array([0x000000, 0xF0F0F0]), np.array([[255, 255, 255], [0, 0, 0]])).tolist()
    [1, 0]
    """
    rgb = _unpack(colours).astype(np.float64)
    palette = np.asarray(palette, np.float64)
    # |c - p|² = |c|² - 2 c·p + |p|²; |c|² is the same for every p. A matrix product, exact in float64.
    offsets = (palette ** 2).sum(axis=1)
    out = np.empty(len(rgb), np.uint8)
    for start in range(0, len(rgb), 4096):  # 4096 x 256 distances at a time: 8 MB
        distances = offsets[None, :] - 2 * rgb[start:start + 4096] @ palette.T
        out[start:start + 4096] = distances.argmin(axis=1)
    return out


@dataclass(frozen=True)
class _Clip:
    """What the GIF needs to know of a video before reading its frames."""

    rate: Fraction
    width: int
    height: int
    alpha: bool
    frames: int  # as the container says; 0 when it does not know


def _probe(video: Path) -> _Clip:
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        rate = Fraction(stream.average_rate or stream.guessed_rate or 15)
        frames = stream.frames
        if not frames and stream.duration and stream.time_base:
            frames = round(float(stream.duration * stream.time_base * rate))
        alpha = any(component.is_alpha for component in stream.codec_context.format.components)
        return _Clip(rate, stream.codec_context.width, stream.codec_context.height, alpha, frames)


def _decode(video: Path):
    """The video's frames, in order, as PyAV frames."""
    import av

    with av.open(str(video)) as container:
        yield from container.decode(container.streams.video[0])


def _scan(video: Path, clip: _Clip) -> tuple[Timeline, int, np.ndarray]:
    """First pass: the frames to store, how many frames there are in all, and the clip's palette.

    Frames are compared as decoded; only the sampled ones are turned into colour keys.
    """
    step = max(1, math.ceil(clip.frames / SAMPLE_FRAMES)) if clip.frames else 1
    timeline, samples, last, count = Timeline(clip.rate), [], None, 0
    for index, frame in enumerate(_decode(video)):
        count += 1
        pixels = _pixels(frame, clip.alpha)
        if timeline.offer(index, differs=last is None or not np.array_equal(pixels, last)):
            last = pixels.copy()  # the decoder may reuse the frame's memory
        if index % step == 0:
            keys = _keys(pixels)
            seen = keys[keys >= 0x80000000] if clip.alpha else keys  # half opaque or more
            samples.append(np.unique(seen & 0xFFFFFF, return_counts=True))
    if not count:
        raise ValueError(f"{video} has no frames")
    colours, where = np.unique(np.concatenate([c for c, _ in samples]), return_inverse=True)
    counts = np.bincount(where, weights=np.concatenate([n for _, n in samples])).astype(np.int64)
    return timeline, count, build_palette(colours, counts, room=255 if clip.alpha else 256)


def _pal8(palette: np.ndarray, alpha: bool) -> np.ndarray:
    """The (256, 4) A, R, G, B table PyAV takes for a pal8 frame."""
    argb = np.zeros((256, 4), np.uint8)
    argb[:, 0] = 255
    argb[:, 1:] = palette[0]  # unused entries repeat a real colour, so none is transparent by accident
    argb[: len(palette), 1:] = palette
    if alpha:
        argb[TRANSPARENT] = 0
    return argb


class _Mapper:
    """Pixels to palette indices, nearest colour, no dither; each colour looked up once a clip."""

    def __init__(self, palette: np.ndarray, alpha: bool) -> None:
        self.palette, self.alpha = palette, alpha
        self.lookup = np.full(1 << 24, -1, np.int16)  # 0xRRGGBB -> index, filled in as colours appear

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        keys = _keys(pixels)
        rgb = keys & 0xFFFFFF
        indices = self.lookup[rgb]
        missing = indices < 0
        if missing.any():
            new = np.unique(rgb[missing])
            self.lookup[new] = nearest(new, self.palette)
            indices = self.lookup[rgb]
        indices = indices.astype(np.uint8)
        if self.alpha:
            indices[keys < 0x80000000] = TRANSPARENT  # under half opaque
        return indices


def write_gif(video: Path, gif: Path) -> Path:
    """Write `video` (lossless, see `use_lossless_source`) as `gif`; returns `gif`.

    Reads the video twice: once for the palette and the timeline (`_scan`), once to write. `gif`
    appears whole or not at all (written beside it, then renamed).

    Examples
    --------
    >>> write_gif(Path("media/ApproximateSquare.mov"), Path("ApproximateSquare.gif"))  # doctest: +SKIP
    PosixPath('ApproximateSquare.gif')
    """
    import av

    clip = _probe(video)
    timeline, count, palette = _scan(video, clip)
    argb = _pal8(palette, clip.alpha)
    starts = {frame: timeline.start(frame) for frame in timeline.kept}
    to_palette = _Mapper(palette, clip.alpha)
    indices, last = np.zeros((clip.height, clip.width), np.uint8), None
    part = gif.with_name(f".{gif.name}.{os.getpid()}.part")
    try:
        with av.open(str(part), "w", format="gif",
                     options={"loop": "0", "final_delay": str(timeline.delays(count)[-1])}) as out:
            stream = out.add_stream("gif", rate=clip.rate)
            stream.width, stream.height, stream.pix_fmt = clip.width, clip.height, "pal8"
            stream.codec_context.time_base = Fraction(1, 100)
            for index, decoded in enumerate(_decode(video)):
                if index not in starts:
                    continue
                pixels = _pixels(decoded, clip.alpha)
                # Map only what changed since the frame stored last: most of a frame stands still.
                box = (slice(None), slice(None)) if last is None else _changed(pixels, last)
                indices[box] = to_palette(pixels[box])
                last = pixels.copy()
                frame = av.VideoFrame.from_ndarray((indices, argb), format="pal8")
                frame.pts, frame.time_base = starts[index], Fraction(1, 100)
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        os.replace(part, gif)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return gif


def replace_with_gif(video: Path) -> Path:
    """Write `video` as a GIF beside it (same name, .gif), remove `video`, and return the GIF's path.

    Examples
    --------
    >>> replace_with_gif(Path("media/ApproximateSquare.mov"))  # doctest: +SKIP
    PosixPath('media/ApproximateSquare.gif')
    """
    gif = write_gif(video, video.with_suffix(".gif"))
    video.unlink()
    return gif


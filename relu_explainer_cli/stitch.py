"""Join the scenes' clips into one video with PyAV (stream copy, no ffmpeg binary), plus its subtitles
and chapter list.

The clips share codec, size and frame rate (one render's settings), so their packets are remuxed as
they are: no re-encoding. Clip k starts at the sum of the durations before it; the merged .srt and the
chapters use the same offsets. Every file is written under a temporary name and renamed into place.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Sequence

from .errors import RenderError
from .render import Clip, atomic_write_text, readable

__all__ = ["Chapter", "Stitched", "stitch", "concat_videos", "merge_srt", "chapters_text",
           "chapter_stamp", "TOLERANCE"]

TOLERANCE = 0.5
"""Seconds the joined video's length may differ from the sum of its clips."""


@dataclass(frozen=True)
class Chapter:
    scene: str
    start: float
    duration: float


@dataclass(frozen=True)
class Stitched:
    video: Path
    srt: Path
    chapters_txt: Path
    chapters_json: Path
    duration: float
    chapters: tuple[Chapter, ...]


def chapter_stamp(seconds: float) -> str:
    """'MM:SS', or 'H:MM:SS' from an hour on (YouTube's chapter style).

    >>> chapter_stamp(0), chapter_stamp(75.9), chapter_stamp(3725)
    ('00:00', '01:15', '1:02:05')
    """
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def chapters_text(chapters: Sequence[Chapter]) -> str:
    """One line a chapter: '00:00 ReluUnit'.

    >>> print(chapters_text([Chapter("A", 0, 5), Chapter("B", 5, 3)]), end="")
    00:00 A
    00:05 B
    """
    return "".join(f"{chapter_stamp(c.start)} {c.scene}\n" for c in chapters)


def merge_srt(parts: Sequence[tuple[Path | None, float]]) -> str:
    """One .srt from (clip's .srt or None, clip's start in seconds) pairs, renumbered in order.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.srt").write_text("1\\n00:00:00,000 --> 00:00:01,000\\nhello\\n")
    >>> print(merge_srt([(d / "a.srt", 0.0), (None, 1.0), (d / "a.srt", 2.5)]), end="")
    1
    00:00:00,000 --> 00:00:01,000
    hello
    <BLANKLINE>
    2
    00:00:02,500 --> 00:00:03,500
    hello
    <BLANKLINE>
    """
    import srt
    merged = []
    for path, start in parts:
        if path is None or not Path(path).exists():
            continue
        shift = timedelta(seconds=start)
        for sub in srt.parse(Path(path).read_text(encoding="utf-8")):
            merged.append(srt.Subtitle(0, sub.start + shift, sub.end + shift, sub.content))
    return srt.compose(merged, reindex=True, start_index=1)


def _manifest(paths: Sequence[Path]) -> bytes:
    lines = ["ffconcat version 1.0"]
    for path in paths:
        quoted = str(Path(path).resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
    return ("\n".join(lines) + "\n").encode()


def _duration(path: Path) -> float:
    from .worker import video_duration
    return video_duration(path)


def concat_videos(videos: Sequence[Path], out: Path) -> float:
    """Join `videos` into `out` by stream copy (written to a temporary file, then renamed).

    Checks the result lasts the sum of the inputs (within TOLERANCE) and that its first and last
    frames decode; returns its duration in seconds.
    """
    import av
    if not videos:
        raise RenderError("nothing to stitch: no clips")
    expected = sum(_duration(v) for v in videos)
    suffix = out.suffix
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=f".part{suffix}")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        manifest = BytesIO(_manifest(videos))
        with av.open(manifest, format="concat", options={"safe": "0"}) as source:
            stream = source.streams.video[0]
            with av.open(str(tmp), mode="w", format=suffix.lstrip(".") if suffix != ".mp4" else "mp4") as sink:
                target = sink.add_stream_from_template(template=stream)
                if stream.metadata.get("alpha_mode") == "1":  # transparent webm: keep its alpha
                    target.pix_fmt = "yuva420p"
                    target.metadata["alpha_mode"] = "1"
                for packet in source.demux(stream):
                    if packet.dts is None:  # demux's flushing packets
                        continue
                    packet.dts = None  # consecutive files' dts may not increase; let libav compute them
                    packet.stream = target
                    sink.mux(packet)
        duration = _duration(tmp)
        if abs(duration - expected) > TOLERANCE:
            raise RenderError(f"the joined video lasts {duration:.2f} s but its clips add up to "
                              f"{expected:.2f} s; not replacing {out}")
        _check_plays(tmp)
        readable(tmp)
        os.replace(tmp, out)
        return duration
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_plays(path: Path) -> None:
    """Decode the first frame and the last one; raise RenderError if either fails."""
    import av
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            first = next(container.decode(stream), None)
            if first is None:
                raise RenderError(f"the joined video {path.name} has no frames")
            # Seek near the end and decode to the last frame.
            if stream.duration:
                container.seek(max(0, int(stream.duration) - int(1 / stream.time_base)), stream=stream,
                               backward=True, any_frame=False)
            last = None
            for last in container.decode(stream):
                pass
            if last is None:
                raise RenderError(f"the joined video {path.name}: its last frames do not decode")
    except av.error.FFmpegError as error:
        raise RenderError(f"the joined video does not play: {error}") from None


def stitch(clips: Sequence[Clip], out_dir: Path, name: str = "relu_explainer") -> Stitched:
    """Write out_dir/<name>.mp4, <name>.srt, <name>_chapters.txt and <name>_chapters.json."""
    out_dir = Path(out_dir)
    clips = list(clips)
    if not clips:
        raise RenderError("nothing to stitch: no clips")
    suffix = clips[0].video.suffix
    video = out_dir / f"{name}{suffix}"
    chapters = []
    start = 0.0
    for clip in clips:
        chapters.append(Chapter(clip.scene, round(start, 3), round(clip.duration, 3)))
        start += clip.duration
    duration = concat_videos([c.video for c in clips], video)
    srt_path = out_dir / f"{name}.srt"
    atomic_write_text(srt_path, merge_srt([(c.srt, ch.start) for c, ch in zip(clips, chapters)]))
    txt = out_dir / f"{name}_chapters.txt"
    atomic_write_text(txt, chapters_text(chapters))
    js = out_dir / f"{name}_chapters.json"
    atomic_write_text(js, json.dumps([c.__dict__ for c in chapters], indent=2) + "\n")
    return Stitched(video, srt_path, txt, js, duration, tuple(chapters))

"""Join the scenes' clips into one video with PyAV (no ffmpeg binary): one continuous soundtrack, chapter
marks with readable titles and a soft subtitle track inside it, and beside it the .srt, a WebVTT file,
a chaptered transcript of the narration and the chapter list.

The clips share codec, size and frame rate (one render's settings), so their video packets are remuxed
as they are: no re-encoding. Clip k starts at the sum of the durations before it; its sound, the merged
subtitles and the chapters use the same offsets. The sound is decoded clip by clip and encoded again as
one track (AAC in mp4, Opus in webm): a clip without sound contributes silence of its length, so every
later voice stays on its picture. Every file is written under a temporary name and renamed into place.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import RenderError
from .render import Clip, atomic_write, readable
from .soundtrack import RATE, Mark, fit, picture_seconds, read_audio, to_channels, write_av
from .subtitles import Cue, merge_cues, read_srt, srt_text, transcript_markdown, vtt_text

__all__ = ["Chapter", "Stitched", "stitch", "concat_videos", "merge_srt", "chapters_text",
           "chapter_stamp", "soundtrack", "TOLERANCE", "DEFAULT_TITLE"]

TOLERANCE = 0.5
"""Seconds the joined video's length may differ from the sum of its clips."""
DEFAULT_TITLE = "How ReLU networks bend lines"


@dataclass(frozen=True)
class Chapter:
    """One clip's place in the stitched video; `title` is the scene's readable one (may be empty)."""

    scene: str
    start: float
    duration: float
    title: str = ""

    @property
    def label(self) -> str:
        """The title a player shows: the scene's `title`, else its class name.

        >>> Chapter("TwoNeuronRegions", 0, 1, "Two neurons, four cases").label, Chapter("Mine", 0, 1).label
        ('Two neurons, four cases', 'Mine')
        """
        return self.title or self.scene


@dataclass(frozen=True)
class Stitched:
    """What `stitch` wrote: the video, the files beside it, its length, its chapters, whether it has sound."""

    video: Path
    srt: Path
    vtt: Path
    transcript: Path
    chapters_txt: Path
    chapters_json: Path
    duration: float
    chapters: tuple[Chapter, ...]
    has_audio: bool = False


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
    """One line a chapter, YouTube's style: '00:00 What a ReLU is'.

    >>> print(chapters_text([Chapter("A", 0, 5, "First things"), Chapter("B", 5, 3)]), end="")
    00:00 First things
    00:05 B
    """
    return "".join(f"{chapter_stamp(c.start)} {c.label}\n" for c in chapters)


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
    return srt_text(merge_cues((read_srt(path), start) for path, start in parts))


def _duration(path: Path) -> float:
    return picture_seconds(path)


def soundtrack(videos: Sequence[Path], durations: Sequence[float], rate: int = RATE) -> np.ndarray | None:
    """The clips' sound one after another, each cut or padded to its clip's length; None if all are silent.

    Clip k's sound starts at sample round(rate · (d_0 + … + d_(k-1))), so rounding never accumulates.
    """
    tracks = [read_audio(video, rate) for video in videos]
    if all(track is None for track in tracks):
        return None
    channels = max(track.shape[0] for track in tracks if track is not None)
    bounds = np.rint(np.concatenate([[0.0], np.cumsum(durations)]) * rate).astype(int)
    parts = [fit(to_channels(track, channels) if track is not None else np.zeros((channels, 0), np.float32),
                 int(end - start)) for track, start, end in zip(tracks, bounds, bounds[1:])]
    return np.concatenate(parts, axis=1)


def concat_videos(videos: Sequence[Path], out: Path, *, cues: Sequence[Cue] = (),
                  chapters: Sequence[Mark] = ()) -> float:
    """Join `videos` into `out` (written to a temporary file, then renamed): their pictures by stream copy,
    their sound as one track, with `cues` as soft subtitles and `chapters` as chapter marks.

    Checks the result lasts the sum of the inputs (within TOLERANCE) and that its first and last
    frames decode; returns its duration in seconds.
    """
    if not videos:
        raise RenderError("nothing to stitch: no clips")
    durations = [_duration(v) for v in videos]
    expected = sum(durations)
    suffix = out.suffix
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=f".part{suffix}")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write_av(tmp, videos, durations, audio=soundtrack(videos, durations), cues=cues, chapters=chapters)
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


def _has_audio(path: Path) -> bool:
    import av
    with av.open(str(path)) as container:
        return bool(container.streams.audio)


def stitch(clips: Sequence[Clip], out_dir: Path, name: str = "relu_explainer",
           title: str = DEFAULT_TITLE) -> Stitched:
    """Write out_dir/<name>.mp4 (or .webm, as the clips are) with sound, subtitles and chapters inside,
    and beside it <name>.srt, <name>.vtt, <name>_transcript.md, <name>_chapters.txt and .json."""
    out_dir = Path(out_dir)
    clips = list(clips)
    if not clips:
        raise RenderError("nothing to stitch: no clips")
    suffix = clips[0].video.suffix
    video = out_dir / f"{name}{suffix}"
    chapters = []
    start = 0.0
    for clip in clips:
        length = _duration(clip.video)  # what the join uses, so chapters, cues and sound share its offsets
        chapters.append(Chapter(clip.scene, round(start, 3), round(length, 3), getattr(clip, "title", "")))
        start += length
    cues = merge_cues((read_srt(clip.srt), chapter.start) for clip, chapter in zip(clips, chapters))
    marks = [Mark(c.start, c.start + c.duration, c.label) for c in chapters]
    duration = concat_videos([c.video for c in clips], video, cues=cues, chapters=marks)
    srt_path = out_dir / f"{name}.srt"
    atomic_write(srt_path, srt_text(cues))
    vtt = out_dir / f"{name}.vtt"
    atomic_write(vtt, vtt_text(cues))
    transcript = out_dir / f"{name}_transcript.md"
    atomic_write(transcript, transcript_markdown(
        title, [(m.title, m.start, m.end) for m in marks], cues, video_name=video.name, duration=duration))
    txt = out_dir / f"{name}_chapters.txt"
    atomic_write(txt, chapters_text(chapters))
    js = out_dir / f"{name}_chapters.json"
    atomic_write(js, json.dumps([asdict(c) for c in chapters], indent=2, ensure_ascii=False) + "\n")
    return Stitched(video, srt_path, vtt, transcript, txt, js, duration, tuple(chapters), _has_audio(video))

"""Subtitles as data: read .srt (the `srt` library), shift and merge them, write .srt, WebVTT and a transcript.

The one .srt reader of the project (slides and stitching both use it). Times are seconds from the start
of the video the cues belong to.

>>> cues = parse_srt("1\\n00:00:01,000 --> 00:00:02,500\\ng is a ReLU\\n")
>>> cues
[Cue(start=1.0, end=2.5, text='g is a ReLU')]
>>> print(vtt_text(merge_cues([(cues, 0.0), (cues, 10.0)])), end="")
WEBVTT
<BLANKLINE>
1
00:00:01.000 --> 00:00:02.500
g is a ReLU
<BLANKLINE>
2
00:00:11.000 --> 00:00:12.500
g is a ReLU
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Iterable, Sequence

from narration.cues import Cue, ends_sentence

__all__ = ["Cue", "parse_srt", "read_srt", "merge_cues", "srt_text", "vtt_text", "vtt_stamp",
           "transcript_markdown", "PARAGRAPH_GAP"]

PARAGRAPH_GAP = 0.45
"""Seconds of silence between two cues that start a new paragraph in the transcript (a beat's breath)."""


def parse_srt(text: str) -> list[Cue]:
    """The cues of an .srt text, in the file's order (lenient: a damaged block is skipped, not fatal).

    >>> parse_srt("1\\r\\n00:00:00,000 --> 00:01:02,000\\r\\ntwo\\r\\nlines\\r\\n")
    [Cue(start=0.0, end=62.0, text='two\\nlines')]
    """
    import srt
    return [Cue(sub.start.total_seconds(), sub.end.total_seconds(), sub.content.strip())
            for sub in srt.parse(text.replace("\r\n", "\n"), ignore_errors=True)]


def read_srt(path: Path | str | None) -> list[Cue]:
    """The cues of an .srt file; none when there is no file (a scene that says nothing).

    >>> read_srt(None), read_srt("no/such/file.srt")
    ([], [])
    """
    if path is None or not Path(path).is_file():
        return []
    return parse_srt(Path(path).read_text(encoding="utf-8-sig"))


def merge_cues(parts: Iterable[tuple[Sequence[Cue], float]]) -> list[Cue]:
    """One list from (cues of a clip, the clip's start in seconds) pairs, each cue shifted by its start.

    >>> merge_cues([([Cue(0.5, 1.0, "hi")], 3.0), ([], 4.0)])
    [Cue(start=3.5, end=4.0, text='hi')]
    """
    return [Cue(round(cue.start + start, 6), round(cue.end + start, 6), cue.text)
            for cues, start in parts for cue in cues]


def srt_text(cues: Sequence[Cue]) -> str:
    """An .srt file of `cues`, numbered from 1.

    >>> print(srt_text([Cue(2.5, 3.5, "hello")]), end="")
    1
    00:00:02,500 --> 00:00:03,500
    hello
    <BLANKLINE>
    """
    import srt
    subs = [srt.Subtitle(0, timedelta(seconds=c.start), timedelta(seconds=c.end), c.text) for c in cues]
    return srt.compose(subs, reindex=True, start_index=1)


def vtt_stamp(seconds: float) -> str:
    """WebVTT's 'HH:MM:SS.mmm'.

    >>> vtt_stamp(0), vtt_stamp(3725.0625)
    ('00:00:00.000', '01:02:05.062')
    """
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def vtt_text(cues: Sequence[Cue]) -> str:
    """A WebVTT file of `cues` (what a browser's <track> reads); & < > escaped as the format asks.

    >>> print(vtt_text([Cue(0, 1, "a <b> & c")]).splitlines()[-1])
    a &lt;b&gt; &amp; c
    """
    blocks = ["WEBVTT\n"]
    for number, cue in enumerate(cues, start=1):
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = re.sub(r"\n\s*\n", "\n", text)  # a blank line would end the cue
        blocks.append(f"{number}\n{vtt_stamp(cue.start)} --> {vtt_stamp(cue.end)}\n{text}\n")
    return "\n".join(blocks)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _stamp(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _paragraphs(cues: Sequence[Cue], gap: float) -> list[tuple[float, str]]:
    """(start, text) of each sentence: a cue that ends one, or `gap` seconds of quiet, ends a paragraph.

    >>> _paragraphs([Cue(0, 1, "Flat,"), Cue(1, 2, "then a ramp."), Cue(2, 3, "Next"), Cue(4, 5, "one")], 0.5)
    [(0, 'Flat, then a ramp.'), (2, 'Next'), (4, 'one')]
    """
    paragraphs: list[tuple[float, list[str]]] = []
    last: Cue | None = None
    for cue in cues:
        words = " ".join(cue.text.split())
        if not words:
            continue
        if last is None or cue.start - last.end >= gap or ends_sentence(last.text):
            paragraphs.append((cue.start, []))
        paragraphs[-1][1].append(words)
        last = cue
    return [(start, " ".join(parts)) for start, parts in paragraphs]


def transcript_markdown(title: str, chapters: Sequence[tuple[str, float, float]], cues: Sequence[Cue],
                        *, video_name: str = "", duration: float | None = None,
                        gap: float = PARAGRAPH_GAP) -> str:
    """The narration as a handout: a heading per chapter (title, start, end), a paragraph a sentence,
    each with its time in the video.

    A cue belongs to the chapter its start falls in; a paragraph also ends after `gap` seconds of quiet.

    >>> print(transcript_markdown("Bends", [("What a ReLU is", 0.0, 5.0), ("Depth", 5.0, 9.0)],
    ...       [Cue(0.2, 1.0, "g is a ReLU:"), Cue(1.0, 2.0, "flat, then\\na ramp."), Cue(6.0, 7.0, "2*x")],
    ...       video_name="talk.mp4", duration=9.0),
    ...       end="")
    # Bends
    <BLANKLINE>
    The narration of talk.mp4 (00:09), in 2 chapters.
    <BLANKLINE>
    ## 00:00 What a ReLU is
    <BLANKLINE>
    **00:00** g is a ReLU: flat, then a ramp.
    <BLANKLINE>
    ## 00:05 Depth
    <BLANKLINE>
    **00:06** 2\\*x
    """
    source = f" of {video_name}" if video_name else ""
    if duration is not None:
        source += f" ({_stamp(duration)})"
    count = len(chapters)
    lines = [f"# {title}", "", f"The narration{source}, in {count} chapter{'s' if count != 1 else ''}.", ""]
    for number, (heading, start, end) in enumerate(chapters):
        last = number == count - 1
        inside = [c for c in cues if start <= c.start and (c.start < end or last)]
        lines += [f"## {_stamp(start)} {heading}", ""]
        for at, text in _paragraphs(inside, gap):
            lines += [f"**{_stamp(at)}** {_escape_markdown(text)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"

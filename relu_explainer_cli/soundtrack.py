"""The sound of every output, and the muxing of picture, voice, soft subtitles and chapters (PyAV, no ffmpeg).

Manim 0.22 mixes a scene's `add_sound` calls (pydub) and muxes them into the clip, but short of what
the outputs need, measured on a 1.7 s clip with a tone at 0.5 s: in mp4 the AAC track starts 21 ms
late (Manim muxes the encoder's 1024 priming samples from a raw .aac file, which has no edit list to
skip them); the track ends where the last sound ends (1.0 s), not where the picture does (an
ExplainerScene pads it; a plain Scene does not); and the clips of `--save_sections` get no sound at
all. Its webm is already Opus (the PyAV wheel has no libvorbis, so Manim falls back to libopus).
`fix_clip_audio`, which the worker calls after each render, rewrites the clip's track from the scene's
own mix, as long as the picture and starting at its first frame (measured: the tone within 0.1 ms),
and gives each section clip its stretch of it.

Sound here is a float32 array of shape (channels, samples) at RATE.

>>> import numpy as np
>>> fit(np.ones((1, 3), np.float32), 5).tolist()
[[1.0, 1.0, 1.0, 0.0, 0.0]]
>>> to_channels(np.array([[0.5, -0.5]], np.float32), 2).tolist()
[[0.5, -0.5], [0.5, -0.5]]
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

import numpy as np

if TYPE_CHECKING:
    from .subtitles import Cue

__all__ = ["RATE", "AUDIO_CODECS", "SUBTITLE_CODECS", "Mark", "fit", "to_channels", "resample",
           "segment_samples", "read_audio", "picture_seconds", "write_av", "fix_clip_audio", "add_audio",
           "add_section_audio"]

RATE = 48_000
"""Samples a second of every track written: Opus's only rate, and AAC's usual one."""
AUDIO_CODECS = {".mp4": "aac", ".webm": "libopus"}
SUBTITLE_CODECS = {".mp4": "mov_text", ".webm": "webvtt"}
BIT_RATE = 96_000  # a voice; 128 kb/s for stereo
_TIME_BASE_MS = Fraction(1, 1000)
# FFmpeg's text subtitle encoders (mov_text, webvtt) read their cues as ASS events and need a header.
_ASS_HEADER = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
    "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
    "Alignment, MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,Sans,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n").encode()


@dataclass(frozen=True)
class Mark:
    """A chapter mark: seconds from the start of the video, and its readable title."""

    start: float
    end: float
    title: str


def fit(samples: np.ndarray, length: int) -> np.ndarray:
    """`samples` cut or padded with silence to exactly `length` samples."""
    if samples.shape[1] >= length:
        return samples[:, :length]
    return np.pad(samples, ((0, 0), (0, length - samples.shape[1])))


def to_channels(samples: np.ndarray, channels: int) -> np.ndarray:
    """Mono to stereo by copying, stereo to mono by averaging."""
    if samples.shape[0] == channels:
        return samples
    if channels == 1:
        return samples.mean(axis=0, keepdims=True, dtype=np.float32)
    return np.repeat(samples[:1], channels, axis=0)


def _layout(channels: int) -> str:
    return "mono" if channels == 1 else "stereo"


def _frame(samples: np.ndarray, rate: int, pts: int):
    import av
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32), format="fltp",
                                       layout=_layout(samples.shape[0]))
    frame.sample_rate = rate
    frame.pts = pts
    frame.time_base = Fraction(1, rate)
    return frame


def _resampled(frames: Iterable[Any], channels: int, rate: int) -> np.ndarray:
    import av
    resampler = av.AudioResampler(format="fltp", layout=_layout(channels), rate=rate)
    chunks = [out.to_ndarray() for frame in frames for out in resampler.resample(frame)]
    chunks += [out.to_ndarray() for out in resampler.resample(None)]
    return np.concatenate(chunks, axis=1) if chunks else np.zeros((channels, 0), np.float32)


def resample(samples: np.ndarray, from_rate: int, to_rate: int = RATE) -> np.ndarray:
    """`samples` at `to_rate`, exactly round(n·to/from) of them (libswresample, as FFmpeg does)."""
    length = round(samples.shape[1] * to_rate / from_rate)
    if from_rate == to_rate or samples.shape[1] == 0:
        return fit(samples.astype(np.float32), length)
    channels = min(samples.shape[0], 2)
    return fit(_resampled([_frame(to_channels(samples, channels), from_rate, 0)], channels, to_rate), length)


def segment_samples(segment: Any, rate: int = RATE) -> np.ndarray:
    """A pydub AudioSegment (Manim's mix of a scene's sounds) as float samples at `rate`."""
    width = segment.sample_width
    dtype = {1: np.int8, 2: np.dtype("<i2"), 4: np.dtype("<i4")}[width]
    data = np.frombuffer(segment.raw_data, dtype=dtype).reshape(-1, segment.channels).T
    return resample(data.astype(np.float32) / float(1 << (8 * width - 1)), segment.frame_rate, rate)


def read_audio(path: Path, rate: int = RATE) -> np.ndarray | None:
    """The first audio track of a file, decoded, with sample 0 at the file's time 0; None if it has none."""
    import av
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        channels = 1 if stream.codec_context.layout.nb_channels == 1 else 2
        start: list[float] = []

        def frames() -> Iterator[Any]:
            for frame in container.decode(stream):
                if not start and frame.pts is not None:
                    start.append(float(frame.pts * frame.time_base))
                yield frame

        samples = _resampled(frames(), channels, rate)
    lead = round((start[0] if start else 0.0) * rate)
    if lead > 0:
        return np.pad(samples, ((0, 0), (lead, 0)))
    return samples[:, -lead:]


def _audio_packets(stream: Any, samples: np.ndarray, rate: int) -> list[Any]:
    packets = []
    step = rate // 5
    for at in range(0, samples.shape[1], step):
        packets += stream.encode(_frame(samples[:, at:at + step], rate, at))
    return packets + list(stream.encode(None))


def _ass_text(text: str) -> str:
    """A cue's text as an ASS event's: FFmpeg's encoders read braces as style overrides, with no escape."""
    text = text.replace("\\", "\u29f5").replace("{", "(").replace("}", ")")
    return "\\N".join(line.strip() for line in text.strip().splitlines())


def _subtitle_packets(stream: Any, cues: Sequence[Cue]) -> list[Any]:
    from av.subtitles.subtitle import SubtitleSet
    packets = []
    for number, cue in enumerate(cues):
        start, end = round(cue.start * 1000), round(cue.end * 1000)
        if end <= start:
            continue
        event = f"{number},0,Default,,0,0,0,,{_ass_text(cue.text)}".encode()
        packet = stream.codec_context.encode_subtitle(SubtitleSet.create(event, 0, end - start, start))
        packet.time_base = _TIME_BASE_MS
        packets.append(packet)
    return packets


def _copy_video_stream(sink: Any, template: Any) -> Any:
    target = sink.add_stream_from_template(template=template)
    if template.metadata.get("alpha_mode") == "1":  # transparent webm: keep its alpha
        target.pix_fmt = "yuva420p"
        target.metadata["alpha_mode"] = "1"
    return target


def _frame_time(stream: Any) -> Fraction | None:
    rate = stream.average_rate or stream.guessed_rate
    return 1 / Fraction(rate) if rate else None


def picture_seconds(path: Path) -> float:
    """How long a video's pictures last: the end of its last frame, read from its packets.

    Not the container's duration: Manim's webm stores no frame durations, so its header says where the
    last frame starts (a frame short), or where the sound ends when that is later.
    """
    import av
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = _frame_time(stream)
        last = None
        for packet in container.demux(stream):
            if packet.pts is not None and (last is None or packet.pts > last[0]):
                last = (packet.pts, packet.duration, packet.time_base)
    if last is None:
        return 0.0
    pts, duration, time_base = last
    return float(pts * time_base + (duration * time_base if duration else (frame or 0)))


def _video_packets(videos: Sequence[Path], starts: Sequence[float]) -> Iterator[Any]:
    """Each file's video packets in turn, shifted to start where its predecessors end."""
    import av
    for path, start in zip(videos, starts):
        with av.open(str(path)) as source:
            stream = source.streams.video[0]
            frame = _frame_time(stream)
            for packet in source.demux(stream):
                if packet.dts is None:  # demux's flushing packets
                    continue
                if packet.pts is not None:
                    packet.pts += round(start / packet.time_base)
                if not packet.duration and frame:  # so the written file knows where its last frame ends
                    packet.duration = round(frame / packet.time_base)
                packet.dts = None  # consecutive files' dts may not increase; let libav compute them
                yield packet


def write_av(out: Path, videos: Sequence[Path], durations: Sequence[float] = (), *,
             audio: np.ndarray | None = None, rate: int = RATE, cues: Sequence[Cue] = (),
             chapters: Sequence[Mark] = (), language: str = "eng") -> None:
    """Write `out` (.mp4 or .webm, by its suffix): the pictures of `videos` one after another, copied
    packet for packet, `audio` encoded (AAC in mp4, Opus in webm), `cues` as a soft subtitle track
    (mov_text in mp4, WebVTT in webm) and `chapters` as the container's chapter marks.

    Video k starts at durations[0] + … + durations[k-1] (the videos share codec, size and rate: one
    render's settings). Audio, subtitles and video are muxed interleaved by time.
    """
    import av
    suffix = Path(out).suffix.lower()
    if suffix not in AUDIO_CODECS:
        raise ValueError(f"cannot write sound into {out}: only mp4 and webm carry it")
    starts = np.concatenate([[0.0], np.cumsum(durations)])[:len(videos)].tolist()
    if len(starts) < len(videos):
        raise ValueError("every video but the last needs its duration")
    with av.open(str(out), mode="w", format=suffix.lstrip(".")) as sink:
        if chapters:
            sink.set_chapters([{"id": number, "start": round(mark.start * 1000), "end": round(mark.end * 1000),
                                "time_base": _TIME_BASE_MS, "metadata": {"title": mark.title}}
                               for number, mark in enumerate(chapters, start=1)])
        with av.open(str(videos[0])) as first:
            target = _copy_video_stream(sink, first.streams.video[0])
        extras: list[tuple[float, Any, Any]] = []
        if audio is not None and audio.shape[1]:
            sound = sink.add_stream(AUDIO_CODECS[suffix], rate=rate, layout=_layout(audio.shape[0]))
            sound.bit_rate = BIT_RATE if audio.shape[0] == 1 else 4 * BIT_RATE // 3
            if AUDIO_CODECS[suffix] == "aac":  # on a 56 s voice: 1.7x as fast as the default, and closer
                sound.codec_context.options = {"aac_coder": "fast"}  # to it (SNR 42 dB against 27)
            sound.metadata["language"] = language
            extras += [(float(p.pts * p.time_base), sound, p) for p in _audio_packets(sound, audio, rate)]
        if cues:
            text = sink.add_stream(SUBTITLE_CODECS[suffix])
            text.codec_context.subtitle_header = _ASS_HEADER
            text.time_base = _TIME_BASE_MS
            text.metadata["language"] = language
            text.metadata["title"] = "Narration"
            extras += [(float(p.pts * p.time_base), text, p) for p in _subtitle_packets(text, cues)]
        extras.sort(key=lambda item: item[0])
        pending = 0
        for packet in _video_packets(videos, starts):
            at = float(packet.pts * packet.time_base) if packet.pts is not None else 0.0
            while pending < len(extras) and extras[pending][0] <= at:
                _, stream, extra = extras[pending]
                extra.stream = stream
                sink.mux(extra)
                pending += 1
            packet.stream = target
            sink.mux(packet)
        for _, stream, extra in extras[pending:]:
            extra.stream = stream
            sink.mux(extra)


def add_audio(video: Path, audio: np.ndarray, rate: int = RATE) -> None:
    """Replace `video`'s sound with `audio`, cut or padded to the picture's length; one rename at the end."""
    video = Path(video)
    length = round(picture_seconds(video) * rate)
    fd, tmp = tempfile.mkstemp(dir=video.parent, prefix=f".{video.stem}.", suffix=f".sound{video.suffix}")
    os.close(fd)
    try:
        write_av(Path(tmp), [video], audio=fit(audio, length), rate=rate)
        os.chmod(tmp, os.stat(video).st_mode & 0o777)
        os.replace(tmp, video)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_section_audio(index: Path, sound: np.ndarray, rate: int = RATE) -> int:
    """Give each section clip of a scene (Manim's JSON `index` of them) its stretch of the scene's
    `sound`; return how many. Section k starts where the pictures of the sections before it end, as
    in the scene's whole video (the same partial movies, joined in the same order)."""
    start, count = 0, 0
    for entry in json.loads(Path(index).read_text(encoding="utf-8")):
        clip = Path(index).parent / entry["video"]
        length = round(picture_seconds(clip) * rate)
        add_audio(clip, sound[:, start:start + length], rate)
        start += length
        count += 1
    return count


def fix_clip_audio(video: Path, writer: Any) -> bool:
    """After Manim wrote `video`: give it the scene's sound as a full-length, in-sync track, and each
    of its section clips (with --save_sections) its own stretch of that sound (Manim gives them none).

    `writer` is the scene's SceneFileWriter; a scene that added no sound is left as it is (silent).
    The sound comes from Manim's own mix, before any encoding: a beat's clip cut out of the encoded
    track would carry the pre-echo of the next beat's first word. Returns whether the clip has sound.
    """
    from manim import config
    video = Path(video)
    if video.suffix.lower() not in AUDIO_CODECS or not getattr(writer, "includes_sound", False):
        return False
    sound = segment_samples(writer.audio_segment)
    add_audio(video, sound)
    index = getattr(writer.output_plan, "section_index", None)
    if config.save_sections and index is not None and Path(index).is_file():
        add_section_audio(Path(index), sound)
    return True

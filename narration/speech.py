"""Speech: the audio a voice made for one text, and when each of its words is spoken.

A `Speech` holds mono 16-bit samples, their rate and one `Word` per whitespace-separated token of the
text it says, so captions can be timed by the words of the text itself.

>>> speech = Speech(np.zeros(8000, dtype=np.int16), 16000, (Word("Hello", 0.01, 0.2), Word("there.", 0.25, 0.45)))
>>> speech.duration, speech.text
(0.5, 'Hello there.')
>>> Speech.from_wav(speech.wav_bytes()) == speech.without_words()
True
"""
from __future__ import annotations

import io
import wave
from dataclasses import dataclass, field, replace

import numpy as np

__all__ = ["Word", "Speech", "LEAD_SECONDS", "TARGET_RMS", "PEAK"]

LEAD_SECONDS = 0.0
"""Silence kept before the first word. None: the first word must start within 40 ms of its beat
(issue 14), and the AAC track of an mp4 already delays everything by its encoder's 1024 priming
samples (21 ms at 48 kHz, measured), which Manim's mux does not trim."""
TARGET_RMS = 0.1
"""Speech is brought to about -20 dBFS RMS, the same loudness for every beat ..."""
PEAK = 0.8
"""... but never peaks above -2 dBFS, so the AAC and Opus encoders' overshoot does not clip."""


@dataclass(frozen=True)
class Word:
    """One token of the spoken text and when it is spoken, in seconds from the start of the audio."""

    text: str
    start: float
    end: float


@dataclass(frozen=True, eq=False)
class Speech:
    """Mono int16 `samples` at `sample_rate` Hz, and the `words` of the text with their times."""

    samples: np.ndarray
    sample_rate: int
    words: tuple[Word, ...] = field(default=())

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Speech) and self.sample_rate == other.sample_rate
                and self.words == other.words and np.array_equal(self.samples, other.samples))

    @property
    def duration(self) -> float:
        """Seconds of audio."""
        return len(self.samples) / self.sample_rate

    @property
    def text(self) -> str:
        """The words, joined by single spaces."""
        return " ".join(word.text for word in self.words)

    def without_words(self) -> "Speech":
        return replace(self, words=())

    def wav_bytes(self) -> bytes:
        """The samples as a 16-bit mono WAV file."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self.sample_rate)
            wav.writeframes(np.asarray(self.samples, dtype="<i2").tobytes())
        return buffer.getvalue()

    @classmethod
    def from_wav(cls, data: bytes, words: tuple[Word, ...] = ()) -> "Speech":
        """Read a 16-bit mono WAV file's bytes (as written by `wav_bytes`)."""
        with wave.open(io.BytesIO(data), "rb") as wav:
            if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                raise ValueError("expected a 16-bit mono WAV file")
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int16)
        return cls(samples, rate, tuple(words))

    @classmethod
    def from_float(cls, audio: np.ndarray, sample_rate: int, words: tuple[Word, ...]) -> "Speech":
        """Level float audio (any scale) to TARGET_RMS under PEAK, trim it to LEAD_SECONDS before the
        first word and to the end of the last, and convert it to int16.

        >>> t = np.arange(16000) / 16000
        >>> s = Speech.from_float(np.sin(2 * np.pi * 440 * t), 16000, (Word("ah", 0.5, 0.75),))
        >>> s.duration, s.words[0].start, round(float(np.abs(s.samples).max()) / 32767, 2)
        (0.25, 0.0, 0.14)
        """
        audio = np.asarray(audio, dtype=np.float64)
        if words:
            first = max(0, int(round((words[0].start - LEAD_SECONDS) * sample_rate)))
            last = min(len(audio), int(np.ceil(words[-1].end * sample_rate)))
            audio = audio[first:max(last, first)]
            shift = first / sample_rate
            words = tuple(Word(w.text, round(max(0.0, w.start - shift), 6), round(max(0.0, w.end - shift), 6))
                          for w in words)
        peak = float(np.abs(audio).max()) if audio.size else 0.0
        rms = float(np.sqrt(np.mean(audio ** 2))) if audio.size else 0.0
        gain = min(TARGET_RMS / rms, PEAK / peak) if peak > 1e-9 else 0.0
        samples = np.clip(np.round(audio * gain * 32767), -32767, 32767).astype(np.int16)
        return cls(samples, sample_rate, words)

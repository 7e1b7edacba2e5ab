"""A content-addressed cache of synthesised speech, like the TeX cache: a second render synthesises nothing.

An entry is named by the sha256 of (text, voice name, the voice's settings_key: model file digest,
settings, synthesiser versions), so it cannot go stale: change any of them and the name changes.
Each entry is two files, `<key>.wav` and `<key>.json` (the word times); both are written under a
temporary name and renamed, the .json last, and an entry counts only once its .json is there: a
render stopped mid-synthesis (Ctrl-C) leaves no partial file under a real name.

>>> import tempfile
>>> from narration.voices import ToneVoice
>>> cache = SpeechCache(Path(tempfile.mkdtemp()), ToneVoice())
>>> first, again = cache.speak("hello there"), cache.speak("hello there")
>>> first.path == again.path, cache.voice.calls, cache.hits
(True, 1, 1)
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .speech import Speech, Word
from .voices import Voice

__all__ = ["SpeechCache", "CachedSpeech", "speech_key", "read_speech"]


def speech_key(text: str, voice: Voice) -> str:
    """The cache name of `text` spoken by `voice`.

    >>> from narration.voices import ToneVoice
    >>> speech_key("a", ToneVoice()) == speech_key("a", ToneVoice()) != speech_key("b", ToneVoice())
    True
    """
    blob = json.dumps({"text": text, "voice": voice.name, "settings": voice.settings_key}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedSpeech:
    """Speech as stored in the cache: its WAV file (for Scene.add_sound) and its word times."""

    path: Path
    sample_rate: int
    duration: float
    words: tuple[Word, ...]


class SpeechCache:
    """Speech by `voice`, kept under `root` (a directory created on first write)."""

    def __init__(self, root: Path, voice: Voice) -> None:
        self.root = Path(root)
        self.voice = voice
        self.hits = 0
        self.misses = 0

    def paths(self, text: str) -> tuple[Path, Path]:
        key = speech_key(text, self.voice)
        return self.root / f"{key}.wav", self.root / f"{key}.json"

    def speak(self, text: str) -> CachedSpeech:
        """The cached speech of `text`, synthesising and storing it first if it is not there."""
        wav, index = self.paths(text)
        cached = self._read(wav, index)
        if cached is not None:
            self.hits += 1
            return cached
        speech = self.voice.synthesize(text)
        self.misses += 1
        meta = {"text": text, "voice": self.voice.name, "sample_rate": speech.sample_rate,
                "duration": speech.duration, "words": [[w.text, w.start, w.end] for w in speech.words]}
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomic(wav, speech.wav_bytes())
        _write_atomic(index, json.dumps(meta, ensure_ascii=False, indent=0).encode("utf-8"))
        return CachedSpeech(wav, speech.sample_rate, speech.duration, speech.words)

    @staticmethod
    def _read(wav: Path, index: Path) -> CachedSpeech | None:
        try:
            meta = json.loads(index.read_text(encoding="utf-8"))
            if not wav.is_file():
                return None
            words = tuple(Word(str(t), float(a), float(b)) for t, a, b in meta["words"])
            return CachedSpeech(wav, int(meta["sample_rate"]), float(meta["duration"]), words)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or damaged: synthesise again, which rewrites both files


def _write_atomic(path: Path, data: bytes) -> None:
    """Write `data` beside `path` under a temporary name, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:  # KeyboardInterrupt too: no .part file is left behind
        Path(tmp).unlink(missing_ok=True)
        raise


def read_speech(cached: CachedSpeech) -> Speech:
    """The samples of a cached entry (tests and measurements)."""
    return Speech.from_wav(cached.path.read_bytes(), cached.words)

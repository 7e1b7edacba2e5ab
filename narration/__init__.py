"""Narration: a voice for each beat, a cache of its speech, and subtitle cues timed to it (issue 14).

The scenes use it through `scenes.base.use_narrator` and `self.say(shown, spoken)`; the command line
validates `--voice` with `check_voice`.

>>> check_voice("none") in VOICE_CHOICES
True
"""
from __future__ import annotations

from .cache import CachedSpeech, SpeechCache, read_speech, speech_key
from .cues import (MAX_CPS, MAX_LINE, MAX_LINES, READING_CPS, Cue, cue_rate, cue_texts, reading_words,
                   split_clauses, time_cues, transfer_times, wrap)
from .speech import Speech, Word
from .voices import (INSTALL_HINT, VOICE_CHOICES, EspeakVoice, PiperVoice, ToneVoice, Voice, VoiceError,
                     check_sayable, check_voice, load_voice)

__all__ = ["CachedSpeech", "SpeechCache", "read_speech", "speech_key", "MAX_CPS", "MAX_LINE", "MAX_LINES",
           "READING_CPS", "Cue", "cue_rate", "cue_texts", "reading_words", "split_clauses", "time_cues",
           "transfer_times", "wrap", "Speech", "Word", "INSTALL_HINT", "VOICE_CHOICES", "EspeakVoice",
           "PiperVoice", "ToneVoice", "Voice", "VoiceError", "check_sayable", "check_voice", "load_voice"]

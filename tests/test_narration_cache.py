"""The speech cache (narration.cache): content-addressed, reused, never half-written."""
from __future__ import annotations

import pytest

import narration.cache as cache_module
from narration import SpeechCache, ToneVoice, read_speech, speech_key


def files(root):
    return sorted(p.name for p in root.rglob("*")) if root.exists() else []


def test_a_second_request_synthesises_nothing_and_gives_the_same_bytes(tmp_path):
    cache = SpeechCache(tmp_path, ToneVoice())
    first = cache.speak("Halve the window.")
    data = first.path.read_bytes()
    again = SpeechCache(tmp_path, cache.voice).speak("Halve the window.")   # a new render, same voice
    assert cache.voice.calls == 1 and again.path == first.path and again.path.read_bytes() == data
    assert again.words == first.words and read_speech(again).duration == first.duration


@pytest.mark.parametrize("other", [ToneVoice(seconds_per_char=0.05), ToneVoice(sample_rate=16000),
                                   ToneVoice(frequency=220.0)])
def test_the_key_changes_with_every_setting_of_the_voice(other):
    assert speech_key("a kink", ToneVoice()) != speech_key("a kink", other)
    assert speech_key("a kink", ToneVoice()) != speech_key("a kink.", ToneVoice())


def test_ctrl_c_during_synthesis_leaves_no_file(tmp_path):
    class Interrupted(ToneVoice):
        def synthesize(self, text):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        SpeechCache(tmp_path / "voice", Interrupted()).speak("hello")
    assert files(tmp_path) == []


@pytest.mark.parametrize("fail_at", [1, 2])   # while writing the .wav, or the .json after it
def test_ctrl_c_while_writing_leaves_no_partial_entry(tmp_path, monkeypatch, fail_at):
    real = cache_module.os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == fail_at:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", replace)
    cache = SpeechCache(tmp_path, ToneVoice())
    with pytest.raises(KeyboardInterrupt):
        cache.speak("hello")
    assert not any(name.endswith(".part") for name in files(tmp_path))
    assert not any(name.endswith(".json") for name in files(tmp_path))   # no entry counts as written
    monkeypatch.setattr(cache_module.os, "replace", real)
    speech = cache.speak("hello")                                       # the next render synthesises it
    assert cache.voice.calls == 2 and speech.path.exists()


def test_a_damaged_entry_is_synthesised_again(tmp_path):
    cache = SpeechCache(tmp_path, ToneVoice())
    wav, index = cache.paths("hello")
    cache.speak("hello")
    index.write_text("{damaged")
    assert cache.speak("hello").words[0].text == "hello" and cache.voice.calls == 2
    wav.unlink()
    cache.speak("hello")
    assert cache.voice.calls == 3 and wav.exists()

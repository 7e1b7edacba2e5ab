"""Subtitle cues (narration.cues): cut at clauses, at most 2 lines of 42 and 17 characters a second."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narration import (MAX_CPS, MAX_LINE, MAX_LINES, Word, cue_rate, cue_texts, reading_words, split_clauses,
                       time_cues, transfer_times, wrap)
from narration.cues import MIN_CUE_SECONDS

LETTERS = "abcdefghijklmnopqrstuvwxyzAGRx²₂±=+-()0123456789/|"
word = st.builds(lambda w, p: w + p, st.text(LETTERS, min_size=1, max_size=12) | st.text("a", min_size=40, max_size=95),
                 st.sampled_from(["", "", "", ",", ".", ":", ";", "?", "!", "…"]))
texts = st.lists(word, min_size=1, max_size=40).map(" ".join)


@st.composite
def timed(draw):
    """A text and word times for it: each word at its own speed (5 to 40 characters a second), with pauses."""
    text = draw(texts)
    t, words = draw(st.floats(0, 0.05)), []
    for token in text.split():
        speed = draw(st.floats(5, 40))
        words.append(Word(token, t, t + len(token) / speed))
        t += len(token) / speed + draw(st.floats(0, 0.8))
    return text, words


@given(texts)
@settings(max_examples=300, deadline=None)
def test_every_cue_fits_in_two_lines_of_42_and_keeps_the_text(text):
    cues = cue_texts(text)
    for cue in cues:
        lines = wrap(cue).split("\n")
        assert len(lines) <= MAX_LINES and all(len(line) <= MAX_LINE for line in lines)
    assert "".join(cues).replace(" ", "") == text.replace(" ", "")


@given(timed())
@settings(max_examples=300, deadline=None)
def test_cues_never_ask_more_than_17_characters_a_second(case):
    text, words = case
    cues = time_cues(cue_texts(text), words)
    assert cues[0].start == 0.0
    for cue, after in zip(cues, cues[1:]):
        assert cue.end == after.start                      # each stays up until the next
    for cue in cues:
        assert cue_rate(cue) <= MAX_CPS + 1e-9
        assert cue.end - cue.start >= MIN_CUE_SECONDS - 1e-9
        assert all(len(line) <= MAX_LINE for line in cue.text.split("\n")) and cue.text.count("\n") < MAX_LINES


@given(timed())
@settings(max_examples=200, deadline=None)
def test_no_cue_shows_before_its_first_word_is_spoken(case):
    text, words = case
    cues = time_cues(cue_texts(text), words)
    # the word each cue starts in (maybe inside it: a word longer than a line is cut)
    owner = [i for i, w in enumerate(words) for _ in w.text]
    count = 0
    for before, cue in zip(cues, cues[1:]):
        count += len(before.text) - before.text.count(" ") - before.text.count("\n")
        assert cue.start >= words[owner[count]].start - 1e-9


def test_a_cue_stays_up_into_the_pause_after_fast_words():
    # 40 characters spoken in one second: too fast to read, so the cue's end is pushed to 40/17 s.
    text = "Forty characters are said in one second."
    words = [Word(w.text, w.start / 3, w.end / 3) for w in reading_words(text, cps=13.33)]
    cue, = time_cues(cue_texts(text), words)
    assert cue.end == pytest.approx(len(text) / MAX_CPS)


def test_clauses_are_cut_at_punctuation_but_not_inside_brackets():
    assert split_clauses("Goal: build x², nothing else; then g(ax + b, c).") == [
        "Goal:", "build x²,", "nothing else;", "then g(ax + b, c)."]


def test_short_clauses_share_a_cue_but_sentences_do_not():
    assert cue_texts("One piece: a line. Next.") == ["One piece: a line.", "Next."]


def test_a_long_clause_is_cut_at_spaces_into_cues_that_fit():
    text = " ".join(["word"] * 40)
    cues = cue_texts(text)
    assert len(cues) == 3 and all(wrap(c) is not None for c in cues)  # 199 characters, 84 a cue


def test_shown_clauses_take_the_times_of_their_spoken_clauses():
    spoken = [Word("x", 1.0, 1.2), Word("squared,", 1.3, 1.9), Word("plus", 2.5, 2.8), Word("one.", 2.9, 3.2)]
    shown = transfer_times("x², + 1.", "x squared, plus one.", spoken)
    assert [(w.start, w.end) for w in shown] == [(1.0, 1.9), (2.5, 2.675), (2.85, 3.2)]  # "+ 1." by characters


def test_shown_text_with_other_clauses_spreads_over_the_whole_speech():
    spoken = [Word("h", 0.0, 0.2), Word("two", 0.3, 0.6), Word("then", 1.0, 2.0)]
    shown = transfer_times("h₂, then, now", "h two then", spoken)
    assert shown[0].start == 0.0 and shown[-1].end == 2.0


@given(st.text(LETTERS + " ", max_size=120))
def test_reading_words_pace_the_text_at_15_characters_a_second(text):
    words = reading_words(text)
    assert [w.text for w in words] == text.split()
    if words:
        assert words[-1].end == pytest.approx(len(" ".join(text.split())) / 15.0, abs=1e-6)

"""Word times: from a voice's phoneme alignments where they can be trusted, else by characters.

The text's tokens (split at whitespace) are grouped into clauses at the punctuation a voice keeps as a
pause (, ; : . ? !); piper's phoneme stream keeps the same marks as phonemes, with spaces between
words. Measured on the explainer's script (see README, Narration): the clauses match in most beats but
not all, because espeak-ng expands and drops things (0.25 is four words, "e.g." loses its stops, an
em dash vanishes). So the mapping is done at two levels, each with its own fallback:

- clauses: when the text and the phonemes have the same number of clauses, each clause of the text is
  spoken over its phoneme clause's span; otherwise the whole text is spread over the whole speech;
- words within a clause: when the counts of words match, each word gets its phoneme word's span;
  otherwise the clause's span is split in proportion to the characters of its words.

>>> proportional_words("one two three", 0.0, 1.3)
(Word(text='one', start=0.0, end=0.3), Word(text='two', start=0.4, end=0.7), Word(text='three', start=0.8, end=1.3))
"""
from __future__ import annotations

import re
from typing import Sequence

from .speech import Word

__all__ = ["CLAUSE_MARKS", "tokens", "clause_groups", "proportional_words", "words_from_spans",
           "phoneme_word_spans"]

CLAUSE_MARKS = ",;:.?!"
"""Punctuation that espeak-ng (and so piper) keeps as a pause phoneme."""
_CLAUSE_END = re.compile(r"(?<!\.\.)[,;:.?!][\"'”’)\]]*$")


def tokens(text: str) -> list[str]:
    """The text's whitespace-separated tokens: what each `Word` of a Speech is.

    >>> tokens("  x squared,  over\\nfour ")
    ['x', 'squared,', 'over', 'four']
    """
    return text.split()


def clause_groups(words: Sequence[str]) -> list[list[int]]:
    """Indices of the tokens in each clause: a clause ends with a token ending in , ; : . ? !
    (an ellipsis is not a clause end: espeak-ng drops it).

    >>> clause_groups(["Goal:", "x", "squared.", "Then", "more"])
    [[0], [1, 2], [3, 4]]
    """
    groups: list[list[int]] = [[]]
    for i, word in enumerate(words):
        groups[-1].append(i)
        if _CLAUSE_END.search(word):
            groups.append([])
    return [g for g in groups if g]


def proportional_words(text: str, start: float, end: float) -> tuple[Word, ...]:
    """The text's tokens spread over [start, end] in proportion to their characters (spaces count,
    so a word's share starts after the space before it)."""
    words = tokens(text)
    joined = " ".join(words)
    if not words:
        return ()
    scale = (end - start) / max(len(joined), 1)
    out, offset = [], 0
    for word in words:
        out.append(Word(word, round(start + offset * scale, 6), round(start + (offset + len(word)) * scale, 6)))
        offset += len(word) + 1
    return tuple(out)


def phoneme_word_spans(phonemes: Sequence[str], durations: Sequence[float],
                       marks: str = CLAUSE_MARKS) -> list[list[tuple[float, float]]]:
    """(start, end) of each phoneme word, grouped into clauses at the punctuation phonemes.

    `phonemes[i]` lasts `durations[i]` seconds, one after the other from time 0. Words are runs of
    phonemes other than a space or a mark.

    >>> phoneme_word_spans(["a", " ", "b", "c", ",", " ", "d"], [1, 1, 1, 1, 1, 1, 1])
    [[(0.0, 1.0), (2.0, 4.0)], [(6.0, 7.0)]]
    """
    clauses: list[list[tuple[float, float]]] = [[]]
    t, word_start, word_end = 0.0, None, 0.0
    for phoneme, duration in zip(phonemes, durations):
        if phoneme == " " or phoneme in marks:
            if word_start is not None:
                clauses[-1].append((word_start, word_end))
                word_start = None
            if phoneme in marks and clauses[-1]:
                clauses.append([])
        else:
            if word_start is None:
                word_start = t
            word_end = t + duration
        t += duration
    if word_start is not None:
        clauses[-1].append((word_start, word_end))
    return [c for c in clauses if c]


def words_from_spans(text: str, spans: list[list[tuple[float, float]]]) -> tuple[tuple[Word, ...], str]:
    """Time the text's tokens by phoneme word spans (from `phoneme_word_spans`); also say how:
    "words" (every word matched), "clauses" (clauses matched, some by characters) or "characters".

    >>> words_from_spans("Hi, you", [[(0.1, 0.3)], [(0.5, 0.9)]])
    ((Word(text='Hi,', start=0.1, end=0.3), Word(text='you', start=0.5, end=0.9)), 'words')
    >>> words_from_spans("Hi you", [[(0.1, 0.3)], [(0.5, 0.9)]])[1]
    'characters'
    """
    words = tokens(text)
    if not words:
        return (), "words"
    if not spans:
        return proportional_words(text, 0.0, 0.0), "characters"
    groups = clause_groups(words)
    if len(groups) != len(spans):
        return proportional_words(text, spans[0][0][0], spans[-1][-1][1]), "characters"
    out: list[Word] = []
    exact = True
    for group, clause in zip(groups, spans):
        if len(group) == len(clause):
            out.extend(Word(words[i], round(a, 6), round(b, 6)) for i, (a, b) in zip(group, clause))
        else:
            exact = False
            out.extend(proportional_words(" ".join(words[i] for i in group), clause[0][0], clause[-1][1]))
    return tuple(out), "words" if exact else "clauses"

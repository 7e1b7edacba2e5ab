"""Subtitle cues: a beat's shown text cut at clause boundaries and timed by its spoken words.

Limits (issue 14): at most MAX_CPS characters a second and MAX_LINES lines of MAX_LINE characters.
A cue shows from its first word until the next cue (or the end of the beat), so it stays up into the
pause after its words; where the voice outruns the reader, the next cue waits until the rate allows,
and the last cue's end says how long the beat must last at least.

>>> text = "A smooth curve: y equals x squared. It bends."
>>> [(c.text, round(c.start, 2), round(c.end, 2)) for c in time_cues(cue_texts(text), reading_words(text))]
[('A smooth curve: y equals x squared.', 0.0, 2.4), ('It bends.', 2.4, 3.1)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .align import clause_groups, proportional_words, tokens
from .speech import Word

__all__ = ["MAX_CPS", "MAX_LINE", "MAX_LINES", "READING_CPS", "MIN_CUE_SECONDS", "Cue", "split_clauses",
           "wrap", "cue_texts", "reading_words", "transfer_times", "time_cues", "cue_rate", "ends_sentence"]

MAX_CPS = 17.0
"""Characters a second a subtitle may ask the reader to read (the usual limit for adults)."""
MAX_LINE = 42
MAX_LINES = 2
READING_CPS = 15.0
"""A comfortable reading speed: the pace of a beat when there is no voice."""
MIN_CUE_SECONDS = 0.7
"""A shorter cue flickers past before it can be read."""
_CLAUSE_END = re.compile(r"[,;:.?!…][\"'”’)\]]*$")
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")


def ends_sentence(text: str) -> bool:
    """Whether `text` ends a sentence (a full stop, ? ! or …, maybe followed by a quote or bracket).

    >>> ends_sentence("It bends."), ends_sentence('He said "no."'), ends_sentence("then,")
    (True, True, False)
    """
    return bool(_SENTENCE_END.search(text.strip()))


@dataclass(frozen=True)
class Cue:
    """One subtitle: its time in seconds from the beat's start, and its text (lines joined by a newline).
    relu_explainer_cli.subtitles reads and writes .srt files with this same class."""

    start: float
    end: float
    text: str

    @property
    def chars(self) -> int:
        """Characters to read (the line break counts as the space it replaced)."""
        return len(self.text)


def cue_rate(cue: Cue) -> float:
    """Characters a second the cue asks for."""
    return cue.chars / (cue.end - cue.start) if cue.end > cue.start else float("inf")


def split_clauses(text: str) -> list[str]:
    """The text's clauses: cut after , ; : . ? ! … and before a spaced dash, never inside brackets
    (so max(x, 0) stays whole); spaces collapse.

    >>> split_clauses("A smooth curve: y = max(x, 0) + x²/4, drawn — then 0.25.")
    ['A smooth curve:', 'y = max(x, 0) + x²/4,', 'drawn', '— then 0.25.']
    """
    clauses: list[list[str]] = [[]]
    depth = 0
    for word in text.split():
        if word in ("—", "–") and depth == 0 and clauses[-1]:
            clauses.append([])
        clauses[-1].append(word)
        depth = max(0, depth + sum(word.count(c) for c in "([{") - sum(word.count(c) for c in ")]}"))
        if depth == 0 and _CLAUSE_END.search(word):
            clauses.append([])
    return [" ".join(c) for c in clauses if c]


def wrap(text: str, width: int = MAX_LINE, lines: int = MAX_LINES) -> str | None:
    """The text on at most `lines` lines of at most `width` characters, broken at spaces into lines
    as even as possible; None if it does not fit.

    >>> wrap("Halve the window: the gap drops from 0.25 to 0.06, about a quarter.")
    'Halve the window: the gap drops\\nfrom 0.25 to 0.06, about a quarter.'
    >>> wrap("x" * 43) is None
    True
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if lines < 2:
        return None
    best = None
    for i, char in enumerate(text):
        if char != " ":
            continue
        head, rest = text[:i], wrap(text[i + 1:], width, lines - 1)
        if len(head) <= width and rest is not None:
            worst = max(len(head), *(len(line) for line in rest.split("\n")))
            if best is None or worst < best[0]:
                best = (worst, f"{head}\n{rest}")
    return best[1] if best else None


def _pieces(clause: str, width: int, lines: int) -> list[str]:
    """A clause too long for one cue, cut at spaces into pieces that fit (a word longer than a line is
    cut inside it)."""
    pieces: list[str] = []
    for word in clause.split():
        for chunk in (word[i:i + width] for i in range(0, len(word), width)):
            if pieces and wrap(f"{pieces[-1]} {chunk}", width, lines) is not None:
                pieces[-1] = f"{pieces[-1]} {chunk}"
            else:
                pieces.append(chunk)
    return pieces


def cue_texts(text: str, width: int = MAX_LINE, lines: int = MAX_LINES) -> list[str]:
    """The text cut into cues: whole clauses joined while they fit in `lines` lines of `width` and do
    not cross a sentence's end; a clause too long alone is cut at spaces. Joined by spaces, the cues
    are the text (with its whitespace collapsed).

    >>> cue_texts("Look closely at one piece: the curve bulges away. Halve the window.")
    ['Look closely at one piece: the curve bulges away.', 'Halve the window.']
    """
    cues: list[str] = []
    open_cue = False  # may the last cue take the next clause?
    for clause in split_clauses(text):
        if open_cue and wrap(f"{cues[-1]} {clause}", width, lines) is not None:
            cues[-1] = f"{cues[-1]} {clause}"
        elif wrap(clause, width, lines) is not None:
            cues.append(clause)
        else:
            cues.extend(_pieces(clause, width, lines))
        open_cue = not ends_sentence(cues[-1])
    return cues


def reading_words(text: str, cps: float = READING_CPS) -> tuple[Word, ...]:
    """The text's tokens timed as a reader reads them at `cps` characters a second: the silent pace.

    >>> [(w.text, w.start) for w in reading_words("read this", cps=10)]
    [('read', 0.0), ('this', 0.5)]
    """
    joined = " ".join(tokens(text))
    return proportional_words(joined, 0.0, len(joined) / cps)


def transfer_times(shown: str, spoken: str, spoken_words: Sequence[Word]) -> tuple[Word, ...]:
    """Times for the shown text's tokens from the spoken text's word times.

    Where both have the same number of clauses, each shown clause takes its spoken clause's span,
    split by characters within it; otherwise the whole shown text spreads over the whole speech.

    >>> spoken = (Word("x", 0.0, 0.2), Word("squared,", 0.3, 0.8), Word("then", 1.0, 1.4))
    >>> [(w.text, w.start, w.end) for w in transfer_times("x², then", "x squared, then", spoken)]
    [('x²,', 0.0, 0.8), ('then', 1.0, 1.4)]
    """
    if not spoken_words:
        return ()
    if " ".join(tokens(shown)) == " ".join(w.text for w in spoken_words):
        return tuple(spoken_words)
    shown_groups = clause_groups(tokens(shown))
    spoken_groups = clause_groups([w.text for w in spoken_words])
    if len(shown_groups) != len(spoken_groups):
        return proportional_words(shown, spoken_words[0].start, spoken_words[-1].end)
    shown_tokens, out = tokens(shown), []
    for mine, theirs in zip(shown_groups, spoken_groups):
        clause = " ".join(shown_tokens[i] for i in mine)
        out.extend(proportional_words(clause, spoken_words[theirs[0]].start, spoken_words[theirs[-1]].end))
    return tuple(out)


def _time_at(offset: int, words: Sequence[Word]) -> float:
    """When the character at `offset` of the words' text (joined by spaces) is spoken."""
    position = 0
    for word in words:
        if offset < position + len(word.text):
            share = max(offset - position, 0) / max(len(word.text), 1)
            return word.start + share * (word.end - word.start)
        position += len(word.text) + 1
    return words[-1].end if words else 0.0


def time_cues(texts: Sequence[str], words: Sequence[Word], cps: float = MAX_CPS,
              min_seconds: float = MIN_CUE_SECONDS, width: int = MAX_LINE, lines: int = MAX_LINES) -> list[Cue]:
    """Time the cues (from `cue_texts` of a text) by that text's word times.

    The first cue starts at the beat's start (0), each later one when its first character is spoken,
    but not before the cue before it has had its characters at `cps` (and `min_seconds`). Each cue
    ends where the next begins; the last one's end is the shortest the beat may be.

    >>> words = reading_words("One, two. Three.", cps=8)
    >>> [(c.text, c.start, c.end) for c in time_cues(["One, two.", "Three."], words, cps=10, min_seconds=0.5)]
    [('One, two.', 0.0, 1.25), ('Three.', 1.25, 1.85)]
    """
    said = " ".join(word.text for word in words)
    # Cues hold the text's characters in order (a word too long for a line is cut by a space), so a
    # cue starts at the said character after as many non-space ones as the cues before it hold.
    letters = [i for i, char in enumerate(said) if char != " "]
    cues: list[Cue] = []
    count, earliest = 0, 0.0
    for text in texts:
        offset = letters[count] if count < len(letters) else len(said)
        count += len(text) - text.count(" ")
        start = max(_time_at(offset, words) if cues else 0.0, earliest)
        earliest = start + max(len(text) / cps, min_seconds)
        if cues:
            cues[-1] = Cue(cues[-1].start, start, cues[-1].text)
        cues.append(Cue(start, earliest, wrap(text, width, lines) or text))
    return cues

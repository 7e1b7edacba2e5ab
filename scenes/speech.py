"""Words for the narration: numbers and fractions as a voice should say them, and shown/spoken pairs.

A beat's `say(shown, spoken)` shows a subtitle with symbols (x², h₂, -0.5) and speaks plain words
("x squared", "h two", "minus zero point five"). The numbers come from relu_core at render time, so
the words are built here, in one place, rather than spelled out in every scene.

>>> spoken_number(-0.25), spoken_number(24), fraction_words(4)
('minus zero point two five', 'twenty-four', 'a quarter')
>>> fill("{h} is {abs}.", h=Narration("h₁", "h one"), abs=Narration("|x|", "the absolute value of x"))
Narration(shown='h₁ is |x|.', spoken='h one is the absolute value of x.')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from relu_core import format_number

__all__ = ["Narration", "SQUARE", "is_square", "LETTER_A", "PRONOUNCE", "SPOKEN_DIGITS", "FRACTION_TOLERANCE",
           "speakable", "fill", "number", "spoken_integer", "spoken_number", "fraction_words",
           "nearest_fraction", "shrink_words", "one_in", "between", "subscript"]

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10 ** 9, "billion"), (10 ** 6, "million"), (1000, "thousand"))
_PARTS = {2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
          9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 16: "sixteenth"}
SPOKEN_DIGITS = 2
"""Significant digits the voice says of a measured number (whole numbers are said whole)."""
FRACTION_TOLERANCE = 1.25
"""A ratio is 'about 1/n' when it is within this factor of 1/n (0.25 · 1.25 and 0.25 / 1.25)."""


@dataclass(frozen=True)
class Narration:
    """One beat's words: the subtitle shown and the words spoken (None: the voice reads `shown`).

    A scene passes it on with `self.say(*narration)`, which unpacks to (shown, voice).

    >>> shown, spoken = Narration("Two ReLUs make x².", "Two ReLUs make x squared.")
    >>> spoken
    'Two relus make x squared.'
    """

    shown: str
    spoken: str | None = None

    @property
    def voice(self) -> str:
        """What the voice says: `spoken` (or `shown`) with the words of PRONOUNCE respelled."""
        return speakable(self.shown if self.spoken is None else self.spoken)

    def __iter__(self) -> Iterator[str]:
        yield self.shown
        yield self.voice


PRONOUNCE = {"ReLUs": "relus", "ReLU": "relu"}
"""Respellings for the voice: espeak-ng (and so piper) reads 'ReLU' as 'ree, L U' before a comma or a
noun ('ReLU units'), but 'relu' always as one word."""
_PRONOUNCE = re.compile(r"\b(" + "|".join(PRONOUNCE) + r")\b")


def speakable(text: str) -> str:
    """The text with PRONOUNCE's respellings, for the voice only (the subtitle keeps 'ReLU').

    >>> speakable("The ReLU, g, and two ReLUs; a ReLU's kink.")
    "The relu, g, and two relus; a relu's kink."
    """
    return _PRONOUNCE.sub(lambda m: PRONOUNCE[m.group(1)], text)


SQUARE = Narration("x²", "x squared")
"""x squared, as shown and as said: a part for `fill` templates."""


def is_square(target: str) -> bool:
    """Whether a target formula is x² (then scenes say "x²", and ApproximateSquare uses the seeds' terms).

    >>> is_square("x**2"), is_square(" x^2 "), is_square("x*x"), is_square("sin(x)")
    (True, True, True, False)
    """
    return target.replace(" ", "") in {"x**2", "x^2", "x*x"}
LETTER_A = Narration("a", "eh")
"""The weight a as said: espeak-ng reads a lone 'a' as the article 'uh' ('change a to two')."""


def fill(template: str, **parts: Narration | str) -> Narration:
    """A str.format template filled twice: with each part's shown words, then with its spoken words.

    >>> fill("Kink at {x}{rule}.", x=number(-1), rule=Narration(" = -b/a", ""))
    Narration(shown='Kink at -1 = -b/a.', spoken='Kink at minus one.')
    """
    items = {k: Narration(v) if isinstance(v, str) else v for k, v in parts.items()}
    shown = template.format(**{k: v.shown for k, v in items.items()})
    spoken = template.format(**{k: v.voice for k, v in items.items()})
    return Narration(shown, None if spoken == shown else spoken)


def number(value: float, digits: int = 3, fractions: bool = False) -> Narration:
    """A number shown by relu_core's format_number and said in words, to at most SPOKEN_DIGITS digits.

    The subtitle matches the screen; the voice rounds further, since a listener cannot reread
    'zero point zero zero three nine seven'. With `fractions`, a value that is exactly a unit
    fraction is said as one ('a quarter').

    >>> number(0.0625), number(2.0), number(0.003966).spoken
    (Narration(shown='0.0625', spoken='zero point zero six two'), Narration(shown='2', spoken='two'), 'zero point zero zero four')
    >>> number(0.25, fractions=True), number(0.26, fractions=True).spoken
    (Narration(shown='0.25', spoken='a quarter'), 'zero point two six')
    """
    shown = format_number(value, digits)
    if fractions and value > 0:
        n = round(1 / value)
        if n in _PARTS and np.isclose(value * n, 1.0, rtol=1e-6, atol=0.0):
            return Narration(shown, fraction_words(n))
    return Narration(shown, spoken_number(value, min(digits, SPOKEN_DIGITS)))


def spoken_integer(n: int) -> str:
    """A whole number in words, as a voice reads it.

    >>> [spoken_integer(n) for n in (0, 7, 16, 24, 100, 256, 2000, -3)]
    ['zero', 'seven', 'sixteen', 'twenty-four', 'one hundred', 'two hundred fifty-six', 'two thousand', 'minus three']
    >>> spoken_integer(1_024_063)
    'one million twenty-four thousand sixty-three'
    """
    n = int(n)
    if n < 0:
        return "minus " + spoken_integer(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {spoken_integer(rest)}" if rest else "")
    for size, name in _SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            return f"{spoken_integer(high)} {name}" + (f" {spoken_integer(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def spoken_number(value: float, digits: int = 3) -> str:
    """A number in words, rounded as `format_number(value, digits)` shows it: digits after the point one by one.

    >>> [spoken_number(v) for v in (2.0, -1.5, 0.0625, 1 / 3)]
    ['two', 'minus one point five', 'zero point zero six two five', 'zero point three three three']
    >>> spoken_number(0.0003257, 2), spoken_number(12345.6, 2)
    ('zero point zero zero zero three three', 'twelve thousand')
    """
    text = format_number(value, digits)
    if "e" in text:  # format_number's %g switched to an exponent: say the plain digits
        text = np.format_float_positional(float(text), trim="-")
    sign = "minus " if text.startswith("-") else ""
    whole, _, decimals = text.lstrip("-").partition(".")
    words = spoken_integer(int(whole))
    if decimals:
        words += " point " + " ".join(_ONES[int(d)] for d in decimals)
    return sign + words


def fraction_words(n: int) -> str:
    """'a quarter' for 1/4: the unit fraction 1/n in words (n from 2 to 12, or 16).

    >>> fraction_words(2), fraction_words(8), fraction_words(16)
    ('a half', 'an eighth', 'a sixteenth')
    """
    if n not in _PARTS:
        raise ValueError(f"no word for the fraction 1/{n}; known: 1/" + ", 1/".join(map(str, _PARTS)))
    part = _PARTS[n]
    return ("an " if part[0] in "aeiou" else "a ") + part


def nearest_fraction(ratio: float, tolerance: float = FRACTION_TOLERANCE) -> int | None:
    """The n of the unit fraction 1/n (n in 2..10) within `tolerance` times of ratio, else None.

    >>> nearest_fraction(0.2563), nearest_fraction(0.126), nearest_fraction(0.8), nearest_fraction(0.0)
    (4, 8, None, None)
    """
    ratio = float(ratio)
    if not (np.isfinite(ratio) and ratio > 0):
        return None
    best = min(range(2, 11), key=lambda n: abs(np.log(ratio * n)))
    return best if abs(np.log(ratio * best)) <= np.log(tolerance) else None


def shrink_words(ratio: float) -> str:
    """How much is left after a change, in words: 'about a quarter', 'less than a tenth', ...

    `ratio` is after / before (nan when both are 0).

    >>> [shrink_words(r) for r in (0.251, 0.124, 0.05, 0.7, 1.0, 1.4, float("nan"))]
    ['about a quarter', 'about an eighth', 'less than a tenth', 'a little less', 'the same', 'more', 'still none']
    """
    ratio = float(ratio)
    if not np.isfinite(ratio):
        return "still none"
    if np.isclose(ratio, 1.0, rtol=1e-3):
        return "the same"
    if ratio > 1:
        return "more"
    n = nearest_fraction(ratio)
    if n is not None:
        return "about " + fraction_words(n)
    return "less than a tenth" if ratio < 0.1 else "a little less"


def one_in(parts: int) -> Narration:
    """A small share as '1/256' on screen and 'one part in two hundred fifty-six' in the voice.

    >>> one_in(256)
    Narration(shown='1/256', spoken='one part in two hundred fifty-six')
    """
    return Narration(f"1/{parts}", f"one part in {spoken_integer(parts)}")


def between(lo: float, hi: float) -> Narration:
    """An interval in words, 'between -1 and 1', said 'between minus one and one'.

    Words, not '[-1, 1]': the comma inside the brackets would cut a clause the voice does not pause at.

    >>> between(-1.0, 2.5)
    Narration(shown='between -1 and 2.5', spoken='between minus one and two point five')
    """
    return Narration(f"between {format_number(lo)} and {format_number(hi)}",
                     f"between {spoken_number(lo)} and {spoken_number(hi)}")


def subscript(n: int) -> str:
    """n in Unicode subscript digits, for subtitles: subscript(12) == '₁₂'."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))

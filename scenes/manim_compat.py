"""The Manim versions our speed-ups were tested with, and the one check both of them make.

`scenes.fast_copy` and `relu_explainer_cli.fast_encoder` each replace one method of Manim's internals
(private attributes included). On a Manim they were not tested with, the replacement could render
wrong frames without failing, so they refuse to install and the render runs at Manim's own speed.

>>> is_tested("0.22.0"), is_tested("0.22.3"), is_tested("0.23.0"), is_tested("0.21.1")
(True, True, False, False)
"""
from __future__ import annotations

import logging
import re

__all__ = ["TESTED_MANIM", "parse_version", "is_tested", "manim_is_tested"]

TESTED_MANIM: tuple[tuple[int, ...], tuple[int, ...]] = ((0, 22, 0), (0, 23, 0))
"""Manim versions the speed-ups were tested with: from the first (included) to the second (excluded)."""

_log = logging.getLogger(__name__)
_warned = False  # one warning a process, however many speed-ups refuse


def parse_version(text: str) -> tuple[int, ...]:
    """The leading numbers of a version string.

    Parameters
    ----------
    text
        A version such as ``"0.22.0"`` or ``"0.23.0rc1"``.

    Examples
    --------
    >>> parse_version("0.23.0rc1"), parse_version("1.0")
    ((0, 23, 0), (1, 0))
    """
    numbers = []
    for part in text.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group()))
        if digits.group() != part:  # "0rc1": a pre-release of what the numbers so far name
            break
    return tuple(numbers)


def is_tested(version: str) -> bool:
    """True when `version` lies in `TESTED_MANIM`.

    Examples
    --------
    >>> is_tested("0.22.1")
    True
    """
    low, high = TESTED_MANIM
    return low <= parse_version(version) < high


def manim_is_tested() -> bool:
    """True when the Manim imported here is a tested version; else warn (once a process) and say False.

    Examples
    --------
    >>> manim_is_tested()
    True
    """
    global _warned
    import manim

    if is_tested(manim.__version__):
        return True
    if not _warned:
        _warned = True
        low, high = (".".join(map(str, v)) for v in TESTED_MANIM)
        _log.warning("relu-explainer: manim %s is not a version its speed-ups were tested with "
                     "(>=%s, <%s); rendering at manim's own speed", manim.__version__, low, high)
    return False

"""The one place where colours, fonts, sizes and timings are named; every scene draws with these.

The process has one theme, dark unless `use_theme("light")` chose another: the worker does so from
its job (`relu-explainer render --theme light`), before the scene is built.

>>> theme("light").background
'#FFFFFF'
>>> use_theme("light"); theme().name
'light'
>>> use_theme("dark"); theme().name
'dark'
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Theme", "THEMES", "theme", "use_theme", "FONT_SIZE", "TIMING", "Timing", "FontSize", "SAFE_AREA",
           "safe_edges"]


@dataclass(frozen=True)
class Theme:
    """Colours by role, never by hue: a scene asks for `target`, not for red."""

    name: str
    background: str
    text: str
    muted: str          # axes, grids, secondary labels
    target: str         # the function we approximate (red, as in the seed's R plots)
    approx: str         # the ReLU sum being built
    term: str           # the newest ReLU term
    kink: str           # dots at kinks and knots
    highlight: str      # the interval where an approximation is good, chosen regions
    error: str          # error and loss curves
    regions: tuple[str, str, str, str]  # the seed's four activation cases, 1..4


THEMES = {
    "dark": Theme("dark", background="#16181D", text="#ECEFF4", muted="#8A93A6",
                  target="#FF6B6B", approx="#4FC3F7", term="#FFD54F", kink="#FFFFFF",
                  highlight="#81C784", error="#FF9F43",
                  regions=("#5C6270", "#4FC3F7", "#BA68C8", "#81C784")),
    "light": Theme("light", background="#FFFFFF", text="#1B1F27", muted="#6B7280",
                   target="#D62828", approx="#0B6FA4", term="#B7791F", kink="#1B1F27",
                   highlight="#2E7D32", error="#C2410C",
                   regions=("#9CA3AF", "#0B6FA4", "#7B1FA2", "#2E7D32")),
}


_current = "dark"


def theme(name: str | None = None) -> Theme:
    """The theme by name, or the process's theme (see `use_theme`; dark by default)."""
    name = name or _current
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}: choose one of {', '.join(THEMES)}") from None


def use_theme(name: str) -> None:
    """Make `name` the process's theme: what `theme()` returns from now on. Unknown names: ValueError."""
    global _current
    theme(name)  # refuse an unknown name before changing anything
    _current = name


@dataclass(frozen=True)
class FontSize:
    """Sizes readable on a projector at 720p."""

    title: int = 44
    formula: int = 36
    body: int = 30
    label: int = 26
    small: int = 22


@dataclass(frozen=True)
class Timing:
    """Seconds for the recurring kinds of beat."""

    create: float = 1.5     # drawing a curve or axes
    transform: float = 1.2  # morphing one shape into another
    pause: float = 1.0      # a wait for the viewer to read
    long_pause: float = 2.0


BACKING_OPACITY = 0.7
"""Opacity of the background-coloured box behind a label that may lie over a coloured shape (with_backing)."""

SAFE_AREA = 0.90
"""Text stays inside this share of the frame's width and height (the title-safe area; tests/craft.py checks it)."""


def safe_edges() -> tuple[float, float]:
    """(x, y) of the safe area's right and top edges, in frame units (6.4, 3.6 for Manim's 16:9 frame).

    >>> [round(v, 2) for v in safe_edges()]
    [6.4, 3.6]
    """
    from manim import config
    return config.frame_width * SAFE_AREA / 2, config.frame_height * SAFE_AREA / 2


FONT_SIZE = FontSize()
TIMING = Timing()

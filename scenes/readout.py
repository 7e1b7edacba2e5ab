"""A live number on screen that is cheap to change every frame.

Manim's `DecimalNumber.set_value` deep-copies a typeset glyph per character on every call: profiled on
ReluUnit at 480p15 it took 30 ms per readout per frame, more than half of the whole render. `Readout`
typesets its twelve glyphs once (one LaTeX run per font size, shared by every readout), keeps a fixed
set of glyph slots, and on a change only copies point arrays into those slots; when the shown text does
not change it does nothing. Digits sit in equal-width cells, so a changing number does not jiggle.

>>> Readout.text_of(-0.004, 2), Readout.text_of(1.5, 2), Readout.text_of(2.0, 0)
('0.00', '1.50', '2')
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import LEFT, MathTex, VGroup, VMobject

from scenes.style import FONT_SIZE, theme

__all__ = ["Readout", "GLYPHS"]

GLYPHS = "0123456789-."
CELL_GAP = 0.012  # scene units between glyph cells, at FONT_SIZE.formula; scales with the font
DOT_CELL = 0.278 / 0.5  # the decimal point's cell, in digit cells (Computer Modern's advance widths)


@lru_cache(maxsize=8)
def glyph_shapes(font_size: float) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Each glyph's outline points (left of its cell at x = 0, baseline at y = 0) and its cell width."""
    line = MathTex(*GLYPHS, font_size=font_size)
    baseline = line[0].get_bottom()[1]  # the bottom of "0": all glyphs keep their place on the line
    gap = CELL_GAP * font_size / FONT_SIZE.formula
    digit_width = max(line[i].width for i, glyph in enumerate(GLYPHS) if glyph.isdigit())
    shapes, widths = {}, {}
    for part, glyph in zip(line, GLYPHS):
        points = np.concatenate([sub.points for sub in part.family_members_with_points()])
        width = digit_width if glyph.isdigit() else part.width
        if glyph == ".":  # TeX gives the point 0.278 em to a digit's 0.5 em: ink alone looks cramped
            width = digit_width * DOT_CELL
        centre_x = part.get_center()[0]
        shapes[glyph] = points - np.array([centre_x - width / 2, baseline, 0.0])
        widths[glyph] = width + gap
    return shapes, widths


class Readout(VGroup):
    """A number with a fixed count of decimals, typeset once, redrawn only when its text changes.

    Its left edge stays where it was put (like `DecimalNumber`'s), so it can sit after a label.

    Parameters
    ----------
    value : the number shown first.
    decimals : digits after the point.
    color, font_size : as for `MathTex`; the theme's text colour and FONT_SIZE.formula by default.

    Example: ``Readout(0.5, decimals=2).set_value(1.25).text`` is ``'1.25'``.
    """

    def __init__(self, value: float, decimals: int = 2, color: str | None = None,
                 font_size: float | None = None) -> None:
        super().__init__()
        self.decimals = int(decimals)
        self.font_size_value = float(font_size or FONT_SIZE.formula)
        self.color_value = color or theme().text
        self.shapes, self.widths = glyph_shapes(self.font_size_value)
        self.number = float(value)
        self.text = ""
        self.set_value(value)

    @staticmethod
    def text_of(value: float, decimals: int) -> str:
        """The characters shown for `value`: fixed decimals, and never '-0.00'."""
        text = f"{value:.{decimals}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text

    def set_value(self, value: float) -> "Readout":
        """Show `value`; a no-op when the text on screen would not change."""
        self.number = float(value)
        text = self.text_of(self.number, self.decimals)
        if text == self.text:
            return self
        if not set(text) <= set(GLYPHS):  # nan, inf: nothing a scene should show
            raise ValueError(f"Readout cannot show {value!r}")
        anchor = self.get_left() if self.text else None
        while len(self.submobjects) < len(text):  # a longer text than ever before: one more slot
            slot = VMobject(fill_color=self.color_value, fill_opacity=self.get_fill_opacity_for_new_slot(),
                            stroke_width=0)
            self.add(slot)
        x = 0.0
        for slot, glyph in zip(self.submobjects, text):
            slot.points = self.shapes[glyph] + np.array([x, 0.0, 0.0])
            x += self.widths[glyph]
        for slot in self.submobjects[len(text):]:
            slot.points = np.zeros((0, 3))
        self.text = text
        if anchor is not None:
            self.move_to(anchor, aligned_edge=LEFT)
        return self

    def get_fill_opacity_for_new_slot(self) -> float:
        """New slots take the opacity the readout has now (it may be faded out)."""
        shown = [slot for slot in self.submobjects if len(slot.points)]
        return shown[0].get_fill_opacity() if shown else 1.0

    def get_value(self) -> float:
        return self.number

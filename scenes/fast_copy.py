"""Copy typeset formulas without copying their parsed SVG paths.

Every glyph of a `MathTex`/`Tex`/`Text` is a `VMobjectFromSVGPath` that keeps the `svgelements.Path`
it was built from. Manim never changes that path after building the glyph's points, yet
`Mobject.copy()` deep-copies it: 1 ms a glyph, so 24 ms to copy a 32-glyph formula, and every
`Transform`, `FadeIn` and `Write` copies its mobjects. Profiled on Interaction at 480p15, copies took
7.7 of 18.7 s. `install()` makes copies share the path object (the points, colours and everything
else are still copied): 2.4 ms for that formula.

It changes a Manim class for the whole process, so only our own renders install it: the worker
(relu_explainer_cli/worker.py), next to the fast encoder. A scene rendered by plain `manim`, and
anyone's own mobjects there, keep Manim's method. On a Manim version it was not tested with
(`scenes.manim_compat.TESTED_MANIM`) it refuses, with one warning.

>>> install() and install()  # idempotent
True
"""
from __future__ import annotations

from .manim_compat import manim_is_tested

__all__ = ["install"]


def _deepcopy_sharing_path(self, memo):
    """Mobject.__deepcopy__, with the glyph's parsed SVG path shared instead of copied."""
    from manim import Mobject

    memo[id(self.path_obj)] = self.path_obj
    return Mobject.__deepcopy__(self, memo)


def install() -> bool:
    """Share the parsed SVG paths of copied glyphs in this process; True once in place.

    False, and Manim left as it is, on a Manim version this was not tested with.
    """
    if not manim_is_tested():
        return False
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    VMobjectFromSVGPath.__deepcopy__ = _deepcopy_sharing_path
    return VMobjectFromSVGPath.__deepcopy__ is _deepcopy_sharing_path

"""Fade shapes in and out by their opacity alone, without the copies Manim's FadeIn and FadeOut make.

Manim's `FadeIn(m)` and `FadeOut(m)` are Transforms: `begin` copies `m` two or three times (a copy faded
to opacity 0, shifted by nothing and scaled by 1, and a copy of the target), and every frame interpolates
each shape's points, colours and stroke widths between those copies and runs the copies' updaters. For a
plain fade (no `shift`, `target_position` or `scale`) only the opacity changes: `install()` makes such a
fade keep each shape's colours and set, a frame, the opacity Manim's interpolation gives, with the same
rate function and lag ratio. Profiled on DepthCascade at 480p15, the fades' copies took 16 % of its plays.

What is drawn is Manim's fade to the last bit of every opacity: Manim's is `(1 - a) * 0 + a * opacity`
(in) or `(1 - a) * opacity + a * 0` (out), the same number. The colours and points are the shape's own,
where Manim's interpolation between two equal values can be one unit in the last place off them (and
its scale by 1 a few): below what an 8-bit pixel shows. `tests/test_fast_fades.py` compares every
shape's colours and points at every frame's alpha with Manim's fade. A fade of anything but VMobjects
(an image) is Manim's.

It changes a Manim class for the whole process, so only our own renders install it (the worker, next to
fast_copy). On a Manim version it was not tested with it refuses, with one warning.

>>> install() and install()  # idempotent
True
"""
from __future__ import annotations

import numpy as np

from .manim_compat import manim_is_tested

__all__ = ["install", "is_plain"]

_COLOURS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")
_manims: dict[str, object] = {}  # the _Fade methods install() replaced


def is_plain(fade) -> bool:
    """Whether a FadeIn/FadeOut changes only opacity: no shift or target position, scale 1, VMobjects only."""
    from manim import VMobject
    return (not fade.point_target and not np.any(fade.shift_vector) and fade.scale_factor == 1
            and all(isinstance(m, VMobject) for m in fade.mobject.get_family()))


def _begin(self) -> None:
    from manim import FadeIn
    if not is_plain(self):
        self.opaque = None
        return _manims["begin"](self)
    self.fading_in = isinstance(self, FadeIn)
    self.opaque = [(m, [getattr(m, name).copy() for name in _COLOURS])
                   for m in self.mobject.family_members_with_points()]
    self.starting_mobject = self.target_mobject = self.target_copy = self.mobject
    if self.suspend_mobject_updating:
        self.mobject.suspend_updating()
    self.interpolate(0)
    return None


def _interpolate_mobject(self, alpha: float) -> None:
    if getattr(self, "opaque", None) is None:
        return _manims["interpolate_mobject"](self, alpha)
    count = len(self.opaque)
    for i, (member, colours) in enumerate(self.opaque):
        a = self.get_sub_alpha(alpha, i, count)
        for name, rgbas in zip(_COLOURS, colours):
            shown = rgbas.copy()
            if a != 1 or not self.fading_in:  # at 1 Manim sets the target's own (the shape's, fading in)
                shown[:, 3] = rgbas[:, 3] * (a if self.fading_in else 1 - a)  # Manim's sum, less its + 0
            setattr(member, name, shown)
    return None


def _get_all_mobjects(self):
    if getattr(self, "opaque", None) is None:
        return _manims["get_all_mobjects"](self)
    return [self.mobject]


def install() -> bool:
    """Fade plain FadeIns and FadeOuts by opacity in this process; True once in place.

    False, and Manim left as it is, on a Manim version this was not tested with.
    """
    if not manim_is_tested():
        return False
    from manim.animation.fading import _Fade

    if _Fade.__dict__.get("begin") is not _begin:
        _manims.update(begin=_Fade.begin, interpolate_mobject=_Fade.interpolate_mobject,
                       get_all_mobjects=_Fade.get_all_mobjects)
        _Fade.begin, _Fade.interpolate_mobject, _Fade.get_all_mobjects = _begin, _interpolate_mobject, _get_all_mobjects
    return _Fade.__dict__.get("begin") is _begin

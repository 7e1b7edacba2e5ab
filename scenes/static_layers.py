"""Draw the still shapes that lie above a moving one into the play's background, not every frame.

Manim draws a play's background once: the shapes below the first one that moves, in drawing order.
Every shape from that one on is drawn again on every frame, the still ones too: the formulas, labels and
axes added after a moving curve. At 480p15 these still shapes are about half of the shapes drawn a frame
(RulerAndProtractor 19,343 of 39,244, ApproximateSquare 13,565 of 24,592, Interaction 6,722 of 30,938).

A still shape above a moving one can go into the background when the two cover no pixel in common:
cairo composites each shape on its own, so a pixel sees the same drawing steps in the same order.
`install()` decides this on every frame from the shapes' boxes (the box of their points, which holds
their Bézier curves, grown by how far a stroke and its mitre reach, and two pixels for anti-aliasing).
Going up the drawing order, a still shape is drawn on top when its box meets the box of a shape drawn
on top below it (a moving shape, or a still one already on top); the others are in the background. A
shape that comes to the top stays there until the play ends, and the background is drawn again without
it, once. So is a still shape that changes after all (another shape's updater changed it), disappears
or that is not a plain VMobject; a shape new in the frame (an updater's `become`) counts as moving.

Only plain 2D cameras (`Camera` itself) are layered; a shape coloured by a background image counts as
moving, and a frozen frame (a wait) is drawn as Manim draws it.
`tests/test_static_layers.py` checks every frame of every scene against Manim's own drawing.

It changes a Manim class for the whole process, so only our own renders install it (the worker, next to
fast_paths). On a Manim version it was not tested with it refuses, with one warning.

>>> install() and install()  # idempotent
True
"""
from __future__ import annotations

import math

import numpy as np
from manim import PMobject, VMobject
from manim.mobject.types.image_mobject import AbstractImageMobject

from .manim_compat import manim_is_tested

__all__ = ["install", "Layers", "MITRE_REACH", "AA_PIXELS"]

MITRE_REACH = 5.0
"""How far a stroke can reach past its points, in stroke widths: cairo's default mitre limit (10) times
half the width."""
AA_PIXELS = 2.0
"""Pixels of anti-aliasing added around every box."""
LINE_WIDTH_PER_STROKE = 0.01
"""Scene units of line width per unit of stroke_width (Manim's Camera.cairo_line_width_multiple)."""

EVERYWHERE = (-math.inf, -math.inf, math.inf, math.inf)
NOWHERE = (math.inf, math.inf, -math.inf, -math.inf)  # meets no box

_manims_save_static = None  # CairoRenderer.save_static_frame_data
_manims_update_frame = None  # CairoRenderer.update_frame
_manims_play = None  # CairoRenderer.play


def _looks(mobject) -> tuple:
    """What a still shape's drawing depends on, as bytes and values to compare with `==` later."""
    arrays = (mobject.points, mobject.fill_rgbas, mobject.stroke_rgbas, mobject.background_stroke_rgbas,
              np.asarray(mobject.stroke_width), np.asarray(mobject.background_stroke_width),
              np.asarray(mobject.sheen_direction))
    return (*(a.shape for a in arrays), *(a.tobytes() for a in arrays), mobject.sheen_factor,
            mobject.joint_type, mobject.cap_style, mobject.z_index, mobject.get_background_image())


def box(mobject, pixel: float) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1): where `mobject` can put paint, in scene units (`pixel` is one pixel's width).

    >>> from manim import Square
    >>> [round(v, 2) for v in box(Square(side_length=2).set_stroke(width=4), pixel=0.01)]
    [-1.22, -1.22, 1.22, 1.22]
    """
    if not isinstance(mobject, VMobject):  # points, images: anywhere; a plain Mobject (a ValueTracker): nowhere
        return EVERYWHERE if isinstance(mobject, (PMobject, AbstractImageMobject)) else NOWHERE
    xy = mobject.points[:, :2]
    (x0, y0), (x1, y1) = xy.min(axis=0).tolist(), xy.max(axis=0).tolist()
    if not all(map(math.isfinite, (x0, y0, x1, y1))):  # Manim draws these at the origin: anywhere, to be safe
        return EVERYWHERE
    width = max(_widest(mobject.stroke_width), _widest(mobject.background_stroke_width))
    grow = MITRE_REACH * width * LINE_WIDTH_PER_STROKE + AA_PIXELS * pixel
    return (x0 - grow, y0 - grow, x1 + grow, y1 + grow)


def _widest(width) -> float:
    return float(width) if isinstance(width, (int, float)) else float(np.max(width))


def on_top(boxes: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Which shapes to draw on top of the background, in drawing order: those in `top`, and each still
    shape whose box meets the box of a shape on top below it.

    >>> boxes = np.array([[0, 0, 1, 1], [2, 2, 3, 3], [0.5, 0.5, 2.5, 2.5], [5, 5, 6, 6]])
    >>> on_top(boxes, np.array([True, False, False, False])).tolist()  # 2 meets 0; 1 lies below 2
    [True, False, True, False]
    """
    top = top.copy()
    index = np.arange(len(boxes))
    while True:
        still, lifted = np.flatnonzero(~top), np.flatnonzero(top)
        if not len(still) or not len(lifted):
            return top
        a, b = boxes[still][:, None, :], boxes[lifted][None, :, :]
        meets = ((a[..., 0] <= b[..., 2]) & (b[..., 0] <= a[..., 2]) & (a[..., 1] <= b[..., 3])
                 & (b[..., 1] <= a[..., 3]) & (index[lifted][None, :] < index[still][:, None]))
        rising = still[meets.any(axis=1)]
        if not len(rising):
            return top
        top[rising] = True


class Layers:
    """One play's still shapes: which are in its background, and the background with them drawn in."""

    def __init__(self, scene, moving: list) -> None:
        self.moving, self.count = moving, len(moving)
        movers = set()
        for mobject in _animated(scene.animations or []) + list(scene.foreground_mobjects):
            movers.update(id(m) for m in mobject.get_family())
        for mobject in scene.get_mobject_family_members():
            if mobject.updaters:
                movers.update(id(m) for m in mobject.get_family())
        camera = scene.renderer.camera
        self.pixel = camera.frame_width / camera.pixel_width
        self.still: dict[int, tuple] = {}  # id -> (mobject, looks, box) of each still shape in the play
        for mobject in camera.get_mobjects_to_display(moving):
            if id(mobject) not in movers and isinstance(mobject, VMobject) and mobject.get_background_image() is None:
                self.still[id(mobject)] = (mobject, _looks(mobject), box(mobject, self.pixel))
        self.lifted: set[int] = set()  # still shapes drawn on top from now on
        self.in_background: tuple[int, ...] | None = None
        self.background = None

    def draw(self, renderer) -> None:
        """Draw the frame: the background (Manim's, with the still shapes that may be in it), then the rest."""
        camera = renderer.camera
        shapes = camera.get_mobjects_to_display(self.moving)
        boxes, top = [NOWHERE] * len(shapes), np.ones(len(shapes), dtype=bool)
        for i, mobject in enumerate(shapes):
            kept = self.still.get(id(mobject))  # the entry holds the mobject, so its id is not reused
            if kept is not None and id(mobject) not in self.lifted:
                if kept[1] == _looks(mobject):
                    boxes[i], top[i] = kept[2], False
                else:
                    self.lifted.add(id(mobject))  # it changed after all
        still = np.flatnonzero(~top)
        if len(still):  # only what lies below a still shape can lift it
            for i in np.flatnonzero(top[:still[-1]]).tolist():
                boxes[i] = box(shapes[i], self.pixel)
            top = on_top(np.array(boxes), top)
        above = [m for m, up in zip(shapes, top) if up]
        below = [m for m, up in zip(shapes, top) if not up]
        self.lifted.update(id(m) for m in above if id(m) in self.still)
        if tuple(map(id, below)) != self.in_background:
            self._draw_background(renderer, below)
        camera.set_frame_to_background(self.background)
        camera.capture_mobjects(above, include_submobjects=False)

    def _draw_background(self, renderer, still: list) -> None:
        camera = renderer.camera
        if renderer.static_image is not None:
            camera.set_frame_to_background(renderer.static_image)
        else:
            camera.reset()
        camera.capture_mobjects(still, include_submobjects=False)
        self.background, self.in_background = camera.pixel_array.copy(), tuple(map(id, still))


def _animated(animations) -> list:
    """The mobjects of `animations` and of the animations nested in them (as Manim's get_moving_mobjects)."""
    from manim.animation.composition import AnimationGroup
    found = []
    for animation in animations:
        found.append(animation.mobject)
        if isinstance(animation, AnimationGroup):
            found += _animated(animation.animations)
    return found


def _save_static_frame_data(self, scene, static_mobjects):
    """CairoRenderer.save_static_frame_data, and the play's Layers when it can have them (not for a
    frozen frame: a wait draws once)."""
    from manim.camera.camera import Camera
    image = _manims_save_static(self, scene, static_mobjects)
    moving = scene.moving_mobjects
    layered = moving and type(self.camera) is Camera and not scene.is_current_animation_frozen_frame()
    self.static_layers = Layers(scene, moving) if layered else None
    return image


def _update_frame(self, scene, mobjects=None, include_submobjects=True, ignore_skipping=True, **kwargs):
    """CairoRenderer.update_frame, drawn from the play's Layers when it draws the play's moving shapes."""
    layers = getattr(self, "static_layers", None)
    if (layers is None or mobjects is not layers.moving or len(mobjects) != layers.count
            or not include_submobjects or kwargs):
        return _manims_update_frame(self, scene, mobjects, include_submobjects, ignore_skipping, **kwargs)
    if self.skip_animations and not ignore_skipping:
        return None
    layers.draw(self)
    return None


def _play(self, scene, *args, **kwargs):
    """CairoRenderer.play; the play's Layers end with it."""
    try:
        return _manims_play(self, scene, *args, **kwargs)
    finally:
        self.static_layers = None


def install() -> bool:
    """Layer still shapes into each play's background in this process; True once in place.

    False, and Manim left as it is, on a Manim version this was not tested with.
    """
    global _manims_save_static, _manims_update_frame, _manims_play
    if not manim_is_tested():
        return False
    from manim.renderer.cairo_renderer import CairoRenderer

    if CairoRenderer.update_frame is not _update_frame:
        _manims_save_static, _manims_update_frame, _manims_play = (
            CairoRenderer.save_static_frame_data, CairoRenderer.update_frame, CairoRenderer.play)
        CairoRenderer.save_static_frame_data = _save_static_frame_data
        CairoRenderer.update_frame = _update_frame
        CairoRenderer.play = _play
    return CairoRenderer.update_frame is _update_frame

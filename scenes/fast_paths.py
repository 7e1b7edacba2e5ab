"""Draw a shape whose points have not changed from the cairo path built for it before.

Manim's cairo camera rebuilds every redrawn shape's path each frame in Python: a `move_to` and a
`curve_to` per Bézier curve (`Camera.set_cairo_context_path`). Most shapes redrawn during an
animation keep their points: a formula fading in, a heat map's cells changing colour, the still parts
of a group with an updater. `install()` keeps the path cairo built (`ctx.copy_path()`, in scene
coordinates, so it does not depend on the frame's transform) under the exact bytes of the shape's
displayed points, and appends it again when the same points come back. Profiled on Interaction at
480p15, building paths took 11.7 of 37.7 s.

A shape whose start and end points are equal keeps them exactly while it animates: Manim's straight
interpolation `(1 - a)·p + a·p` comes out a few bits off `p`, so a formula fading in missed the cache
on every frame. So do points a few bits apart at the two ends: FadeIn and FadeOut scale their start
copy by 1 about its centre, `(p - c)·1 + c`, and a fading 3D surface missed on every frame (Interaction's
saddle: 4,312 paths built for its 15-frame fade in, all different). `install()` also makes
`Mobject.interpolate` copy such points as they are (the picture is the same: the difference was below a
millionth of a pixel). Paths built at 480p15, of those drawn:
Interaction 17,262 -> 12,450 of 30,516, RulerAndProtractor 7,590 -> 3,581 of 39,014, DepthCascade
6,378 -> 2,638 of 15,542.

A path it has not seen is built by `build_path`: Manim 0.22's own loop (`Camera.set_cairo_context_path`,
MIT licence), fed Python floats (`tolist()`) instead of NumPy scalars: a 400-point polyline 403 -> 287
us, a glyph 61 -> 46 us; the same doubles reach cairo, so the path is the same.

It changes a Manim class for the whole process, so only our own renders install it (the worker, next to
fast_copy and the fast encoder). On a Manim version it was not tested with it refuses, with one warning.

>>> install() and install()  # idempotent
True
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .manim_compat import manim_is_tested

__all__ = ["install", "CACHE_SIZE", "SAME_POINTS"]

SAME_POINTS = 1e-9
"""Scene units within which a shape's start and end points count as the same (a 480p pixel is 0.017):
a fade's start copy is scaled by 1 about its centre, which moves its points a few bits."""
CACHE_SIZE = 4096
"""Paths kept (the most recently drawn): a frame of the story draws at most a few hundred shapes."""

_paths: OrderedDict = OrderedDict()
_manims_build = None  # Manim's own set_cairo_context_path
_manims_interpolate = None  # Manim's own Mobject.interpolate


def build_path(ctx, vmobject, points) -> None:
    """Set `ctx`'s path to `vmobject`'s displayed `points` (one or more), as Manim 0.22 does:
    a sub-path from each run of curves that join, closed when it ends where it starts."""
    nppcc = vmobject.n_points_per_cubic_curve
    ctx.new_path()
    splits = vmobject.get_subpath_split_indices_from_points(points, n_dims=2).tolist()
    xy = points[:, :2].ravel().tolist()  # x0, y0, x1, y1, ...: one flat list is the fast one to make
    move_to, curve_to, new_sub_path, close_path = ctx.move_to, ctx.curve_to, ctx.new_sub_path, ctx.close_path
    for start, end in splits:
        if end - start < nppcc:
            continue
        new_sub_path()
        move_to(xy[2 * start], xy[2 * start + 1])
        for b in range(2 * start + 2, 2 * (end - nppcc) + 3, 2 * nppcc):  # each curve's handles and end
            curve_to(*xy[b:b + 6])
        if vmobject.consider_points_equals_2d(points[start], points[end - 1]):
            close_path()


def _set_cairo_context_path(self, ctx, vmobject):
    """Camera.set_cairo_context_path, from the cache when these exact points were drawn before."""
    points = self.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) == 0:  # Manim leaves the context's path as it is: nothing to keep
        return self
    key = (vmobject.n_points_per_cubic_curve, points.shape, points.tobytes())
    path = _paths.get(key)
    if path is None:
        build_path(ctx, vmobject, points)
        _paths[key] = ctx.copy_path()
        if len(_paths) > CACHE_SIZE:
            _paths.popitem(last=False)
    else:
        _paths.move_to_end(key)
        ctx.new_path()
        ctx.append_path(path)
    return self


def _interpolate(self, mobject1, mobject2, alpha, path_func=None):
    """Mobject.interpolate, with points that are the same at both ends (within SAME_POINTS) kept as
    they are, not recomputed: the start's until the last frame, then the end's, as Manim gives them."""
    from manim.utils.bezier import interpolate  # what Manim's default, straight_path(), returns
    path_func = interpolate if path_func is None else path_func
    start, end = mobject1.points, mobject2.points
    if path_func is interpolate and start.shape == end.shape and (
            not start.size or float(np.max(np.abs(start - end))) <= SAME_POINTS):
        self.points = (end if alpha >= 1 else start).copy()
        self.interpolate_color(mobject1, mobject2, alpha)
        return self
    return _manims_interpolate(self, mobject1, mobject2, alpha, path_func)


def install() -> bool:
    """Draw repeated paths from the cache in this process; True once in place.

    False, and Manim left as it is, on a Manim version this was not tested with.
    """
    global _manims_build, _manims_interpolate
    if not manim_is_tested():
        return False
    from manim.camera.camera import Camera
    from manim.mobject.mobject import Mobject

    if Camera.set_cairo_context_path is not _set_cairo_context_path:
        _manims_build = Camera.set_cairo_context_path
        Camera.set_cairo_context_path = _set_cairo_context_path
    if Mobject.interpolate is not _interpolate:
        _manims_interpolate = Mobject.interpolate
        Mobject.interpolate = _interpolate
    return Camera.set_cairo_context_path is _set_cairo_context_path and Mobject.interpolate is _interpolate

"""Flat pieces in 3-D drawn in a plain 2-D scene: an orthographic camera on trackers, and a BSP painter.

A two-neuron net's output, a ReLU ridge and the ReLU product are exactly a few flat polygons
(relu_core computes them). Each frame `SurfaceView` projects their (x1, x2, height) corners with
numpy, and a BSP tree built once (`DepthOrder`) gives the far-to-near order in which to paint them:
exact for flat pieces, so a plane that cuts through the surface is hidden where it is behind
(shared/NOTES.md: a ThreeDScene with a Surface is far slower).

>>> order = DepthOrder([Piece(np.array([[0., 0, 0], [1, 0, 0], [1, 1, 0]]), "face", "low"),
...                     Piece(np.array([[0., 0, 1], [1, 0, 1], [1, 1, 1]]), "face", "high")])
>>> [order.fragments[i].style for i in order.order(lift=1.0, azimuth=0.0, elevation=0.5)]
['low', 'high']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from manim import LEFT, UP, ValueTracker, VGroup, VMobject

__all__ = ["project", "viewer_direction", "Piece", "DepthOrder", "SurfaceView", "get_depth_sorted",
           "height_axis_pieces", "get_height_labels", "inner_ticks"]


def project(points: np.ndarray, azimuth: float, elevation: float) -> tuple[np.ndarray, np.ndarray]:
    """Points (k, 3) seen from a camera: (screen x, screen y) (k, 2) and depth towards the viewer (k,).

    Turn by `azimuth` about the vertical axis, then tilt by `elevation` (0: straight down, so
    (x1, x2, z) lands on (x1, x2); π/2: from the side). An orthographic view: parallel lines stay
    parallel, flat pieces stay flat.

    >>> xy, depth = project(np.array([[1.0, 2.0, 5.0]]), 0.0, 0.0)
    >>> xy.tolist(), depth.tolist()
    ([[1.0, 2.0]], [5.0])
    """
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    c, s = np.cos(azimuth), np.sin(azimuth)
    xr = c * p[:, 0] - s * p[:, 1]
    yr = s * p[:, 0] + c * p[:, 1]
    ce, se = np.cos(elevation), np.sin(elevation)
    return np.column_stack([xr, ce * yr + se * p[:, 2]]), -se * yr + ce * p[:, 2]


def viewer_direction(azimuth: float, elevation: float) -> np.ndarray:
    """The unit vector d with depth = d·p in `project`: it points from the scene towards the viewer.

    >>> viewer_direction(0.0, 0.0).tolist()
    [-0.0, -0.0, 1.0]
    """
    c, s = np.cos(azimuth), np.sin(azimuth)
    ce, se = np.cos(elevation), np.sin(elevation)
    return np.array([-se * s, -se * c, ce])


@dataclass(frozen=True)
class Piece:
    """What is painted: a flat convex polygon ("face", (k, 3), k >= 3) or a segment ("line", (2, 3)),
    in data coordinates (x1, x2, height), with a style key the drawing looks up."""

    points: np.ndarray
    kind: str
    style: str


def _plane(polygon: np.ndarray) -> tuple[np.ndarray, float]:
    """Unit normal n and offset c of a flat polygon's plane n·p = c (Newell's method, robust to collinear corners)."""
    nxt = np.roll(polygon, -1, axis=0)
    normal = np.array([np.sum((polygon[:, 1] - nxt[:, 1]) * (polygon[:, 2] + nxt[:, 2])),
                       np.sum((polygon[:, 2] - nxt[:, 2]) * (polygon[:, 0] + nxt[:, 0])),
                       np.sum((polygon[:, 0] - nxt[:, 0]) * (polygon[:, 1] + nxt[:, 1]))])
    normal = normal / np.linalg.norm(normal)
    return normal, float(normal @ polygon.mean(axis=0))


def _cut(piece: Piece, normal: np.ndarray, offset: float, eps: float) -> tuple[Piece | None, Piece | None, bool]:
    """(front part, back part, coplanar) of a piece against the plane normal·p = offset."""
    s = piece.points @ normal - offset
    s = np.where(np.abs(s) <= eps, 0.0, s)
    if np.all(s == 0):
        return None, None, True
    if np.all(s >= 0):
        return piece, None, False
    if np.all(s <= 0):
        return None, piece, False
    p = piece.points
    if piece.kind == "line":
        t = s[0] / (s[0] - s[1])
        middle = p[0] + t * (p[1] - p[0])
        a, b = Piece(np.array([p[0], middle]), "line", piece.style), Piece(np.array([middle, p[1]]), "line", piece.style)
        return (a, b, False) if s[0] > 0 else (b, a, False)
    front, back = [], []
    for i in range(len(p)):
        j = (i + 1) % len(p)
        if s[i] >= 0:
            front.append(p[i])
        if s[i] <= 0:
            back.append(p[i])
        if s[i] * s[j] < 0:
            crossing = p[i] + s[i] / (s[i] - s[j]) * (p[j] - p[i])
            front.append(crossing)
            back.append(crossing)
    return (Piece(np.array(front), "face", piece.style) if len(front) >= 3 else None,
            Piece(np.array(back), "face", piece.style) if len(back) >= 3 else None, False)


@dataclass
class _Node:
    normal: np.ndarray
    offset: float
    here: list[int]           # fragments in this node's plane: its faces, then its lines
    front: _Node | list[int] | None
    back: _Node | list[int] | None


class DepthOrder:
    """A BSP tree of pieces (faces split each other where they cross): `order(...)` paints far to near.

    Built once in data coordinates. The view stretches heights by `lift`, which keeps every point on
    the same side of every plane, so only the viewer's side of each plane has to be found per frame.
    Lines never split anything; they are painted after the faces they lie on.
    """

    def __init__(self, pieces: list[Piece]) -> None:
        points = np.concatenate([p.points for p in pieces]) if pieces else np.zeros((1, 3))
        self.eps = 1e-9 * max(1.0, float(np.max(np.abs(points))))
        self.fragments: list[Piece] = []
        self.root = self._build(list(pieces))

    def _add(self, piece: Piece) -> int:
        self.fragments.append(piece)
        return len(self.fragments) - 1

    def _build(self, pieces: list[Piece]) -> _Node | list[int] | None:
        faces = [p for p in pieces if p.kind == "face"]
        if not faces:
            return [self._add(p) for p in pieces] or None
        splitter = faces[0]
        normal, offset = _plane(splitter.points)
        here_faces, here_lines, front, back = [splitter], [], [], []
        for piece in pieces:
            if piece is splitter:
                continue
            f, b, coplanar = _cut(piece, normal, offset, self.eps)
            if coplanar:
                (here_faces if piece.kind == "face" else here_lines).append(piece)
                continue
            if f is not None:
                front.append(f)
            if b is not None:
                back.append(b)
        here = [self._add(p) for p in here_faces + here_lines]
        return _Node(normal, offset, here, self._build(front), self._build(back))

    def order(self, lift: float, azimuth: float, elevation: float) -> list[int]:
        """Fragment indices, farthest first, for a view that scales heights by `lift` > 0."""
        d = viewer_direction(azimuth, elevation)
        out: list[int] = []

        def visit(node: _Node | list[int] | None) -> None:
            if node is None:
                return
            if isinstance(node, list):
                out.extend(node)
                return
            n = node.normal  # the plane's normal once heights are scaled by lift, times lift
            towards_front = lift * (n[0] * d[0] + n[1] * d[1]) + n[2] * d[2] > 0
            near, far = (node.front, node.back) if towards_front else (node.back, node.front)
            visit(far)
            out.extend(node.here)
            visit(near)

        visit(self.root)
        return out


class SurfaceView:
    """Data → scene for a square [lo, hi]² and heights above it, driven by four ValueTrackers.

    lift scales the heights (0: everything flat on the plane), elevation and azimuth turn the view,
    zoom shrinks it. The tallest |height| `top` rises 0.4 of the square's side, so the shape is kept
    and nothing leaves the frame. At lift = elevation = azimuth = 0, zoom = 1 a point (x1, x2) lands
    on a flat map of the square, `size` scene units across, centred at `center`.
    """

    def __init__(self, lo: float, hi: float, top: float, center: np.ndarray, size: float) -> None:
        self.lo, self.hi = lo, hi
        self.center = np.asarray(center, dtype=float)
        self.unit = size / (hi - lo)
        self.mid = np.array([(lo + hi) / 2, (lo + hi) / 2, 0.0])
        self.gain = 0.4 * (hi - lo) / top if top > 0 else 1.0
        self.lift, self.elevation = ValueTracker(0.0), ValueTracker(0.0)
        self.azimuth, self.zoom = ValueTracker(0.0), ValueTracker(1.0)

    def trackers(self) -> tuple[ValueTracker, ...]:
        return self.lift, self.elevation, self.azimuth, self.zoom

    def to_scene(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(x1, x2, height) data points (k, 3) → scene points (k, 3) and depths (k,)."""
        p = np.asarray(points, dtype=float).reshape(-1, 3) - self.mid
        p = p * np.array([1.0, 1.0, self.lift.get_value() * self.gain])
        xy, depth = project(p, self.azimuth.get_value(), self.elevation.get_value())
        scene = self.center + self.unit * self.zoom.get_value() * np.column_stack([xy, np.zeros(len(xy))])
        return scene, depth

    def flat(self, points2: np.ndarray) -> np.ndarray:
        """Points (k, 2) on the floor (height 0) → scene points (k, 3)."""
        p = np.asarray(points2, dtype=float).reshape(-1, 2)
        return self.to_scene(np.column_stack([p, np.zeros(len(p))]))[0]

    def order(self, depth_order: DepthOrder) -> list[int]:
        """The fragments of `depth_order`, far to near, as this view sees them now."""
        return depth_order.order(max(self.lift.get_value() * self.gain, 1e-9), self.azimuth.get_value(),
                                 self.elevation.get_value())


def _set_polyline(mob: VMobject, scene_points: np.ndarray, closed: bool = False) -> VMobject:
    points = list(scene_points) + ([scene_points[0]] if closed else [])
    mob.set_points_as_corners(points)
    return mob


def get_depth_sorted(view: SurfaceView, pieces: list[Piece], styles: dict[str, dict],
                     restyle: Callable[[VMobject], None] | None = None) -> VGroup:
    """One VMobject per BSP fragment of `pieces`, styled by `styles[piece.style]` (VMobject keywords),
    re-projected and re-ordered far to near by an updater every frame; `restyle(part)` then runs on
    each part (a style that follows a tracker).

    The group keeps its `depth_order` (the BSP) and each part its `fragment` (a Piece).
    """
    depth_order = DepthOrder(pieces)
    parts = []
    for index, fragment in enumerate(depth_order.fragments):
        mob = VMobject(**styles[fragment.style])
        mob.index, mob.fragment = index, fragment
        parts.append(mob)

    def update(group: VGroup) -> None:
        # work on the group's own parts (animations update copies of it too)
        by_index = {mob.index: mob for mob in group.submobjects}
        for mob in group.submobjects:
            _set_polyline(mob, view.to_scene(mob.fragment.points)[0], closed=mob.fragment.kind == "face")
            if restyle is not None:
                restyle(mob)
        group.submobjects = [by_index[i] for i in view.order(depth_order) if i in by_index]

    group = VGroup(*parts)
    group.depth_order = depth_order
    update(group)
    group.add_updater(update)
    return group


def inner_ticks(lo: float, hi: float, ticks: int = 3) -> np.ndarray:
    """Tick values for a height axis: whole steps of 1, 2 or 5 × 10^k (scenes.mobjects.nice_range)
    within [lo, hi], 0 among them when it is inside; at least the two ends of nice_range's cover.

    >>> inner_ticks(-2.25, 2.25).tolist(), inner_ticks(-2.0, 4.0).tolist()
    ([-2.0, 0.0, 2.0], [-2.0, 0.0, 2.0, 4.0])
    """
    from scenes.mobjects import nice_range
    start, stop, step = nice_range(lo, hi, ticks=ticks)
    values = np.arange(start, stop + step / 2, step) + 0.0
    inside = values[(values >= lo - 1e-9) & (values <= hi + 1e-9)]
    return inside if len(inside) >= 2 else values


def height_axis_pieces(lo: float, hi: float, ticks: np.ndarray) -> list[Piece]:
    """The height axis at the square's corner (lo, hi), from the first tick to the last, with tick marks
    pointing out of the square: "axis" lines for the painter."""
    reach = 0.05 * (hi - lo)
    pieces = [Piece(np.array([[lo, hi, ticks[0]], [lo, hi, ticks[-1]]], dtype=float), "line", "axis")]
    return pieces + [Piece(np.array([[lo - reach, hi, tick], [lo, hi, tick]], dtype=float), "line", "axis")
                     for tick in ticks]


def get_height_labels(view: SurfaceView, ticks: np.ndarray, name: VMobject,
                      numbers: list[VMobject]) -> VGroup:
    """Tick values beside the height axis of `height_axis_pieces` and its name above it, following the view,
    each on a backing box (with_backing): turned, the surface can lie behind them."""
    from scenes.mobjects import with_backing
    numbers, name = [with_backing(mob) for mob in numbers], with_backing(name)
    lo, hi = view.lo, view.hi
    reach = 0.05 * (hi - lo)

    def update(group: VGroup) -> None:
        *numbers, name = group.submobjects
        for mob, tick in zip(numbers, ticks):
            mob.next_to(view.to_scene(np.array([[lo - reach, hi, tick]]))[0][0], LEFT, buff=0.1)
        name.next_to(view.to_scene(np.array([[lo, hi, ticks[-1]]]))[0][0], UP, buff=0.15)

    group = VGroup(*numbers, name)
    update(group)
    group.add_updater(update)
    return group

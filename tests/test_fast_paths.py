"""Shapes drawn from cached cairo paths give the very pixels Manim's own path building gives."""
from __future__ import annotations

import numpy as np
import pytest

from scenes import fast_paths


@pytest.fixture
def manims_paths(monkeypatch):
    """Manim's own set_cairo_context_path and Mobject.interpolate for one test, as in a fresh process."""
    from manim.camera.camera import Camera
    from manim.mobject.mobject import Mobject
    if fast_paths._manims_build is not None:  # installed by an earlier test in this process
        monkeypatch.setattr(Camera, "set_cairo_context_path", fast_paths._manims_build)
    if fast_paths._manims_interpolate is not None:
        monkeypatch.setattr(Mobject, "interpolate", fast_paths._manims_interpolate)


@pytest.mark.parametrize("scene", ["Interaction", "TwoNeuronRegions"])  # a 2D scene and a 3D one
def test_key_frames_are_bit_identical_with_cached_paths(scene, manims_paths, monkeypatch):
    from manim.camera.camera import Camera

    from scenes.explainer import scene_class
    from tests.golden_frames import render_key_frames
    plain = render_key_frames(scene_class(scene))
    assert fast_paths.install()
    fast_paths._paths.clear()
    drawn = []
    build = fast_paths.build_path
    monkeypatch.setattr(fast_paths, "build_path", lambda *args: drawn.append(1) or build(*args))
    cached = render_key_frames(scene_class(scene))
    assert Camera.set_cairo_context_path is fast_paths._set_cairo_context_path
    for which in plain:
        np.testing.assert_array_equal(cached[which], plain[which])
    hits = sum(1 for _ in fast_paths._paths)  # paths kept; built ones are counted in `drawn`
    assert hits and len(drawn) >= hits


def test_the_same_points_moved_are_a_new_path(manims_paths):
    """The key is the displayed points themselves: a shape moved is built again, where it now is."""
    import cairo
    from manim import Camera, Square
    assert fast_paths.install()
    camera, square = Camera(), Square()
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 64, 64)
    ctx = cairo.Context(surface)
    fast_paths._paths.clear()
    camera.set_cairo_context_path(ctx, square)
    first = ctx.copy_path()
    camera.set_cairo_context_path(ctx, square)
    assert len(fast_paths._paths) == 1 and list(ctx.copy_path()) == list(first)
    camera.set_cairo_context_path(ctx, square.shift([0.5, 0, 0]))
    assert len(fast_paths._paths) == 2 and list(ctx.copy_path()) != list(first)


def test_build_path_gives_manims_own_path(manims_paths):
    """Open and closed curves, several sub-paths, a curve broken in two, glyphs: the same path elements
    with the same doubles as Manim's Camera.set_cairo_context_path."""
    import cairo
    from manim import Camera, Circle, MathTex, Square, VGroup, VMobject

    broken = VMobject().set_points_as_corners([[-2, 0, 0], [-1, 1, 0], [0, 0, 0]])
    broken.append_points(VMobject().set_points_as_corners([[0.5, 0, 0], [1, -1, 0], [2, 0.3, 0]]).points)
    shapes = [Square(), Circle().shift([0.3, 0.1, 0]), broken, *MathTex(r"h_2(x) = \tfrac{1}{2}x").family_members_with_points()]
    camera = Camera()
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 64, 64)
    for shape in shapes:
        manims, ours = cairo.Context(surface), cairo.Context(surface)
        Camera.set_cairo_context_path(camera, manims, shape)
        fast_paths.build_path(ours, shape, camera.transform_points_pre_display(shape, shape.points))
        assert list(ours.copy_path()) == list(manims.copy_path())
    assert len(list(cairo.Context(surface).copy_path())) == 0
    path = cairo.Context(surface)
    fast_paths.build_path(path, broken, broken.points)
    assert sum(1 for kind, _ in path.copy_path() if kind == cairo.PATH_MOVE_TO) == 2  # two sub-paths


def test_points_equal_at_both_ends_stay_exact_while_colours_move(manims_paths):
    """Manim's (1 - a)·p + a·p is a few bits off p, so a shape fading in missed the path cache."""
    from manim import Square
    from manim.mobject.mobject import Mobject
    start, end = Square().rotate(0.3).set_fill("#FF0000", 0.0), Square().rotate(0.3).set_fill("#FF0000", 1.0)
    alphas = np.arange(1, 15) / 15  # a fade's frames at 15 fps
    drifted = []
    for alpha in alphas:
        plain = Square()
        Mobject.interpolate(plain, start, end, alpha)
        drifted.append(not np.array_equal(plain.points, start.points))
    assert any(drifted)  # the drift the cache cannot match
    assert fast_paths.install()
    for alpha in alphas:
        plain, shape = Square(), Square()
        fast_paths._manims_interpolate(plain, start, end, alpha)
        shape.interpolate(start, end, alpha)
        assert shape.points.tobytes() == start.points.tobytes() and shape.points is not start.points
        np.testing.assert_allclose(shape.get_fill_opacity(), plain.get_fill_opacity())


def test_a_fades_start_copy_scaled_by_one_keeps_its_points_while_it_fades(manims_paths):
    """FadeIn's start copy is scaled by 1 about its centre, a few bits off the target's points: the
    points drawn stay the start's until the last frame, then are the end's, as Manim's are."""
    from manim import FadeIn, RegularPolygon
    end = RegularPolygon(7).rotate(0.3).shift([0.1, 0.2, 0]).set_fill("#FF0000", 1.0)
    start = FadeIn(end).create_starting_mobject()
    assert not np.array_equal(start.points, end.points)  # the drift
    assert np.max(np.abs(start.points - end.points)) <= fast_paths.SAME_POINTS
    assert fast_paths.install()
    drawn = set()
    for alpha in np.arange(0, 16) / 15:
        shape, plain = end.copy(), end.copy()
        shape.interpolate(start, end, alpha)
        fast_paths._manims_interpolate(plain, start, end, alpha)
        drawn.add(shape.points.tobytes())
        np.testing.assert_allclose(shape.points, plain.points, atol=fast_paths.SAME_POINTS)
        np.testing.assert_array_equal(shape.fill_rgbas, plain.fill_rgbas)
        if alpha in (0, 1):
            assert shape.points.tobytes() == plain.points.tobytes()  # the ends are Manim's exactly
    assert drawn == {start.points.tobytes(), end.points.tobytes()}
    apart = end.copy().shift([10 * fast_paths.SAME_POINTS, 0, 0])  # a real move, however small
    shape, plain = end.copy(), end.copy()
    shape.interpolate(apart, end, 0.5)
    fast_paths._manims_interpolate(plain, apart, end, 0.5)
    np.testing.assert_array_equal(shape.points, plain.points)


def test_points_that_move_are_interpolated_as_manim_does(manims_paths):
    from manim import Square
    from manim.utils.paths import spiral_path, straight_path
    start, end = Square(), Square().shift([1.0, 0.5, 0.0]).scale(2)
    assert fast_paths.install()
    for path_func in (straight_path(), spiral_path(1.0)):
        expected, got = Square(), Square()
        fast_paths._manims_interpolate(expected, start, end, 0.3, path_func)
        got.interpolate(start, end, 0.3, path_func)
        np.testing.assert_array_equal(got.points, expected.points)
    expected, got = Square(), Square()  # no path given: Manim's straight path
    fast_paths._manims_interpolate(expected, start, end, 0.3)
    got.interpolate(start, end, 0.3)
    np.testing.assert_array_equal(got.points, expected.points)

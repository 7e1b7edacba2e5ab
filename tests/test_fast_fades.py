"""A plain fade by opacity alone (scenes.fast_fades) is Manim's fade: at every alpha, every shape's
opacities to the last bit, its colours and points within a unit in the last place."""
from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, Circle, FadeIn, FadeOut, ImageMobject, Line, MathTex, Scene, Square, VGroup, tempconfig

from scenes import fast_fades

COLOURS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")


def shapes() -> VGroup:
    circle = Circle(radius=1.0, color="#FF8800", fill_opacity=0.6).set_stroke(opacity=0.8)
    line = Line([-2, 0, 0], [2, 1, 0], color="#3366FF").set_stroke(opacity=0.5, background=True)
    return VGroup(circle, line, MathTex("h_2(x) = x^2", color="#22AA44").shift(DOWN))


def states(kind, fast: bool, monkeypatch, **options) -> list[list]:
    """Every shape's colours and points at each alpha of `kind(shapes())`, faded by Manim or by fast_fades."""
    with monkeypatch.context() as patch:
        if not fast:  # Manim's own, even when another test installed fast_fades
            from manim.animation.fading import _Fade
            for name, method in fast_fades._manims.items():
                patch.setattr(_Fade, name, method)
        else:
            assert fast_fades.install()
        with tempconfig({"verbosity": "WARNING"}):
            scene = Scene()
            fade = kind(shapes(), **options)
            fade._setup_scene(scene)
            fade.begin()
            def snapshot() -> list:
                return [[getattr(m, name).copy() for name in COLOURS] + [m.points.copy()]
                        for m in fade.mobject.family_members_with_points()]

            seen = []
            for alpha in np.linspace(0, 1, 16):
                fade.interpolate(alpha)
                seen.append(snapshot())
            fade.finish()
            fade.clean_up_from_scene(scene)
            seen.append(snapshot())
    return seen


@pytest.mark.parametrize("kind", [FadeIn, FadeOut])
@pytest.mark.parametrize("options", [{}, {"lag_ratio": 0.3}, {"run_time": 0.4, "rate_func": lambda t: t ** 3}])
def test_a_plain_fade_by_opacity_is_manims_fade(kind, options, monkeypatch):
    manims, fast = states(kind, False, monkeypatch, **options), states(kind, True, monkeypatch, **options)
    assert len(manims) == len(fast)
    for frame, (expected, got) in enumerate(zip(manims, fast)):
        assert len(expected) == len(got)
        for shape, (e, g) in enumerate(zip(expected, got)):
            for name, a, b in zip(COLOURS + ("points",), e, g):
                if name != "points":
                    assert np.array_equal(a[:, 3], b[:, 3]), (frame, shape, name)  # the opacity, bit for bit
                np.testing.assert_allclose(b, a, rtol=0, atol=1e-12, err_msg=f"{frame} {shape} {name}")


def test_the_check_sees_a_fade_that_is_off_by_a_little(monkeypatch):
    monkeypatch.setattr(fast_fades, "_COLOURS", ("fill_rgbas", "stroke_rgbas"))  # forgets the background stroke
    with pytest.raises(AssertionError):
        test_a_plain_fade_by_opacity_is_manims_fade(FadeOut, {}, monkeypatch)


def test_a_shifted_or_scaled_fade_or_an_image_is_left_to_manim():
    assert fast_fades.install()
    with tempconfig({"verbosity": "WARNING"}):
        assert fast_fades.is_plain(FadeIn(Square()))
        assert not fast_fades.is_plain(FadeIn(Square(), shift=DOWN))
        assert not fast_fades.is_plain(FadeOut(Square(), scale=0.5))
        assert not fast_fades.is_plain(FadeIn(Square(), target_position=[1, 0, 0]))
        image = ImageMobject(np.zeros((4, 4, 4), dtype=np.uint8))
        assert not fast_fades.is_plain(FadeIn(image))
        fade = FadeIn(Square(), shift=DOWN)
        fade._setup_scene(Scene())
        fade.begin()
        assert fade.starting_mobject is not fade.mobject  # Manim's copies

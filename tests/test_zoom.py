"""relu_core.zoom: each halving doubles the kinks, and the window stays one piece of the sum."""
from __future__ import annotations

import numpy as np
import pytest

from relu_core import interpolant, max_error, parse_function, uniform_knots
from relu_core.zoom import blend, doubled_knots, gap_ratios, halving_steps, piece_gap

TARGETS = ["sin(2*x) + x**2/4", "sin(3*x)", "exp(x)", "abs(x)", "9"]


@pytest.mark.parametrize("target", TARGETS)
def test_every_window_is_exactly_one_piece_of_its_stage_sum(target):
    f = parse_function(target)
    steps = halving_steps(f, uniform_knots(-3, 3, 8), piece=3, zooms=4)
    assert [s.pieces for s in steps] == [8, 16, 32, 64, 128]
    for before, step in zip([None, *steps], steps):
        lo, hi = step.window
        assert lo in step.knots and hi in step.knots           # its ends are knots of the sum
        assert not np.any((step.knots > lo) & (step.knots < hi))  # and no knot inside: one straight piece
        np.testing.assert_allclose(step.approx(step.knots), f(step.knots), atol=1e-12)
        if before is not None:  # a half of the window before
            assert hi - lo == pytest.approx(before.width / 2)
            assert before.window[0] <= lo and hi <= before.window[1]


def test_the_window_follows_the_half_with_the_larger_gap_and_its_gap_is_max_error():
    f = parse_function("sin(2*x) + x**2/4")
    steps = halving_steps(f, uniform_knots(-3, 3, 8), piece=3, zooms=2)
    for before, step in zip(steps, steps[1:]):
        lo, hi = before.window
        mid = (lo + hi) / 2
        halves = [max_error(f, step.approx, a, b, samples=801) for a, b in ((lo, mid), (mid, hi))]
        assert step.gap == pytest.approx(max(halves), rel=1e-12)
        assert step.gap == pytest.approx(max_error(f, step.approx, *step.window, samples=801), rel=1e-12)


def test_a_parabola_quarters_its_gap_every_halving():
    steps = halving_steps(np.square, uniform_knots(-2, 2, 4), piece=1, zooms=3)
    np.testing.assert_allclose(gap_ratios(steps), 0.25, rtol=1e-9)


def test_the_gap_is_largest_where_it_says():
    line = interpolant(np.square, [0.0, 2.0])
    gap, at = piece_gap(np.square, line, 0.0, 2.0)
    assert (gap, at) == (pytest.approx(1.0), pytest.approx(1.0))


def test_blend_is_heights_adding_and_new_kinks_rise_from_the_old_line():
    f = np.sin
    knots = uniform_knots(0, 3, 3)
    old, new = interpolant(f, knots), interpolant(f, doubled_knots(knots))
    xs = np.linspace(-0.5, 3.5, 57)
    for share in (0.0, 0.3, 1.0):
        mixed = blend(old, new, share)
        np.testing.assert_allclose(mixed(xs), (1 - share) * old(xs) + share * new(xs), atol=1e-12)
    middles = doubled_knots(knots)[1::2]
    np.testing.assert_allclose(blend(old, new, 0.5)(middles), (old(middles) + f(middles)) / 2, atol=1e-12)
    assert len(blend(old, new, 0.0).breakpoints()) == 2  # no kink before its term starts to rise


def test_bad_piece_is_refused():
    with pytest.raises(ValueError, match="piece must be between 1 and 2"):
        halving_steps(np.square, [0.0, 1.0, 2.0], piece=3, zooms=1)

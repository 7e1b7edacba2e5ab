"""ReluTerm and ReluSum as maths: exact values, piecewise-linear laws, immutability and errors."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relu_core import ReluSum, ReluTerm, format_number, relu, square_approximation

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
inner = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
terms = st.builds(ReluTerm, inner, finite, finite)
sums = st.builds(ReluSum, st.lists(terms, max_size=8).map(tuple), finite, finite)
points = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


def direct(s: ReluSum, x: np.ndarray) -> np.ndarray:
    """Σ c·max(a x + b, 0) + slope x + intercept, term by term."""
    x = np.asarray(x, dtype=float)
    return s.slope * x + s.intercept + sum((t.c * np.maximum(t.a * x + t.b, 0.0) for t in s.terms),
                                           np.zeros_like(x))


def scale(s: ReluSum, x: np.ndarray) -> np.ndarray:
    """The size of the numbers added up in s(x): rounding error is relative to it."""
    return 1.0 + abs(s.slope * x) + abs(s.intercept) + sum(
        (abs(t.c) * (abs(t.a * x) + abs(t.b)) for t in s.terms), np.zeros_like(x))


H1 = ReluSum((ReluTerm(1, 0), ReluTerm(-1, 0)))


# -- exact tables ------------------------------------------------------------------------------
@pytest.mark.parametrize("x, expected", [(-2.0, 0.0), (-0.0, 0.0), (0.0, 0.0), (0.5, 0.5), (3.0, 3.0)])
def test_relu_is_max_of_x_and_zero(x, expected):
    assert relu(x).tolist() == expected


@pytest.mark.parametrize("a, b, kink", [(1, 0, 0.0), (2, -2, 1.0), (-2, -2, -1.0), (-1, 0, 0.0),
                                        (0.5, 1, -2.0), (0, 3, None), (0, 0, None)])
def test_kink_is_minus_b_over_a_and_none_when_a_is_zero(a, b, kink):
    assert ReluTerm(a, b).kink == kink


def test_kink_is_never_negative_zero():
    assert str(ReluTerm(-1, 0).kink) == "0.0"


@pytest.mark.parametrize("term, latex", [
    (ReluTerm(1, 0), "g(x)"), (ReluTerm(-1, 0), "g(-x)"), (ReluTerm(2, -2), "g(2x - 2)"),
    (ReluTerm(-2, -2), "g(-2x - 2)"), (ReluTerm(-2, 2), "g(-2x + 2)"), (ReluTerm(1, 0, -3), "-3g(x)"),
    (ReluTerm(0.5, 0.25, 2), "2g(0.5x + 0.25)"), (ReluTerm(0, 3), "g(3)"), (ReluTerm(1 / 3, 0), "g(0.333x)"),
])
def test_term_latex_uses_the_seeds_notation(term, latex):
    assert term.latex() == latex


@pytest.mark.parametrize("s, latex", [
    (ReluSum(), "0"),
    (H1, "g(x) + g(-x)"),
    (ReluSum((ReluTerm(1, 0), ReluTerm(-2, -2, -0.5)), slope=0.5), "0.5x + g(x) - 0.5g(-2x - 2)"),
    (ReluSum((ReluTerm(1, 0, 0),), slope=-1, intercept=-2), "-x - 2"),
    (ReluSum(slope=1, intercept=3), "x + 3"),
    (ReluSum((ReluTerm(1, -1),), intercept=-1), "-1 + g(x - 1)"),
])
def test_sum_latex_puts_the_affine_part_first(s, latex):
    assert s.latex() == latex


@pytest.mark.parametrize("value, text", [(2.0, "2"), (-0.5, "-0.5"), (1 / 3, "0.333"), (-0.0, "0"),
                                         (1e-12, "0"), (2.0000000001, "2"), (123456.0, "123456"),
                                         (8703.2, "8700"), (-72461.4, "-72500"), (1234.5, "1230"),
                                         (0.0000123456, "0.0000123"), (-0.00045678, "-0.000457")])
def test_format_number_is_short(value, text):
    assert format_number(value) == text
    assert "e" not in format_number(value)  # never Python's e-notation: LaTeX typesets it as "8.7e + 03"


def test_h1_is_abs():
    x = np.linspace(-5, 5, 101)
    np.testing.assert_array_equal(H1(x), np.abs(x))
    assert H1.vertices(-1, 1).tolist() == [[-1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]
    assert H1.slopes(-1, 1).tolist() == [-1.0, 1.0]


def test_flat_terms_add_a_constant():
    s = ReluSum((ReluTerm(0, 3, 2), ReluTerm(0, -3, 5)))
    assert s(np.array([-1.0, 0.0, 9.0])).tolist() == [6.0, 6.0, 6.0]
    assert s.breakpoints().tolist() == []


def test_zero_weight_terms_have_no_breakpoint():
    assert ReluSum((ReluTerm(1, -1, 0.0), ReluTerm(1, -2))).breakpoints().tolist() == [2.0]


def test_vertices_inside_one_piece_are_just_the_ends():
    assert ReluSum((ReluTerm(1, -5),), slope=2).vertices(0, 1).tolist() == [[0.0, 0.0], [1.0, 2.0]]


def test_sums_are_immutable_values():
    s = ReluSum([ReluTerm(1, 0)])  # a list is frozen into a tuple
    assert isinstance(s.terms, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.slope = 2.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ReluTerm(1, 0).a = 2.0  # type: ignore[misc]
    assert s == ReluSum.of([ReluTerm(1, 0)]) and hash(s) == hash(ReluSum.of([ReluTerm(1, 0)]))


def test_adding_something_else_is_a_type_error():
    with pytest.raises(TypeError):
        H1 + 1  # type: ignore[operator]


# -- error paths -------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b, c", [(np.inf, 0, 1), (1, np.nan, 1), (1, 0, -np.inf)])
def test_term_refuses_non_finite_numbers(a, b, c):
    with pytest.raises(ValueError, match="must be finite"):
        ReluTerm(a, b, c)


@pytest.mark.parametrize("slope, intercept", [(np.nan, 0), (0, np.inf)])
def test_sum_refuses_non_finite_affine_part(slope, intercept):
    with pytest.raises(ValueError, match="must be finite"):
        ReluSum(slope=slope, intercept=intercept)


@pytest.mark.parametrize("lo, hi", [(1, 1), (2, 1), (-np.inf, 0), (0, np.nan)])
def test_vertices_and_slopes_refuse_bad_intervals(lo, hi):
    with pytest.raises(ValueError, match="interval"):
        H1.vertices(lo, hi)
    with pytest.raises(ValueError, match="interval"):
        H1.slopes(lo, hi)


# -- laws --------------------------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(sums, st.lists(points, min_size=1, max_size=20))
def test_sum_equals_the_sum_of_its_terms(s, xs):
    x = np.array(xs)
    np.testing.assert_allclose(s(x), direct(s, x), rtol=0, atol=1e-9 * scale(s, x).max())


@settings(max_examples=100, deadline=None)
@given(sums, st.floats(0, 1), st.floats(0, 1), st.integers(0, 8))
def test_sum_is_affine_between_consecutive_breakpoints(s, u, v, piece):
    inside = s.breakpoints()
    # A kink beyond the float range (a subnormal a) is reported at ±inf: keep to a finite window.
    edges = np.concatenate([[-200.0], inside[(inside > -200) & (inside < 200)], [200.0]])
    assume(piece < len(edges) - 1)
    lo, hi = edges[piece], edges[piece + 1]
    assume(hi - lo > 1e-6)
    p, q = lo + u * (hi - lo), lo + v * (hi - lo)
    ends = s(np.array([p, q, (p + q) / 2]))
    atol = 1e-9 * scale(s, np.array([lo, hi])).max()
    assert ends[2] == pytest.approx((ends[0] + ends[1]) / 2, abs=atol)


@settings(max_examples=100, deadline=None)
@given(sums, points, st.floats(0.01, 100))
def test_vertices_lie_on_the_function_and_include_the_ends(s, lo, width):
    hi = lo + width
    v = s.vertices(lo, hi)
    assert v.shape[1] == 2 and v[0, 0] == lo and v[-1, 0] == hi
    assert np.all(np.diff(v[:, 0]) > 0)
    inner = s.breakpoints()
    assert v[1:-1, 0].tolist() == inner[(inner > lo) & (inner < hi)].tolist()
    np.testing.assert_allclose(v[:, 1], direct(s, v[:, 0]), rtol=0, atol=1e-9 * scale(s, v[:, 0]).max())


@settings(max_examples=100, deadline=None)
@given(sums, points, st.floats(0.01, 100))
def test_slopes_agree_with_differences_between_vertices(s, lo, width):
    v = s.vertices(lo, lo + width)
    slopes = s.slopes(lo, lo + width)
    assert len(slopes) == len(v) - 1
    dx = np.diff(v[:, 0])
    keep = dx > 1e-3  # tiny pieces amplify rounding in a finite difference
    tol = 1e-8 * scale(s, v[:, 0]).max() / dx[keep]
    assert np.all(np.abs(np.diff(v[:, 1])[keep] / dx[keep] - slopes[keep]) <= tol)


@settings(max_examples=100, deadline=None)
@given(sums)
def test_breakpoints_are_sorted_unique_kinks(s):
    b = s.breakpoints()
    assert np.all(np.diff(b) > 0)
    kinks = {t.kink for t in s.terms if t.kink is not None and t.c != 0}
    assert set(b.tolist()) == kinks


@settings(max_examples=100, deadline=None)
@given(sums, sums, terms, st.floats(-10, 10), st.lists(points, min_size=1, max_size=10))
def test_plus_scaled_negation_and_with_term_are_consistent(s, r, t, k, xs):
    x = np.array(xs)
    tol = 1e-9 * (scale(s, x) + scale(r, x) + abs(k) * scale(s, x) + 1e3).max()
    np.testing.assert_allclose((s + r)(x), s(x) + r(x), rtol=0, atol=tol)
    np.testing.assert_allclose((s - r)(x), s(x) - r(x), rtol=0, atol=tol)
    np.testing.assert_allclose(s.scaled(k)(x), k * s(x), rtol=0, atol=tol)
    np.testing.assert_allclose((-s)(x), -s(x), rtol=0, atol=tol)
    assert s.with_term(t) == s + t and (s + t).terms == s.terms + (t,)
    np.testing.assert_allclose(s.with_term(t)(x), s(x) + t(x), rtol=0, atol=tol)


@given(sums, terms)
def test_with_term_leaves_the_original_alone(s, t):
    before = (s.terms, s.slope, s.intercept)
    s.with_term(t)
    assert (s.terms, s.slope, s.intercept) == before


@pytest.mark.parametrize("s", [square_approximation(40), H1, ReluSum(slope=1)])
def test_a_long_sorted_grid_takes_the_same_values_as_scattered_points(s):
    grid = np.linspace(-50, 50, 10_001)  # long and sorted: the fast path that cuts at breakpoints
    np.testing.assert_array_equal(s(grid), s(grid[::-1])[::-1])
    np.testing.assert_array_equal(s(grid.reshape(1, -1))[0], s(grid))
    np.testing.assert_allclose(s(grid), direct(s, grid), rtol=0, atol=1e-9 * scale(s, grid).max())


@given(terms, points)
def test_a_term_alone_is_c_relu_of_its_affine_map(t, x):
    assert t(np.array([x]))[0] == t.c * max(t.a * x + t.b, 0.0)

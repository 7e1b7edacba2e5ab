"""Claims about depth: the tent map, the sawtooth T^k, Yarotsky's deep x² and exact kinks of deep nets."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_core import (
    TENT, DeepReluNet, deep_square, deep_square_error_bound, deep_square_latex, max_error,
    sawtooth, sawtooth_latex, shallow_square, shallow_square_error_bound, tent,
)

DYADIC = [1, 2, 3, 5, 8]


def dyadic_points(m: int) -> np.ndarray:
    return np.arange(2 ** m + 1) / 2 ** m


# -- the tent map -------------------------------------------------------------------------------
def test_tent_matches_its_formula_2x_then_2_minus_2x():
    x = np.linspace(0, 1, 1001)
    assert np.allclose(tent(x), np.where(x <= 0.5, 2 * x, 2 - 2 * x), rtol=0, atol=1e-15)


@pytest.mark.parametrize("x, value", [(0.0, 0.0), (0.5, 1.0), (1.0, 0.0), (0.25, 0.5), (-1.0, 0.0),
                                      (2.0, -2.0)])
def test_tent_takes_the_seed_values(x, value):
    assert tent(x) == value


def test_tent_is_two_relu_terms_2g_x_minus_4g_x_minus_half():
    assert TENT.latex() == "2g(x) - 4g(x - 0.5)"
    assert TENT.breakpoints().tolist() == [0.0, 0.5]


# -- the sawtooth -------------------------------------------------------------------------------
@pytest.mark.parametrize("k", DYADIC)
def test_sawtooth_has_2_to_the_k_pieces_from_2k_units_in_k_layers(k):
    net = sawtooth(k)
    assert net.pieces(0, 1) == 2 ** k
    assert (net.units, net.depth) == (2 * k, k)


@pytest.mark.parametrize("k", DYADIC)
def test_sawtooth_vertices_sit_at_j_over_2_to_the_k_and_alternate_0_1(k):
    vertices = sawtooth(k).vertices(0, 1)
    assert np.array_equal(vertices[:, 0], dyadic_points(k))
    assert np.array_equal(vertices[:, 1], np.arange(2 ** k + 1) % 2)


@pytest.mark.parametrize("k", [1, 2, 4, 6])
def test_sawtooth_is_the_tent_map_composed_k_times(k):
    x = np.linspace(-0.5, 1.5, 2001)
    composed = x
    for _ in range(k):
        composed = tent(composed)
    assert np.allclose(sawtooth(k)(x), composed, rtol=0, atol=1e-12)


def test_sawtooth_14_still_has_exactly_2_to_the_14_pieces():
    assert sawtooth(14).pieces(0, 1) == 2 ** 14


# -- Yarotsky's deep square ---------------------------------------------------------------------
@pytest.mark.parametrize("m", DYADIC)
def test_deep_square_max_error_on_0_1_is_4_to_the_minus_m_plus_1(m):
    net = deep_square(m)
    knots = dyadic_points(m)
    measured = max_error(np.square, net, 0, 1, knots=knots)
    assert abs(measured - deep_square_error_bound(m)) <= 1e-12
    assert deep_square_error_bound(m) == 4.0 ** -(m + 1)


@pytest.mark.parametrize("m", DYADIC)
def test_deep_square_equals_x_squared_at_the_dyadic_points(m):
    x = dyadic_points(m)
    assert np.allclose(deep_square(m)(x), x ** 2, rtol=0, atol=1e-15)


@pytest.mark.parametrize("m", DYADIC)
def test_deep_square_is_x_minus_the_scaled_sawtooth_sum(m):
    x = np.linspace(0, 1, 1025)
    formula = x - sum(sawtooth(s)(x) / 4 ** s for s in range(1, m + 1))
    assert np.allclose(deep_square(m)(x), formula, rtol=0, atol=1e-14)


@pytest.mark.parametrize("m", DYADIC)
def test_deep_square_breakpoints_are_exactly_the_inner_dyadic_points(m):
    assert np.array_equal(deep_square(m).breakpoints(0, 1), dyadic_points(m)[1:-1])


@pytest.mark.parametrize("m, units", [(1, 2), (2, 5), (3, 8), (10, 29), (20, 59)])
def test_deep_square_has_3m_minus_1_units_in_m_layers(m, units):
    net = deep_square(m)
    assert (net.units, net.depth) == (units, m)


def test_deep_square_is_zero_left_of_0_where_the_carried_g_x_clips():
    assert deep_square(3)(np.array([-1.0, -0.1])).tolist() == [0.0, 0.0]


# -- the one-hidden-layer interpolant and depth against width ------------------------------------
@pytest.mark.parametrize("pieces", [1, 2, 3, 7, 16, 100])
def test_shallow_square_max_error_is_1_over_4_n_squared(pieces):
    h = shallow_square(pieces)
    measured = max_error(np.square, h, 0, 1, knots=h.breakpoints())
    assert abs(measured - shallow_square_error_bound(pieces)) <= 1e-12
    assert shallow_square_error_bound(pieces) == 1 / (4 * pieces ** 2)
    assert len(h.terms) == pieces - 1


@pytest.mark.parametrize("m", range(1, 11))
def test_deep_and_shallow_square_agree_at_2_to_the_m_pieces(m):
    x = np.linspace(0, 1, 4097)
    assert np.allclose(deep_square(m)(x), shallow_square(2 ** m)(x), rtol=0, atol=1e-13)


def test_depth_beats_width_units_for_error_4_to_the_minus_m_plus_1():
    """Deep: 3m - 1 units (linear in m). Shallow: 2^m pieces, 2^m - 1 units (exponential in m)."""
    table = []
    for m in range(1, 11):
        target = deep_square_error_bound(m)
        shallow_pieces = next(n for n in range(1, 2 ** 12) if shallow_square_error_bound(n) <= target)
        table.append((m, deep_square(m).units, len(shallow_square(shallow_pieces).terms)))
    assert [shallow for _, _, shallow in table] == [2 ** m - 1 for m in range(1, 11)]
    assert [deep for _, deep, _ in table] == [3 * m - 1 for m in range(1, 11)]
    assert all(deep < shallow for m, deep, shallow in table if m >= 4)


# -- text ---------------------------------------------------------------------------------------
def test_latex_names_the_composition_and_the_sum():
    assert sawtooth_latex(3) == "T^{3}(x)"
    assert deep_square_latex(2) == r"x - \sum_{s=1}^{2} \frac{T^{s}(x)}{4^{s}}"


# -- exact kinks of any deep net against dense sampling ------------------------------------------
@st.composite
def small_nets(draw) -> DeepReluNet:
    """Nets with integer weights (so every slope is an integer and a real kink turns it by ≥ 1)."""
    widths = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    ints = st.integers(-3, 3)
    layers, previous = [], 1
    for width in widths:
        weights = draw(st.lists(st.lists(ints, min_size=previous, max_size=previous),
                                min_size=width, max_size=width))
        biases = draw(st.lists(st.integers(-12, 12).map(lambda b: b / 4), min_size=width, max_size=width))
        layers.append((np.array(weights, dtype=float), np.array(biases)))
        previous = width
    w_out = draw(st.lists(ints, min_size=previous, max_size=previous))
    return DeepReluNet(tuple(layers), (np.array(w_out, dtype=float), draw(st.floats(-2, 2))))


@settings(max_examples=60, deadline=None)
@given(small_nets())
def test_breakpoints_agree_with_dense_slope_change_detection(net):
    lo, hi = -2.0, 2.0
    breakpoints = net.breakpoints(lo, hi)
    x = np.linspace(lo, hi, 40_001)
    spacing = x[1] - x[0]
    slopes = np.diff(net(x)) / spacing
    changed = np.nonzero(np.abs(np.diff(slopes)) > 1e-6)[0]
    # every slope change seen on the grid (between cells i and i+1) has a breakpoint in those cells
    for i in changed:
        assert np.any((breakpoints >= x[i] - 1e-12) & (breakpoints <= x[i + 2] + 1e-12))
    # every breakpoint is a true kink: the slope turns by at least 1 (integer weights)
    gap = np.min(np.diff(np.concatenate([[lo], breakpoints, [hi]])))
    eps = min(1e-4, gap / 4)
    for b in breakpoints:
        left, middle, right = net(np.array([b - eps, b, b + eps]))
        assert abs((right - middle) - (middle - left)) / eps > 0.5
    # and the polyline through the vertices is the net
    vertices = net.vertices(lo, hi)
    assert np.allclose(np.interp(x, vertices[:, 0], vertices[:, 1]), net(x), rtol=0, atol=1e-9)


def test_breakpoints_drop_kinks_that_cancel():
    """g(x) - g(x) has a unit turning at 0, but the output never turns."""
    net = DeepReluNet(((np.array([[1.0], [1.0]]), np.array([0.0, 0.0])),), (np.array([1.0, -1.0]), 0.0))
    assert net.breakpoints(-1, 1).size == 0
    assert net.pieces(-1, 1) == 1
    assert net.vertices(-1, 1).tolist() == [[-1.0, 0.0], [1.0, 0.0]]


def test_net_keeps_the_shape_of_its_input_and_reads_only_arrays():
    net = sawtooth(2)
    assert net(np.zeros((2, 3))).shape == (2, 3)
    assert net(0.25).shape == ()
    with pytest.raises(ValueError):
        net.layers[0][0][0, 0] = 5.0


# -- error paths --------------------------------------------------------------------------------
@pytest.mark.parametrize("build", [sawtooth, deep_square, deep_square_error_bound, sawtooth_latex,
                                   deep_square_latex])
@pytest.mark.parametrize("bad", [0, 21, -1])
def test_depth_outside_1_to_20_is_refused_with_the_limit(build, bad):
    with pytest.raises(ValueError, match="between 1 and 20"):
        build(bad)


@pytest.mark.parametrize("bad", [2.0, True, "3"])
def test_depth_must_be_a_whole_number(bad):
    with pytest.raises(ValueError, match="whole number"):
        sawtooth(bad)


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_shallow_square_needs_a_whole_positive_number_of_pieces(bad):
    with pytest.raises(ValueError):
        shallow_square(bad)
    with pytest.raises(ValueError):
        shallow_square_error_bound(bad)


ONE = np.array([[1.0]])


@pytest.mark.parametrize("layers, readout, message", [
    ((), (np.array([1.0]), 0.0), "at least one hidden layer"),
    (((np.array([[1.0, 1.0]]), np.array([0.0])),), (np.array([1.0]), 0.0), "layer 1"),
    (((ONE, np.array([0.0, 1.0])),), (np.array([1.0]), 0.0), "layer 1"),
    (((ONE, np.array([0.0])), (np.array([[1.0], [1.0]]), np.array([0.0]))), (np.array([1.0]), 0.0),
     "layer 2"),
    (((np.array([1.0]), np.array([0.0])),), (np.array([1.0]), 0.0), "2-D"),
    (((ONE, np.array([np.nan])),), (np.array([1.0]), 0.0), "finite"),
    (((ONE, np.array([0.0])),), (np.array([1.0, 2.0]), 0.0), "w_out"),
    (((ONE, np.array([0.0])),), (np.array([1.0]), np.inf), "b_out"),
])
def test_malformed_nets_are_refused(layers, readout, message):
    with pytest.raises(ValueError, match=message):
        DeepReluNet(layers, readout)


@pytest.mark.parametrize("lo, hi", [(1, 0), (0, 0), (0, np.inf)])
def test_breakpoints_need_an_interval(lo, hi):
    with pytest.raises(ValueError, match="interval"):
        sawtooth(2).breakpoints(lo, hi)
    with pytest.raises(ValueError, match="interval"):
        sawtooth(2).vertices(lo, hi)

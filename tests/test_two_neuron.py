"""Claims about the seed-002 net: four linear cases, one piecewise-linear (not linear) function."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from relu_core.two_neuron import CASE_CONDITIONS, CASES, SEED_NET, TwoNeuronNet

# Weights on a 0.01 grid: exact zeros, parallel rows and lines through corners all turn up.
weight = st.floats(-3, 3).map(lambda value: round(value, 2))
nets = st.builds(
    TwoNeuronNet,
    W=st.lists(weight, min_size=4, max_size=4).map(lambda w: np.reshape(w, (2, 2))),
    v=st.lists(weight, min_size=2, max_size=2),
    bias=st.none() | st.lists(weight, min_size=2, max_size=2),
)
bias_free_nets = st.builds(
    TwoNeuronNet,
    W=st.lists(weight, min_size=4, max_size=4).map(lambda w: np.reshape(w, (2, 2))),
    v=st.lists(weight, min_size=2, max_size=2),
)
points = arrays(float, st.tuples(st.integers(1, 20), st.just(2)), elements=st.floats(-5, 5))
squares = st.tuples(st.floats(-4, 1), st.floats(0.1, 5)).map(lambda ls: (ls[0], ls[0] + ls[1]))  # (lo, hi)


def shoelace(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) / 2)


def centroid(polygon: np.ndarray) -> np.ndarray:
    x, y = polygon[:, 0], polygon[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    return np.array([np.sum((x + np.roll(x, -1)) * cross), np.sum((y + np.roll(y, -1)) * cross)]) / (
        3 * np.sum(cross))


# -- the seed's four cases -------------------------------------------------------------------
@pytest.mark.parametrize("case, point, U, numeric", [
    (1, [-1.0, 0.0], [0.0, 0.0], r"\hat y = 0"),
    (2, [0.0, -1.0], [-0.5, 0.5], r"\hat y = -0.5x_1 + 0.5x_2"),
    (3, [0.0, 1.0], [1.0, 1.0], r"\hat y = x_1 + x_2"),
    (4, [1.0, 0.0], [0.5, 1.5], r"\hat y = 0.5x_1 + 1.5x_2"),
])
def test_seed_net_has_one_plane_per_case(case, point, U, numeric):
    assert SEED_NET.case([point]).tolist() == [case]
    assert SEED_NET.linear_map(case)[0].tolist() == U
    assert SEED_NET.linear_map(case)[1] == 0.0
    assert SEED_NET.case_formula_numeric(case) == numeric


@pytest.mark.parametrize("case, formula", [
    (1, r"\hat y = 0"),
    (2, r"\hat y = v_2(w_{21}x_1 + w_{22}x_2)"),
    (3, r"\hat y = v_1(w_{11}x_1 + w_{12}x_2)"),
    (4, r"\hat y = v_1(w_{11}x_1 + w_{12}x_2) + v_2(w_{21}x_1 + w_{22}x_2)"),
])
def test_case_formulas_are_the_seeds(case, formula):
    assert SEED_NET.case_formula(case) == formula
    assert set(CASE_CONDITIONS) == set(CASES) == {1, 2, 3, 4}


def test_case_formulas_show_the_bias_when_there_is_one():
    net = TwoNeuronNet(W=[[1, 0], [0, 1]], v=[1, 1], bias=[0.5, -1])
    assert net.case_formula(3) == r"\hat y = v_1(w_{11}x_1 + w_{12}x_2 + b_1)"
    assert net.case_formula_numeric(4) == r"\hat y = x_1 + x_2 - 0.5"
    assert net.case_formula_numeric(3) == r"\hat y = x_1 + 0.5"


def test_forward_is_the_seeds_definition():
    net = TwoNeuronNet(W=[[2, -1], [0.5, 3]], v=[-1, 2], bias=[0.25, -0.5])
    x1, x2 = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-2, 2, 9))
    a1 = np.maximum(0, 2 * x1 - x2 + 0.25)
    a2 = np.maximum(0, 0.5 * x1 + 3 * x2 - 0.5)
    X = np.stack([x1, x2], axis=-1)
    np.testing.assert_allclose(net.hidden(X), np.stack([a1, a2], axis=-1))
    np.testing.assert_allclose(net(X), -a1 + 2 * a2)
    assert net(X).shape == x1.shape


@settings(max_examples=200, deadline=None)  # a busy 2-core machine is slow, not wrong
@given(net=nets, X=points)
def test_forward_equals_the_linear_map_of_each_points_case(net, X):
    cases = net.case(X)
    maps = [net.linear_map(int(c)) for c in CASES]
    U = np.array([maps[c - 1][0] for c in cases])
    offset = np.array([maps[c - 1][1] for c in cases])
    np.testing.assert_allclose(net.forward(X), np.sum(U * X, axis=1) + offset, atol=1e-9)


@given(net=nets)
def test_crossing_neuron_is_kink_turns_the_slope_by_v_i_times_its_weights(net):
    # The fold: switching neuron i on adds v_i·W[i] to U and v_i·b_i to the offset, nothing else.
    for i, (off, on) in enumerate([((1, 2), (3, 4)), ((1, 3), (2, 4))]):
        for case_off, case_on in zip(off, on):
            (U_off, o_off), (U_on, o_on) = net.linear_map(case_off), net.linear_map(case_on)
            np.testing.assert_allclose(U_on - U_off, net.v[i] * net.W[i], atol=1e-12)
            bias = 0.0 if net.bias is None else net.bias[i]
            assert o_on - o_off == pytest.approx(net.v[i] * bias, abs=1e-12)


def test_points_on_a_kink_line_count_as_inactive():
    assert SEED_NET.case([[0.0, 0.0], [1.0, -1.0], [1.0, 1.0]]).tolist() == [1, 2, 3]


# -- is it just linear regression? No. -------------------------------------------------------
@given(net=bias_free_nets, X=points, t=st.floats(0.01, 100))
def test_bias_free_net_is_positively_homogeneous(net, X, t):
    np.testing.assert_allclose(net(t * X), t * net(X), rtol=1e-9, atol=1e-9)


def test_seed_net_is_not_linear():
    x, y = np.array([[1.0, 0.0]]), np.array([[-1.0, 0.0]])
    assert (SEED_NET(x) + SEED_NET(y)).tolist() == [0.5]
    assert SEED_NET(x + y).tolist() == [0.0]
    assert SEED_NET(-x).tolist() != (-SEED_NET(x)).tolist()


def test_seed_net_is_no_single_plane():
    # Least squares through the seed net's values on a grid leaves a clear residual: no U fits all.
    axis = np.linspace(-2, 2, 21)
    X = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    _, residual, _, _ = np.linalg.lstsq(X, SEED_NET(X), rcond=None)
    assert residual[0] / len(X) > 0.1


# -- regions and surfaces --------------------------------------------------------------------
def test_seed_regions_are_four_equal_triangles_around_the_origin():
    regions = SEED_NET.regions(-2, 2)
    assert list(regions) == [1, 2, 3, 4]
    for case, polygon in regions.items():
        assert polygon.shape == (3, 2)
        assert shoelace(polygon) == 4.0
        assert [0.0, 0.0] in polygon.tolist()
        assert SEED_NET.case([centroid(polygon)]).tolist() == [case]


@settings(max_examples=300, deadline=None)  # a busy 2-core machine is slow, not wrong
@given(net=nets, square=squares)
def test_regions_tile_the_square(net, square):
    lo, hi = square
    regions = net.regions(lo, hi)
    areas = [shoelace(p) if len(p) else 0.0 for p in regions.values()]
    assert sum(areas) == pytest.approx((hi - lo) ** 2, rel=1e-9)
    scale = np.abs(net.W).sum() * max(abs(lo), abs(hi)) + 10
    for case, polygon in regions.items():
        assert polygon.ndim == 2 and polygon.shape[1] == 2
        if not len(polygon):
            continue
        assert shoelace(polygon) > 0  # counter-clockwise
        assert np.all((polygon >= lo - 1e-9) & (polygon <= hi + 1e-9))
        z = net.pre_activations(polygon)
        active = np.array([case in (3, 4), case in (2, 4)])
        assert np.all(np.where(active, z >= -1e-9 * scale, z <= 1e-9 * scale))
        if shoelace(polygon) > 1e-6:
            assert net.case([centroid(polygon)]).tolist() == [case]


@given(net=nets, square=squares)
def test_surface_polygon_vertices_lie_on_the_forward_pass(net, square):
    surfaces = net.surface_polygons(*square)
    for case, polygon in net.regions(*square).items():
        surface = surfaces[case]
        assert surface.shape == (len(polygon), 3)
        np.testing.assert_array_equal(surface[:, :2], polygon)
        if len(surface):
            np.testing.assert_allclose(surface[:, 2], net(polygon), atol=1e-9)


def test_a_neuron_without_weights_is_on_everywhere_or_nowhere():
    always_on = TwoNeuronNet(W=[[0, 0], [1, 0]], v=[1, 1], bias=[1, 0])
    assert [len(p) for p in always_on.regions(-1, 1).values()] == [0, 0, 4, 4]
    never_on = TwoNeuronNet(W=[[0, 0], [1, 0]], v=[1, 1])
    assert [len(p) for p in never_on.regions(-1, 1).values()] == [4, 4, 0, 0]
    assert never_on.kink_segments(-1, 1)[0].shape == (0, 2)


def test_a_kink_line_through_a_corner_leaves_no_sliver():
    net = TwoNeuronNet(W=[[1, 1], [1, 0]], v=[1, 1], bias=[-2, 5])  # x1 + x2 = 2 touches (1, 1)
    regions = net.regions(-1, 1)
    assert regions[3].shape == (0, 2) and regions[4].shape == (0, 2)
    assert shoelace(regions[2]) == 4.0


# -- kink segments ---------------------------------------------------------------------------
def test_seed_kink_segments_are_the_diagonals():
    first, second = SEED_NET.kink_segments(-2, 2)
    assert sorted(first.tolist()) == [[-2.0, 2.0], [2.0, -2.0]]
    assert sorted(second.tolist()) == [[-2.0, -2.0], [2.0, 2.0]]
    assert [(n.tolist(), b) for n, b in SEED_NET.boundary_lines()] == [([1.0, 1.0], 0.0), ([1.0, -1.0], 0.0)]


@settings(max_examples=200, deadline=None)  # a busy 2-core machine is slow, not wrong
@given(net=nets, square=squares)
def test_kink_segments_lie_on_the_kink_lines_and_end_on_the_border(net, square):
    lo, hi = square
    segments = net.kink_segments(lo, hi)
    assert len(segments) == 2
    for (normal, offset), segment in zip(net.boundary_lines(), segments):
        if not len(segment):
            continue
        assert segment.shape == (2, 2)
        np.testing.assert_allclose(segment @ normal + offset, 0.0, atol=1e-9 * (1 + abs(offset)))
        assert np.all((segment >= lo - 1e-9) & (segment <= hi + 1e-9))
        on_border = np.isclose(segment, lo, atol=1e-9) | np.isclose(segment, hi, atol=1e-9)
        assert np.all(on_border.any(axis=1))
        # a real piece, by the documented rule: longer than rounding on this square (1e-12 of its size)
        assert np.linalg.norm(segment[1] - segment[0]) > 1e-12 * max(abs(lo), abs(hi), hi - lo)


@pytest.mark.parametrize("W, bias, expected", [
    ([[1, 0], [0, 1]], [-0.5, 0], [[[0.5, -1.0], [0.5, 1.0]], [[-1.0, 0.0], [1.0, 0.0]]]),
    ([[1, 0], [0, 1]], [-3, 3], [[], []]),  # both lines miss the square
    ([[1, 1], [1, 0]], [-2, -1], [[], [[1.0, -1.0], [1.0, 1.0]]]),  # a corner touch; an edge
])
def test_kink_segments_table(W, bias, expected):
    net = TwoNeuronNet(W=W, v=[1, 1], bias=bias)
    got = [sorted(s.tolist()) for s in net.kink_segments(-1, 1)]
    assert got == [sorted(e) for e in expected]


# -- values, not references ------------------------------------------------------------------
def test_net_keeps_read_only_copies_of_its_weights():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    net = TwoNeuronNet(W=W, v=[1, 1], bias=[0, 0])
    W[0, 0] = 99.0
    assert net.W[0, 0] == 1.0
    for array in (net.W, net.v, net.bias):
        with pytest.raises(ValueError):
            array[0] = 5.0


def test_equal_nets_are_equal_and_hash_alike():
    twin = TwoNeuronNet(W=[[1, 1], [1, -1]], v=[1, -0.5])
    assert twin == SEED_NET and hash(twin) == hash(SEED_NET)
    assert TwoNeuronNet(W=SEED_NET.W, v=SEED_NET.v, bias=[0, 0]) != SEED_NET
    assert SEED_NET != "a net"


# -- error paths -----------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    ({"W": [[1, 2, 3], [4, 5, 6]], "v": [1, 1]}, "W must have shape"),
    ({"W": [[1, 2], [3, 4]], "v": [1, 1, 1]}, "v must have shape"),
    ({"W": [[1, 2], [3, 4]], "v": [1, 1], "bias": [1]}, "bias must have shape"),
    ({"W": [[1, np.nan], [3, 4]], "v": [1, 1]}, "W must be finite"),
    ({"W": [[1, 2], [3, 4]], "v": [np.inf, 1]}, "v must be finite"),
])
def test_bad_weights_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TwoNeuronNet(**kwargs)


@pytest.mark.parametrize("X, message", [
    ([1.0, 2.0, 3.0], r"shape \(n, 2\)"),
    (1.0, r"shape \(n, 2\)"),
    ([[1.0, np.nan]], "finite"),
])
def test_bad_points_raise(X, message):
    with pytest.raises(ValueError, match=message):
        SEED_NET(X)


@pytest.mark.parametrize("case", [0, 5, True, 2.5, "1"])
def test_unknown_case_raises(case):
    for method in (SEED_NET.linear_map, SEED_NET.case_formula, SEED_NET.case_formula_numeric):
        with pytest.raises(ValueError, match="case must be one of"):
            method(case)


@pytest.mark.parametrize("lo, hi", [(1, 1), (2, -2), (0, np.inf)])
def test_bad_square_raises(lo, hi):
    for method in (SEED_NET.regions, SEED_NET.surface_polygons, SEED_NET.kink_segments):
        with pytest.raises(ValueError, match="lo < hi"):
            method(lo, hi)


def test_fit_plane_is_the_least_squares_plane_of_the_questions_model():
    from relu_core.two_neuron import SEED_NET
    fit = SEED_NET.fit_plane(-2, 2, 21)
    axis = np.linspace(-2, 2, 21)
    X = np.column_stack([g.ravel() for g in np.meshgrid(axis, axis)])
    residual = SEED_NET(X) - X @ np.array(fit.U)
    assert np.allclose(X.T @ residual, 0, atol=1e-9) and fit.offset == 0.0
    assert fit.max_miss == pytest.approx(np.abs(residual).max()) and fit.max_miss > 1


def test_fit_plane_of_a_net_that_does_not_fold_is_the_net():
    from relu_core.two_neuron import TwoNeuronNet
    fit = TwoNeuronNet(W=[[1.0, 2.0], [1.0, -1.0]], v=[1.0, 0.0]).fit_plane(1, 2)  # neuron 1 on everywhere
    assert fit.U == (1.0, 2.0) and fit.max_miss == pytest.approx(0, abs=1e-9)


def test_fit_plane_with_biases_fits_an_offset_too():
    from relu_core.two_neuron import TwoNeuronNet
    fit = TwoNeuronNet(W=[[1.0, 0.0], [0.0, 1.0]], v=[1.0, 1.0], bias=[3.0, 3.0]).fit_plane(-1, 1)
    assert fit.U == (1.0, 1.0) and fit.offset == 6.0 and fit.max_miss == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("samples", [1, 2.5, True])
def test_fit_plane_refuses_a_grid_without_two_points_a_side(samples):
    from relu_core.two_neuron import SEED_NET
    with pytest.raises(ValueError):
        SEED_NET.fit_plane(-2, 2, samples)


def test_case_words_name_the_active_neurons():
    from relu_core.two_neuron import CASE_NEURONS, SEED_NET
    points = np.array([[-1.0, 0.0], [0.0, -1.0], [0.0, 1.0], [1.0, 0.0]])
    for case, z in zip(SEED_NET.case(points), SEED_NET.pre_activations(points)):
        words = CASE_NEURONS[case]
        assert ("neuron 1" in words or "both" in words) == bool(z[0] > 0)
        assert ("neuron 2" in words or "both" in words) == bool(z[1] > 0)

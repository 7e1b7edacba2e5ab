"""Claims about the tiny trained net: exact gradients, a falling loss, determinism and exact drawing."""
from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relu_core import ShallowNet, TrainingTrace, init_net, loss_and_gradients, mean_l2_loss, train

FIELDS = ("a", "b", "c")


@pytest.fixture(scope="module")
def square_trace() -> TrainingTrace:
    return train(np.square, -2, 2)


# -- the net ------------------------------------------------------------------------------------
def test_net_is_the_sum_of_its_units_plus_d():
    net = ShallowNet(a=[1.0, -2.0, 0.0], b=[0.5, 1.0, 3.0], c=[2.0, -1.0, 0.5], d=-1.0)
    x = np.linspace(-3, 3, 61)
    by_hand = 2 * np.maximum(x + 0.5, 0) - np.maximum(-2 * x + 1, 0) + 0.5 * 3 - 1
    assert np.allclose(net(x), by_hand, rtol=0, atol=1e-14)
    assert net(np.zeros((2, 3))).shape == (2, 3)
    assert net.width == 3


def test_kinks_are_minus_b_over_a_and_nan_for_flat_units():
    kinks = ShallowNet(a=[2.0, -1.0, 0.0], b=[-1.0, 3.0, 1.0], c=[1.0, 1.0, 1.0]).kinks()
    assert kinks[:2].tolist() == [0.5, 3.0]
    assert np.isnan(kinks[2])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 12), st.integers(0, 10_000))
def test_as_relu_sum_equals_the_net(width, seed):
    rng = np.random.default_rng(seed)
    a, b, c = rng.normal(size=(3, width))
    net = ShallowNet(a=np.where(rng.random(width) < 0.2, 0.0, a), b=b, c=c, d=float(rng.normal()))
    x = np.linspace(-4, 4, 801)
    assert np.allclose(net.as_relu_sum()(x), net(x), rtol=0, atol=1e-12)


def test_net_weights_are_read_only():
    net = init_net(3, 0, 1, seed=0)
    with pytest.raises(ValueError):
        net.a[0] = 2.0


# -- the start ----------------------------------------------------------------------------------
@pytest.mark.parametrize("width, lo, hi", [(1, 0, 1), (8, -2, 2), (50, -10, -5)])
def test_init_net_spreads_one_kink_per_cell_with_unit_slopes_and_small_c(width, lo, hi):
    net = init_net(width, lo, hi, seed=3)
    cells = np.floor((net.kinks() - lo) / (hi - lo) * width)
    assert cells.tolist() == list(range(width))
    assert np.all(np.abs(net.a) == 1)
    assert np.all(np.abs(net.c) < 0.1) and net.d == 0


def test_init_net_is_seeded():
    first, again, other = init_net(8, -2, 2, seed=7), init_net(8, -2, 2, seed=7), init_net(8, -2, 2, seed=8)
    assert all(np.array_equal(getattr(first, f), getattr(again, f)) for f in FIELDS)
    assert not np.array_equal(first.b, other.b)


# -- the gradient -------------------------------------------------------------------------------
def _loss(net: ShallowNet, x: np.ndarray, y: np.ndarray) -> float:
    return mean_l2_loss(y, net(x))


def _nudged(net: ShallowNet, field: str, index: int, step: float) -> ShallowNet:
    values = {f: np.array(getattr(net, f)) for f in FIELDS}
    d = net.d
    if field == "d":
        d += step
    else:
        values[field][index] += step
    return ShallowNet(**values, d=d)


finite = st.floats(-3, 3, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 20), st.integers(0, 10_000))
def test_gradients_match_central_finite_differences(width, samples, seed):
    rng = np.random.default_rng(seed)
    a, b, c = rng.normal(size=(3, width)) * 2
    net = ShallowNet(a=a, b=b, c=c, d=float(rng.normal()))
    x, y = rng.uniform(-3, 3, samples), rng.normal(size=samples) * 3
    # the loss is quadratic in the weights while no sample crosses a kink, so stay clear of kinks
    assume(np.min(np.abs(np.multiply.outer(x, a) + b)) > 1e-2)
    loss, grad = loss_and_gradients(net, x, y)
    assert loss == pytest.approx(_loss(net, x, y), rel=1e-12)
    step = 1e-4
    for field in FIELDS + ("d",):
        for i in range(1 if field == "d" else width):
            numeric = (_loss(_nudged(net, field, i, step), x, y)
                       - _loss(_nudged(net, field, i, -step), x, y)) / (2 * step)
            exact = grad.d if field == "d" else getattr(grad, field)[i]
            assert exact == pytest.approx(numeric, rel=1e-5, abs=1e-8), (field, i)


def test_loss_is_the_mean_of_half_squared_residuals():
    net = ShallowNet(a=[1.0], b=[0.0], c=[1.0], d=1.0)
    loss, _ = loss_and_gradients(net, [0.0, 1.0], [0.0, 0.0])
    assert loss == (0.5 * 1 + 0.5 * 4) / 2


# -- training -----------------------------------------------------------------------------------
def test_default_training_fits_x_squared_below_1e_minus_3(square_trace):
    assert square_trace.losses[-1] < 1e-3
    assert square_trace.losses[-1] < square_trace.losses[0] / 100


@pytest.mark.parametrize("seed", range(5))
def test_every_seed_fits_x_squared_within_3000_steps(seed):
    assert train(np.square, -2, 2, steps=3000, seed=seed).losses[-1] < 1e-3


def test_default_training_runs_well_under_a_second():
    started = time.process_time()
    train(np.square, -2, 2)
    assert time.process_time() - started < 1.0


def test_trace_records_every_20_steps_and_the_last(square_trace):
    assert square_trace.steps.tolist() == list(range(0, 2001, 20))
    assert len(square_trace.nets) == len(square_trace.losses) == 101
    assert train(np.square, 0, 1, steps=45, record_every=20).steps.tolist() == [0, 20, 40, 45]


def test_trace_losses_are_the_recorded_nets_losses(square_trace):
    x = np.linspace(-2, 2, 200)
    for net, loss in zip(square_trace.nets[::25], square_trace.losses[::25]):
        assert loss == pytest.approx(_loss(net, x, x ** 2), rel=1e-10)
    assert square_trace.final is square_trace.nets[-1]


def test_training_starts_from_init_net_at_the_mean_target(square_trace):
    start, seeded = square_trace.nets[0], init_net(8, -2, 2, seed=0)
    assert all(np.array_equal(getattr(start, f), getattr(seeded, f)) for f in FIELDS)
    assert start.d == pytest.approx(np.mean(np.linspace(-2, 2, 200) ** 2))


@pytest.mark.parametrize("optimizer", ["adam", "gd"])
def test_training_is_deterministic(optimizer):
    first = train(np.sin, -3, 3, steps=200, optimizer=optimizer, seed=4)
    again = train(np.sin, -3, 3, steps=200, optimizer=optimizer, seed=4)
    assert np.array_equal(first.steps, again.steps) and np.array_equal(first.losses, again.losses)
    for one, other in zip(first.nets, again.nets):
        assert all(np.array_equal(getattr(one, f), getattr(other, f)) for f in FIELDS)
        assert one.d == other.d


def test_plain_gradient_descent_lowers_the_loss():
    trace = train(np.square, -2, 2, optimizer="gd", lr=0.05)
    assert trace.losses[-1] < trace.losses[0] / 100
    assert np.all(np.diff(trace.losses) <= 1e-12)  # small steps on a smooth stretch: never up


def test_trained_net_draws_exactly_as_a_relu_sum(square_trace):
    net, x = square_trace.final, np.linspace(-2, 2, 1001)
    assert np.allclose(net.as_relu_sum()(x), net(x), rtol=0, atol=1e-12)


# -- error paths --------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    ({"width": 0}, "width"), ({"width": 1001}, "width"), ({"width": 2.0}, "width"),
    ({"steps": 0}, "steps"), ({"steps": 100_001}, "steps"), ({"samples": 1}, "samples"),
    ({"lr": 0.0}, "lr"), ({"lr": -1.0}, "lr"), ({"lr": np.nan}, "lr"),
    ({"optimizer": "sgd"}, "optimizer"), ({"record_every": 0}, "record_every"),
])
def test_bad_training_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train(np.square, -2, 2, **kwargs)


def test_bad_interval_is_refused():
    with pytest.raises(ValueError, match="interval"):
        train(np.square, 2, -2)
    with pytest.raises(ValueError, match="interval"):
        init_net(4, 1, 1, seed=0)


def test_non_finite_target_is_refused():
    with pytest.raises(ValueError, match="finite"):
        train(lambda x: np.where(x > 0, x, np.nan), -1, 1)


def test_divergence_is_reported():
    with pytest.raises(ValueError, match="diverged"):
        train(lambda x: 1e3 * x ** 2, -10, 10, optimizer="gd", lr=10.0, steps=200)


@pytest.mark.parametrize("fields, message", [
    ({"a": [1.0], "b": [0.0, 1.0], "c": [1.0]}, "one length"),
    ({"a": [], "b": [], "c": []}, "one length"),
    ({"a": [[1.0]], "b": [0.0], "c": [1.0]}, "1-D"),
    ({"a": [np.inf], "b": [0.0], "c": [1.0]}, "finite"),
    ({"a": [1.0], "b": [0.0], "c": [1.0], "d": np.nan}, "finite"),
])
def test_malformed_nets_are_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        ShallowNet(**fields)


def test_samples_must_match():
    net = init_net(2, 0, 1, seed=0)
    with pytest.raises(ValueError, match="1-D"):
        loss_and_gradients(net, [0.0, 1.0], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        loss_and_gradients(net, [0.0, np.nan], [0.0, 1.0])


def test_trace_needs_matching_lengths():
    with pytest.raises(ValueError, match="as many"):
        TrainingTrace(np.array([0, 1]), (), np.array([1.0]))


def test_a_constant_target_starts_at_its_value():
    trace = train(lambda x: 3.0, 0, 1, steps=10)
    assert trace.nets[0].d == 3.0
    assert trace.losses[-1] < 1e-3

"""relu_core: the maths of relu-explainer, pure numpy (never imports manim)."""
from __future__ import annotations

from .approximations import MAX_TERMS, interpolant, square_approximation, square_term, uniform_knots
from .depth import (
    MAX_DEPTH, TENT, DeepReluNet, deep_square, deep_square_error_bound, deep_square_latex, sawtooth,
    sawtooth_latex, shallow_square, shallow_square_error_bound, tent,
)
from .expressions import ALLOWED_FUNCTIONS, ExpressionError, parse_function
from .geometry import clip_polyline
from .interaction import (
    MAX_TAYLOR_ORDER, ReluProduct, polarisation, polynomial_latex, product_error_grid, relu_product,
    taylor_coefficients, taylor_latex,
)
from .knots import compare_knots, optimal_knots
from .losses import error_grid, l2_loss, max_error, mean_l2_loss, pointwise_error
from .terms import ReluSum, ReluTerm, format_number, relu
from .training import ShallowNet, TrainingTrace, init_net, loss_and_gradients, train
from .two_neuron import CASE_CONDITIONS, CASES, SEED_NET, TwoNeuronNet

__all__ = [
    "ALLOWED_FUNCTIONS", "CASES", "CASE_CONDITIONS", "ExpressionError", "MAX_TAYLOR_ORDER",
    "MAX_TERMS", "ReluProduct", "ReluSum", "ReluTerm", "SEED_NET", "TwoNeuronNet", "clip_polyline",
    "error_grid", "format_number", "interpolant", "l2_loss", "max_error", "mean_l2_loss",
    "parse_function", "pointwise_error", "polarisation", "polynomial_latex", "product_error_grid",
    "relu", "relu_product", "square_approximation", "square_term", "taylor_coefficients",
    "taylor_latex", "uniform_knots",
    # depth, knots, training
    "MAX_DEPTH", "TENT", "DeepReluNet", "deep_square", "deep_square_error_bound",
    "deep_square_latex", "sawtooth", "sawtooth_latex", "shallow_square", "shallow_square_error_bound",
    "tent", "compare_knots", "optimal_knots", "ShallowNet", "TrainingTrace", "init_net",
    "loss_and_gradients", "train",
]

"""relu_core: the maths of relu-explainer, pure numpy (never imports manim)."""
from __future__ import annotations

from .approximations import MAX_TERMS, interpolant, square_approximation, square_term, uniform_knots
from .geometry import clip_polyline
from .losses import error_grid, l2_loss, max_error, mean_l2_loss, pointwise_error
from .terms import ReluSum, ReluTerm, format_number, relu

__all__ = [
    "MAX_TERMS", "ReluSum", "ReluTerm", "clip_polyline", "error_grid", "format_number", "interpolant", "l2_loss",
    "max_error", "mean_l2_loss", "pointwise_error", "relu", "square_approximation", "square_term",
    "uniform_knots",
]

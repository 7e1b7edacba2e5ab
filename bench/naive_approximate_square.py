"""ApproximateSquare drawn the naive way, for bench/run.py to time against the exact polylines.

The real scene draws every ReLU-sum graph with `scenes.mobjects.get_relu_graph`: one polyline
through the sum's exact vertices, built once. ApproximateSquare has no graph-building method of
its own (`add_terms` calls the module-level `get_relu_graph` it imported), so this subclass
overrides `add_terms` to swap that helper, for the duration of the beat, for `naive_relu_graph`:
a sampled `axes.plot` (1,000 samples, Manim's default smoothing) rebuilt by `always_redraw` on
every frame the graph is on screen and not being animated. Everything else (formulas, loss
curves, timing) is the real scene's, so the two renders differ only in how the graphs are drawn.

The sum graph that stays on screen redraws "the current sum", which switches to h_k once the
beat's transform to h_k has played (the Transform suspends the graph's updater while it runs).
"""
from __future__ import annotations

from typing import Sequence

from manim import Axes, VMobject

import scenes.approximate_square as approximate_square
from scenes.approximate_square import ApproximateSquare, Step
from scenes.style import theme

__all__ = ["NaiveApproximateSquare", "naive_relu_graph", "SAMPLES"]

SAMPLES = 1000
"""Samples per graph per frame, as in shared/NOTES.md's measurement of the naive way."""


def naive_relu_graph(axes: Axes, fn, color: str | None = None, x_range: Sequence[float] | None = None,
                     stroke_width: float = 5, source=None) -> VMobject:
    """`axes.plot(fn)` with SAMPLES samples, rebuilt every frame; `source()` gives the function to redraw."""
    lo, hi = x_range if x_range is not None else axes.x_range[:2]
    color = color or theme().approx
    source = source or (lambda: fn)

    def build(f) -> VMobject:
        return axes.plot(lambda x: float(f(x)), x_range=[lo, hi, (hi - lo) / SAMPLES],
                         color=color, stroke_width=stroke_width)

    graph = build(fn)
    graph.add_updater(lambda mob: mob.become(build(source())))
    return graph


class NaiveApproximateSquare(ApproximateSquare):
    """ApproximateSquare with every ReLU graph a sampled `axes.plot` redrawn each frame."""

    def setup_pieces(self) -> None:
        super().setup_pieces()
        self._shown_sum = None  # the sum the on-screen sum graph redraws

    def add_terms(self, step: Step) -> None:
        scene = self

        def graph(axes, fn, color=None, x_range=None, stroke_width=5):
            if fn is step.sum:  # the running sum: redraws whatever sum is current
                return naive_relu_graph(axes, fn, color, x_range, stroke_width,
                                        source=lambda: scene._shown_sum or fn)
            return naive_relu_graph(axes, fn, color, x_range, stroke_width)

        plays = 0
        real_play = self.play

        def play(*args, **kwargs):
            nonlocal plays
            real_play(*args, **kwargs)
            plays += 1
            if plays == 2:  # the second play of the beat transforms the sum graph into h_k
                scene._shown_sum = step.sum

        original = approximate_square.get_relu_graph
        approximate_square.get_relu_graph = graph
        self.play = play
        try:
            super().add_terms(step)
        finally:
            approximate_square.get_relu_graph = original
            del self.play

"""TrainingKinks: training a one-hidden-layer ReLU net moves its kinks and turns its slopes.

Seed 002's comment: "what the NN accomplishes is that it finds the appropriate knot points and
picks the right slopes for each piece". A small net is trained on samples of a target by
relu_core.train (deterministic); each unit's kink -b_i/a_i slides along a rail under the plot,
the net's exact polyline bends into shape, and the loss falls on a log scale. The default target,
tanh(3x), bends only near the middle: a band on the rail marks where its slope turns
(relu_core.bend_interval), and a live count says how many kinks are in it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, Dot, FadeIn, Flash, Line, MathTex, Rectangle, Text,
                   Triangle, ValueTracker, VGroup, VMobject, Write)

from relu_core import parse_function
from relu_core.knots import bend_interval
from relu_core.training import ShallowNet, TrainingTrace, train
from scenes.base import ExplainerScene
from scenes.knobs import check_knobs, knob, tweak
from scenes.mobjects import (get_axes, get_curve, get_formula, get_label, get_polyline,
                             get_relu_graph, nice_range)
from scenes.readout import labelled_readout
from scenes.speech import Narration, fill, number, spoken_integer, spoken_number
from scenes.style import FONT_SIZE, TIMING, theme

__all__ = ["TrainingKinks", "TrainingKinksParams", "run_training", "frame_index",
           "get_main_axes", "get_kink_rail", "get_kink_marker", "get_net_graph",
           "get_loss_axes", "get_loss_line", "get_progress_label", "loss_decades", "loss_points",
           "place_kinks", "training_caption", "loss_text", "kink_counts", "get_bend_band",
           "get_kink_status", "kinks_caption", "SAMPLES", "LOSS_TEX"]

SAFE_RIGHT = 6.3
"""The right edge the loss panel keeps within (the safe area is |x| <= 6.4)."""

SNAPSHOTS = 400
"""About this many recorded nets per run: enough for smooth motion, cheap to redraw."""

SAMPLES = 200
"""The training samples, equally spaced on x_range (relu_core.train's `samples`)."""

LOSS_TEX = (r"\text{loss} = \frac{1}{%d} \sum_j \frac{1}{2}\,(" % SAMPLES, r"\hat y_j", "-", "y_j", r")^2")
"""relu_core.train's loss, mean_j ½(f(x_j) − y_j)² over the SAMPLES, as MathTex parts: ŷ is the net, y the target."""


@dataclass(frozen=True)
class TrainingKinksParams:
    """The knobs of TrainingKinks; the defaults reproduce the explainer."""

    target: str = tweak("target", "tanh(3*x)",
                        note="the curve the net learns; tanh(3*x) bends only near 0, so the kinks gather there")
    x_range: tuple[float, float] = tweak("x_range", (-2.0, 2.0),
                                         note="where the training samples are taken from")
    width: int = knob(8, "hidden units, so kinks: one per unit", min=1, max=16,
                      why="more kinks than that crowd the picture")
    train_steps: int = knob(2000, "Adam steps of full-batch training", min=10, max=20000,
                            why="longer runs take too long to render")
    seed: int = knob(1, "the random start (where the kinks begin); the same seed gives the same video",
                     min=0, max=2**32 - 1)
    seconds: float = knob(12.0, "how long the training motion lasts on screen", min=2, max=60)

    def __post_init__(self) -> None:
        check_knobs(self)


def run_training(params: TrainingKinksParams) -> TrainingTrace:
    """The recorded training run the scene shows, from relu_core.train (deterministic)."""
    lo, hi = params.x_range
    return train(parse_function(params.target), lo, hi, width=params.width, steps=params.train_steps,
                 samples=SAMPLES, seed=params.seed, record_every=max(1, params.train_steps // SNAPSHOTS))


def frame_index(alpha: float, count: int) -> int:
    """The snapshot shown at animation progress alpha in [0, 1]: slow at first, where training moves most.

    >>> [frame_index(a, 101) for a in (0.0, 0.5, 1.0)]
    [0, 25, 100]
    """
    alpha = min(max(float(alpha), 0.0), 1.0)
    return int(round(alpha ** 2 * (count - 1)))


def get_main_axes(params: TrainingKinksParams, width: float = 7.0, height: float = 4.6) -> Axes:
    """Axes fitted to the target on x_range; the net's polyline is clipped exactly to them.

    The y tick labels sit left of the plot, level with their ticks: on the y-axis a steep curve
    through the middle (tanh(3x)) would be drawn over them.
    """
    lo, hi = params.x_range
    ys = parse_function(params.target)(np.linspace(lo, hi, 401))
    axes = get_axes(nice_range(lo, hi, ticks=4), nice_range(np.min(ys), np.max(ys)), width=width,
                    height=height)
    left = axes.c2p(axes.x_range[0], 0)[0] - 0.2
    for label in getattr(axes.get_y_axis(), "numbers", ()):
        label.move_to([left, label.get_center()[1], 0], aligned_edge=RIGHT)
    return axes


def get_net_graph(axes: Axes, net: ShallowNet, x_range: tuple[float, float]) -> VMobject:
    """The net's output as an exact polyline through its vertices (as_relu_sum), on x_range."""
    return get_relu_graph(axes, net.as_relu_sum(), color=theme().approx, x_range=x_range)


def get_kink_rail(axes: Axes, x_range: tuple[float, float], gap: float = 0.75) -> VGroup:
    """A muted line under the plot, over x_range, on which the kink markers slide; labelled 'kinks'."""
    t = theme()
    y = axes.get_bottom()[1] - gap
    start, end = axes.c2p(x_range[0], 0), axes.c2p(x_range[1], 0)
    rail = Line([start[0], y, 0], [end[0], y, 0], color=t.muted, stroke_width=2)
    label = get_label("kinks", color=t.muted, font_size=FONT_SIZE.small).next_to(rail, LEFT, buff=0.2)
    return VGroup(rail, label)


def get_kink_marker(size: float = 0.2) -> Triangle:
    """One unit's kink marker: a small upward triangle in the kink colour."""
    t = theme()
    return Triangle(color=t.kink, fill_color=t.kink, fill_opacity=1, stroke_width=0).scale(size / 2)


def place_kinks(markers: VGroup, dots: VGroup, axes: Axes, rail: Line, net: ShallowNet,
                x_range: tuple[float, float]) -> None:
    """Move marker i to unit i's kink on the rail, dot i onto the curve there; hide those off the range.

    A kink outside x_range (or a flat unit without one) only adds a straight piece in view.
    """
    lo, hi = x_range
    y_lo, y_hi = axes.y_range[:2]
    kinks = net.kinks()
    values = net(np.nan_to_num(kinks))
    rail_y = rail.get_center()[1]
    for marker, dot, k, v in zip(markers, dots, kinks, values):
        inside = bool(np.isfinite(k) and lo <= k <= hi)
        x = float(np.clip(np.nan_to_num(k, nan=lo), lo, hi))
        marker.move_to([axes.c2p(x, 0)[0], rail_y + marker.height / 2, 0])
        marker.set_fill(opacity=1.0 if inside else 0.0)
        margin = 0.05 * (y_hi - y_lo)  # a kink just below the floor still shows, on the floor
        on_plot = inside and y_lo - margin <= v <= y_hi + margin
        dot.move_to(axes.c2p(x, float(np.clip(v, y_lo, y_hi))))
        dot.set_opacity(1.0 if on_plot else 0.0)


def loss_decades(trace: TrainingTrace) -> tuple[int, int]:
    """The powers of ten just below the smallest and just above the largest recorded loss.

    >>> loss_decades(train(np.square, -2, 2, steps=40, record_every=20))
    (-1, 0)
    """
    logs = np.log10(np.maximum(trace.losses, 1e-300))
    lo, hi = int(np.floor(logs.min())), int(np.ceil(logs.max()))
    return lo, max(hi, lo + 1)


def loss_points(trace: TrainingTrace, upto: int) -> np.ndarray:
    """(step, decades above the panel's floor) for snapshots 0..upto: the loss panel's log scale."""
    floor = loss_decades(trace)[0]
    upto = max(int(upto), 1)
    return np.column_stack([trace.steps[:upto + 1], np.log10(trace.losses[:upto + 1]) - floor])


def get_loss_axes(trace: TrainingTrace, width: float = 4.0, height: float = 2.6) -> VGroup:
    """A small panel: x = training step, y = the mean loss on a log scale, labelled 10^k at the decades.

    The y coordinate is log10(loss) minus the lowest decade, so the step axis sits at the bottom.
    Returns VGroup(axes, decade labels, title, 'step' label); axes is element 0; the title is the
    loss's formula (LOSS_TEX), ŷ in the net's colour and y in the target's.
    """
    t = theme()
    y_lo, y_hi = loss_decades(trace)
    steps = int(trace.steps[-1])
    axes = get_axes([0, steps, nice_range(0, steps, ticks=2)[2]], [0, y_hi - y_lo, 1], width=width,
                    height=height)
    y_axis = axes.get_y_axis()
    y_axis.remove(y_axis.numbers)  # replaced by the decade labels 10^k
    decades = VGroup(*(get_formula(f"10^{{{k}}}", color=t.muted, font_size=FONT_SIZE.small)
                       .next_to(axes.c2p(0, k - y_lo), LEFT, buff=0.15)
                       for k in range(y_lo, y_hi + 1)))
    title = MathTex(*LOSS_TEX, color=t.error, font_size=FONT_SIZE.label)
    title[1].set_color(t.approx)
    title[3].set_color(t.target)
    title.next_to(axes, UP, buff=0.2).align_to(axes, LEFT)
    step = get_label("step", color=t.muted, font_size=FONT_SIZE.small)
    step.next_to(axes.get_x_axis(), DOWN, buff=0.45)
    return VGroup(axes, decades, title, step)


def get_loss_line(axes: Axes, trace: TrainingTrace, upto: int) -> VMobject:
    """The loss curve from the first snapshot up to snapshot `upto`, as a polyline on log10 scale."""
    return get_polyline(axes, loss_points(trace, upto), theme().error, stroke_width=4)


def loss_text(loss: float) -> str:
    """A loss with 2 significant digits as a reader writes it: '0.0012', below 0.001 as '1.6×10⁻⁵'.

    >>> loss_text(0.74), loss_text(0.0012), loss_text(1.57e-05), loss_text(2e-10)
    ('0.74', '0.0012', '1.6×10⁻⁵', '2×10⁻¹⁰')
    """
    loss = float(loss)
    if loss == 0 or loss >= 1e-3:
        return f"{loss:.2g}"
    mantissa, power = f"{loss:.1e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}×10" + str(int(power)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


LOSS_GLYPHS = "0123456789.×⁻⁰¹²³⁴⁵⁶⁷⁸⁹"
"""Every character loss_text writes."""


def get_progress_label(trace: TrainingTrace, index: int) -> VGroup:
    """'step 340' over 'loss 0.0012' for snapshot `index`: two (word, TextReadout) lines. Each readout
    says where its number comes from (`value_source`, for the craft check), here the fixed snapshot;
    train_net points them at the snapshot on screen and sets their values as it moves."""
    t = theme()
    step = labelled_readout("step ", trace.steps[index], lambda v: str(int(v)), "0123456789",
                            font_size=FONT_SIZE.label)
    loss = labelled_readout("loss ", trace.losses[index], loss_text, LOSS_GLYPHS, color=t.error,
                            font_size=FONT_SIZE.label)
    step[1].value_source = lambda: int(trace.steps[index])
    loss[1].value_source = lambda: trace.losses[index]
    return VGroup(step, loss).arrange(DOWN, aligned_edge=LEFT, buff=0.25)


def kink_counts(net: ShallowNet, x_range: tuple[float, float],
                band: tuple[float, float] | None) -> tuple[int, int]:
    """(kinks inside `band`, kinks outside x_range) of the net; a flat unit (no kink) is outside.

    >>> from relu_core.training import ShallowNet
    >>> kink_counts(ShallowNet(a=[1, 1, 1, 0], b=[0, -1, 5, 1], c=[1, 1, 1, 1]), (-2, 2), (-0.5, 0.5))
    (1, 2)
    """
    kinks = net.kinks()
    outside = int(np.sum(~((kinks >= x_range[0]) & (kinks <= x_range[1]))))  # nan counts as outside
    inside = 0 if band is None else int(np.sum((kinks >= band[0]) & (kinks <= band[1])))
    return inside, outside


def _status_text(net: ShallowNet, x_range: tuple[float, float], band: tuple[float, float] | None) -> str:
    inside, outside = kink_counts(net, x_range, band)
    words = f"{inside} of {net.width} kinks where it bends" if band is not None else f"{net.width} kinks"
    return words + (f", {outside} outside the plot" if outside else "")


def get_kink_status(net: ShallowNet, x_range: tuple[float, float], band: tuple[float, float] | None):
    """'3 of 8 kinks where it bends, 1 outside the plot': the counts of `kink_counts`, as text that
    says where it comes from (`value_source`)."""
    label = get_label(_status_text(net, x_range, band), color=theme().highlight, font_size=FONT_SIZE.small)
    label.value_source = lambda: _status_text(net, x_range, band)
    label.value_format = str
    return label


def get_bend_band(axes: Axes, rail: Line, band: tuple[float, float], height: float = 0.36) -> Rectangle:
    """A translucent band on the rail over [a, b], where the target bends (relu_core.bend_interval)."""
    left, right = axes.c2p(band[0], 0)[0], axes.c2p(band[1], 0)[0]
    rect = Rectangle(width=max(right - left, 0.02), height=height, stroke_width=0,
                     fill_color=theme().highlight, fill_opacity=0.3)
    return rect.move_to([(left + right) / 2, rail.get_center()[1] + height / 2 - 0.05, 0])


def training_caption(trace: TrainingTrace) -> Narration:
    """The words of the training run: what a step does, and the loss from first to last snapshot.

    The numbers are shown as the step/loss readout shows them (loss_text); the voice says the factor.
    'falls' only when every recorded loss is below the one before; else 'falls overall', or 'goes'.

    >>> from relu_core.training import init_net
    >>> steps, nets = [0, 10, 20], (init_net(2, -1, 1, seed=0),) * 3
    >>> training_caption(TrainingTrace(steps, nets, [0.5, 0.06, 0.002])).shown.split(". ")[1]
    'The loss, half the mean squared gap to the samples, falls from 0.5 to 0.002.'
    >>> training_caption(TrainingTrace(steps, nets, [0.5, 0.6, 0.002])).spoken.split(". ")[1]
    'The loss, half the mean squared gap to the samples, falls overall, about two hundred fifty fold.'
    """
    first, last = float(trace.losses[0]), float(trace.losses[-1])
    lead = ("Each training step slides the kinks and turns the slopes. "
            "The loss, half the mean squared gap to the samples,")
    values = {"first": Narration(loss_text(first), spoken_number(first, 2)),
              "last": Narration(loss_text(last), spoken_number(last, 2))}
    if last >= first or last <= 0:
        return fill(lead + " goes from {first} to {last}.", **values)
    falls = "falls" if np.all(np.diff(trace.losses) < 0) else "falls overall,"
    factor = float(f"{first / last:.{1 if first / last >= 1000 else 2}g}")  # 2257 is 'about two thousand'
    return Narration(fill(lead + f" {falls} from {{first}} to {{last}}.", **values).shown,
                     f"{lead} {falls} about {spoken_number(factor)} fold.")


def kinks_caption(trace: TrainingTrace, x_range: tuple[float, float],
                  band: tuple[float, float] | None) -> Narration:
    """The last words: where the trained kinks went, counted in the bend band, first and last snapshot.

    'moved ... to where the curve bends' only when more kinks sit in the band than at the start.

    >>> from relu_core.training import ShallowNet
    >>> start, end = ShallowNet(a=[1, 1], b=[1.5, -1.5], c=[0, 0]), ShallowNet(a=[1, 1], b=[0.2, -3], c=[1, 1])
    >>> print(kinks_caption(TrainingTrace([0, 9], (start, end), [1, 0.1]), (-2, 2), (-0.5, 0.5)).shown)
    Nobody placed them: training moved the kinks to where the curve bends, between -0.5 and 0.5. 0 of 2 sat there at the start; now 1 does. 1 slid outside the plot, where it bends nothing we see.
    """
    n = trace.final.width
    before, _ = kink_counts(trace.nets[0], x_range, band)
    after, outside = kink_counts(trace.final, x_range, band)
    if band is None:
        lead = Narration("This curve does not bend, so the kinks have nowhere to gather: training only fits "
                         "the slopes.")
    else:
        words = {"a": number(band[0], 2), "b": number(band[1], 2), "before": _of(before, n),
                 "after": _of(after), "now": _of(after, n), "was": _of(before)}
        do = "does" if after == 1 else "do"
        if after > before:
            lead = fill("Nobody placed them: training moved the kinks to where the curve bends, between {a} and "
                        "{b}. {before} sat there at the start; now {after} " + do + ".", **words)
        else:
            lead = fill("Training found the knot points and the slopes. Where the curve bends, between {a} and "
                        "{b}, {now} kinks sit now; {was} did at the start.", **words)
    if not outside:
        return lead
    bends = "it bends" if outside == 1 else "they bend"
    return fill("{lead} {out} slid outside the plot, where " + bends + " nothing we see.", lead=lead,
                out=_of(outside))


_SAYS = ("text", "original_text", "value_source", "value_format")
"""What a text says it shows: `become` copies a label's shape, _show these as well."""


def _show(box: VGroup, label: VMobject) -> None:
    """Make the live `box` show `label`: its shape (become) and what its texts say they show."""
    box.become(VGroup(label))
    texts = [m for m in box.get_family() if isinstance(m, Text)]
    for mine, theirs in zip(texts, [m for m in label.get_family() if isinstance(m, Text)]):
        for name in _SAYS:
            if hasattr(theirs, name):
                setattr(mine, name, getattr(theirs, name))


def _of(k: int, n: int | None = None) -> Narration:
    """'3' or '3 of 8', said in words."""
    if n is None:
        return Narration(str(k), spoken_integer(k))
    return Narration(f"{k} of {n}", f"{spoken_integer(k)} of {spoken_integer(n)}")


class TrainingKinks(ExplainerScene):
    """Training slides each unit's kink along x and turns the slopes until the net fits the target."""

    params = TrainingKinksParams()
    description = "Training: the net moves its kinks to where the target bends, and turns the slopes (seed 002)"
    title = "Training moves the kinks"

    def construct(self) -> None:
        self.trace = run_training(self.params)
        lo, hi = self.params.x_range
        self.band = bend_interval(parse_function(self.params.target), lo, hi)
        self.show_target()
        self.show_untrained_net()
        self.train_net()
        self.show_found_knots()

    # -- beats ------------------------------------------------------------------------------------
    def show_target(self) -> None:
        p, t = self.params, theme()
        self.say(*Narration(f"Who puts the kinks in the right places? In a real network, training does. "
                 f"A net with {p.width} ReLU units learns this curve from {SAMPLES} samples.",
                 f"Who puts the kinks in the right places? In a real network, training does. "
                 f"A net with {spoken_integer(p.width)} ReLU units learns this curve from "
                 f"{spoken_integer(SAMPLES)} samples."))
        # narrower and further right than the default: 'kinks' left of the rail stays inside the safe area
        self.axes = get_main_axes(p, width=6.6, height=4.3).to_corner(UP + LEFT, buff=0.5).shift(1.1 * RIGHT)
        target = get_curve(self.axes, parse_function(p.target), color=t.target, x_range=p.x_range)
        self.label = get_formula("y = " + parse_function(p.target).latex, color=t.target)
        self.label.next_to(self.axes, RIGHT, buff=0.6).align_to(self.axes, UP)
        self.play(Create(self.axes), run_time=TIMING.create)
        self.play(Create(target), Write(self.label), run_time=TIMING.create)
        self.wait(TIMING.pause)

    def show_untrained_net(self) -> None:
        p = self.params
        where = " The band marks where the curve bends." if self.band is not None else ""
        self.say(*Narration("It starts from random weights: nearly flat, with one kink per unit, scattered along x."
                            + where))
        self.rail = get_kink_rail(self.axes, p.x_range)
        self.graph = get_net_graph(self.axes, self.trace.nets[0], p.x_range)
        self.markers = VGroup(*(get_kink_marker() for _ in range(p.width)))
        self.dots = VGroup(*(Dot(radius=0.07, color=theme().kink) for _ in range(p.width)))
        place_kinks(self.markers, self.dots, self.axes, self.rail[0], self.trace.nets[0], p.x_range)
        shown = [FadeIn(self.rail)]
        if self.band is not None:
            shown.append(FadeIn(get_bend_band(self.axes, self.rail[0], self.band)))
        # the live readouts are boxes whose one submobject, the label of the snapshot shown, train_net swaps
        self.status = VGroup(get_kink_status(self.trace.nets[0], p.x_range, self.band))
        self.status.next_to(self.rail[0], DOWN, buff=0.3)
        loss = get_loss_axes(self.trace).to_corner(DOWN + RIGHT, buff=0.6)
        loss.shift(min(0.0, SAFE_RIGHT - loss.get_right()[0]) * RIGHT)  # the last step tick inside
        self.loss_axes = loss[0]
        self.progress = VGroup(get_progress_label(self.trace, 0))
        self.progress.next_to(self.label, DOWN, buff=0.5).align_to(self.label, LEFT)
        self.play(Create(self.graph), *shown, run_time=TIMING.create)
        self.play(FadeIn(self.markers, shift=0.2 * UP), FadeIn(self.dots), FadeIn(self.status),
                  run_time=TIMING.transform)
        self.play(FadeIn(loss), FadeIn(self.progress), run_time=TIMING.transform)
        self.wait(TIMING.pause)

    def train_net(self) -> None:
        p, trace = self.params, self.trace
        self.say(*training_caption(trace))
        tracker = ValueTracker(0.0)
        count = len(trace.nets)

        def current() -> int:
            return frame_index(tracker.get_value(), count)

        def update_graph(graph: VMobject) -> None:
            graph.become(get_net_graph(self.axes, trace.nets[current()], p.x_range))

        def update_kinks(_: VGroup) -> None:
            place_kinks(self.markers, self.dots, self.axes, self.rail[0], trace.nets[current()],
                        p.x_range)

        def update_loss(line: VMobject) -> None:
            line.become(get_loss_line(self.loss_axes, trace, current()))

        def update_tip(dot: Dot) -> None:
            dot.move_to(self.loss_axes.c2p(*loss_points(trace, current())[-1]))

        # The step and loss readouts change in place (a new Text a frame cost 40 ms); the kink status is
        # built once per text and the box becomes it when it changes (swapping a box's submobjects
        # leaves the old text in Manim's still background).
        # Their sources read the snapshot on screen now, so the craft check sees a stale label.
        step_number, loss_number = self.progress[0][0][1], self.progress[0][1][1]
        step_number.value_source = lambda: int(trace.steps[current()])
        loss_number.value_source = lambda: trace.losses[current()]

        def live_status(label):
            label.value_source = lambda: _status_text(trace.nets[current()], p.x_range, self.band)
            return label

        first = _status_text(trace.nets[0], p.x_range, self.band)
        statuses = {first: live_status(self.status[0])}
        shown = {"status": first}

        def update_progress(_: VGroup) -> None:
            index = current()
            step_number.set_value(trace.steps[index])
            loss_number.set_value(trace.losses[index])

        def update_status(box: VGroup) -> None:
            net = trace.nets[current()]
            text = _status_text(net, p.x_range, self.band)
            if text != shown["status"]:
                if text not in statuses:
                    statuses[text] = live_status(get_kink_status(net, p.x_range, self.band).move_to(first_place))
                _show(box, statuses[text])
                shown["status"] = text

        first_place = self.status.get_center()

        self.loss_line = get_loss_line(self.loss_axes, trace, 0)
        tip = Dot(radius=0.06, color=theme().error)
        moving = [(self.graph, update_graph), (VGroup(self.markers, self.dots), update_kinks),
                  (self.loss_line, update_loss), (tip, update_tip), (self.progress, update_progress),
                  (self.status, update_status)]
        for mob, updater in moving:
            mob.add_updater(updater)
            updater(mob)
            self.add(mob)
        self.play(tracker.animate.set_value(1.0), run_time=p.seconds, rate_func=lambda a: a)
        for mob, _ in moving:
            mob.clear_updaters()
        self.wait(TIMING.pause)

    def show_found_knots(self) -> None:
        self.say(*kinks_caption(self.trace, self.params.x_range, self.band))
        visible = [dot for dot in self.dots if dot.get_fill_opacity() > 0]
        self.play(*(Flash(dot, color=theme().kink, line_length=0.15, flash_radius=0.2)
                    for dot in visible), run_time=TIMING.transform)
        self.wait(TIMING.long_pause)

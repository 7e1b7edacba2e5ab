"""What the handout prints beside the pictures: each scene's numbers on screen, and its beats' formulas.

The one place for these facts. Each scene with numbers on screen has a table function here, params ->
Table, that calls the relu_core functions the scene itself calls (so the handout shows the values the
video shows); a scene that can say its beats' formulas has a formula function, params -> one LaTeX
string (or None) per beat. A scene with neither gets pictures and narration only: nothing is invented.

>>> from scenes.approximate_square import ApproximateSquareParams
>>> [table] = numbers_tables("ApproximateSquare", ApproximateSquareParams(steps=2))
>>> table.columns[:2], table.rows[1][:2]
(('hₖ', 'where hₖ is best'), ('h₂', '[-2, 2]'))
>>> beat_formulas("ApproximateSquare", ApproximateSquareParams(steps=1))[1]
'h_{1}(x) = g(x) + g(-x)'
>>> numbers_tables("FakeScene", None), beat_formulas("FakeScene", None) is None
((), True)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from relu_core import format_number, max_error, parse_function

__all__ = ["Table", "numbers_tables", "beat_formulas", "TABLES", "FORMULAS"]

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript(n: int) -> str:
    """'⁻²' for -2: an exponent in plain text."""
    return str(n).translate(SUPERSCRIPTS)


@dataclass(frozen=True)
class Table:
    """A scene's numbers: a heading line (what was computed, with which params), columns, rows of text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def _interval(lo: float, hi: float) -> str:
    return f"[{format_number(lo)}, {format_number(hi)}]"


# --- ApproximateSquare ----------------------------------------------------------------------------

def approximate_square_table(params: Any) -> Table:
    """h_1 .. h_n: terms, where each is best and its max error there and on x_range, as the
    scene's readouts compute them (ApproximateSquare.get_readouts: relu_core.max_error at h's knots)."""
    from scenes.approximate_square import get_steps
    lo, hi = params.x_range
    f = parse_function(params.target)
    rows = []
    for step in get_steps(params):
        h, knots = step.sum, step.sum.breakpoints()
        i_lo, i_hi = max(step.interval[0], lo), min(step.interval[1], hi)
        rows.append((f"h{str(step.k).translate(SUBSCRIPTS)}", _interval(i_lo, i_hi),
                     format_number(max_error(f, h, i_lo, i_hi, knots=knots)),
                     format_number(max_error(f, h, lo, hi, knots=knots)), str(len(h.terms))))
    return Table(f"target {params.target} on {_interval(lo, hi)}, {params.steps} steps",
                 ("hₖ", "where hₖ is best", "max error there", f"max error on {_interval(lo, hi)}",
                  "ReLU terms"),
                 tuple(rows), "max error: the largest |target − hₖ| (relu_core.max_error), as the scene's "
                              "readouts show it")


def approximate_square_formulas(params: Any) -> list[str | None]:
    """The target's label, then h_k(x) = ... for each step's beat, then h_n for the last two beats
    (the formula stays on screen), as ApproximateSquare's construct() shows them."""
    from scenes.approximate_square import get_steps
    from scenes.speech import is_square
    steps = get_steps(params)
    name = "x^2" if is_square(params.target) else parse_function(params.target).latex
    sums = [rf"h_{{{s.k}}}(x) = {s.sum.latex()}" for s in steps]
    return [rf"y = {name}", *sums, sums[-1], sums[-1]]


# --- ReluUnit, ZoomToLine, RulerAndProtractor ----------------------------------------------------

def relu_unit_table(params: Any) -> Table:
    """Each stop of g(ax + b): a, b and where its kink sits (the ReluTerm's kink, x = -b/a), to the two
    decimals of the scene's readouts."""
    from scenes.relu_unit import unit_sum
    rows = tuple((str(i), f"{a:.2f}", f"{b:.2f}", f"{unit_sum(a, b).terms[0].kink:.2f}")
                 for i, (a, b) in enumerate(zip(params.a_values, params.b_values), start=1))
    return Table("the stops of g(ax + b)", ("stop", "a", "b", "kink at x = -b/a"), rows)


def zoom_to_line_table(params: Any) -> Table:
    """The zoom's table: pieces, window width and the piece's max gap (relu_core.zoom via zoom_steps)."""
    from scenes.zoom_to_line import zoom_steps
    rows = tuple((str(step.pieces), format_number(step.width, 3), format_number(step.gap, 3))
                 for step in zoom_steps(parse_function(params.target), params))
    return Table(f"target {params.target}, piece {params.zoom_piece} of {params.pieces} on "
                 f"{_interval(*params.x_range)}, halved {params.zooms} times", ("pieces", "window", "max gap"), rows,
                 "max gap: the largest |target − chord| in the window (relu_core.max_error)")


def ruler_and_protractor_table(params: Any) -> Table:
    """Each kink's turn c of c·g(x − k) and the slope after it (the partial sums' slopes on the right)."""
    from scenes.ruler_and_protractor import partial_sums
    sums = partial_sums(params)
    right = max(params.kinks) + 1.0
    rows = [("start", "", format_number(sums[0].slope))]
    for kink, turn, after in zip(params.kinks, params.turns, sums[1:]):
        slope = float(after(right + 1.0) - after(right))  # past every kink: the slope after this turn
        rows.append((f"x = {format_number(kink)}", f"{'+' if turn > 0 else '-'}{format_number(abs(turn))}",
                     format_number(slope)))
    return Table("a straight line, turned at each kink", ("kink", "Δslope", "slope after"), tuple(rows))


# --- WhereKinksGo ---------------------------------------------------------------------------------

SIDE_NAMES = {"uniform": "evenly spaced", "optimal": "placed by curvature"}
"""compare_knots' two placements, in the words of WhereKinksGo's panel titles."""


def where_kinks_go_table(params: Any) -> Table:
    """Both knot placements: their knots and worst errors (relu_core.compare_knots, as the scene's
    get_comparison calls it), and how many times smaller the placed one's worst error is."""
    from scenes.where_kinks_go import get_comparison
    comparison = get_comparison(params)
    rows = tuple((SIDE_NAMES[side], ", ".join(format_number(k, 2) for k in comparison[f"{side}_knots"]),
                  f"{comparison[f'{side}_error']:.3g}") for side in ("uniform", "optimal"))
    ratio = comparison["ratio"]
    verdict = f"ratio of the worst errors: {ratio:.1f}" if ratio < float("inf") else "the placed kinks: no error"
    return Table(f"target {params.target} on {_interval(*params.x_range)}, {params.pieces} pieces",
                 ("kinks", "knots", "worst error"), rows, verdict + " (relu_core.compare_knots)")


# --- DepthCascade ---------------------------------------------------------------------------------

def depth_cascade_tables(params: Any) -> tuple[Table, ...]:
    """The stacked tents T^k (units, pieces, kinks on [0, 1], read off relu_core's sawtooth nets, as the
    scene's depth counter does), and its table of units for the same max error (units_rows)."""
    from relu_core import sawtooth
    from scenes.depth_cascade import UNIT, units_rows
    stack = tuple((str(k), str(net.units), str(net.pieces(*UNIT)), str(len(net.breakpoints(*UNIT))))
                  for k, net in ((k, sawtooth(k)) for k in range(1, params.depth + 1)))
    units = tuple((f"4{_superscript(-(m + 1))} = {error:.2g}", str(shallow), str(deep))
                  for m, (error, shallow, _, deep) in enumerate(units_rows(params.compare_up_to), start=1))
    return (Table(f"tents fed into tents, depth 1 to {params.depth}", ("depth k", "ReLU units", "pieces", "kinks"),
                  stack),
            Table("ReLU units needed for the same max error on [0, 1]",
                  ("max error", "one hidden layer", "deep net"), units,
                  "relu_core.shallow_square_error_bound and deep_square_error_bound"))


TABLES: dict[str, Callable[[Any], Table | tuple[Table, ...]]] = {
    "ReluUnit": relu_unit_table,
    "ApproximateSquare": approximate_square_table,
    "ZoomToLine": zoom_to_line_table,
    "RulerAndProtractor": ruler_and_protractor_table,
    "WhereKinksGo": where_kinks_go_table,
    "DepthCascade": depth_cascade_tables,
}
"""Scene class name -> its numbers table."""

FORMULAS: dict[str, Callable[[Any], list[str | None]]] = {
    "ApproximateSquare": approximate_square_formulas,
}
"""Scene class name -> its beats' formulas (LaTeX, None for a beat without one), one per `say`."""


def numbers_tables(scene: str, params: Any) -> tuple[Table, ...]:
    """The numbers on screen in `scene` rendered with `params`; () if the scene has no table here."""
    make = TABLES.get(scene.split(":")[-1])
    if make is None:
        return ()
    tables = make(params)
    return (tables,) if isinstance(tables, Table) else tuple(tables)


def beat_formulas(scene: str, params: Any) -> list[str | None] | None:
    """One LaTeX formula (or None) per beat of `scene`; None if the scene cannot say them."""
    make = FORMULAS.get(scene.split(":")[-1])
    return make(params) if make else None

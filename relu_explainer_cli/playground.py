"""The drag-the-kinks page: one offline HTML file where a student bends a ReLU sum onto a target.

`relu-explainer playground` writes it (default media/playground.html); `write_playground(path)` is the
same for the slide deck. The page holds everything inline (CSS, JavaScript, SVG, its data: no request
leaves it). A sum is relu_core's ReluSum, slope·x + intercept + Σ c·g(a·x + b): the page draws it as
the exact polyline through its kinks and computes its values, max error and mean ½(y - ŷ)² loss with
relu_core's formulas ported to JavaScript (playground/page.js). What it cannot compute the same way is
computed here, by relu_core, at write time and stored in the page: the seeds' h_1..h_3 and, for each
target and each number of kinks, the interpolants through evenly spaced and curvature-placed knots.

The whole setup lives in the URL's fragment, so a link shares it:

>>> from relu_core import square_approximation
>>> state_fragment("x2", square_approximation(1))
'target=x2&slope=0.0&intercept=0.0&terms=1.0,0.0,1.0;-1.0,0.0,1.0'
>>> sum_from_fragment(state_fragment("x2", square_approximation(1)))[1].latex()
'g(x) + g(-x)'
"""
from __future__ import annotations

import argparse
import functools
import html
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import EXIT_OK, CliError

if TYPE_CHECKING:
    from relu_core import ReluSum

__all__ = ["Target", "TARGETS", "SEED_STEPS", "MAX_UNITS", "SAMPLES", "DEFAULT_OUT", "page_data",
           "page_html", "write_playground", "state_fragment", "sum_from_fragment", "sum_numbers", "register"]

GENERATOR = "relu-explainer playground"
"""Marks a page as ours: writing never replaces a file without it."""
DEFAULT_OUT = Path("media/playground.html")
ASSETS = Path(__file__).with_name("playground")
"""page.html, page.css and page.js: inlined into the one file written."""


@dataclass(frozen=True)
class Target:
    """A preset target: its formula (relu_core.parse_function syntax), its label, and its x-range."""

    expression: str
    label: str
    x_range: tuple[float, float]


TARGETS: dict[str, Target] = {
    "x2": Target("x**2", "x²", (-3.0, 3.0)),
    "sin": Target("sin(x)", "sin x", (-math.pi, math.pi)),
    "abs": Target("abs(x)", "|x|", (-2.0, 2.0)),
    "exp": Target("exp(x)", "eˣ", (0.0, 4.0)),
}
"""The page's targets by the id its links use; each needs its JavaScript twin in page.js TARGET_FUNCTIONS."""

SEED_STEPS = (1, 2, 3)
"""The seeds' h_n offered as presets, on the target x²."""
MAX_UNITS = 16
"""The most ReLU units (terms) a sum on the page may have."""
SAMPLES = 4001
"""Grid points of relu_core.losses.error_grid: the page measures on the same grid."""
DEFAULT_STATE = ("x2", 2)
"""The setup shown without a fragment: h_2 on x²."""


def sum_numbers(target: str, s: ReluSum) -> dict[str, float]:
    """What the page shows for a sum, computed by relu_core: max |f - s| and the mean ½(f - s)².

    Both on relu_core.error_grid(lo, hi, knots=s.breakpoints(), samples=SAMPLES), the grid of
    relu_core.max_error (which the scenes use): a uniform grid plus the kinks and the midpoints between them.

    >>> from relu_core import square_approximation
    >>> numbers = sum_numbers("x2", square_approximation(3))  # each piece is off by t(1 - t), t in [0, 1]
    >>> numbers["max_error"], round(numbers["loss"], 4)  # 1/4, and about ½·(1/30)
    (0.25, 0.0167)
    """
    from relu_core import error_grid, max_error, mean_l2_loss, parse_function
    f = parse_function(TARGETS[target].expression)
    lo, hi = TARGETS[target].x_range
    knots = s.breakpoints()
    xs = error_grid(lo, hi, knots=knots, samples=SAMPLES)
    return {"max_error": max_error(f, s, lo, hi, knots=knots, samples=SAMPLES),
            "loss": mean_l2_loss(f(xs), s(xs))}


def state_fragment(target: str, s: ReluSum) -> str:
    """The URL fragment (without '#') of a setup: a target id and the sum's slope, intercept and terms a,b,c.

    Numbers are written as Python's repr, which JavaScript reads back to the same double.
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    terms = ";".join(f"{t.a!r},{t.b!r},{t.c!r}" for t in s.terms)
    return f"target={target}&slope={s.slope!r}&intercept={s.intercept!r}&terms={terms}"


def sum_from_fragment(fragment: str) -> tuple[str, ReluSum]:
    """The target id and ReluSum of a fragment written by `state_fragment` (or by the page)."""
    from relu_core import ReluSum, ReluTerm
    fields = dict(part.split("=", 1) for part in fragment.lstrip("#").split("&") if "=" in part)
    terms = [ReluTerm(*(float(v) for v in triple.split(","))) for triple in fields.get("terms", "").split(";")
             if triple]
    return fields["target"], ReluSum(tuple(terms), float(fields["slope"]), float(fields["intercept"]))


def _sum_json(s: ReluSum) -> dict:
    return {"slope": s.slope, "intercept": s.intercept, "terms": [[t.a, t.b, t.c] for t in s.terms]}


def _placements(f: Callable, lo: float, hi: float) -> dict[str, list]:
    """For 1..MAX_UNITS kinks, the interpolant of f through evenly spaced and curvature-placed knots
    (relu_core.uniform_knots and optimal_knots, as WhereKinksGo compares them); None where impossible."""
    from relu_core import interpolant, optimal_knots, uniform_knots
    placed: dict[str, list] = {"even": [], "curvature": []}
    for kinks in range(1, MAX_UNITS + 1):
        for name, place in (("even", lambda n: uniform_knots(lo, hi, n)),
                            ("curvature", lambda n: optimal_knots(f, n, lo, hi))):
            try:
                knots = place(kinks + 1)
            except ValueError:
                placed[name].append(None)
                continue
            placed[name].append({"knots": knots.tolist(), **_sum_json(interpolant(f, knots))})
    return placed


def _y_range(f: Callable, lo: float, hi: float) -> list[float]:
    """The plot's y-range: the target's values on [lo, hi] with a margin above and below."""
    import numpy as np
    ys = f(np.linspace(lo, hi, 601))
    bottom, top = float(np.min(ys)), float(np.max(ys))
    pad = 0.15 * ((top - bottom) or 1.0)
    return [bottom - pad, top + pad]


def page_data(theme_name: str = "dark") -> dict:
    """Everything the page needs, computed by relu_core: targets, presets, placements, colours.

    >>> data = page_data()
    >>> data["seeds"]["h1"], data["targets"]["exp"]["curvature"][0]["knots"][1] > 2  # exp bends most at 4
    ({'slope': 0.0, 'intercept': 0.0, 'terms': [[1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]}, True)
    """
    return json.loads(_page_json(theme_name))


@functools.lru_cache(maxsize=4)
def _page_json(theme_name: str) -> str:
    """page_data as JSON, computed once a process for each theme (about 0.3 s of relu_core work)."""
    from relu_core import parse_function, square_approximation
    from scenes.style import theme
    colors = theme(theme_name)
    targets = {}
    for key, target in TARGETS.items():
        f = parse_function(target.expression)
        lo, hi = target.x_range
        targets[key] = {"expression": target.expression, "label": target.label, "x_range": [lo, hi],
                        "y_range": _y_range(f, lo, hi), **_placements(f, lo, hi)}
    seeds = {f"h{n}": _sum_json(square_approximation(n)) for n in SEED_STEPS}
    target, n = DEFAULT_STATE
    return json.dumps({"targets": targets, "seeds": seeds, "seed_target": "x2", "samples": SAMPLES,
                       "max_units": MAX_UNITS, "default": {"target": target, **seeds[f"h{n}"]},
                       "theme": {role: getattr(colors, role) for role in
                                 ("background", "text", "muted", "target", "approx", "term", "kink", "highlight",
                                  "error")}})


def page_html(theme_name: str = "dark") -> str:
    """The page as one string: page.html with its CSS, JavaScript and data inlined."""
    from .slides import _script_json  # JSON that cannot close its <script> element
    data = page_data(theme_name)
    colors = "; ".join(f"--{role}: {value}" for role, value in data["theme"].items())
    values = {"GENERATOR": GENERATOR, "THEME": html.escape(theme_name), "VARS": colors,
              "CSS": (ASSETS / "page.css").read_text(encoding="utf-8"),
              "JS": (ASSETS / "page.js").read_text(encoding="utf-8"),
              "DATA": _script_json(data)}
    template = (ASSETS / "page.html").read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


def write_playground(path: Path, theme: str = "dark") -> Path:
    """Write the page to `path` (a directory gets playground.html inside) and return the file written.

    The page is written beside its final name and renamed over it: a failure leaves no half-written
    file and keeps a previous page whole. A file there that is not a playground page is never
    replaced (FileExistsError).
    """
    path = Path(path)
    if path.is_dir():
        path = path / "playground.html"
    path = path.absolute()
    if path.exists() and GENERATOR not in path.read_text(encoding="utf-8", errors="replace")[:2000]:
        raise FileExistsError(f"{path} exists and is not a relu-explainer playground page; "
                              "choose another --out")
    text = page_html(theme)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staged = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(staged, 0o644)  # mkstemp makes it private; the page is meant to be shared
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return path


# --- the command ----------------------------------------------------------------------------------

EXAMPLES = """\
examples:
  relu-explainer playground                       writes media/playground.html: open it in a browser
  relu-explainer playground --out lecture/kinks.html --theme light
"""


def register(sub: argparse._SubParsersAction, add_scene_options: Callable) -> None:
    """Add the `playground` command (it renders nothing, so it takes no scene options)."""
    parser = sub.add_parser(
        "playground", help="write the drag-the-kinks page: one offline HTML file",
        description="Write a self-contained page (no network needed) where you drag the kinks of a\n"
                    "ReLU sum onto a target curve and watch its max error and loss; the setup is kept\n"
                    "in the page's link, to share. Keys: Tab to a kink, arrows move and bend it, + and -\n"
                    "add and remove a unit.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="FILE.html",
                        help=f"where to write the page (default: {DEFAULT_OUT}); a folder gets "
                             "playground.html inside")
    parser.add_argument("--theme", choices=("dark", "light"), default="dark",
                        help="colour theme (default: dark)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(func=cmd_playground)


def cmd_playground(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """Write the page and print its path; a path that cannot be written is one line, exit 1."""
    try:
        written = write_playground(args.out, args.theme)
    except OSError as error:  # errno None: write_playground's own refusal, already in the user's words
        raise CliError(str(error) if error.errno is None else
                       f"cannot write {args.out}: {error.strerror or error}") from None
    out(str(written))
    return EXIT_OK

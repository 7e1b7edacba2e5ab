"""Craft checks (issue 13): render a scene, look at it as a viewer would, and say what is wrong where.

`craft_render(SceneClass, media_dir)` renders a scene at 240p with caching off and samples it in the
middle (half its run time) and at the end of every animation. At each sample the checks look at the
families of `scene.mobjects`; at the end the subtitle check reads the scene's .srt:

==============  =====================================================================================
check           fails when
==============  =====================================================================================
relu            a shape tagged `relu_source` (scenes.mobjects.ReluSource: get_relu_graph, get_kink_dots)
                has a point more than RELU_TOLERANCE (frame units) off its relu_core function
safe_area       text reaches into the outer 5 % of the frame
overlap         two texts' boxes overlap by more than OVERLAP_TOLERANCE both ways
contrast        a text lies on a fill (its box's centre inside a filled shape drawn before it) and its
                colour against what is under it there has a contrast ratio below MIN_CONTRAST
text_size       text's median glyph is smaller than MIN_GLYPH_PX at 1080p (after animations only)
numbers         a number (or formula) that carries its source shows other text than its source gives
                now; or a Readout shows a number without saying where it comes from
subtitles       a cue asks for more than MAX_CPS characters a second or has more than MAX_LINES lines
                or a line longer than MAX_LINE characters
==============  =====================================================================================

Text is any visible `Text`, `MarkupText`, `Tex`/`MathTex` (and their parts), `DecimalNumber` or
`scenes.readout.Readout`; fully transparent text is not on screen and is ignored.

How a scene opts in to the numbers check: give the number mobject two attributes,

- ``value_source``: a callable with no arguments returning the value relu_core gives for what is on
  screen now (``lambda: ReluTerm(self.a.get_value(), self.b.get_value()).kink``);
- ``value_format`` (optional): a callable turning that value into the exact text shown. By default a
  Readout formats with ``Readout.text_of(value, decimals)``, a DecimalNumber with its own format, a
  Tex/MathTex compares with its ``tex_string`` and a Text with its ``text`` (so a formula's source can
  return its LaTeX: ``lambda: "= " + ReluTerm(a, b).latex()``).

Every visible Readout must opt in: a live number that cannot say where it comes from cannot be checked.

ReLU shapes opt in the same way: get_relu_graph and get_kink_dots tag what they build; a shape drawn
another way sets ``m.relu_source = ReluSource(axes, fn, (lo, hi))`` (``at_centre=True`` for a dot). A
copy moved off its axes on purpose (a legend) drops the tag. When a Transform ends, or `become` (as in
always_redraw) runs, the mobject takes the tags of what it became; midway it keeps its own, so a morph
between two different ReLU sums fails where it shows neither.

Rendering draws one frame per animation, held for the animation's frames (`frames="still"`): the
scene's clock, subtitles and audio are those of a full render at that frame rate, at a fraction of
its cost; `frames="all"` draws every frame as Manim does (a watchable video, for looking at failures).
A wait's stop condition is not evaluated in a still render (no scene of ours has one).

`python -m tests.craft [CASE ...]` renders the CASES (every story scene, and the tweaks issue 13
names) and prints what each check finds; tests/test_craft.py runs them in `make test`.

>>> Finding("relu", "Demo", 1.5, "mid", 3, "Transform(VMobject)", "VMobject in self.graph",
...         "0.31 off h_2 at x = 0.50").line()
'  1.50 s mid of play 3 Transform(VMobject): VMobject in self.graph: 0.31 off h_2 at x = 0.50'
"""
from __future__ import annotations

import statistics
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from narration import MAX_CPS, MAX_LINE, MAX_LINES
from scenes.explainer import STORY
from scenes.style import SAFE_AREA  # the one place the safe area is set

__all__ = ["CHECKS", "SAMPLE_CHECKS", "CASES", "case_class", "Finding", "CraftRun", "Sample", "craft_render",
           "craft_case", "text_units",
           "relu_findings", "safe_area_findings", "overlap_findings", "contrast_findings", "text_size_findings",
           "number_findings", "subtitle_findings", "RELU_TOLERANCE", "SAFE_AREA", "OVERLAP_TOLERANCE",
           "MIN_LINE_PX", "MIN_GLYPH_PX", "MIN_CONTRAST", "contrast_ratio"]

RELU_TOLERANCE = 0.02
"""Frame units a ReLU shape's point may be off its function: 2.7 px at 1080p, far above float error
(1e-12) and below what a viewer sees; a morph between different kinks is off by tenths."""
SAFE_TOLERANCE = 0.01
OVERLAP_TOLERANCE = 0.02
"""Frame units two text boxes may share both ways: glyph boxes of neighbours in one line may touch."""
MIN_CONTRAST = 3.0
"""The least contrast ratio of a text on a fill: WCAG 2.1's for large text (success criterion 1.4.3,
https://www.w3.org/TR/WCAG21/#contrast-minimum), which a label on a projected slide is."""
MIN_LINE_PX = 24
"""Issue 13: formulas at least 24 px high at 1080p. Measured as the issue measured the TwoNeuronRegions
case formulas ("about 7 px at 480p"), that is the height of the formula's line, its em (the height of a
parenthesis): FONT_SIZE.small (22) scaled by 0.5 has a 15.4 px line at 1080p, 6.8 px at 480p."""
MIN_GLYPH_PX = 0.40 * MIN_LINE_PX
"""The smallest median glyph height (flat glyphs left out, see glyph_height_px) at 1080p: 9.6 px.

Glyphs can be measured on any text (MathTex, Text, Readout, a shape mid-transform); the em cannot. The
median glyph of a formula is about a lowercase letter; measured at font sizes 22 to 48: 0.46 em for
g(x) = max(x, 0) and h_2(x) = x^2 - 1/4, 0.69 em for numbers, 0.34 em for 'a =', Text's words a little
more. So a 24 px line has a median glyph of about 0.40 x 24 px, unless it is mostly operators; the
smallest size of style.py, FONT_SIZE.small (a 31 px line), passes with room.
"""
FADED = 0.0
"""Text at this opacity or less is not on screen."""


@dataclass(frozen=True)
class Finding:
    """One thing wrong: which check, in which scene, when, during what, on which mobject, what."""

    check: str
    scene: str
    time: float
    phase: str          # "mid" or "end" of a play; "srt" for a subtitle
    play: int
    animation: str
    subject: str
    what: str
    key: tuple = ()     # the same problem seen at another sample has the same key

    def line(self) -> str:
        where = f"{self.phase} of play {self.play} {self.animation}" if self.phase != "srt" else "subtitle"
        return f"{self.time:6.2f} s {where}: {self.subject}: {self.what}"


@dataclass(frozen=True)
class OnScreen:
    """A visible text: the mobject, its ancestors, its drawn box [[x_lo, y_lo], [x_hi, y_hi]] and the
    heights of its drawn glyphs, in frame units."""

    mobject: Any
    path: tuple
    box: np.ndarray
    glyph_heights: list[float]


@dataclass(frozen=True)
class Sample:
    """The scene at one moment: what the checks look at."""

    scene: Any
    time: float
    phase: str
    play: int
    animation: str
    names: dict[int, str]       # id(mobject) -> 'self.attr' for the scene's named mobjects
    moving: frozenset[int]      # ids of the family members a Transform is morphing right now

    @cached_property
    def texts(self) -> list[OnScreen]:
        """The visible texts, each as a whole, with their boxes (computed once for all checks)."""
        found = []
        for m, path in text_units(self.scene):
            drawn = _drawn(m)
            if drawn:
                points = np.vstack([d.points for d in drawn])[:, :2]
                found.append(OnScreen(m, path, np.array([points.min(axis=0), points.max(axis=0)]),
                                      [d.height for d in drawn]))
        return found

    def name_of(self, mobject: Any, path: tuple = ()) -> str:
        """'MathTex "= g(x)" in self.panel': the mobject's kind and text, and its nearest named ancestor."""
        kind = type(mobject).__name__
        text = shown_text(mobject)
        label = f'{kind} "{text[:40]}"' if text else kind
        for m in (mobject, *reversed(path)):
            if id(m) in self.names:
                return f"{label} in {self.names[id(m)]}" if m is not mobject else f"{label} {self.names[id(m)]}"
        return label


@dataclass
class CraftRun:
    """What the craft checks found in one render of a scene."""

    scene: str
    findings: list[Finding] = field(default_factory=list)
    samples: int = 0
    srt: Path | None = None
    duration: float = 0.0
    scene_object: Any = None  # the scene after its render, for a test that looks further

    def of(self, check: str) -> list[Finding]:
        return [f for f in self.findings if f.check == check]

    def problems(self, check: str) -> list[list[Finding]]:
        """The findings of one check grouped by problem (the same problem seen at several samples)."""
        groups: dict[tuple, list[Finding]] = {}
        for f in self.of(check):
            groups.setdefault(f.key or (f.subject, f.what), []).append(f)
        return list(groups.values())

    def summary(self, check: str) -> str:
        """One line: the first problem of a check, and how many more there are."""
        problems = self.problems(check)
        if not problems:
            return ""
        first = problems[0][0]
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        return f"{first.time:.1f} s: {first.subject}: {first.what}"[:150] + more

    def report(self, check: str, limit: int = 12) -> str:
        """The findings of one check, one line each; a finding repeated at later samples is listed
        once, with how often and until when it was seen."""
        groups = self.problems(check)
        lines = [f"{self.scene}: {check}: {len(groups)} problem(s) in {self.samples} samples"]
        for found in groups[:limit]:
            more = f"  (seen {len(found)} times, until {found[-1].time:.2f} s)" if len(found) > 1 else ""
            lines.append(found[0].line() + more)
        if len(groups) > limit:
            lines.append(f"  ... and {len(groups) - limit} more")
        return "\n".join(lines)


Problem = tuple[Any, str, str]
"""What a check yields: (a key, equal for the same problem at another sample; the subject; what is wrong)."""


# -- what is on screen ------------------------------------------------------------------------------
def _text_types() -> tuple[type, ...]:
    from manim import DecimalNumber, MarkupText, SingleStringMathTex, Text

    from scenes.readout import Readout
    return (Text, MarkupText, SingleStringMathTex, DecimalNumber, Readout)


def shown_text(mobject: Any) -> str:
    """The characters a text mobject shows ('' for a shape)."""
    from manim import DecimalNumber

    from scenes.readout import Readout
    if isinstance(mobject, Readout):
        return mobject.text
    if isinstance(mobject, DecimalNumber):
        return mobject._get_num_string(mobject.number)
    for attribute in ("tex_string", "original_text", "text"):
        value = getattr(mobject, attribute, None)
        if isinstance(value, str):
            return value
    return ""


def _own_opacity(m: Any) -> float:
    """A family member's fill or stroke opacity, whichever is larger (a stroke of width 0 is not drawn)."""
    if not hasattr(m, "get_fill_opacity"):  # not a VMobject: drawn as it is
        return 1.0
    return max(m.get_fill_opacity(), m.get_stroke_opacity() * (m.get_stroke_width() > 0))


def _drawn(mobject: Any) -> list[Any]:
    """The family members with points that are not fully transparent."""
    return [m for m in mobject.family_members_with_points() if len(m.points) and _own_opacity(m) > FADED]


def opacity(mobject: Any) -> float:
    """The largest opacity in the mobject's family: FADED or less is not on screen."""
    return max([0.0, *(_own_opacity(m) for m in mobject.family_members_with_points())])


def walk(scene: Any) -> Iterator[tuple[Any, tuple]]:
    """Every mobject on screen once, with its path of ancestors (top-level first)."""
    seen: set[int] = set()

    def visit(m: Any, path: tuple) -> Iterator[tuple[Any, tuple]]:
        if id(m) in seen:
            return
        seen.add(id(m))
        yield m, path
        for sub in m.submobjects:
            yield from visit(sub, path + (m,))

    for top in [*scene.mobjects, *getattr(scene, "foreground_mobjects", [])]:
        yield from visit(top, ())


def text_units(scene: Any) -> Iterator[tuple[Any, tuple]]:
    """Each text in the scene, as a whole (a MathTex, not its glyphs), with its ancestors."""
    types = _text_types()
    inside: set[int] = set()
    for m, path in walk(scene):
        if id(m) not in inside and isinstance(m, types):
            inside.update(id(sub) for sub in m.get_family())
            yield m, path


def _names(scene: Any) -> dict[int, str]:
    from manim import Mobject
    names: dict[int, str] = {}
    for attribute, value in vars(scene).items():
        if attribute.startswith("_") or attribute in ("mobjects", "foreground_mobjects", "moving_mobjects",
                                                      "static_mobjects", "animations"):
            continue
        if isinstance(value, Mobject):
            names.setdefault(id(value), f"self.{attribute}")
            items = value.submobjects
        elif isinstance(value, (list, tuple, dict)):
            items = list(value.values()) if isinstance(value, dict) else list(value)
        else:
            continue
        for i, item in enumerate(items):
            if isinstance(item, Mobject):
                names.setdefault(id(item), f"self.{attribute}[{i}]")
    return names


# -- the checks on one sample -----------------------------------------------------------------------
def _segment_distances(points: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    """Each point's distance (n,) to the polyline through `vertices` (m, 2)."""
    if len(vertices) == 1:
        return np.linalg.norm(points - vertices[0], axis=1)
    a, b = vertices[:-1], vertices[1:]
    ab = b - a
    length2 = np.maximum((ab ** 2).sum(axis=1), 1e-18)
    best = np.full(len(points), np.inf)
    for start in range(0, len(points), 512):  # bounded memory for long curves
        p = points[start:start + 512, None, :]
        t = np.clip(((p - a) * ab).sum(axis=2) / length2, 0.0, 1.0)
        nearest = a + t[..., None] * ab
        best[start:start + 512] = np.linalg.norm(p - nearest, axis=2).min(axis=1)
    return best


def _fn_name(fn: Any) -> str:
    latex = getattr(fn, "latex", None)
    try:
        text = latex() if callable(latex) else type(fn).__name__
    except Exception:  # a name for a message must never fail the check itself
        text = type(fn).__name__
    return text if len(text) <= 50 else text[:47] + "..."


def relu_findings(sample: Sample) -> Iterator[Problem]:
    """Every drawn point of a shape tagged `relu_source` lies on its relu_core function."""
    for m, path in walk(sample.scene):
        source = getattr(m, "relu_source", None)
        if source is None or not len(m.points) or opacity(m) <= FADED:
            continue
        axes, (lo, hi) = source.axes, source.x_range
        vertices = np.asarray(source.fn.vertices(lo, hi), dtype=float)
        scene_vertices = np.array([axes.c2p(x, y)[:2] for x, y in vertices])
        points = m.get_center()[None, :2] if source.at_centre else m.points[:, :2]
        off = _segment_distances(points, scene_vertices)
        worst = int(np.argmax(off))
        if off[worst] > RELU_TOLERANCE:
            x, y = axes.p2c(np.array([*points[worst], 0.0]))[:2]
            what = "centre" if source.at_centre else f"{int((off > RELU_TOLERANCE).sum())} of {len(points)} points"
            yield (id(m), sample.name_of(m, path),
                   f"{what} off {_fn_name(source.fn)}: {off[worst]:.3f} units at (x, y) = ({x:.2f}, {y:.2f})")


def safe_area_findings(sample: Sample) -> Iterator[Problem]:
    """No text in the outer 5 % of the frame."""
    from manim import config
    half = np.array([config.frame_width, config.frame_height]) * SAFE_AREA / 2
    for text in sample.texts:
        m, path, b = text.mobject, text.path, text.box
        over = np.maximum(np.abs(b) - half, 0).max()
        if over > SAFE_TOLERANCE:
            yield (id(m), sample.name_of(m, path),
                   f"box x {b[0, 0]:.2f}..{b[1, 0]:.2f}, y {b[0, 1]:.2f}..{b[1, 1]:.2f} leaves the safe area "
                   f"|x| <= {half[0]:.2f}, |y| <= {half[1]:.2f}")


def overlap_findings(sample: Sample) -> Iterator[Problem]:
    """No two texts overlap (their drawn boxes share more than OVERLAP_TOLERANCE both ways)."""
    units = [(t.mobject, t.path, t.box) for t in sample.texts]
    for i, (m, path, b) in enumerate(units):
        for other, other_path, c in units[i + 1:]:
            shared = np.minimum(b[1], c[1]) - np.maximum(b[0], c[0])
            if (shared > OVERLAP_TOLERANCE).all():
                yield ((id(m), id(other)), sample.name_of(m, path),
                       f"overlaps {sample.name_of(other, other_path)} by {shared[0]:.2f} x {shared[1]:.2f} units")


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> float:
    """WCAG 2.1's contrast ratio of two sRGB colours (components 0..1): (L1 + 0.05) / (L2 + 0.05), from
    1 (the same) to 21 (black on white). https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio

    >>> round(contrast_ratio(np.array([1.0, 1, 1]), np.array([0.0, 0, 0])), 1), contrast_ratio(np.ones(3), np.ones(3))
    (21.0, 1.0)
    """
    def luminance(rgb: np.ndarray) -> float:
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    high, low = sorted((luminance(np.asarray(a, float)), luminance(np.asarray(b, float))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _covers(mobject: Any, point: np.ndarray) -> bool:
    """Whether `point` (x, y) is inside the filled area of `mobject`'s outlines (even-odd over its
    subpaths, each taken as the polygon through its Bézier points: exact for straight edges)."""
    inside = False
    for path in mobject.get_subpaths():
        xy = np.asarray(path)[:, :2]
        a, b = xy, np.roll(xy, -1, axis=0)
        crosses = (a[:, 1] > point[1]) != (b[:, 1] > point[1])
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = a[:, 0] + (point[1] - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
        inside ^= bool(np.count_nonzero(crosses & (x_at > point[0])) % 2)
    return inside


def contrast_findings(sample: Sample) -> Iterator[Problem]:
    """No text on a fill it cannot be read on: at its box's centre the fills drawn before it (each at
    its opacity, over the camera's background) give a colour its own contrasts with by MIN_CONTRAST."""
    from manim import ManimColor, VMobject
    texts = {id(t.mobject): t for t in sample.texts}
    in_text = {id(sub) for t in sample.texts for sub in t.mobject.get_family()}
    background = np.array(ManimColor(sample.scene.camera.background_color).to_rgb())
    fills: list[tuple[Any, tuple, np.ndarray, float]] = []  # drawn so far, in drawing order
    for m, path in walk(sample.scene):
        if id(m) in texts:
            centre = texts[id(m)].box.mean(axis=0)
            under, shapes = background, []
            for shape, shape_path, rgb, alpha in fills:
                if _covers(shape, centre):
                    under, shapes = under * (1 - alpha) + rgb * alpha, shapes + [(shape, shape_path)]
            drawn = _drawn(m)
            if shapes and drawn:
                colour = np.array(drawn[0].get_fill_color().to_rgb())
                ratio = contrast_ratio(colour, under)
                if ratio < MIN_CONTRAST:
                    names = ", ".join(sample.name_of(s, p) for s, p in shapes)
                    yield ((id(m),), sample.name_of(m, path),
                           f"lies on {names}: contrast {ratio:.1f}:1, under {MIN_CONTRAST:.0f}:1")
        elif id(m) not in in_text and isinstance(m, VMobject) and len(m.points) and m.get_fill_opacity() > FADED:
            fills.append((m, path, np.array(m.get_fill_color().to_rgb()), float(m.get_fill_opacity())))


def glyph_height_px(heights: Iterable[float]) -> float:
    """The median height of a text's glyphs, in pixels of a 1080p frame. Flat glyphs (lower than a quarter
    of the tallest: '-', '.', ',') say nothing of the text's size and are left out, so '-2' is as
    high as '2'.

    >>> from manim import config
    >>> round(glyph_height_px([0.1, 0.01]) * config.frame_height / 1080, 6)
    0.1
    """
    from manim import config
    heights = list(heights)
    if not heights:
        return 0.0
    tall = [h for h in heights if h >= max(heights) / 4]
    return statistics.median(tall) * 1080 / config.frame_height


def text_size_findings(sample: Sample) -> Iterator[Problem]:
    """Text read from the back of a lecture room: median glyph at least MIN_GLYPH_PX at 1080p."""
    if sample.phase != "end":  # mid-animation a text may be growing in or shrinking out
        return
    for text in sample.texts:
        px = glyph_height_px(text.glyph_heights)
        if 0 < px < MIN_GLYPH_PX:
            yield (id(text.mobject), sample.name_of(text.mobject, text.path),
                   f"median glyph {px:.1f} px at 1080p, below {MIN_GLYPH_PX:g} px")


def _expected_text(m: Any, value: Any) -> str:
    from manim import DecimalNumber

    from scenes.readout import Readout
    fmt: Callable[[Any], str] | None = getattr(m, "value_format", None)
    if fmt is not None:
        return fmt(value)
    if isinstance(m, Readout):
        return Readout.text_of(float(value), m.decimals)
    if isinstance(m, DecimalNumber):
        return m._get_num_string(float(value))
    return str(value)


def number_findings(sample: Sample) -> Iterator[Problem]:
    """Every number that carries `value_source` shows what its source gives now; every Readout carries one."""
    from scenes.readout import Readout
    for m, path in walk(sample.scene):
        source = getattr(m, "value_source", None)
        if source is None and not isinstance(m, Readout):
            continue
        if opacity(m) <= FADED or id(m) in sample.moving:
            continue  # not on screen; or morphing, when what it says is in between
        if source is None:
            yield (id(m), sample.name_of(m, path),
                   "a Readout with no value_source: say where its number comes from (tests/craft.py)")
            continue
        shown, expected = shown_text(m), _expected_text(m, source())
        if shown != expected:
            yield ((id(m), shown), sample.name_of(m, path),
                   f"shows {shown!r} but its source gives {expected!r} now")


SAMPLE_CHECKS: dict[str, Callable[[Sample], Iterable[Problem]]] = {
    "relu": relu_findings,
    "safe_area": safe_area_findings,
    "overlap": overlap_findings,
    "contrast": contrast_findings,
    "text_size": text_size_findings,
    "numbers": number_findings,
}
CHECKS = (*SAMPLE_CHECKS, "subtitles")


def subtitle_findings(srt_path: Path, scene: str = "") -> list[Finding]:
    """Each cue of the .srt: at most MAX_CPS characters a second, MAX_LINES lines of MAX_LINE characters.

    Characters are counted as narration.cues counts them: every character, a line break as one space.
    """
    import srt as srt_lib
    found = []
    for cue in srt_lib.parse(srt_path.read_text(encoding="utf-8")):
        start, seconds = cue.start.total_seconds(), (cue.end - cue.start).total_seconds()
        lines = cue.content.split("\n")
        problems = []
        rate = len(cue.content) / seconds if seconds > 0 else float("inf")
        if rate > MAX_CPS:
            problems.append(f"{rate:.1f} characters a second (at most {MAX_CPS:g})")
        if len(lines) > MAX_LINES:
            problems.append(f"{len(lines)} lines (at most {MAX_LINES})")
        long = [len(line) for line in lines if len(line) > MAX_LINE]
        if long:
            problems.append(f"a line of {max(long)} characters (at most {MAX_LINE})")
        if problems:
            text = cue.content.replace("\n", " / ")
            found.append(Finding("subtitles", scene, start, "srt", cue.index, "",
                                 f'cue {cue.index} "{text[:60]}"',
                                 "; ".join(problems)))
    return found


# -- sampling a render ------------------------------------------------------------------------------
def _describe(animations: list[Any]) -> str:
    parts = []
    for a in animations[:3]:
        target = type(getattr(a, "mobject", None)).__name__
        parts.append(f"{type(a).__name__}({target})")
    return "(" + ", ".join(parts) + (", ..." if len(animations) > 3 else "") + ")"


def _leaves(animations: Iterable[Any]) -> Iterator[Any]:
    """The animations inside groups (AnimationGroup, LaggedStart, Succession), flattened."""
    for a in animations:
        inner = getattr(a, "animations", None)
        if inner:
            yield from _leaves(inner)
        else:
            yield a


class _Probe:
    """Runs the checks on a scene at the middle and end of each play."""

    def __init__(self, scene: Any, run: CraftRun, checks: Iterable[str]) -> None:
        self.scene, self.run, self.checks = scene, run, [c for c in checks if c in SAMPLE_CHECKS]
        self.plays = 0
        self.play_start = 0.0

    def sample(self, phase: str, time: float | None = None) -> None:
        """Run the checks now; `time` is the scene's time (the clock of a still render lags mid-animation)."""
        from manim import Transform
        scene = self.scene
        animations = list(scene.animations or [])
        moving: set[int] = set()
        if phase == "mid":
            for a in _leaves(animations):
                if isinstance(a, Transform):
                    moving.update(id(m) for m in a.mobject.get_family())
        when = float(scene.time if time is None else time)
        sample = Sample(scene, when, phase, self.plays, _describe(animations), _names(scene),
                        frozenset(moving))
        self.run.samples += 1
        for check in self.checks:
            for key, subject, what in SAMPLE_CHECKS[check](sample):
                self.run.findings.append(Finding(check, self.run.scene, sample.time, phase, self.plays,
                                                 sample.animation, subject, what, (key,)))

    def after_play(self) -> None:
        """A finished Transform leaves its mobject showing the target: it says so too."""
        from manim import Transform
        for a in _leaves(self.scene.animations or []):
            if isinstance(a, Transform) and getattr(a, "target_copy", None) is not None:
                _take_tags(a.mobject, a.target_copy)


TAGS = ("relu_source", "value_source", "value_format", "tex_string", "original_text", "text")
"""What a mobject says it shows. Manim's `become` and `Transform` copy only points and colours."""


def _take_tags(mobject: Any, other: Any) -> None:
    """`mobject` now shows what `other` shows: each family member takes the TAGS of other's (and drops a
    relu_source other's has not: it is no longer that curve)."""
    for member, theirs in zip(mobject.get_family(), other.get_family()):
        mine, given = vars(member), vars(theirs)
        for tag in TAGS:
            if tag in given:
                mine[tag] = given[tag]
            elif tag == "relu_source":
                mine.pop(tag, None)


@contextmanager
def _tags_follow_become() -> Iterator[None]:
    """While rendering, `m.become(other)` (always_redraw's updater) makes m show what other shows: so
    m also takes other's TAGS, as it takes its points and colours."""
    from manim import Mobject
    become = Mobject.become

    def become_with_tags(self: Any, mobject: Any, *args: Any, **kwargs: Any) -> Any:
        result = become(self, mobject, *args, **kwargs)
        _take_tags(self, mobject)
        return result

    Mobject.become = become_with_tags
    try:
        yield
    finally:
        Mobject.become = become


def _install(scene: Any, probe: _Probe, frames: str) -> None:
    """Wrap this scene's play (sample at the end) and play_internal (sample in the middle)."""
    from manim import config
    play, play_internal = scene.play, scene.play_internal
    renderer = scene.renderer

    def sampled_play(*args: Any, **kwargs: Any) -> None:
        probe.play_start = float(scene.time)
        play(*args, **kwargs)
        probe.after_play()
        probe.sample("end")
        probe.plays += 1

    def every_frame(skip_rendering: bool = False) -> None:
        progression = scene._get_animation_time_progression
        half = scene.get_run_time(scene.animations) / 2

        def with_middle(animations: Any, duration: float) -> Iterator[float]:
            times = progression(animations, duration)
            sampled = False

            class Times:  # Manim closes the progression (a tqdm) after the loop
                def __iter__(self) -> Iterator[float]:
                    nonlocal sampled
                    for t in times:
                        if not sampled and t >= half:
                            scene.update_to_time(half)
                            probe.sample("mid", probe.play_start + half)
                            sampled = True
                        yield t

                def close(self) -> None:
                    times.close()
            return Times()

        scene._get_animation_time_progression = with_middle
        try:
            play_internal(skip_rendering)
        finally:
            del scene._get_animation_time_progression

    def one_frame(skip_rendering: bool = False) -> None:
        # Manim's play_internal (0.22) with the frames between the middle and the end left out: the
        # last state is drawn once and held for as many frames as Manim would have drawn.
        scene.duration = scene.get_run_time(scene.animations)
        scene.update_to_time(scene.duration / 2)
        probe.sample("mid", probe.play_start + scene.duration / 2)
        scene.update_to_time(scene.duration)
        for animation in scene.animations:
            animation.finish()
            animation.clean_up_from_scene(scene)
        if not renderer.skip_animations:
            scene.update_mobjects(0)
            frame_count = len(np.arange(0, scene.duration, 1 / config.frame_rate))
            renderer.static_image = None
            if frame_count and not skip_rendering:
                renderer.update_frame(scene)
                renderer.add_frame(renderer.get_frame(), num_frames=frame_count)
        renderer.static_image = None

    scene.play = sampled_play
    scene.play_internal = every_frame if frames == "all" else one_frame


CASES: dict[str, tuple[str, dict[str, Any]]] = {
    **{name: (name, {}) for name in STORY},
    # the tweaks issue 13 names: a steep target on a wide range, a faster target, a huge range
    "ApproximateSquare[exp(x) on 0..10]": ("ApproximateSquare", {"target": "exp(x)", "x_range": (0.0, 10.0)}),
    "ZoomToLine[sin(3x)]": ("ZoomToLine", {"target": "sin(3*x)"}),
    "ReluUnit[-20..20]": ("ReluUnit", {"x_range": (-20.0, 20.0)}),
    "WhatFollows[abs(x) on -2..3]": ("WhatFollows", {"target": "abs(x)", "x_range": (-2.0, 3.0)}),
}
"""What the craft run renders: case -> (story scene, params changed from its defaults)."""


def case_class(case: str) -> type:
    """The scene class of a case: the story scene, or a subclass with the tweaked params."""
    import dataclasses

    from scenes.explainer import scene_class
    name, changes = CASES[case]
    base = scene_class(name)
    if not changes:
        return base
    slug = "".join(c if c.isalnum() else "_" for c in case[len(name):]).strip("_")
    return type(f"{name}_{slug}", (base,), {"params": dataclasses.replace(base.params, **changes),
                                            "__module__": base.__module__})


LOW_QUALITY = {"quality": "low_quality", "frame_rate": 5, "pixel_width": 426, "pixel_height": 240,
               "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}
"""240p at 5 frames a second: text and timing as at any quality, little to draw."""


def craft_render(scene_class: type, media_dir: Path, checks: Iterable[str] = CHECKS, frames: str = "still",
                 **config: Any) -> CraftRun:
    """Render `scene_class` at LOW_QUALITY into `media_dir` and run the craft checks on it.

    `config` overrides Manim settings (a shared `tex_dir` saves typesetting the same formula twice).
    """
    from manim import tempconfig
    if frames not in ("still", "all"):
        raise ValueError(f"frames must be 'still' or 'all', got {frames!r}")
    checks = tuple(checks)
    unknown = set(checks) - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown craft checks {sorted(unknown)}; known: {', '.join(CHECKS)}")
    run = CraftRun(scene_class.__name__)
    with tempconfig({**LOW_QUALITY, "media_dir": str(media_dir), **config}), _tags_follow_become():
        scene = scene_class()
        probe = _Probe(scene, run, checks)
        _install(scene, probe, frames)
        scene.render()
        run.duration = float(scene.time)
        video = Path(scene.renderer.file_writer.movie_file_path)
    run.srt = video.with_suffix(".srt")
    if "subtitles" in checks and run.srt.exists():
        run.findings += subtitle_findings(run.srt, run.scene)
    run.scene_object = scene
    return run


def craft_case(case: str, media_dir: Path, **config: Any) -> CraftRun:
    """craft_render of a case of CASES, with the TeX and Pango caches the golden frames keep across runs."""
    from tests.golden_frames import TEX_CACHE
    options = {"tex_dir": str(TEX_CACHE / "Tex"), "text_dir": str(TEX_CACHE / "texts"), **config}
    run = craft_render(case_class(case), media_dir, **options)
    run.scene = case
    return run


def main(argv: list[str] | None = None) -> int:
    """python -m tests.craft [CASE ...]: render the cases (all by default), print what each check found,
    and the (case, check) pairs that fail, as tests/test_craft.py's KNOWN lists them."""
    import argparse
    import tempfile
    import time

    from scenes import fast_copy, fast_fades
    parser = argparse.ArgumentParser(prog="python -m tests.craft", description=main.__doc__)
    parser.add_argument("cases", nargs="*", metavar="CASE", help=f"of: {', '.join(CASES)}")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}")
    fast_copy.install(), fast_fades.install()  # as the worker does for every render of ours
    failing = []
    for case in args.cases or CASES:
        with tempfile.TemporaryDirectory(prefix="craft_") as tmp:
            start = time.monotonic()
            run = craft_case(case, Path(tmp))
            print(f"## {case}: {run.duration:.1f} s of video, {run.samples} samples, "
                  f"rendered in {time.monotonic() - start:.1f} s")
        for check in CHECKS:
            if run.of(check):
                print(run.report(check, limit=40))
                failing.append(f"    ({case!r}, {check!r}): {run.summary(check)!r},")
        print()
    print("KNOWN = {\n" + "\n".join(failing) + "\n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Typeset each formula and label once, then copy it: `typeset(MathTex, "x^2", color=..., font_size=...)`.

Building a MathTex, Tex or Text runs LaTeX or Pango (their SVGs are cached on disk), parses the SVG into
glyph outlines (svg_outlines keeps those) and sizes and colours the glyphs: 4 to 20 ms for a short
formula, outlines in memory. A copy of one built before takes 1 to 2 ms. So each text is built once, as
a template, and every use is a copy; a scene that rebuilds a label every frame typesets it once.

A formula's colour is applied after its SVG is parsed (Manim colours every glyph TeX left black), and a
Text's glyphs take theirs from the Pango SVG, which differs from another colour's in its fill only; so
one template built in black serves every colour: `recolour` does what Manim's constructor does with
`color=`, and tests/test_typesetting.py checks that the result equals a text built in that colour,
attribute by attribute (a Text's glyphs keep the SVG path they were made from, never drawn).

The templates live in a store, this module's own unless `use_store` hands it another. The preview loop
keeps one that outlives the scenes' modules: between renders it builds the texts the last render
`used` (`prebuild`), and the next render, forked from it, copies them instead of building them. After a
theme tweak every text is still found (the colour is not in its key).

A template's key holds what its build depends on: the kind and its constructor (Manim's `set_default`
replaces it), the strings, the font size and the LaTeX preamble (MathTex, Tex).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Iterable, Sequence

from manim import BLACK, MathTex, Tex, Text, VMobject, config
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

__all__ = ["TYPESET_CACHE_SIZE", "KINDS", "RECOLOURED", "typeset", "template_key", "recolour", "use_store",
           "used", "prebuild"]

TYPESET_CACHE_SIZE = 512
"""How many templates a store keeps (the most recently used)."""
KINDS: dict[str, type] = {"MathTex": MathTex, "Tex": Tex, "Text": Text}
"""The kinds `typeset` builds, by the names `used` reports them under."""
RECOLOURED = (MathTex, Tex, Text)
"""Kinds whose one template, built in black, is recoloured on copy (all of KINDS; another kind is built
per colour)."""
_CONSTRUCTORS = {kind: kind.__init__ for kind in KINDS.values()}  # Manim's own, before any set_default
_PREAMBLE = config.tex_template.body  # the default LaTeX template's, for `used`

_own_store: OrderedDict = OrderedDict()
_store: OrderedDict = _own_store
_used: dict[tuple, None] = {}  # (kind name, parts, colour, font size) typeset since use_store, in order


def template_key(kind: type, parts: Sequence[str], color, font_size: float) -> tuple:
    """The store's key for `kind(*parts, color=color, font_size=font_size)`; a recoloured kind's has no
    colour.

    >>> template_key(MathTex, ("x",), "#FF0000", 30) == template_key(MathTex, ("x",), "#00FF00", 30)
    True
    >>> template_key(Text, ("x",), "#FF0000", 30) == template_key(Text, ("x",), "#00FF00", 30)
    True
    """
    preamble = config.tex_template.body if kind in (MathTex, Tex) else None
    return kind, kind.__init__, tuple(parts), None if kind in RECOLOURED else str(color), font_size, preamble


def _build(kind: type, parts: Sequence[str], color, font_size: float) -> VMobject:
    return kind(*parts, color=BLACK if kind in RECOLOURED else color, font_size=font_size)


def recolour(formula: VMobject, color) -> VMobject:
    """Colour a MathTex, Tex or Text built in black as `color=color` would have: the formula itself, then
    every glyph TeX left black (Manim's SingleStringMathTex.init_colors), or every glyph's fill (a Text's
    SVG fills them, its strokes stay white); returns `formula`.

    >>> from manim import tempconfig
    >>> with tempconfig({"verbosity": "WARNING"}):
    ...     formula = MathTex("x", color=BLACK)
    >>> recolour(formula, "#FF0000")[0][0].get_fill_color().to_hex()
    '#FF0000'
    """
    formula.set_color(color, family=False)
    if isinstance(formula, Text):
        for glyph in formula.get_family()[1:]:
            glyph.set_fill(color, family=False)
        return formula
    for glyph in formula.get_family():
        if isinstance(glyph, VMobjectFromSVGPath) and glyph.color == BLACK:
            glyph.color = formula.color
            glyph.init_colors()
    return formula


def typeset(kind: type, *parts: str, color, font_size: float) -> VMobject:
    """`kind(*parts, color=color, font_size=font_size)` (MathTex, Tex or Text), as a copy of its template.

    >>> a = typeset(Text, "kink", color="#FFFFFF", font_size=40)
    >>> b = typeset(Text, "kink", color="#FFFFFF", font_size=40)
    >>> a is not b and a.get_all_points().tolist() == b.get_all_points().tolist()
    True
    """
    key = template_key(kind, parts, color, font_size)
    template = _store.get(key)
    if template is None:
        template = _store[key] = _build(kind, parts, color, font_size)
        if len(_store) > TYPESET_CACHE_SIZE:
            _store.popitem(last=False)
    else:
        _store.move_to_end(key)
    if kind.__init__ is _CONSTRUCTORS.get(kind) and key[5] in (None, _PREAMBLE):  # one the parent can build
        _used.setdefault((kind.__name__, tuple(parts), key[3], font_size), None)
    copy = template.copy()
    return recolour(copy, color) if kind in RECOLOURED else copy


def use_store(store: OrderedDict | None) -> None:
    """Keep templates in `store` (an OrderedDict that outlives this module), or in this module's own
    (None); `used` counts from here (a render calls this first)."""
    global _store
    _store = _own_store if store is None else store
    _used.clear()


def used() -> list[list]:
    """What was typeset since `use_store` with Manim's own constructors and LaTeX template, as
    [kind name, parts, colour (None for a formula), font size] lists (JSON), for `prebuild`."""
    return [[name, list(parts), color, size] for name, parts, color, size in _used]


def prebuild(texts: Iterable[Sequence], store: OrderedDict) -> int:
    """Make `store` hold templates for `texts` (as `used` gives them), and no others; return how many it
    built. A text that fails to build is left out (the render builds it, and says why)."""
    wanted = {}
    for name, parts, color, size in texts:
        if name in KINDS:
            kind = KINDS[name]
            wanted[template_key(kind, parts, color, size)] = (kind, parts, color, size)
    for key in [key for key in store if key not in wanted]:
        del store[key]
    built = 0
    for key, (kind, parts, color, size) in wanted.items():
        if key not in store:
            try:
                store[key] = _build(kind, parts, color, size)
            except Exception:  # noqa: BLE001 - the render itself reports it
                continue
            built += 1
    return built

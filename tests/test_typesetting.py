"""Formulas and labels copied from templates are the ones Manim builds: points, colours, every attribute."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
from manim import BLACK, MathTex, Tex, Text, config

from scenes import typesetting

FORMULAS = [(MathTex, ("x^2 + 1",)), (MathTex, (r"\Delta", r"\text{slope} = 1.5")), (MathTex, ("a", "+", "b")),
            (Tex, (r"the kink sits at $x = -b/a$",)), (Text, ("kink",)), (Text, ("slope turns\nhere",))]
COLOURS = ["#FF8800", "#1A2B3C", "#FFFFFF", "#000000"]
SKIPPED = {"submobjects", "updaters", "non_time_updaters", "family", "id_to_vgroup_dict", "original_id",
           "sheen_direction"}
"""Not compared: the family is compared member by member, ids differ in every copy. Manim's own formulas
differ in the sheen direction whether built from their SVG or from its copy in memory (never drawn: the
sheen factor is 0)."""
NEVER_DRAWN = {"path_obj", "file_name"}
"""Also not compared for a Text: the Pango SVG each glyph was made from (its file and its parsed path, read
once when the glyph is built), whose fill is the colour."""


def differences(a, b) -> list[str]:
    """Where two mobjects differ: member by member over their families, every attribute but SKIPPED (and
    NEVER_DRAWN, for a Text)."""
    skipped = SKIPPED | (NEVER_DRAWN if isinstance(a, Text) else set())
    family_a, family_b = a.get_family(), b.get_family()
    if len(family_a) != len(family_b):
        return [f"families of {len(family_a)} and {len(family_b)}"]
    found = []
    for i, (x, y) in enumerate(zip(family_a, family_b)):
        if type(x) is not type(y):
            found.append(f"member {i}: {type(x).__name__} against {type(y).__name__}")
            continue
        for name in sorted((set(vars(x)) | set(vars(y))) - skipped):
            u, v = vars(x).get(name, "<none>"), vars(y).get(name, "<none>")
            if isinstance(u, np.ndarray) or isinstance(v, np.ndarray):
                same = np.shape(u) == np.shape(v) and np.array_equal(u, v)
            else:
                same = repr(u) == repr(v)
            if not same:
                found.append(f"member {i} {type(x).__name__}.{name}: {u!r:.50} against {v!r:.50}")
    return found


@pytest.fixture
def store():
    """An empty store of templates for one test, and the module's own afterwards."""
    own = OrderedDict()
    typesetting.use_store(own)
    typesetting._used.clear()
    yield own
    typesetting.use_store(None)


@pytest.mark.parametrize("kind, parts", FORMULAS)
def test_a_black_template_recoloured_is_the_formula_built_in_that_colour(kind, parts):
    template = kind(*parts, color=BLACK, font_size=30)
    for colour in COLOURS:
        built = kind(*parts, color=colour, font_size=30)
        assert differences(built, typesetting.recolour(template.copy(), colour)) == [], colour


def test_the_comparison_sees_a_recolouring_that_colours_the_parts_too():
    """Manim's `set_color` also colours the formula's parts (no points, never drawn): not the same object."""
    built = MathTex("x^2 + 1", color="#FF8800", font_size=30)
    painted = MathTex("x^2 + 1", color=BLACK, font_size=30).set_color("#FF8800")
    assert any("MathTexPart.fill_rgbas" in line for line in differences(built, painted))


def test_one_template_serves_a_formula_or_a_label_in_every_colour(store):
    red = typesetting.typeset(MathTex, "x^2", color="#FF0000", font_size=30)
    blue = typesetting.typeset(MathTex, "x^2", color="#0000FF", font_size=30)
    assert len(store) == 1 and red is not blue
    assert differences(blue, MathTex("x^2", color="#0000FF", font_size=30)) == []
    typesetting.typeset(Text, "kink", color="#FF0000", font_size=30)
    label = typesetting.typeset(Text, "kink", color="#0000FF", font_size=30)
    assert len(store) == 2 and differences(label, Text("kink", color="#0000FF", font_size=30)) == []
    assert typesetting.used() == [["MathTex", ["x^2"], None, 30], ["Text", ["kink"], None, 30]]


def test_a_copy_is_its_own_mobject(store):
    first = typesetting.typeset(MathTex, "x^2", color="#FF0000", font_size=30)
    first.shift([1, 0, 0]).set_color("#00FF00")
    again = typesetting.typeset(MathTex, "x^2", color="#FF0000", font_size=30)
    assert differences(again, MathTex("x^2", color="#FF0000", font_size=30)) == []


def test_prebuilt_templates_are_used_as_built_and_the_others_dropped(store, monkeypatch):
    typesetting.typeset(MathTex, "y = 2x", color="#FF0000", font_size=30)
    typesetting.typeset(Text, "target", color="#00FF00", font_size=26)
    texts = typesetting.used()
    kept = OrderedDict({"stale": object()})
    assert typesetting.prebuild(texts + [["Unknown", ["?"], None, 1]], kept) == 2
    assert "stale" not in kept and len(kept) == 2
    typesetting.use_store(kept)
    monkeypatch.setattr(typesetting, "_build", lambda *args: pytest.fail(f"built again: {args}"))
    formula = typesetting.typeset(MathTex, "y = 2x", color="#0000FF", font_size=30)  # another colour: no build
    assert differences(formula, MathTex("y = 2x", color="#0000FF", font_size=30)) == []
    typesetting.typeset(Text, "target", color="#00FF00", font_size=26)


def test_a_text_that_fails_to_build_is_left_to_the_render(store, monkeypatch):
    def fail(*args):
        raise ValueError("LaTeX error")
    monkeypatch.setattr(typesetting, "_build", fail)
    assert typesetting.prebuild([["MathTex", [r"\oops"], None, 30]], store) == 0 and len(store) == 0


def test_a_changed_constructor_or_preamble_is_another_template(store, monkeypatch):
    """A scene may `MathTex.set_default(...)` or change the LaTeX template: what was built before is not it,
    and the parent, which builds with Manim's own, is not told about it."""
    key = typesetting.template_key(MathTex, ("x",), None, 30)
    monkeypatch.setattr(config.tex_template, "preamble", config.tex_template.preamble + "\n% another")
    assert typesetting.template_key(MathTex, ("x",), None, 30) != key
    typesetting.typeset(MathTex, "x", color="#FF0000", font_size=30)
    assert typesetting.used() == []

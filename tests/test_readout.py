"""Claims about Readout: it shows the number's text glyph by glyph, and holds its place while changing."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenes.readout import GLYPHS, Readout, glyph_shapes


@pytest.fixture(scope="module", autouse=True)
def tex_dir(tmp_path_factory):
    from manim import tempconfig
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        yield


@pytest.mark.parametrize("value, decimals, text", [
    (0.0, 2, "0.00"), (-0.004, 2, "0.00"), (-0.006, 2, "-0.01"), (1.5, 2, "1.50"),
    (-12.345, 1, "-12.3"), (2.0, 0, "2"), (0.06251, 4, "0.0625"),
])
def test_text_is_fixed_decimals_without_a_negative_zero(value, decimals, text):
    assert Readout.text_of(value, decimals) == text
    assert Readout(value, decimals=decimals).text == text


def outline(readout: Readout, i: int) -> np.ndarray:
    return readout.submobjects[i].points


@settings(max_examples=60, deadline=None)
@given(st.floats(-999, 999, allow_nan=False))
def test_each_slot_draws_the_glyph_of_its_character(value):
    readout = Readout(0.0, decimals=2).shift([1.0, -2.0, 0.0])
    readout.set_value(value)
    shapes, _ = glyph_shapes(readout.font_size_value)
    shown = [slot for slot in readout.submobjects if len(slot.points)]
    assert len(shown) == len(readout.text)
    for slot, char in zip(shown, readout.text):
        offset = slot.points - shapes[char]  # the same outline, only moved
        np.testing.assert_allclose(offset, np.broadcast_to(offset[0], offset.shape), atol=1e-9)
    lefts = [slot.get_left()[0] for slot in shown]
    assert lefts == sorted(lefts)  # read left to right


def test_the_left_edge_stays_put_and_digits_sit_in_equal_cells():
    readout = Readout(1.11, decimals=2).move_to([2.0, 1.0, 0.0])
    left = readout.get_left()
    dot_x = readout.submobjects[1].get_center()[0]
    readout.set_value(8.88)
    np.testing.assert_allclose(readout.get_left(), left, atol=1e-9)
    assert readout.submobjects[1].get_center()[0] == pytest.approx(dot_x, abs=0.02)  # "1" and "8" cells match
    readout.set_value(-8.88)  # one more character: the text grows to the right, not the left
    np.testing.assert_allclose(readout.get_left(), left, atol=1e-9)
    assert readout.text == "-8.88" and len(readout.submobjects) == 5


def test_an_unchanged_text_is_not_redrawn():
    readout = Readout(0.5, decimals=2)
    before = [slot.points for slot in readout.submobjects]
    readout.set_value(0.501)
    assert readout.get_value() == 0.501
    assert all(a is b for a, b in zip(before, (slot.points for slot in readout.submobjects)))


def test_new_slots_take_the_current_opacity_and_colour():
    readout = Readout(1.0, decimals=1, color="#FF0000").set_opacity(0.0)
    readout.set_value(-10.0)
    assert all(slot.get_fill_opacity() == 0.0 for slot in readout.submobjects)
    assert all(slot.get_fill_color().to_hex().upper() == "#FF0000" for slot in readout.submobjects)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_a_number_it_cannot_show_is_refused(bad):
    readout = Readout(1.0)
    with pytest.raises(ValueError, match="cannot show"):
        readout.set_value(bad)
    assert readout.text == "1.00"


def test_every_glyph_has_an_outline():
    shapes, widths = glyph_shapes(36)
    assert set(shapes) == set(GLYPHS)
    assert all(len(shapes[g]) and widths[g] > 0 for g in GLYPHS)
    assert len({round(widths[d], 9) for d in "0123456789"}) == 1

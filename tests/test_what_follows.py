"""WhatFollows: every number it shows and says is relu_core's, and its claims follow from theory."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenes.speech import SQUARE, Narration
from scenes.what_follows import (ERROR_PIECES, OUTSIDE, WhatFollowsParams, answer_caption, closing_facts,
                                 depth_caption, outside_caption, rate_caption)


@pytest.mark.parametrize("pieces", [2, 3, 4, 7, 12])
def test_the_worst_error_of_x_squared_is_a_quarter_of_the_squared_spacing(pieces):
    lo, hi = -1.0, 1.0
    facts = closing_facts(WhatFollowsParams(pieces=pieces))
    spacing = (hi - lo) / pieces
    assert facts.worst == pytest.approx(spacing ** 2 / 4, rel=1e-9)
    assert facts.errors == pytest.approx([((hi - lo) / n) ** 2 / 4 for n in ERROR_PIECES], rel=1e-9)


def test_a_smooth_target_loses_three_quarters_of_its_error_per_doubling_and_the_words_say_so():
    facts = closing_facts(WhatFollowsParams(target="exp(x)", x_range=(0.0, 2.0)))
    assert facts.slope == pytest.approx(-2.0, abs=0.1)  # -> -2 as N grows (de Boor)
    assert "about a quarter" in rate_caption(facts).shown and "1/N²" in rate_caption(facts).shown


def test_a_kink_between_knots_falls_slower_and_the_words_do_not_claim_one_over_n_squared():
    facts = closing_facts(WhatFollowsParams(target="abs(x - 0.3)", x_range=(-1.0, 1.0)))
    assert facts.slope > -1.75
    words = rate_caption(facts).shown
    assert "slower than the 1/N²" in words and "as for any smooth curve" not in words


def test_a_straight_target_has_no_error_to_fall():
    facts = closing_facts(WhatFollowsParams(target="2*x + 1"))
    assert facts.worst == 0 and np.isnan(facts.slope)
    assert "stays 0" in rate_caption(facts).shown


@settings(max_examples=30, deadline=None)
@given(lo=st.floats(-5, 4), width=st.floats(0.5, 6), pieces=st.integers(2, 12))
def test_past_the_data_the_sum_is_its_last_piece_carried_on(lo, width, pieces):
    hi = lo + width
    params = WhatFollowsParams(target="sin(3*x) + x**2", x_range=(lo, hi), pieces=pieces)
    facts = closing_facts(params)
    (x0, y0), (x1, y1) = facts.approximation.vertices(lo, hi)[-2:]
    slope = (y1 - y0) / (x1 - x0)
    assert facts.outside_x == pytest.approx(hi + OUTSIDE * width)
    assert facts.outside_sum == pytest.approx(y1 + slope * (facts.outside_x - x1), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("layers", range(1, 7))
def test_depth_doubles_the_pieces_with_each_layer_of_two(layers):
    facts = closing_facts(WhatFollowsParams(layers=layers))
    assert (facts.layer_pieces, facts.layer_units, facts.shallow_units) == (2 ** layers, 2 * layers, 2 ** layers - 1)
    assert f"make {2 ** layers} pieces" in depth_caption(facts, layers).shown


def test_the_captions_name_the_target_only_when_it_is_x_squared():
    facts = closing_facts(WhatFollowsParams(target="sin(x)", x_range=(-3.0, 3.0)))
    shown = answer_caption(facts, Narration("the target")).shown + outside_caption(facts, Narration("the target")).shown
    assert "x²" not in shown
    assert "x squared" in answer_caption(closing_facts(WhatFollowsParams()), SQUARE).voice

"""Claims about the narration's words: numbers said as words, shares named only when near, and every
computed beat speakable clause for clause (so the subtitles can borrow the voice's timing)."""
from __future__ import annotations

import pytest

from narration.align import clause_groups, tokens
from scenes.speech import (Narration, between, fill, fraction_words, nearest_fraction, number, one_in,
                           shrink_words, speakable, spoken_integer, spoken_number)

SYMBOLS = "²₁₂₃±|≤ŷ·[]()=/"


@pytest.mark.parametrize("n, words", [
    (0, "zero"), (13, "thirteen"), (40, "forty"), (99, "ninety-nine"), (105, "one hundred five"),
    (1024, "one thousand twenty-four"), (16384, "sixteen thousand three hundred eighty-four"),
    (-7, "minus seven"), (3_000_000, "three million"),
])
def test_whole_numbers_are_said_in_words(n, words):
    assert spoken_integer(n) == words


@pytest.mark.parametrize("value, digits, words", [
    (0.25, 3, "zero point two five"), (-1.5, 3, "minus one point five"), (2.0, 3, "two"),
    (0.000326, 2, "zero point zero zero zero three three"), (98765.4, 2, "ninety-nine thousand"),
])
def test_numbers_are_said_as_format_number_rounds_them(value, digits, words):
    assert spoken_number(value, digits) == words


def test_the_subtitle_keeps_the_screens_digits_and_the_voice_rounds_to_two():
    gap = number(0.003966545)
    assert gap.shown == "0.00397" and gap.voice == "zero point zero zero four"


@pytest.mark.parametrize("ratio, n", [(0.5, 2), (0.26, 4), (0.2, 5), (0.126, 8), (0.1, 10),
                                      (0.65, None), (0.05, None), (0.0, None), (float("nan"), None)])
def test_a_share_is_named_only_when_it_is_near_a_unit_fraction(ratio, n):
    assert nearest_fraction(ratio) == n


@pytest.mark.parametrize("ratio, words", [(0.25, "about a quarter"), (1 / 8, "about an eighth"),
                                          (0.02, "less than a tenth"), (0.7, "a little less"),
                                          (1.0, "the same"), (2.0, "more")])
def test_shrink_words_never_call_a_growth_a_fall(ratio, words):
    assert shrink_words(ratio) == words


def test_fractions_without_a_word_are_refused():
    with pytest.raises(ValueError, match="no word for the fraction 1/13"):
        fraction_words(13)


def test_the_voice_says_relu_as_one_word_and_the_subtitle_keeps_its_spelling():
    shown, spoken = Narration("The ReLU, g, and 12 ReLUs.")
    assert shown == "The ReLU, g, and 12 ReLUs." and spoken == "The relu, g, and 12 relus."
    assert speakable("Relu ReLUnit") == "Relu ReLUnit"  # whole words only


def test_fill_puts_each_parts_shown_and_spoken_words_in_the_template():
    words = fill("{h} on {where}, at most {e}.", h=Narration("h₂", "h two"), where=between(-2, 2), e=one_in(16))
    assert words.shown == "h₂ on between -2 and 2, at most 1/16."
    assert words.voice == "h two on between minus two and two, at most one part in sixteen."


def _computed_beats() -> list[tuple[str, Narration]]:
    """Every narration the scenes compute from relu_core, at the explainer's defaults."""
    from scenes.approximate_square import ApproximateSquare, get_steps
    from scenes.depth_cascade import compare_caption, stack_caption, subtract_caption
    from scenes.interaction import Interaction
    from scenes.relu_unit import ReluUnitParams, stop_caption
    from scenes.ruler_and_protractor import RulerAndProtractorParams, turn_caption
    from scenes.training_kinks import TrainingKinksParams, run_training, training_caption
    from scenes.speech import SQUARE
    from scenes.two_neuron_regions import TwoNeuronRegionsParams, plane_caption, region_captions
    from scenes.what_follows import (BACK, WhatFollowsParams, answer_caption, closing_facts, depth_caption,
                                     outside_caption, rate_caption)
    from scenes.where_kinks_go import (WhereKinksGoParams, even_caption, get_comparison, opening_caption,
                                       placed_caption, verdict_caption)
    from scenes.zoom_to_line import ZoomToLineParams, doubling_caption, halving_caption, zoom_steps
    from relu_core import parse_function

    beats = []
    unit = ReluUnitParams()
    stops = list(zip(unit.a_values, unit.b_values))
    beats += [("ReluUnit", stop_caption(a, b)) for a, b in zip(stops, stops[1:])]
    square = ApproximateSquare()
    beats += [("ApproximateSquare", square.step_caption(s)) for s in get_steps(square.params)]
    beats += [("ApproximateSquare", square.losses_caption()), ("ApproximateSquare", square.knots_caption())]
    zoom = ZoomToLineParams()
    f = parse_function(zoom.target)
    steps = zoom_steps(f, zoom)
    beats += [("ZoomToLine", halving_caption(before.gap, after.gap, again=i > 0))
              for i, (before, after) in enumerate(zip(steps, steps[1:]))]
    beats.append(("ZoomToLine", doubling_caption(f, zoom)))
    ruler = RulerAndProtractorParams()
    beats += [("RulerAndProtractor", turn_caption(ruler, i)) for i in range(len(ruler.kinks))]
    two = TwoNeuronRegionsParams()
    beats += [("TwoNeuronRegions", words) for words in region_captions(two.net, *two.x_range)]
    interaction = Interaction()
    interaction.setup()
    beats += [("Interaction", interaction.maps_caption()), ("Interaction", interaction.error_caption()),
              ("Interaction", interaction.ridge_caption()), ("Interaction", interaction.saddle_caption())]
    beats.append(("TwoNeuronRegions", plane_caption(two.net.fit_plane(*two.x_range))))
    beats += [("DepthCascade", stack_caption(4)), ("DepthCascade", subtract_caption(3)),
              ("DepthCascade", compare_caption(6))]
    beats.append(("TrainingKinks", training_caption(run_training(TrainingKinksParams()))))
    where = WhereKinksGoParams()
    comparison = get_comparison(where)
    beats += [("WhereKinksGo", words) for words in (opening_caption(where), even_caption(where, comparison),
                                                    placed_caption(comparison), verdict_caption(comparison))]
    closing = WhatFollowsParams()
    facts = closing_facts(closing)
    beats += [("WhatFollows", words) for words in (
        answer_caption(facts, SQUARE), outside_caption(facts, SQUARE), rate_caption(facts),
        depth_caption(facts, closing.layers), BACK)]
    return beats


@pytest.fixture(scope="module")
def computed_beats():
    return _computed_beats()


def test_every_computed_beat_has_as_many_spoken_clauses_as_shown(computed_beats):
    for scene, words in computed_beats:
        shown, spoken = clause_groups(tokens(words.shown)), clause_groups(tokens(words.voice))
        assert len(shown) == len(spoken), (scene, words)


def test_no_computed_beat_asks_the_voice_to_read_a_symbol_or_a_digit(computed_beats):
    for scene, words in computed_beats:
        assert not any(ch in SYMBOLS or ch.isdigit() for ch in words.voice), (scene, words.voice)


def test_every_computed_clause_fits_one_subtitle_cue(computed_beats):
    from narration.cues import split_clauses
    for scene, words in computed_beats:
        assert all(len(clause) <= 80 for clause in split_clauses(words.shown)), (scene, words.shown)

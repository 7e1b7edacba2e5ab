"""Every scene passes the craft checks (tests/craft.py), with its defaults and with the tweaks of CASES.

Each case is rendered once (240p, 5 fps, one drawn frame per animation) and sampled in the middle and
at the end of every animation; each (case, check) pair is a test. The pairs in KNOWN fail today: they
are marked xfail(strict=True) with the defect, so the suite stays green while the scenes are being
fixed, and a fixed scene turns its mark into a failure that says to delete that line of KNOWN.

To see what fails where: `.venv/bin/python -m tests.craft [CASE ...]` prints every finding (scene,
time, animation, mobject, what) and the KNOWN lines for what fails now.
"""
from __future__ import annotations

import pytest

from tests.craft import CASES, CHECKS, CraftRun, craft_case

KNOWN: dict[tuple[str, str], str] = {
    ("ReluUnit", "safe_area"): "x tick -3 at the left edge; '= g(-2x - 2)' and 'off screen' reach the right edge",
    ("ReluUnit", "numbers"): "the a, b and kink Readouts carry no value_source",
    ("ZoomToLine", "safe_area"): "x tick -3 and the target formula at the left edge; the table's last row at "
                                 "the bottom",
    ("ZoomToLine", "numbers"): "the window error Readout carries no value_source",
    ("RulerAndProtractor", "relu"): "Transform of the two lines into their sum (5.4 s) and of each sum into "
                                    "the next (31.4 s on)",
    ("RulerAndProtractor", "safe_area"): "titles at the top edge, x tick -3 at the left, '1.5g(x + 1.5)' and the "
                                         "quotes at the right edge",
    ("TwoNeuronRegions", "safe_area"): "both titles at the top edge; 'folded above the kink lines.' at the right",
    ("Interaction", "safe_area"): "the title at the top edge",
    ("DepthCascade", "relu"): "Transform between T^k graphs and their kink dots (8.4-11.6 s) and in the "
                              "cascade (21.0 s on)",
    ("DepthCascade", "safe_area"): "y ticks 0.5 and 1.0 at the left edge",
    ("TrainingKinks", "safe_area"): "'kinks' at the left edge, loss tick 2,000 at the right",
    ("WhereKinksGo", "relu"): "kink dots fly in off the curve (FadeIn of the dot group, 6.0 and 11.8 s)",
    ("WhereKinksGo", "safe_area"): "formula and headline at the top edge, y ticks at the left and right edges",
    ("WhereKinksGo", "overlap"): "the formula moves through the headline (17.8 s)",
    ("ZoomToLine[sin(3x)]", "safe_area"): "as by default: x tick -3, the formula, the table's last row",
    ("ZoomToLine[sin(3x)]", "numbers"): "the window error Readout carries no value_source",
    ("ReluUnit[-20..20]", "safe_area"): "x tick -20 at the left edge; the formula and 'off screen' at the right",
    ("ReluUnit[-20..20]", "numbers"): "the a, b and kink Readouts carry no value_source",
}
"""(case, check) -> the defect seen (first finding), for the pairs that fail today."""


@pytest.fixture(scope="module")
def craft_runs(tmp_path_factory):
    """craft_runs(case) -> CraftRun, rendered on first use and kept for the module's other checks."""
    from scenes.fast_copy import install as share_glyph_paths
    share_glyph_paths()  # as the worker does for every render of ours
    runs: dict[str, CraftRun] = {}

    def run_of(case: str) -> CraftRun:
        if case not in runs:
            run = craft_case(case, tmp_path_factory.mktemp("craft"))
            run.scene_object = None  # the scene is big; the findings are what the tests read
            runs.clear()  # cases run one after another (parametrize order): keep one in memory
            runs[case] = run
        return runs[case]

    return run_of


def _params():
    for case in CASES:
        for check in CHECKS:
            reason = KNOWN.get((case, check))
            marks = [pytest.mark.xfail(strict=True, reason=f"known defect (once fixed, delete its line in "
                                                         f"KNOWN): {reason}")] if reason else []
            yield pytest.param(case, check, marks=marks, id=f"{case}-{check}")


@pytest.mark.parametrize("case, check", list(_params()))
def test_scene_passes_craft_check(craft_runs, case, check):
    run = craft_runs(case)
    assert run.samples > 0, f"{case}: no animation was sampled"
    assert not run.of(check), run.report(check)


def test_known_failures_name_real_cases_and_checks():
    for case, check in KNOWN:
        assert case in CASES and check in CHECKS, (case, check)


def test_every_story_scene_is_a_case_and_tweaks_change_only_params():
    from scenes.explainer import STORY, scene_class
    from tests.craft import case_class
    assert set(STORY) <= set(CASES)
    tweaked = case_class("ZoomToLine[sin(3x)]")
    assert issubclass(tweaked, scene_class("ZoomToLine")) and tweaked.params.target == "sin(3*x)"
    assert case_class("ZoomToLine") is scene_class("ZoomToLine")


def test_the_command_refuses_an_unknown_case_in_one_line(capsys):
    from tests.craft import main
    with pytest.raises(SystemExit) as exit_info:
        main(["NoSuchScene"])
    assert exit_info.value.code == 2
    assert "unknown case 'NoSuchScene'" in capsys.readouterr().err.splitlines()[-1]

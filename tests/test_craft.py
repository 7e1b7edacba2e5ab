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

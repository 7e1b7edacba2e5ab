"""A render starts the scenes that took longest last time first, and still hands the clips back in
story order."""
from __future__ import annotations

import json

from relu_explainer_cli.paths import cache_root
from relu_explainer_cli.render import SECONDS_FILE, RenderOptions, render_scenes, seconds_taken

FAST, OTHER = "tests.fake_scenes:FakeScene", "tests.fake_scenes:OtherFakeScene"


def started(lines: list[str]) -> list[str]:
    """The scenes in the order their workers started, from the progress lines."""
    return [line.split(":")[0].strip() for line in lines if "rendering at" in line]


def test_the_scene_that_took_longest_starts_first_and_clips_keep_story_order(tmp_path):
    options = RenderOptions(quality="low", jobs=1, cache=False, out_dir=tmp_path)
    lines: list[str] = []
    clips = render_scenes([FAST, OTHER], {}, options, progress=lines.append)
    assert started(lines) == ["FakeScene", "OtherFakeScene"]  # nothing timed yet: story order
    assert set(seconds_taken()) == {"FakeScene", "OtherFakeScene"}

    (cache_root() / SECONDS_FILE).write_text(json.dumps({"FakeScene": 1.0, "OtherFakeScene": 9.0}))
    lines.clear()
    clips = render_scenes([FAST, OTHER], {}, options, progress=lines.append)
    assert started(lines) == ["OtherFakeScene", "FakeScene"]
    assert [clip.scene for clip in clips] == ["FakeScene", "OtherFakeScene"]


def test_a_broken_record_of_times_is_ignored(tmp_path):
    cache_root().mkdir(parents=True, exist_ok=True)
    (cache_root() / SECONDS_FILE).write_text("{not json")
    assert seconds_taken() == {}
    render_scenes([FAST], {}, RenderOptions(quality="low", jobs=1, cache=False, out_dir=tmp_path),
                  progress=lambda line: None)
    assert set(seconds_taken()) == {"FakeScene"}

"""Golden-frame tests: each scene's middle and last frame at 426x240 match tests/golden/*.png.

After a deliberate visual change: `python -m tests.golden_frames --regenerate SCENE` (or `make golden`),
look at the new PNGs, and commit them. A failure writes tests/_failures/<Scene>_<which>_diff.png.
"""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from scenes.explainer import STORY, scene_class
from tests import golden_frames as gf


@pytest.mark.parametrize("name", STORY)
def test_key_frames_match_golden(name):
    problems = gf.check_scene(scene_class(name), name)
    assert not problems, "\n".join(problems)


def test_a_changed_scene_fails_and_writes_a_diff_image(tmp_path, monkeypatch):
    """A copy of WhereKinksGo with one ReLU term fewer must not pass as the real one."""
    from scenes.where_kinks_go import WhereKinksGo, WhereKinksGoParams

    class WhereKinksGoBroken(WhereKinksGo):
        params = WhereKinksGoParams(pieces=WhereKinksGo.params.pieces - 1)

    monkeypatch.setattr(gf, "FAILURE_DIR", tmp_path)
    problems = gf.check_scene(WhereKinksGoBroken, "WhereKinksGo")
    assert problems, "a scene with a different number of terms matched the golden frames"
    assert any("last frame differs" in p for p in problems)
    for p in problems:
        diff = tmp_path / p.rsplit(": ", 1)[1].rsplit("/", 1)[1]
        assert diff.exists() and str(diff) in p
        image = np.asarray(Image.open(diff))
        assert image.shape[1] == 3 * 426 + 8 and image[:, -426:].any()   # golden | new | difference


def test_compare_tolerates_noise_but_not_a_change():
    rng = np.random.default_rng(0)
    golden = rng.integers(0, 256, (240, 426, 3), dtype=np.uint8)
    noisy = np.clip(golden.astype(int) + rng.integers(-1, 2, golden.shape), 0, 255).astype(np.uint8)
    assert gf.compare(golden, noisy).ok
    changed = golden.copy()
    changed[100:140, 200:260] = 255 - changed[100:140, 200:260]     # a 40x60 patch, 2.3 % of pixels
    assert not gf.compare(golden, changed).ok
    assert not gf.compare(golden, golden[:-1]).ok

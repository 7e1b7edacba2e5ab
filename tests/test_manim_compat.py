"""Our speed-ups patch Manim's internals only on a Manim version they were tested with."""
from __future__ import annotations

import logging

import pytest

from relu_explainer_cli import fast_encoder
from scenes import fast_copy, fast_fades, manim_compat
from tests.test_fast_copy import unpatch_glyph_copies


@pytest.mark.parametrize("version, tested", [
    ("0.22.0", True), ("0.22.9", True), ("0.22.0rc1", True),
    ("0.21.2", False), ("0.23.0", False), ("0.23.0rc1", False), ("1.0", False), ("", False),
])
def test_only_the_tested_range_counts_as_tested(version, tested):
    assert manim_compat.is_tested(version) is tested


def test_on_an_untested_manim_both_refuse_with_one_warning_and_leave_manim_alone(monkeypatch, caplog):
    import manim
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    monkeypatch.setattr(manim, "__version__", "0.23.0")
    monkeypatch.setattr(manim_compat, "_warned", False)
    unpatch_glyph_copies(monkeypatch)
    manims_write_frame = object()
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", manims_write_frame)
    from manim.animation.fading import _Fade
    for name in ("begin", "interpolate_mobject", "get_all_mobjects"):  # as Manim has them: inherited
        if name in _Fade.__dict__:  # another test installed fast_fades
            monkeypatch.delattr(_Fade, name)

    with caplog.at_level(logging.WARNING):
        installed = [fast_encoder.install(), fast_copy.install(), fast_encoder.install(), fast_copy.install(),
                     fast_fades.install()]

    assert installed == [False] * 5
    assert "__deepcopy__" not in VMobjectFromSVGPath.__dict__ and "begin" not in _Fade.__dict__
    assert VideoSegmentEncoder.write_frame is manims_write_frame
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "\n" not in message and "manim 0.23.0" in message and ">=0.22.0, <0.23.0" in message


def test_on_the_tested_manim_both_install(monkeypatch):
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    unpatch_glyph_copies(monkeypatch)
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", VideoSegmentEncoder.write_frame)
    assert fast_copy.install() and fast_encoder.install()
    assert VideoSegmentEncoder.write_frame is fast_encoder.write_frame

"""`slides --to pptx`: read back with python-pptx as PowerPoint would open it: a title slide, then a slide
per beat with its clip as a video/mp4 movie, a poster frame and the beat's narration as speaker notes."""
from __future__ import annotations

import doctest
import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from relu_explainer_cli import pptx_deck
from relu_explainer_cli.pptx_deck import poster_frame, write_pptx
from relu_explainer_cli.render import Clip
from relu_explainer_cli.slides import clip_slides
from tests.tone_scenes import render_beats

VIDEO_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/video"


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Clip:
    """BeatTones (three beats) at 256x144, 10 fps, one clip per section."""
    from tests.tone_scenes import BeatTones
    return render_beats(BeatTones, tmp_path_factory.mktemp("pptx_media"))


def movies(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]


def video_part(slide):
    [rel] = [rel for rel in slide.part.rels.values() if rel.reltype == VIDEO_REL]
    return rel.target_part


def test_module_doctests_pass():
    assert doctest.testmod(pptx_deck).failed == 0


def test_one_slide_per_beat_with_its_clip_its_poster_and_its_narration_as_notes(clip, tmp_path):
    beats = clip_slides(clip)
    path = write_pptx([clip], tmp_path / "talk.pptx", "Bends", theme_name="dark")
    deck = Presentation(str(path))
    title, *rest = deck.slides
    assert len(rest) == len(beats) == 3
    assert "Bends" in [shape.text_frame.text for shape in title.shapes if shape.has_text_frame]
    assert not movies(title) and deck.core_properties.title == "Bends"
    for slide, beat in zip(rest, beats):
        [movie] = movies(slide)
        part = video_part(slide)
        assert part.content_type == "video/mp4" and part.blob == beat.video.read_bytes()
        poster = movie.poster_frame
        assert poster.content_type == "image/png" and Image.open(io.BytesIO(poster.blob)).size == (256, 144)
        assert slide.notes_slide.notes_text_frame.text == beat.narration != ""
        assert movie.width / movie.height == pytest.approx(256 / 144, rel=1e-3)
    assert [s.notes_slide.notes_text_frame.text for s in rest] == ["a square", "a dot", "a circle"]


def test_the_poster_is_the_clips_last_frame(clip, tmp_path):
    """BeatTones's last beat fades a circle in: its poster is its last frame, not its first."""
    import av
    import numpy as np
    last = clip_slides(clip)[-1].video
    assert poster_frame(last, tmp_path / "p.png") == (256, 144)
    with av.open(str(last)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    poster = np.asarray(Image.open(tmp_path / "p.png").convert("RGB"))
    assert np.array_equal(poster, frames[-1]) and not np.array_equal(poster, frames[0])


def test_a_deck_of_no_beats_is_refused_and_writes_nothing(tmp_path):
    empty = tmp_path / "Empty.json"
    empty.write_text(json.dumps([]))
    with pytest.raises(ValueError, match="no beats"):
        write_pptx([Clip("Empty", tmp_path / "e.mp4", None, 0.0, empty)], tmp_path / "talk.pptx", "T")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Empty.json"]


def test_a_failed_write_keeps_the_previous_pptx(clip, tmp_path, monkeypatch):
    path = write_pptx([clip], tmp_path / "talk.pptx", "Good")
    before = path.read_bytes()

    def disk_full(self, file):
        Path(file).write_bytes(b"half a deck")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pptx.presentation.Presentation.save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_pptx([clip], path, "Bad")
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["talk.pptx"]


def test_a_pptx_we_did_not_write_is_never_replaced(clip, tmp_path):
    theirs = tmp_path / "talk.pptx"
    Presentation().save(str(theirs))
    before = theirs.read_bytes()
    with pytest.raises(FileExistsError, match="not written by relu-explainer"):
        write_pptx([clip], theirs, "Mine")
    assert theirs.read_bytes() == before


# --- the command ----------------------------------------------------------------------------------

def run(capsys, *argv: str) -> tuple[int, str, str]:
    from relu_explainer_cli.main import main
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_writes_slides_pptx(tmp_path, capsys):
    deck = tmp_path / "deck"
    code, out, err = run(capsys, "slides", "tests.tone_scenes:BeatTones", "--quality", "low", "--out", str(deck),
                         "--no-cache", "-j", "1", "--voice", "none", "--to", "pptx")
    assert code == 0, err
    assert out.strip() == str(deck / "slides.pptx") and sorted(p.name for p in deck.iterdir()) == ["slides.pptx"]
    shown = Presentation(str(deck / "slides.pptx"))
    assert len(shown.slides) == 4 and all(len(movies(s)) == 1 for s in list(shown.slides)[1:])


def test_an_unknown_format_is_one_line_and_exit_2(tmp_path, capsys):
    code, out, err = run(capsys, "slides", "tests.tone_scenes:BeatTones", "--out", str(tmp_path / "d"),
                         "--to", "keynote")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "invalid choice: 'keynote'" in err
    assert not (tmp_path / "d").exists()


def test_a_read_only_folder_is_one_line_before_any_render(tmp_path, capsys, monkeypatch):
    tmp_path.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: the folder answers as a read-only one would
        access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != tmp_path and access(path, mode))
    try:
        code, out, err = run(capsys, "slides", "tests.tone_scenes:BeatTones", "--out", str(tmp_path),
                             "--to", "pptx", "--voice", "none")
    finally:
        tmp_path.chmod(0o755)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "not writable" in err
    assert list(tmp_path.iterdir()) == []


def test_a_deck_that_cannot_be_written_is_one_line_and_keeps_the_previous_one(clip, tmp_path, capsys,
                                                                             monkeypatch):
    deck = tmp_path / "deck"
    argv = ["slides", "tests.tone_scenes:BeatTones", "--quality", "low", "--out", str(deck), "--no-cache",
            "-j", "1", "--voice", "none", "--to", "pptx"]
    write_pptx([clip], deck / "slides.pptx", "the previous deck")
    before = (deck / "slides.pptx").read_bytes()

    def disk_full(self, file):
        Path(file).write_bytes(b"half a deck")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pptx.presentation.Presentation.save", disk_full)
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and err.strip().splitlines()[-1] == (
        f"relu-explainer: cannot write the deck {deck / 'slides.pptx'}: No space left on device")
    assert (deck / "slides.pptx").read_bytes() == before and sorted(p.name for p in deck.iterdir()) == ["slides.pptx"]


def test_a_pptx_of_no_beats_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch):
    """A render that gave no beat at all (an empty section index): the command says so and writes nothing."""
    empty = tmp_path / "Empty.json"
    empty.write_text("[]")
    monkeypatch.setattr("relu_explainer_cli.render.render_scenes",
                        lambda *args, **kwargs: [Clip("BeatTones", tmp_path / "e.mp4", None, 0.0, empty)])
    deck = tmp_path / "deck"
    code, out, err = run(capsys, "slides", "tests.tone_scenes:BeatTones", "--out", str(deck), "--to", "pptx",
                         "--voice", "none")
    assert code == 1 and out == "" and err.strip().splitlines() == [
        f"relu-explainer: cannot write the deck {deck / 'slides.pptx'}: no beats to make slides of"]
    assert not (deck / "slides.pptx").exists()


def test_the_command_refuses_a_pptx_it_did_not_write_before_rendering(tmp_path, capsys):
    theirs = tmp_path / "slides.pptx"
    Presentation().save(str(theirs))
    code, out, err = run(capsys, "slides", "tests.tone_scenes:BeatTones", "--out", str(tmp_path), "--to", "pptx",
                         "--voice", "none")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "was not written by relu-explainer" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slides.pptx"]

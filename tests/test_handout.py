"""The PDF handout: a page per two beats (key frame, formula, narration), a numbers page per scene, pages
labelled with the scene titles, and every refusal before anything is written."""
from __future__ import annotations

import doctest
import io
import os
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2
import pytest
from PIL import Image

from relu_core import format_number, max_error, parse_function, square_approximation
from relu_explainer_cli import handout, handout_beats, handout_numbers, handout_pdf
from relu_explainer_cli.handout_beats import Beat, ScenePages
from relu_explainer_cli.handout_numbers import Table, numbers_tables
from relu_explainer_cli.handout_pdf import write_handout
from relu_explainer_cli.main import main
from relu_explainer_cli.slides import render_dir
from scenes.approximate_square import ApproximateSquareParams

ROOT = Path(__file__).resolve().parent.parent
FAKE, OTHER, BROKEN = (f"tests.fake_scenes:{name}" for name in ("FakeScene", "OtherFakeScene", "BrokenScene"))


def fake_table(params) -> Table:
    """A numbers table for FakeScene, from relu_core with the scene's params (as the real ones are)."""
    lo, hi = params.x_range
    f = parse_function(params.target)
    return Table(f"target {params.target}", ("k", "max error"),
                 tuple((str(k), format_number(max_error(f, square_approximation(k), lo, hi)))
                       for k in range(1, params.steps + 1)))


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def ink(pdf: Path, page: int, box: tuple[float, float, float, float] = (0, 0, 1, 1)) -> float:
    """The share of dark pixels (not paper, not the frames' grey border) of a page drawn by pdfium,
    within `box` (left, top, right, bottom as fractions of the page)."""
    image = pypdfium2.PdfDocument(str(pdf))[page].render(scale=1).to_pil().convert("L")
    w, h = image.size
    crop = np.asarray(image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h))))
    return float(np.mean(crop < 128))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """FakeScene (2 beats, a numbers table) and OtherFakeScene (1 beat) as a handout, at 480p5."""
    tmp = tmp_path_factory.mktemp("handout")
    target = tmp / "out" / "week1.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("RELU_EXPLAINER_CACHE", str(tmp / "cache"))
        patch.setitem(handout_numbers.TABLES, "FakeScene", fake_table)
        code = main(["handout", FAKE, OTHER, "--quality", "low", "--fps", "5", "--target", "abs(x)",
                     "--steps", "2", "--out", str(target), "--title", "Week 1: ReLU"])
        stage = render_dir(target)
    return code, target, stage


def test_module_doctests_pass():
    for module in (handout, handout_beats, handout_numbers, handout_pdf):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_handout_has_a_page_per_scene_and_one_for_the_numbers(built):
    code, target, _ = built
    assert code == 0
    texts = page_texts(target)
    assert len(texts) == 3  # FakeScene's 2 beats on one page, its numbers, OtherFakeScene's beat
    assert "1. FakeScene" in texts[0] and "FakeScene: the numbers on screen" in texts[1]
    assert "2. OtherFakeScene" in texts[2]
    assert all("Week 1: ReLU" in text for text in texts)


def test_each_beat_has_its_narration_under_its_key_frame(built):
    _, target, _ = built
    texts = page_texts(target)
    assert "target abs(x) with 2 steps" in texts[0] and "a dot" in texts[0]  # the tweaks reached the scene
    assert "Beat 2 of 2" in texts[0] and "just a dot" in texts[2]
    assert len(pypdf.PdfReader(target).pages[0].images) == 2  # one key frame per beat


def test_pages_are_labelled_and_footed_with_their_scene_titles(built):
    _, target, _ = built
    reader = pypdf.PdfReader(target)
    assert reader.page_labels == ["FakeScene · 1", "FakeScene · 2", "OtherFakeScene · 3"]
    texts = page_texts(target)
    assert "FakeScene · 2 / 3" in texts[1] and "OtherFakeScene · 3 / 3" in texts[2]
    assert [item.title for item in reader.outline] == ["FakeScene", "OtherFakeScene"]


def test_numbers_page_holds_relu_core_values_for_the_scenes_params(built):
    _, target, _ = built
    numbers = page_texts(target)[1]
    f = parse_function("abs(x)")
    for k in (1, 2):  # FakeScene's x_range (-2, 2), --steps 2, --target abs(x)
        assert format_number(max_error(f, square_approximation(k), -2.0, 2.0)) in numbers
    assert "target abs(x)" in numbers


def test_key_frames_are_drawn(built):
    _, target, _ = built
    assert ink(target, 0, (0.25, 0.22, 0.75, 0.28)) > 0.01  # the scene's text, in the first key frame
    assert ink(target, 1, (0, 0.5, 1, 0.9)) == 0  # the numbers page's lower half is empty paper


def test_nothing_but_the_pdf_is_left(built):
    _, target, stage = built
    assert sorted(p.name for p in target.parent.iterdir()) == ["week1.pdf"]
    assert not stage.exists()  # the beats' clips were rendered in the user cache, then removed


# --- the PDF itself, without rendering ------------------------------------------------------------

def frame_png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_approximate_square_numbers_are_the_seeds(tmp_path):
    [table] = numbers_tables("ApproximateSquare", ApproximateSquareParams())
    # h_k equals x² at the integers of [-k, k], off by 1/4 between; on [-3, 3] by 6, 2, then 1/4
    assert [row[1:4] for row in table.rows] == [("[-1, 1]", "0.25", "6"), ("[-2, 2]", "0.25", "2"),
                                                ("[-3, 3]", "0.25", "0.25")]
    scene = ScenePages("ApproximateSquare", "x² from ReLUs",
                       (Beat(frame_png((200, 30, 30)), "ŷ is ½(y − ŷ)² away; Δslope = +2"),), (table,))
    pdf = write_handout([scene], tmp_path / "h.pdf", "Handout")
    texts = page_texts(pdf)
    assert "ŷ is ½(y − ŷ)² away; Δslope = +2" in texts[0]  # a Unicode font: nothing lost
    for row in table.rows:
        assert " ".join(row) in texts[1].replace("\n", " ").replace("\xa0", " ")


def test_other_targets_use_the_scenes_own_steps():
    params = ApproximateSquareParams(target="sin(x)", steps=2)
    from scenes.approximate_square import get_steps
    f, [table] = parse_function("sin(x)"), numbers_tables("ApproximateSquare", params)
    for step, row in zip(get_steps(params), table.rows, strict=True):
        assert row[3] == format_number(max_error(f, step.sum, -3, 3, knots=step.sum.breakpoints()))


def test_a_beat_shows_its_formula_under_its_frame(tmp_path):
    beats = (Beat(frame_png((255, 255, 255)), "one", r"h_{1}(x) = g(x) + g(-x)"),
             Beat(frame_png((255, 255, 255)), "two"))
    pdf = write_handout([ScenePages("S", "S", beats)], tmp_path / "h.pdf", "Handout")
    # the first beat's formula sits under its (white) frame; the second beat has none
    top_formula, bottom_formula = (ink(pdf, 0, (0.3, y, 0.7, y + 0.04)) for y in (0.43, 0.81))
    assert top_formula > 0.01 and bottom_formula == 0


def test_formulas_that_do_not_match_the_beats_are_left_out(monkeypatch, tmp_path):
    from relu_explainer_cli.render import Clip
    monkeypatch.setitem(handout_numbers.FORMULAS, "S", lambda params: ["x", "y"])  # two, for one beat
    monkeypatch.setattr(handout_beats, "clip_slides",
                        lambda clip: [type("Slide", (), {"video": None, "caption": "only\nbeat"})()])
    monkeypatch.setattr(handout_beats, "last_frame", lambda video: b"png")
    pages = handout_beats.scene_pages(Clip("S", Path("S.mp4"), None, 1.0), params=None)
    assert pages.beats == (Beat(b"png", "only beat", None),)


def test_no_beats_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no beats"):
        write_handout([ScenePages("S", "S", ())], tmp_path / "h.pdf", "Handout")
    assert not list(tmp_path.iterdir())


# --- refusals: one line, an exit code, nothing written ---------------------------------------------

@pytest.fixture
def in_project(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    return tmp_path


@pytest.mark.parametrize("args, code, message", [
    (["NoSuchScene"], 2, "unknown scene 'NoSuchScene'"),
    (["--out", "{file}/h.pdf"], 2, "is a file"),
    (["--out", "{folder}.pdf"], 2, "is a folder: name the PDF"),
    (["--target", "sin(x"], 2, "--target"),
])
def test_bad_input_is_one_line_and_writes_nothing(args, code, message, in_project, capsys):
    (in_project / "file").write_text("not a folder")
    (in_project / "folder.pdf").mkdir()
    before = sorted(p.name for p in in_project.iterdir())
    argv = [a.format(file=in_project / "file", folder=in_project / "folder") for a in args]
    if "--out" not in argv:
        argv += ["--out", str(in_project / "h.pdf")]
    assert main(["handout", FAKE if argv[0].startswith("-") else argv.pop(0), *argv, "--quality", "low"]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("relu-explainer") and message in err[0]
    assert sorted(p.name for p in in_project.iterdir()) == before


def test_a_failed_render_leaves_the_old_handout_whole(in_project, capsys):
    old = in_project / "h.pdf"
    old.write_bytes(b"%PDF-1.4 the lecture's good handout")
    assert main(["handout", BROKEN, "--quality", "low", "--fps", "5", "--out", str(old)]) == 1
    assert "BrokenScene failed to render" in capsys.readouterr().err
    assert old.read_bytes() == b"%PDF-1.4 the lecture's good handout"
    assert sorted(p.name for p in in_project.iterdir()) == ["h.pdf"]


def test_dry_run_names_the_pdf_and_writes_nothing(in_project, capsys):
    assert main(["handout", FAKE, "--dry-run", "--out", str(in_project / "a" / "h.pdf")]) == 0
    assert f"write the handout {in_project / 'a' / 'h.pdf'}" in capsys.readouterr().out
    assert not list(in_project.iterdir())


def test_help_names_the_pdf_default(capsys):
    assert main(["handout", "--help"]) == 0
    assert "media/handout.pdf" in capsys.readouterr().out


def test_a_write_cut_short_leaves_the_old_handout_whole(tmp_path, monkeypatch):
    old = tmp_path / "h.pdf"
    old.write_bytes(b"%PDF-1.4 the lecture's good handout")
    real_fdopen = os.fdopen

    class FullDisk(io.RawIOBase):
        def __init__(self, fd, mode):
            self.file = real_fdopen(fd, mode)

        def write(self, data):
            self.file.write(data[:100])  # half a file, then the disk is full
            raise OSError(28, "No space left on device")

        def close(self):
            self.file.close()
            super().close()

    monkeypatch.setattr(os, "fdopen", FullDisk)  # the one atomic writer, render.atomic_write
    scene = ScenePages("S", "S", (Beat(frame_png((0, 0, 0)), "one"),))
    with pytest.raises(OSError, match="No space"):
        write_handout([scene], old, "Handout")
    assert old.read_bytes() == b"%PDF-1.4 the lecture's good handout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.pdf"]


@pytest.mark.parametrize("scene", sorted(handout_numbers.TABLES))
def test_every_scene_with_numbers_has_a_table_for_its_defaults(scene):
    from scenes.explainer import scene_class
    tables = numbers_tables(scene, scene_class(scene).params)
    assert tables and all(t.rows and all(len(row) == len(t.columns) for row in t.rows) for t in tables)


def test_tables_hold_the_scenes_relu_core_numbers():
    from relu_core import compare_knots
    from scenes.explainer import scene_class
    numbers = {name: numbers_tables(name, scene_class(name).params)
               for name in ("ReluUnit", "RulerAndProtractor", "DepthCascade", "WhereKinksGo")}
    assert [row[3] for row in numbers["ReluUnit"][0].rows] == ["0.00", "0.00", "1.00", "-1.00"]  # x = -b/a
    assert [row[2] for row in numbers["RulerAndProtractor"][0].rows] == ["0.5", "2", "-0.5", "1.5"]
    stack, units = numbers["DepthCascade"]
    assert [row[1:] for row in stack.rows] == [("2", "2", "1"), ("4", "4", "3"), ("6", "8", "7"), ("8", "16", "15")]
    assert [row[1:] for row in units.rows][:3] == [("1", "2"), ("3", "5"), ("7", "8")]  # units_rows' seeds
    exp = compare_knots(np.exp, 5, 0.0, 4.0)
    assert [row[2] for row in numbers["WhereKinksGo"][0].rows] == [f"{exp['uniform_error']:.3g}",
                                                                  f"{exp['optimal_error']:.3g}"]

"""Lay out the handout as a PDF (fpdf2): per scene its beats (key frame, formula, narration), then a
page of its numbers; every page labelled and footed with its scene's title and number.

Text is set in DejaVu Sans (a Unicode TTF, so ŷ, ½ and Δ print); formulas are typeset by LaTeX, as
in the videos, and placed as vector SVG. The file is written beside its target and renamed over it.

>>> find_font() is not None  # fonts-dejavu-core
True
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from .errors import RenderError
from .handout_beats import ScenePages
from .handout_numbers import Table

__all__ = ["find_font", "check_font", "write_handout", "page_label", "FONT_PACKAGE", "PAGE_FORMAT"]

FONT_PACKAGE = "fonts-dejavu-core"
FONT_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                   "/usr/local/share/fonts/DejaVuSans.ttf",
                   "/Library/Fonts/DejaVuSans.ttf")
PAGE_FORMAT = "A4"
MARGIN = 15.0  # mm
FRAME_WIDTH = 150.0  # mm: two beats fit on an A4 page
FORMULA_SCALE = 0.42  # mm per pt of the LaTeX SVG: 10 pt LaTeX prints at about 12 pt
MUTED = (110, 110, 110)
TEXT = (20, 20, 20)
FRAME_BORDER = (190, 190, 190)


def find_font() -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans TTF files on this machine; None if there are none.

    Bold falls back to the regular face when only that is installed."""
    regular = next((Path(p) for p in FONT_CANDIDATES if Path(p).is_file()), None)
    if regular is None and shutil.which("fc-match"):
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans:style=Book"],
                                   capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found.endswith(".ttf") and "DejaVuSans" in found and Path(found).is_file():
            regular = Path(found)
    if regular is None:
        return None
    bold = regular.with_name("DejaVuSans-Bold.ttf")
    return regular, bold if bold.is_file() else regular


def check_font() -> tuple[Path, Path]:
    """find_font(), or a RenderError that says what to install."""
    font = find_font()
    if font is None:
        raise RenderError(f"no Unicode font for the handout: install the Debian package {FONT_PACKAGE} "
                          "(`make setup` does)")
    return font


def page_label(title: str) -> str:
    """The prefix of a scene's page labels (a PDF viewer shows 'x² from ReLUs · 3').

    >>> page_label("x² from ReLUs") + "3"
    'x² from ReLUs · 3'
    """
    return f"{title} · "


def _svg_size(svg: Path) -> tuple[float, float]:
    """(width, height) in pt of a dvisvgm SVG."""
    head = svg.read_text(encoding="utf-8", errors="replace")[:2000]
    sizes = [re.search(rf"{key}=['\"]([\d.]+)pt['\"]", head) for key in ("width", "height")]
    if not all(sizes):
        raise ValueError(f"{svg}: no size in pt")
    return float(sizes[0].group(1)), float(sizes[1].group(1))


class _Typesetter:
    """LaTeX formulas to SVG files, as MathTex typesets them, in a TeX folder of this run's own
    seeded from (and added to) the shared cache of typeset formulas (worker.seed_tex_dir)."""

    def __init__(self, work: Path, progress: Callable[[str], None]) -> None:
        from .paths import tex_cache
        from .worker import seed_tex_dir
        self.media = work / "media"
        self.shared = tex_cache()
        self.known = seed_tex_dir(self.shared, self.media / "Tex")
        self.progress = progress

    def svg(self, latex: str) -> Path | None:
        """The formula's SVG; None (and a line of progress) when LaTeX cannot typeset it."""
        from manim import config, tempconfig
        from manim.utils.tex_file_writing import tex_to_svg_file
        with tempconfig({"media_dir": str(self.media), "verbosity": "ERROR"}):
            try:
                return Path(tex_to_svg_file(latex, environment="align*", tex_template=config.tex_template))
            except (ValueError, OSError) as error:
                self.progress(f"      handout: formula left out, LaTeX failed on {latex!r}: {error}")
                return None

    def publish(self) -> None:
        from .worker import publish_tex
        publish_tex(self.media / "Tex", self.shared, self.known)


def _pdf_class():
    from fpdf import FPDF

    class HandoutPDF(FPDF):
        """FPDF with a footer naming the current scene and the page number."""

        scene_title = ""
        doc_title = ""

        def header(self) -> None:
            self.set_font("body", size=8)
            self.set_text_color(*MUTED)
            self.cell(0, 5, self.doc_title, align="L")
            self.set_xy(self.l_margin, self.t_margin + 7)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("body", size=9)
            self.set_text_color(*MUTED)
            self.cell(0, 6, f"{page_label(self.scene_title)}{self.page_no()} / {{nb}}", align="C")

    return HandoutPDF


def _new_pdf(title: str, font: tuple[Path, Path]):
    pdf = _pdf_class()(orientation="P", unit="mm", format=PAGE_FORMAT)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN + 3)
    pdf.add_font("body", "", str(font[0]))
    pdf.add_font("body", "B", str(font[1]))
    pdf.set_title(title)
    pdf.set_creator("relu-explainer handout")
    pdf.doc_title = title
    return pdf


def _scene_page(pdf, number: int, scene: ScenePages, subtitle: str) -> None:
    """A new page for `scene`, labelled with its title."""
    pdf.add_page()  # draws the previous page's footer: only then the new title
    pdf.scene_title = scene.title
    pdf.set_page_label(label_style="D", label_prefix=page_label(scene.title), label_start=pdf.page_no())
    pdf.set_font("body", "B", 16)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(0, 8, f"{number}. {scene.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _text_height(pdf, text: str, size: float, line: float) -> float:
    pdf.set_font("body", size=size)
    return len(pdf.multi_cell(0, line, text, dry_run=True, output="LINES")) * line


def _beat(pdf, scene: ScenePages, index: int, svg: Path | None) -> None:
    beat = scene.beats[index]
    frame_h = FRAME_WIDTH * 9 / 16
    formula = None
    if svg is not None:
        w, h = _svg_size(svg)
        scale = min(FORMULA_SCALE, (pdf.epw - 4) / w)
        formula = (svg, w * scale, h * scale)
    needed = 6 + frame_h + 2 + (formula[2] + 3 if formula else 0) + _text_height(pdf, beat.narration, 11, 5.5) + 6
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("body", "B", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, f"Beat {index + 1} of {len(scene.beats)}", new_x="LMARGIN", new_y="NEXT")
    x, y = (pdf.w - FRAME_WIDTH) / 2, pdf.get_y()
    pdf.image(io.BytesIO(beat.frame), x=x, w=FRAME_WIDTH, h=frame_h,
              alt_text=f"{scene.title}, beat {index + 1}: the last frame")
    pdf.set_draw_color(*FRAME_BORDER)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, FRAME_WIDTH, frame_h)
    pdf.ln(2)
    if formula:
        pdf.image(str(formula[0]), x=(pdf.w - formula[1]) / 2, w=formula[1], h=formula[2])
        pdf.ln(3)
    pdf.set_font("body", size=11)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(0, 5.5, beat.narration, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)


def _numbers(pdf, scene: ScenePages) -> None:
    pdf.add_page()
    pdf.set_font("body", "B", 14)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(0, 7, f"{scene.title}: the numbers on screen", new_x="LMARGIN", new_y="NEXT")
    for table in scene.tables:
        _table(pdf, table)


def _keep_intervals(text: str) -> str:
    """A no-break space inside '[lo, hi]', so a narrow column never splits an interval.

    >>> _keep_intervals("max error on [-3, 3]")
    'max error on [-3,\xa03]'
    """
    return re.sub(r"\[([^\],]*), ([^\]]*)\]", "[\\1,\u00a0\\2]", text)


def _table(pdf, table: Table) -> None:
    pdf.ln(3)
    pdf.set_font("body", size=10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 5, table.caption, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_text_color(*TEXT)
    with pdf.table(text_align="CENTER", line_height=6.5, first_row_as_headings=True) as grid:
        for cells in (table.columns, *table.rows):
            row = grid.row()
            for cell in cells:
                row.cell(_keep_intervals(cell))
    if table.note:
        pdf.ln(2)
        pdf.set_font("body", size=9)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(0, 5, table.note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def write_handout(scenes: Iterable[ScenePages], path: Path, title: str, *, font: tuple[Path, Path] | None = None,
                  settings: str = "", progress: Callable[[str], None] = lambda line: None) -> Path:
    """Write the handout of `scenes` to `path` (created beside it, then renamed over it); return `path`.

    `settings` (quality, theme) goes under each scene's title. Raises ValueError for no beats at all.
    """
    scenes = list(scenes)
    if not any(scene.beats for scene in scenes):
        raise ValueError("no beats to make a handout of")
    font = font or check_font()
    path = Path(path)
    import logging
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2's font subsetting logs every glyph
    pdf = _new_pdf(title, font)
    with tempfile.TemporaryDirectory(prefix="relu-handout-") as work:
        typeset = _Typesetter(Path(work), progress)
        for number, scene in enumerate(scenes, start=1):
            beats = len(scene.beats)
            _scene_page(pdf, number, scene, f"{beats} beat{'s' if beats != 1 else ''}"
                        + (f" · {settings}" if settings else ""))
            pdf.start_section(scene.title)
            for index, beat in enumerate(scene.beats):
                _beat(pdf, scene, index, typeset.svg(beat.formula) if beat.formula else None)
            if scene.tables:
                _numbers(pdf, scene)
        data = pdf.output()
        typeset.publish()
    from .render import atomic_write
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, bytes(data))
    return path

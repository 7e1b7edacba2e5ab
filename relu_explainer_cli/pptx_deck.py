"""The deck as PowerPoint: a title slide, then one slide per beat with its clip as a movie.

Each beat's slide holds the beat's clip (embedded, video/mp4, played with a click in PowerPoint and
LibreOffice Impress), shown before it plays by a poster frame: the clip's last frame, so that the slide
sorter, a printout and a PDF show what the beat ends on. The beat's narration is its caption under the
movie and the slide's speaker notes (`Slide.narration`: its cues as one paragraph). Colours are the theme's, as in the HTML deck (slides.py).

>>> movie_box(1280, 720) == movie_box(1920, 1080)  # same aspect, same box
True
>>> [round(v / EMU_PER_INCH, 2) for v in movie_box(1920, 1080)]
[1.56, 0.55, 10.22, 5.75]
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .slides import GENERATOR, Slide, check_deck_file, deck_slides, replace_atomically

if TYPE_CHECKING:
    from scenes.style import Theme

    from .render import Clip

__all__ = ["write_pptx", "poster_frame", "movie_box", "SLIDE_WIDTH", "SLIDE_HEIGHT"]

EMU_PER_INCH = 914_400
SLIDE_WIDTH, SLIDE_HEIGHT = round(13.333 * EMU_PER_INCH), round(7.5 * EMU_PER_INCH)  # 16:9
_TOP, _MOVIE_HEIGHT, _MARGIN = 0.55, 5.75, 0.4  # inches: the scene's name above, the caption below


def movie_box(width: int, height: int) -> tuple[int, int, int, int]:
    """(left, top, width, height) in EMU of a `width` x `height` clip, as large as fits above the
    caption, centred."""
    box_w = SLIDE_WIDTH - 2 * round(_MARGIN * EMU_PER_INCH)
    box_h = round(_MOVIE_HEIGHT * EMU_PER_INCH)
    scale = min(box_w / width, box_h / height)
    w, h = round(width * scale), round(height * scale)
    return (SLIDE_WIDTH - w) // 2, round(_TOP * EMU_PER_INCH), w, h


def poster_frame(video: Path, target: Path) -> tuple[int, int]:
    """Write the clip's last frame to `target` (PNG) with PyAV; return the clip's (width, height)."""
    import av
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        last = None
        if container.duration and container.duration > 1_000_000:  # seek to the last second
            container.seek(container.duration - 1_000_000, backward=True, any_frame=False)
        for last in container.decode(stream):
            pass
        if last is None:  # a seek past the last key frame: decode from the start
            container.seek(0)
            for last in container.decode(stream):
                pass
        if last is None:
            raise ValueError(f"{video} has no video frames")
        last.to_image().save(target)
        return stream.codec_context.width, stream.codec_context.height


def write_pptx(clips: list[Clip], path: Path, title: str, *, theme_name: str | None = None) -> Path:
    """Write the deck of `clips` to `path` (.pptx) and return it; written under a temporary name and
    renamed into place, so a failure leaves the previous file whole.

    ValueError for a deck of no beats, FileExistsError for a file at `path` that we did not write.
    """
    from scenes.style import theme
    path = Path(path).absolute()
    check_deck_file(path)
    slides = deck_slides(clips)
    colors = theme(theme_name)
    with tempfile.TemporaryDirectory(prefix="relu-explainer-pptx-") as posters:
        deck = _presentation(slides, Path(posters), title, colors)
        replace_atomically(path, lambda staged: deck.save(str(staged)))
    return path


def _presentation(slides: list[Slide], posters: Path, title: str, colors: Theme):
    from pptx import Presentation
    from pptx.util import Emu
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    deck.core_properties.title = title
    deck.core_properties.comments = GENERATOR  # marks the file as ours: slides.check_deck_file
    blank = deck.slide_layouts[6]
    scenes = list(dict.fromkeys(slide.scene for slide in slides))
    subtitle = f"{len(slides)} beats in {len(scenes)} scene{'s' if len(scenes) != 1 else ''}"

    first = _blank(deck, blank, colors)
    _text(first, title, 0.5, 2.4, 12.333, 1.4, 44, colors.text, bold=True, center=True)
    _text(first, subtitle, 0.5, 3.9, 12.333, 0.7, 22, colors.muted, center=True)
    first.notes_slide.notes_text_frame.text = f"{title}\n{subtitle}"

    for number, slide in enumerate(slides, start=1):
        page = _blank(deck, blank, colors)
        poster = posters / f"{number:03d}.png"
        left, top, width, height = movie_box(*poster_frame(slide.video, poster))
        _text(page, slide.scene, 0.4, 0.1, 9.0, 0.4, 14, colors.muted)
        _text(page, f"{number} / {len(slides)}", 10.9, 0.1, 2.0, 0.4, 14, colors.muted, right=True)
        page.shapes.add_movie(str(slide.video), Emu(left), Emu(top), Emu(width), Emu(height),
                              poster_frame_image=str(poster), mime_type="video/mp4")
        below = (top + height) / EMU_PER_INCH + 0.1
        size = 20 if len(slide.narration) <= 200 else 16  # two or three lines under the movie
        _text(page, slide.narration, 0.6, below, 12.133, 7.4 - below, size, colors.text, center=True)
        page.notes_slide.notes_text_frame.text = slide.narration
    return deck


def _blank(deck, layout, colors: Theme):
    from pptx.dml.color import RGBColor
    page = deck.slides.add_slide(layout)
    fill = page.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(colors.background.lstrip("#"))
    return page


def _text(page, text: str, left: float, top: float, width: float, height: float, size: int, color: str,
          *, bold: bool = False, center: bool = False, right: bool = False) -> None:
    """A text box at (left, top) inches, `size` points, wrapped, in the theme colour `color`."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt
    box = page.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # shrink a long text to fit on opening
    for i, line in enumerate(text.splitlines() or [""]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.CENTER if center else PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#"))

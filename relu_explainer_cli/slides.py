"""Offline slides: one HTML page, one slide per beat, each slide playing that beat's clip with its voice.

Every `self.say()` in a scene starts a beat and a manim section; rendered with sections, manim
writes one clip per section and a JSON index of them. Manim gives those clips no sound (only the
whole scene's video); the worker gives each its beat's stretch of the scene's voice
(soundtrack.fix_clip_audio). `write_slides` copies the beats' clips into the deck, next to an
`index.html` that needs no network (inline CSS and JavaScript, no CDN) and plays in a browser from
the file system: Right, Space or PageDown steps forward and plays the beat with its voice from its
start, Left or PageUp steps back, Home and End jump, clicking the video replays it; S opens the
presenter view (now, next, notes, timer), B blacks the screen, C hides the captions, A auto-advances
(the page itself: deck_page.py). A beat whose manim section type is LOOP loops until the lecturer
moves on, one of type SKIP moves on by itself when it ends. `write_zip` packs the same deck into
one zip to hand around; pptx_deck.py writes it as PowerPoint.

The folder holds the deck only (index.html and one clips-* folder of new files, no hard links):
`staged_render` renders the scenes into a folder of the user cache, removed once the deck is written.

A slide's text is the beat's subtitles, found in the scene's .srt by time:

>>> cues = [Cue(0.0, 2.0, "a kink"), Cue(2.0, 5.0, "two kinks")]
>>> [caption_for(start, end, cues) for start, end in [(0.0, 2.0), (2.0, 5.0), (5.0, 6.0)]]
['a kink', 'two kinks', '']
"""
from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator
from urllib.parse import quote

from scenes.style import Theme, theme

from .deck_page import PAGE
from .playground import page_html as playground_html
from .playground import write_playground
from .soundtrack import picture_seconds
from .subtitles import Cue, read_srt

if TYPE_CHECKING:
    from .render import Clip, RenderOptions

__all__ = ["Cue", "Slide", "read_srt", "caption_for", "clip_slides", "deck_slides", "page_html",
           "write_slides", "write_zip", "check_slides_dir", "check_deck_file", "render_dir", "staged_render",
           "replace_atomically", "DEFAULT_TITLE", "LOOP", "COMPLETE_LOOP", "SKIP"]

DEFAULT_TITLE = "How ReLU networks bend lines"
CLIP_DIR_PREFIX = "clips-"
# Marks an index.html as ours, so writing slides never replaces anyone else's.
GENERATOR = "relu-explainer slides"
PLAYGROUND_SLIDE = {"scene": "Playground", "page": "playground.html",
                    "caption": "Drag the kinks: bend a sum of ReLUs onto a curve.",
                    "notes": "Live: drag each kink along x and bend each piece; the worst error and the loss "
                             "follow. 'by curvature' places the kinks as WhereKinksGo does; the link holds the "
                             "setup, to share."}
"""The slide after the beats: the drag-the-kinks page (relu_explainer_cli.playground), written beside index.html."""
# Manim's section types for presentations (manim.scene.section.DefaultSectionType's docstring), as the
# section index JSON spells them: a LOOP beat loops until the lecturer moves on, a SKIP beat moves on
# by itself when its clip ends.
LOOP, COMPLETE_LOOP, SKIP = "presentation.loop", "presentation.complete_loop", "presentation.skip"


@dataclass(frozen=True)
class Slide:
    """One beat: the clip that plays, the text shown under it (its narration: also the speaker's
    notes), when it runs in its scene's video, and whether it loops or moves on by itself."""

    scene: str
    video: Path
    caption: str
    start: float = 0.0
    end: float = 0.0
    loop: bool = False
    advance: bool = False

    @property
    def narration(self) -> str:
        """The caption as one paragraph (its cues are lines): the speaker's notes.

        >>> Slide("S", Path("a.mp4"), "The ReLU, g(x) = max(x, 0): 0 on\\nthe left.").narration
        'The ReLU, g(x) = max(x, 0): 0 on the left.'
        """
        return " ".join(line.strip() for line in self.caption.splitlines() if line.strip())


def caption_for(start: float, end: float, cues: Iterable[Cue]) -> str:
    """The texts of the cues whose middle falls in [start, end), one a line; '' if none does.

    A beat's narration is cut into several cues (clauses); each belongs to the beat that shows most
    of it. Middles, not exact times: a clip's length is a whole number of frames, so section
    boundaries drift from the subtitles' times by up to a frame per animation.

    >>> caption_for(0.0, 4.0, [Cue(0.0, 1.5, "Flat,"), Cue(1.5, 3.9, "then a ramp."), Cue(3.9, 5, "next")])
    'Flat,\\nthen a ramp.'
    """
    return "\n".join(cue.text for cue in cues if start <= (cue.start + cue.end) / 2 < end)


def clip_slides(clip: Clip) -> list[Slide]:
    """One slide per section of a rendered scene, or one for the whole clip if it has no sections.

    Section i starts where the sections before it end; its "video" entry is relative to the JSON,
    its "type" says whether it loops (LOOP, COMPLETE_LOOP) or moves on by itself (SKIP).
    """
    cues = read_srt(clip.srt)
    if clip.sections is None:
        return [Slide(clip.scene, Path(clip.video), "\n".join(c.text for c in cues), 0.0, clip.duration)]
    index = Path(clip.sections)
    slides, start = [], 0.0
    for section in json.loads(index.read_text(encoding="utf-8")):
        video = index.parent / section["video"]
        # The picture's own length (whole frames), so the beats' times add up to the scene's video.
        duration = picture_seconds(video) if video.is_file() else float(section["duration"])
        kind = section.get("type", "")
        slides.append(Slide(clip.scene, video, caption_for(start, start + duration, cues),
                            start, start + duration, loop=kind in (LOOP, COMPLETE_LOOP), advance=kind == SKIP))
        start += duration
    return slides


def render_dir(out_dir: Path) -> Path:
    """Where `slides` renders the scenes of the deck in `out_dir`: a folder of the user cache, the
    same for the same deck (so Manim's per-scene caches, keyed by it, are reused by the next run).

    >>> render_dir(Path("/talks/a")) == render_dir(Path("/talks/a")) != render_dir(Path("/talks/b"))
    True
    """
    from .paths import cache_root, folder_key
    return cache_root() / "slides" / folder_key(out_dir)


@contextmanager
def staged_render(options: RenderOptions) -> Iterator[RenderOptions]:
    """`options` rendering into render_dir(options.out_dir); that folder is removed after the block,
    unless the block failed (a failed scene's log is kept there, and the error names it)."""
    stage = render_dir(options.out_dir)
    yield dataclasses.replace(options, out_dir=stage)
    shutil.rmtree(stage, ignore_errors=True)


def write_slides(clips: list[Clip], out_dir: Path, title: str = DEFAULT_TITLE, *,
                 theme_name: str | None = None) -> Path:
    """Write the presentation into `out_dir` (index.html and a clips-* folder) and return index.html.

    The page takes its colours from the theme the clips were rendered in: `theme_name`, or the
    one RELU_EXPLAINER_THEME selects. Other files in `out_dir` (the rendered scenes, say) stay.

    The clips go into a new folder first; renaming the new index.html over the old one is the one
    step that switches presentations, so a failure at any point leaves the previous one whole.
    An index.html that is not ours is never replaced: that raises FileExistsError.
    """
    out_dir = Path(out_dir).absolute()
    colors = theme(theme_name)
    index = out_dir / "index.html"
    old_clips = _previous_clip_dir(index)
    slides = deck_slides(clips)
    out_dir.mkdir(parents=True, exist_ok=True)
    clip_dir = Path(tempfile.mkdtemp(prefix=CLIP_DIR_PREFIX, dir=out_dir))
    staged = out_dir / f".index.html.{clip_dir.name}.part"
    try:
        clip_dir.chmod(0o755)  # mkdtemp makes it private; a presentation is meant to be shared
        sources = []
        for slide, name in zip(slides, clip_names(slides)):
            _copy_clip(slide.video, clip_dir / name)
            sources.append(f"{quote(clip_dir.name)}/{quote(name)}")
        write_playground(out_dir / PLAYGROUND_SLIDE["page"], theme=colors.name)
        staged.write_text(page_html(slides, sources, title, colors, clip_dir.name), encoding="utf-8")
        os.replace(staged, index)
    except BaseException:
        staged.unlink(missing_ok=True)
        shutil.rmtree(clip_dir, ignore_errors=True)
        raise
    if old_clips and old_clips != clip_dir.name:
        shutil.rmtree(out_dir / old_clips, ignore_errors=True)
    return index


def deck_slides(clips: list[Clip]) -> list[Slide]:
    """Every beat of `clips`, in order; ValueError if there is none, FileNotFoundError if a clip is gone."""
    slides = [slide for clip in clips for slide in clip_slides(clip)]
    if not slides:
        raise ValueError("no beats to make slides of")
    for slide in slides:
        if not slide.video.is_file():
            raise FileNotFoundError(f"clip of {slide.scene} is missing: {slide.video}")
    return slides


def clip_names(slides: list[Slide]) -> list[str]:
    """The clips' file names in the deck: numbered, so that two scenes' beat00 never clash.

    >>> clip_names([Slide("A", Path("x/A_0000_beat00.mp4"), ""), Slide("B", Path("y/B_0000_beat00.mp4"), "")])
    ['001_A_0000_beat00.mp4', '002_B_0000_beat00.mp4']
    """
    return [f"{number:03d}_{slide.video.name}" for number, slide in enumerate(slides, start=1)]


def write_zip(clips: list[Clip], path: Path, title: str = DEFAULT_TITLE, *,
              theme_name: str | None = None) -> Path:
    """Write the deck as one zip at `path` (a folder named after it, holding index.html and its clips)
    and return `path`.

    The zip is written under a temporary name beside `path` and renamed into place: a failure (a full
    disk) leaves the previous zip whole. A file at `path` that is not ours raises FileExistsError.
    The clips are stored as they are (mp4 is compressed already), the page deflated.
    """
    import zipfile
    path = Path(path).absolute()
    check_deck_file(path)
    slides = deck_slides(clips)
    folder = path.stem
    clip_dir = f"{CLIP_DIR_PREFIX}{os.urandom(4).hex()}"
    names = clip_names(slides)
    sources = [f"{quote(clip_dir)}/{quote(name)}" for name in names]
    page = page_html(slides, sources, title, theme(theme_name), clip_dir)

    def write(staged: Path) -> None:
        with zipfile.ZipFile(staged, "w") as archive:
            archive.comment = GENERATOR.encode()
            archive.writestr(f"{folder}/index.html", page, compress_type=zipfile.ZIP_DEFLATED)
            archive.writestr(f"{folder}/{PLAYGROUND_SLIDE['page']}", playground_html(theme(theme_name).name),
                             compress_type=zipfile.ZIP_DEFLATED)
            for slide, name in zip(slides, names):
                archive.write(slide.video, f"{folder}/{clip_dir}/{name}", compress_type=zipfile.ZIP_STORED)

    replace_atomically(path, write)
    return path


def replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(staged)` on a temporary name beside `path`, then rename it to `path`; on any failure
    the temporary file is removed and `path` is as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(staged)
        staged.chmod(0o644)
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def check_deck_file(path: Path) -> None:
    """Refuse (FileExistsError) to replace `path` unless it is missing or a zip (or pptx) we wrote:
    its zip comment or its document properties name GENERATOR."""
    import zipfile
    path = Path(path)
    if not path.exists():
        return
    ours = False
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            ours = archive.comment == GENERATOR.encode() or (
                "docProps/core.xml" in archive.namelist()
                and GENERATOR.encode() in archive.read("docProps/core.xml"))
    if not ours:
        raise FileExistsError(f"{path} exists and was not written by relu-explainer; "
                              "choose another output folder")


def check_slides_dir(out_dir: Path) -> None:
    """Refuse early (FileExistsError) when `out_dir` holds an index.html that write_slides must not replace."""
    _previous_clip_dir(Path(out_dir) / "index.html")


def _previous_clip_dir(index: Path) -> str | None:
    """The clips folder of the presentation at `index`; FileExistsError if `index` is someone else's."""
    if not index.exists():
        return None
    page = index.read_text(encoding="utf-8", errors="replace") if index.is_file() else ""
    if f'name="generator" content="{GENERATOR}"' not in page:
        raise FileExistsError(f"{index} exists and is not a relu-explainer presentation; "
                              "choose another output folder")
    found = re.search(r'<meta name="clips" content="(clips-\w+)">', page)
    return found.group(1) if found else None


def _copy_clip(source: Path, target: Path) -> None:
    """A copy, never a hard link: `cp -r` of the deck would copy a linked file once per name anyway,
    and the renders it came from are removed once the deck is written."""
    shutil.copyfile(source, target)


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no '</' or '<!--' can close or confuse it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def page_html(slides: list[Slide], sources: list[str], title: str, colors: Theme | None = None,
              clip_dir: str = "") -> str:
    """The presentation page: a title slide, then one slide per beat playing `sources[i]`; with
    `?presenter` in its address, the presenter view. `clip_dir` names the deck: its two views talk on it."""
    colors = colors or theme()
    scenes = list(dict.fromkeys(slide.scene for slide in slides))
    subtitle = f"{len(slides)} beats in {len(scenes)} scene{'s' if len(scenes) != 1 else ''}"
    data = {"title": title, "subtitle": subtitle, "deck": clip_dir, "pages": [PLAYGROUND_SLIDE],
            "slides": [{"scene": s.scene, "video": src, "caption": s.caption, "notes": s.narration,
                        "loop": s.loop, "advance": s.advance}
                       for s, src in zip(slides, sources, strict=True)]}
    values = {
        "TITLE": html.escape(title),
        "SUBTITLE": html.escape(subtitle),
        "GENERATOR": GENERATOR, "CLIPS": html.escape(clip_dir),
        "BG": colors.background, "TEXT": colors.text, "MUTED": colors.muted,
        "ACCENT": colors.approx,
        "DATA": _script_json(data),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], PAGE)

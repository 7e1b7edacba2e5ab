"""Offline slides: one HTML page, one slide per beat, each slide playing that beat's clip with its voice.

Every `self.say()` in a scene starts a beat and a manim section; rendered with sections, manim
writes one clip per section and a JSON index of them. Manim gives those clips no sound (only the
whole scene's video); the worker gives each its beat's stretch of the scene's voice
(soundtrack.fix_clip_audio). `write_slides` copies the beats' clips into the deck, next to an
`index.html` that needs no network (inline CSS and JavaScript, no CDN) and plays in a browser from
the file system: Right, Space or PageDown steps forward and plays the beat with its voice from its
start, Left or PageUp steps back, Home and End jump, clicking the video replays it.

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
from typing import TYPE_CHECKING, Iterable, Iterator
from urllib.parse import quote

from scenes.style import Theme, theme

from .soundtrack import picture_seconds
from .subtitles import Cue, read_srt

if TYPE_CHECKING:
    from .render import Clip, RenderOptions

__all__ = ["Cue", "Slide", "read_srt", "caption_for", "clip_slides", "page_html", "write_slides",
           "check_slides_dir", "render_dir", "staged_render", "DEFAULT_TITLE"]

DEFAULT_TITLE = "How ReLU networks bend lines"
CLIP_DIR_PREFIX = "clips-"
# Marks an index.html as ours, so writing slides never replaces anyone else's.
GENERATOR = "relu-explainer slides"


@dataclass(frozen=True)
class Slide:
    """One beat: the clip that plays, the text shown under it, and when it runs in its scene's video."""

    scene: str
    video: Path
    caption: str
    start: float = 0.0
    end: float = 0.0


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

    Section i starts where the sections before it end; its "video" entry is relative to the JSON.
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
        slides.append(Slide(clip.scene, video, caption_for(start, start + duration, cues),
                            start, start + duration))
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
    slides = [slide for clip in clips for slide in clip_slides(clip)]
    if not slides:
        raise ValueError("no clips to make slides of")
    for slide in slides:
        if not slide.video.is_file():
            raise FileNotFoundError(f"clip of {slide.scene} is missing: {slide.video}")
    out_dir.mkdir(parents=True, exist_ok=True)
    clip_dir = Path(tempfile.mkdtemp(prefix=CLIP_DIR_PREFIX, dir=out_dir))
    staged = out_dir / f".index.html.{clip_dir.name}.part"
    try:
        clip_dir.chmod(0o755)  # mkdtemp makes it private; a presentation is meant to be shared
        sources = []
        for number, slide in enumerate(slides, start=1):
            name = f"{number:03d}_{slide.video.name}"
            _copy_clip(slide.video, clip_dir / name)
            sources.append(f"{quote(clip_dir.name)}/{quote(name)}")
        staged.write_text(page_html(slides, sources, title, colors, clip_dir.name), encoding="utf-8")
        os.replace(staged, index)
    except BaseException:
        staged.unlink(missing_ok=True)
        shutil.rmtree(clip_dir, ignore_errors=True)
        raise
    if old_clips and old_clips != clip_dir.name:
        shutil.rmtree(out_dir / old_clips, ignore_errors=True)
    return index


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
    """The presentation page: a title slide, then one slide per beat playing `sources[i]`."""
    colors = colors or theme()
    scenes = list(dict.fromkeys(slide.scene for slide in slides))
    data = {"title": title,
            "slides": [{"scene": s.scene, "video": src, "caption": s.caption}
                       for s, src in zip(slides, sources, strict=True)]}
    values = {
        "TITLE": html.escape(title),
        "SUBTITLE": html.escape(f"{len(slides)} beats in {len(scenes)} "
                                f"scene{'s' if len(scenes) != 1 else ''}"),
        "GENERATOR": GENERATOR, "CLIPS": html.escape(clip_dir),
        "BG": colors.background, "TEXT": colors.text, "MUTED": colors.muted,
        "ACCENT": colors.approx,
        "DATA": _script_json(data),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], _PAGE)


# Everything inline: the page must load with no request leaving the file system.
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{GENERATOR}}">
<meta name="clips" content="{{CLIPS}}">
<title>{{TITLE}}</title>
<style>
  :root { --bg: {{BG}}; --text: {{TEXT}}; --muted: {{MUTED}}; --accent: {{ACCENT}}; }
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; background: var(--bg); color: var(--text);
    font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; overflow: hidden; }
  body { display: flex; flex-direction: column; }
  main { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column;
    align-items: center; justify-content: center; padding: 2vh 3vw 0; }
  #title-slide { text-align: center; }
  #title-slide h1 { font-size: clamp(2rem, 6vw, 4.5rem); margin: 0 0 0.4em; font-weight: 600; }
  #title-slide p { color: var(--muted); font-size: clamp(1rem, 2vw, 1.5rem); margin: 0.3em 0; }
  #title-slide .hint { margin-top: 2em; font-size: 1rem; }
  kbd { border: 1px solid var(--muted); border-radius: 4px; padding: 0 0.35em; font: inherit; }
  #beat { flex: 1 1 auto; min-height: 0; width: 100%; margin: 0; display: flex;
    flex-direction: column; align-items: center; }
  #beat video { flex: 1 1 auto; min-height: 0; width: 100%; object-fit: contain; cursor: pointer;
    background: var(--bg); }
  #caption { flex: 0 0 auto; min-height: 3.2em; max-width: 60em; padding: 0.6em 1em 0; text-align: center;
    font-size: clamp(1rem, 2.4vw, 1.7rem); line-height: 1.35; white-space: pre-line; }
  [hidden] { display: none !important; }
  footer { flex: 0 0 auto; display: flex; justify-content: space-between; padding: 0.5em 1.2em;
    color: var(--muted); font-size: 0.95rem; }
  #progress { position: fixed; left: 0; bottom: 0; height: 3px; background: var(--accent);
    transition: width 0.2s; }
</style>
</head>
<body>
<main>
  <section id="title-slide">
    <h1>{{TITLE}}</h1>
    <p>{{SUBTITLE}}</p>
    <p class="hint"><kbd>&rarr;</kbd> or <kbd>Space</kbd> next &middot; <kbd>&larr;</kbd> back &middot;
      click the video to replay &middot; <kbd>F</kbd> full screen</p>
  </section>
  <figure id="beat" hidden>
    <video id="video" playsinline preload="auto" title="click to replay"></video>
    <figcaption id="caption"></figcaption>
  </figure>
</main>
<footer><span id="scene"></span><span id="counter"></span></footer>
<div id="progress"></div>
<script type="application/json" id="slides-data">{{DATA}}</script>
<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("slides-data").textContent);
  const slides = data.slides;
  const total = slides.length + 1;  // the title slide, then one per beat
  const video = document.getElementById("video");
  const titleSlide = document.getElementById("title-slide");
  const beat = document.getElementById("beat");
  const caption = document.getElementById("caption");
  const sceneLabel = document.getElementById("scene");
  const counter = document.getElementById("counter");
  const progress = document.getElementById("progress");
  let current = -1;

  function play() {
    video.currentTime = 0;
    const promise = video.play();
    // A browser that blocks playing with sound before any key or click (a deck opened at #5): the
    // picture plays muted, and a click on it replays the beat with its voice.
    if (promise) promise.catch(function () { video.muted = true; video.play().catch(function () {}); });
  }

  function replay() {
    video.muted = false;
    play();
  }

  function show(n) {
    n = Math.max(0, Math.min(total - 1, n));
    if (n === current) return;
    current = n;
    counter.textContent = (n + 1) + " / " + total;
    progress.style.width = (100 * n / (total - 1 || 1)) + "%";
    if (location.hash !== "#" + (n + 1)) history.replaceState(null, "", "#" + (n + 1));
    if (n === 0) {
      video.pause();
      video.removeAttribute("src");
      video.load();
      beat.hidden = true;
      titleSlide.hidden = false;
      sceneLabel.textContent = "";
      return;
    }
    const slide = slides[n - 1];
    titleSlide.hidden = true;
    beat.hidden = false;
    caption.textContent = slide.caption;
    sceneLabel.textContent = slide.scene;
    video.src = slide.video;
    play();
  }

  function fromHash() {
    const n = parseInt(location.hash.slice(1), 10);
    return Number.isFinite(n) ? n - 1 : 0;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case " ": case "PageDown": case "Enter": show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace": show(current - 1); break;
      case "Home": show(0); break;
      case "End": show(total - 1); break;
      case "f": case "F":
        if (document.fullscreenElement) document.exitFullscreen();
        else document.documentElement.requestFullscreen().catch(function () {});
        break;
      default: return;
    }
    event.preventDefault();
  });
  video.addEventListener("click", replay);
  titleSlide.addEventListener("click", function () { show(1); });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
</script>
</body>
</html>
"""

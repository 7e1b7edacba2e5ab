"""Offline slides: one HTML page, one slide per beat, each slide playing that beat's clip.

Every `self.say()` in a scene starts a beat and a manim section; rendered with sections, manim
writes one clip per section and a JSON index of them. `write_slides` copies those clips next to
an `index.html` that needs no network (inline CSS and JavaScript, no CDN) and plays in a browser
from the file system: Right, Space or PageDown steps forward and plays the beat from its start,
Left or PageUp steps back, Home and End jump, clicking the video replays it.

A slide's text is the beat's subtitle, found in the scene's .srt by time:

>>> cues = [Cue(0.0, 2.0, "a kink"), Cue(2.0, 5.0, "two kinks")]
>>> [caption_for(start, end, cues) for start, end in [(0.0, 2.0), (2.0, 5.0), (5.0, 6.0)]]
['a kink', 'two kinks', '']
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from urllib.parse import quote

from scenes.style import Theme, theme

if TYPE_CHECKING:
    from .render import Clip

__all__ = ["Cue", "Slide", "read_srt", "caption_for", "clip_slides", "page_html", "write_slides",
           "check_slides_dir", "DEFAULT_TITLE"]

DEFAULT_TITLE = "How ReLU networks bend lines"
CLIP_DIR_PREFIX = "clips-"
# Marks an index.html as ours, so writing slides never replaces anyone else's.
GENERATOR = "relu-explainer slides"


@dataclass(frozen=True)
class Cue:
    """One subtitle: seconds from the start of the scene's video, and its text."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Slide:
    """One beat: the clip that plays and the text shown under it."""

    scene: str
    video: Path
    caption: str


_TIME = r"(\d+):(\d\d):(\d\d)[,.](\d{1,3})"
_CUE_TIMES = re.compile(rf"{_TIME}\s*-->\s*{_TIME}")


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000


def read_srt(path: Path | None) -> list[Cue]:
    """The subtitles of an .srt file in order; none if there is no file.

    >>> import tempfile, pathlib
    >>> srt = pathlib.Path(tempfile.mkdtemp()) / "s.srt"
    >>> _ = srt.write_text("1\\n00:00:00,000 --> 00:00:01,500\\ng is a ReLU\\n\\n"
    ...                    "2\\n00:00:01,500 --> 00:01:02,000\\ntwo\\nlines\\n")
    >>> read_srt(srt)
    [Cue(start=0.0, end=1.5, text='g is a ReLU'), Cue(start=1.5, end=62.0, text='two\\nlines')]
    """
    if path is None or not Path(path).is_file():
        return []
    cues = []
    for block in re.split(r"\n\s*\n", Path(path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")):
        lines = block.strip().split("\n")
        for i, line in enumerate(lines):
            times = _CUE_TIMES.search(line)
            if times:
                g = times.groups()
                cues.append(Cue(_seconds(*g[:4]), _seconds(*g[4:]), "\n".join(lines[i + 1:]).strip()))
                break
    return cues


def caption_for(start: float, end: float, cues: Iterable[Cue]) -> str:
    """The text of the cue that overlaps [start, end] most; '' if none does.

    Overlap, not exact times: a clip's length is a whole number of frames, so section boundaries
    drift from the subtitles' times by up to a frame per animation.
    """
    best, best_overlap = "", 0.0
    for cue in cues:
        overlap = min(end, cue.end) - max(start, cue.start)
        if overlap > best_overlap:
            best, best_overlap = cue.text, overlap
    return best


def clip_slides(clip: Clip) -> list[Slide]:
    """One slide per section of a rendered scene, or one for the whole clip if it has no sections.

    Section i starts where the sections before it end; its "video" entry is relative to the JSON.
    """
    cues = read_srt(clip.srt)
    if clip.sections is None:
        return [Slide(clip.scene, Path(clip.video), "\n".join(c.text for c in cues))]
    index = Path(clip.sections)
    slides, start = [], 0.0
    for section in json.loads(index.read_text(encoding="utf-8")):
        duration = float(section["duration"])
        slides.append(Slide(clip.scene, index.parent / section["video"],
                            caption_for(start, start + duration, cues)))
        start += duration
    return slides


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
            _link_or_copy(slide.video, clip_dir / name)
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


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the filesystem allows (renders replace files by renaming), else a copy."""
    try:
        os.link(source, target)
    except OSError:
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
    <video id="video" muted playsinline preload="auto" title="click to replay"></video>
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
    if (promise) promise.catch(function () {});  // a browser that blocks autoplay: click replays
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
  video.addEventListener("click", play);
  titleSlide.addEventListener("click", function () { show(1); });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
</script>
</body>
</html>
"""

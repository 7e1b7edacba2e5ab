"""The `handout` command: a PDF of the scenes, beat by beat, for students to read and annotate.

Renders the scenes one clip per beat as `slides` does (slides.staged_render, in the user cache), then
writes one PDF: per beat its key frame, formula and narration, per scene a page of its numbers
(handout_numbers), pages labelled with the scene titles. Silent and in the light theme by default: the
narration comes from the script, and the page is white.

>>> pdf_path(Path("media")), pdf_path(Path("notes/week3.pdf"))
(PosixPath('media/handout.pdf'), PosixPath('notes/week3.pdf'))
"""
from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Callable

from .errors import EXIT_OK, UsageError

__all__ = ["register", "cmd_handout", "pdf_path", "DEFAULT_OUT", "DEFAULT_NAME"]

DEFAULT_NAME = "handout.pdf"
DEFAULT_OUT = f"media/{DEFAULT_NAME}"
DEFAULT_QUALITY = "medium"  # 1280 px wide: handout_beats.KEY_FRAME_WIDTH, so no render is wasted

EXAMPLES = """\
examples:
  relu-explainer handout                          every scene: media/handout.pdf
  relu-explainer handout ApproximateSquare --quality low --out week3.pdf
  relu-explainer handout ApproximateSquare --target "sin(x)" --theme dark
"""


def register(sub, add_scene_options: Callable[[argparse.ArgumentParser, str], None]) -> None:
    """Add the `handout` subcommand to the command's subparsers."""
    handout = sub.add_parser(
        "handout", help="render scenes and write a PDF handout: each beat's key frame, formula and narration",
        description="Render scenes one clip per beat and write a PDF: for each beat its last frame, its\n"
                    "formula and its narration; for each scene a page of the numbers on screen.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scene_options(handout, DEFAULT_OUT)
    for action in handout._actions:  # the shared --out names a folder; here it may name the PDF too
        if action.dest == "out":
            action.metavar = "FILE.pdf|DIR"
            action.help = f"the PDF to write, or a folder for {DEFAULT_NAME} (default: {DEFAULT_OUT})"
        elif action.dest == "quality":
            action.help = ("low 480p15, medium 720p30 (default: key frames print at most 1280 px wide), "
                           "high 1080p60, 4k 2160p60")
        elif action.dest == "voice":
            action.help = "narration voice for the render (default: none; the handout's text is the script's)"
        elif action.dest == "theme":
            action.help = "colour theme of the key frames (default: light, for paper)"
    handout.add_argument("--title", default=None, help="the handout's title (default: the deck's)")
    handout.set_defaults(func=cmd_handout, quality=DEFAULT_QUALITY)


def pdf_path(out: Path) -> Path:
    """The PDF that --out names: itself if it ends in .pdf, else handout.pdf inside it."""
    out = Path(out)
    return out if out.suffix.lower() == ".pdf" else out / DEFAULT_NAME


def _config_theme(config: Path | None) -> bool:
    """Whether the --config file sets a theme (then it, not the handout's light default, applies)."""
    if config is None:
        return False
    from .params import load_config
    top, _ = load_config(config)
    return "theme" in top


def cmd_handout(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    from .handout_pdf import check_font
    from .main import _dry_run, _prepare, _progress
    from .slides import DEFAULT_TITLE
    progress = _progress
    target = pdf_path(args.out)
    if target.is_dir():
        raise UsageError(f"{target} is a folder: name the PDF to write, e.g. --out {target / DEFAULT_NAME}")
    args.out = target.parent
    if args.voice is None:
        args.voice = "none"
    if args.theme is None and not _config_theme(args.config):
        args.theme = "light"
    names, _, options, overrides = _prepare(args, progress, format="mp4", sections=True)
    font = check_font()
    if args.dry_run:
        return _dry_run(names, options, overrides, out, f"write the handout {target}")
    from .handout_beats import scene_pages
    from .handout_pdf import write_handout
    from .params import build_params, load_scene
    from .progress import live_progress
    from .render import render_scenes
    from .slides import staged_render
    params = {name: build_params(name, load_scene(name), overrides.get(name, {})) for name in names}
    # Staged under a folder keyed by the PDF's path: two handouts in one folder never share it.
    with staged_render(dataclasses.replace(options, out_dir=target)) as staged:
        with live_progress() as frames:
            clips = render_scenes(names, overrides, staged, progress=progress, frames=frames)
        progress(f"      writing the handout: {target}")
        pages = [scene_pages(clip, params[name], getattr(load_scene(name), "title", ""))
                 for name, clip in zip(names, clips)]
        try:
            write_handout(pages, target, args.title or DEFAULT_TITLE, font=font, progress=progress,
                          settings=f"{options.label}, {options.theme} theme")
        except OSError as error:
            from .errors import RenderError
            raise RenderError(f"cannot write the handout {target}: {error.strerror or error}; "
                              "nothing was written") from None
    out(str(target))
    return EXIT_OK

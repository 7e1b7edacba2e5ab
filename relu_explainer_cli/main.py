"""The `relu-explainer` command: list the scenes, render them (and stitch the explainer), make slides.

Manim is imported only when a scene is, so `--help` stays fast. Errors are one line on stderr in the
user's words (exit 2 for a bad command line, 1 for a failed render, 128 + the signal's number when
stopped: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP); `--debug` adds the traceback and manim's own log.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import math
import os
import re
import sys
import textwrap
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence

from .errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, CliError, Interrupted, RenderError, UsageError

THEMES = ("dark", "light")  # scenes.style.THEMES, named here so that --help imports no scene module

__all__ = ["main", "build_parser"]

PROG = "relu-explainer"

# Commands that live in a module of their own: each module has `register(sub, add_scene_options)`, which
# adds its subparser (with `set_defaults(func=...)`; the func is called as func(args, out) -> exit code).
# They must import nothing heavy at module level, so that `--help` stays fast.
COMMAND_MODULES: tuple[str, ...] = ("handout", "batch", "playground", "preview")

RENDER_EXAMPLES = """\
examples:
  relu-explainer render                          the whole explainer, stitched: media/relu_explainer.mp4
  relu-explainer render ApproximateSquare --quality low      one scene, fast (480p15)
  relu-explainer render ApproximateSquare --target "sin(3*x)" --steps 5 --x-range -3 3
  relu-explainer render ApproximateSquare --target "abs(x)" --dry-run    check it all, render nothing
  relu-explainer render ZoomToLine --format png   a still of the last frame
  relu-explainer render ReluUnit --format webm --transparent --voice none
  relu-explainer render --config my_video.toml --theme light --out build/

config file (TOML): top-level keys apply to every scene that has them, a [SceneName] table to one
scene and may set any of its params (see `relu-explainer list` for each one's meaning and limits):
  target = "sin(3*x)"
  theme = "light"
  [ApproximateSquare]
  steps = 6
  x_range = [-2, 2]
Command-line flags win over the file, [SceneName] tables over its top level.
"""

LIST_EXAMPLES = """\
examples:
  relu-explainer list              every scene in story order with its params, defaults and limits
"""

SLIDES_EXAMPLES = """\
examples:
  relu-explainer slides                          every scene, one slide per beat: media/slides/index.html
  relu-explainer slides ApproximateSquare ZoomToLine --quality medium
  relu-explainer slides --target "abs(x)" --out lecture/
  relu-explainer slides ApproximateSquare --voice none --dry-run
  relu-explainer slides --to zip                 the same deck as one zip to hand around: media/slides/slides.zip
  relu-explainer slides --to pptx --quality medium      PowerPoint: media/slides/slides.pptx

In the deck: arrows or Space to step, S the presenter view (now, next, notes, timer), B black screen,
C captions on/off, A auto-advance, F full screen.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors that point at --help, and `-1e7` read as a number, not an option."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-inf$")

    def error(self, message: str) -> None:  # noqa: D401 - argparse's signature
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _add_scene_options(parser: argparse.ArgumentParser, out_default: str) -> None:
    parser.add_argument("scenes", nargs="*", metavar="SCENE",
                        help="scenes to render (see `relu-explainer list`); none means all of them")
    out = parser.add_argument_group("output")
    out.add_argument("--quality", choices=("low", "medium", "high", "4k"), default="high",
                     help="low 480p15, medium 720p30, high 1080p60 (default), 4k 2160p60")
    out.add_argument("--fps", type=_int, metavar="N", help="frames per second (default: the quality's)")
    out.add_argument("--out", type=Path, default=Path(out_default), metavar="DIR",
                     help=f"output directory (default: {out_default})")
    out.add_argument("--jobs", "-j", type=_int, default=os.cpu_count() or 1, metavar="N",
                     help="scenes rendered at once, each in its own process (default: %(default)s, "
                          "the number of CPUs)")
    out.add_argument("--no-cache", action="store_true",
                     help="draw and encode every frame afresh (use for finals: manim's cache can be stale); "
                          "typeset formulas are still reused from the user cache, named by their LaTeX source")
    out.add_argument("--voice", metavar="NAME",
                     help="narration: piper (the default when it is installed), espeak, none, or a piper "
                          "voice model FILE.onnx")
    out.add_argument("--dry-run", action="store_true",
                     help="check everything (scenes, params, output directory, LaTeX, voice) and print "
                          "what would be rendered; render and create nothing")
    _add_tweaks(parser.add_argument_group("tweaks (set on every selected scene that has the param; "
                                          "each scene's limits: `relu-explainer list`)"))
    parser.add_argument("--debug", action="store_true", help="show tracebacks and manim's log")


def _add_tweaks(group: argparse._ArgumentGroup) -> None:
    """One flag per shared tweak (scenes.knobs.TWEAKS), its help the tweak's meaning, then the theme."""
    from scenes.knobs import TWEAKS
    for name, tweak in TWEAKS.items():
        pair = isinstance(tweak.metavar, tuple)
        kind = _float if pair else _int if tweak.type is int else str
        group.add_argument(tweak.flag, dest=name, metavar=tweak.metavar, type=kind, help=tweak.help,
                           nargs=len(tweak.metavar) if pair else None)
    group.add_argument("--theme", choices=THEMES, help="colour theme (default: dark)")
    group.add_argument("--config", type=Path, metavar="FILE.toml",
                       help="the same settings from a TOML file (see below)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Render the ReLU explainer videos: how ReLU networks build non-linear functions "
                    "out of straight pieces.",
        epilog="examples:\n  relu-explainer list\n  relu-explainer render\n"
               "  relu-explainer render ApproximateSquare --quality low\n"
               "  relu-explainer slides\n\nRun `relu-explainer COMMAND --help` for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and manim's log")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    lister = sub.add_parser("list", help="the scenes in story order, with their params",
                            description="List the scenes in story order: a line of description each, "
                                        "then their params (name, type, default).",
                            epilog=LIST_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    lister.add_argument("--debug", action="store_true", help="show tracebacks")
    lister.set_defaults(func=cmd_list)

    render = sub.add_parser(
        "render", help="render scenes; with none, the whole explainer stitched into one video",
        description="Render scenes into DIR (default media/): <Scene>.mp4 with <Scene>.srt beside it. "
                    "With no SCENE, every scene in story order, then stitched into relu_explainer.mp4 "
                    "with a merged relu_explainer.srt and a chapter list.",
        epilog=RENDER_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_scene_options(render, "media")
    render.add_argument("--format", choices=("mp4", "webm", "gif", "png"), default="mp4",
                        help="mp4 (default), webm, gif, or png: a still of the last frame")
    render.add_argument("--transparent", action="store_true",
                        help="transparent background (webm, gif or png; mp4 has no alpha channel)")
    render.set_defaults(func=cmd_render)

    slides = sub.add_parser(
        "slides", help="render scenes one clip per beat and write an offline HTML slide deck",
        description="Render scenes with one clip per beat and write a slide deck (index.html) that "
                    "works offline: one slide per beat, arrow keys to step.",
        epilog=SLIDES_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_scene_options(slides, "media/slides")
    slides.add_argument("--title", default="How ReLU networks bend lines", help="the deck's title")
    slides.add_argument("--to", choices=DECK_FORMATS, default="html",
                        help="html: DIR/index.html and its clips (default); zip: the same deck as one file, "
                             "DIR/slides.zip; pptx: PowerPoint, DIR/slides.pptx")
    slides.add_argument("--zip", dest="to", action="store_const", const="zip", help="the same as --to zip")
    slides.set_defaults(func=cmd_slides)
    for module in COMMAND_MODULES:
        importlib.import_module(f".{module}", __package__).register(sub, _add_scene_options)
    return parser


# --- list -----------------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """Every scene with its knobs (type, default, limits, meaning), then the shared tweaks."""
    from .params import available_story, load_scene, param_fields, story, tweak_table
    have, _ = available_story()
    classes = {}
    for number, name in enumerate(story(), 1):
        if name not in have:
            out(f"{number:2d}. {name}  (not written yet)")
            continue
        cls = classes[name] = load_scene(name)
        out(f"{number:2d}. {name}: {getattr(cls, 'description', '') or '(no description)'}")
        for f in param_fields(cls):
            out(f"      {f.line()}")
    out("")
    out(TWEAKS_HEADING)
    for line in tweak_table(classes):
        out(f"  {line}")
    return EXIT_OK


TWEAKS_HEADING = "Tweaks: set on every selected scene that takes them (default, then that scene's limits):"


# --- render and slides ----------------------------------------------------------------------------

def _settings(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, dict], dict[str, str], str]:
    """(tweaks for all scenes, [Scene] tables, where each tweak came from, theme), all checked."""
    from scenes.knobs import TWEAKS

    from .params import check_tweaks, load_config
    flag_of = {name: tweak.flag for name, tweak in TWEAKS.items()}
    flags = check_tweaks({name: getattr(args, name) for name in TWEAKS}, flag_of)
    top, tables = load_config(args.config) if args.config else ({}, {})
    sources = {key: f"{key} in {args.config}" for key in top}
    sources.update({key: flag_of[key] for key in flags})
    tweaks = {**top, **flags}
    theme = args.theme or tweaks.pop("theme", None) or "dark"
    tweaks.pop("theme", None)
    return tweaks, tables, sources, theme


def _select(args: argparse.Namespace, progress: Callable[[str], None]) -> tuple[list[str], bool]:
    """(scene names to render, whether that is the whole explainer)."""
    from .params import available_story, scene_spec
    if args.scenes:
        names = list(dict.fromkeys(args.scenes))
        for name in names:
            scene_spec(name)  # unknown names fail here, with a suggestion
        return names, False
    have, missing = available_story()
    if not have:
        raise RenderError("no scene is written yet: nothing to render")
    if missing:
        progress(f"not written yet, skipped: {', '.join(missing)}")
    return have, True


def _voice(spec: str | None, progress: Callable[[str], None]) -> str:
    """The --voice value checked (narration.check_voice); by default piper if it is installed, else none."""
    import narration
    if spec is None:
        try:
            return narration.check_voice("piper")
        except narration.VoiceError as error:
            progress(f"no narration ({error}); rendering with subtitles only; --voice none hides this line")
            return "none"
    try:
        return narration.check_voice(spec)
    except narration.VoiceError as error:
        raise UsageError(f"--voice: {error}") from None


def _prepare(args: argparse.Namespace, progress: Callable[[str], None], **option_overrides):
    """Everything checked before anything is created: settings, scenes, params, voice, then output
    dir and LaTeX (a --dry-run creates nothing)."""
    from .render import RenderOptions, check_latex, check_output_dir
    tweaks, tables, sources, theme = _settings(args)
    names, whole = _select(args, progress)
    from .params import load_scene, resolve_overrides
    classes = {name: load_scene(name) for name in names}
    overrides = resolve_overrides(classes, tweaks, tables, sources)
    options = RenderOptions(quality=args.quality, fps=args.fps, out_dir=args.out,
                            jobs=args.jobs, cache=not args.no_cache, theme=theme, debug=args.debug,
                            voice=_voice(args.voice, progress), **option_overrides)
    # Created by render_scenes, not here: a later refusal (LaTeX, slides dir) or a dry run leaves no folder.
    check_output_dir(options.out_dir, create=False)
    check_latex()
    return names, whole, options, overrides


def _dry_run(names: list[str], options, overrides: dict, out: Callable[[str], None],
             then: str = "") -> int:
    """Say what would be rendered, scene by scene, with the params each one changes."""
    ext = "png" if options.format == "png" else options.format
    for name in names:
        changed = ", ".join(f"{k}={v!r}" for k, v in overrides.get(name, {}).items()) or "its defaults"
        out(f"would render {name} with {changed}: {options.out_dir / (name.split(':')[-1] + '.' + ext)}")
    out(f"at {options.label}, theme {options.theme}, voice {options.voice}"
        + (f"; then {then}" if then else "") + " (dry run: nothing rendered)")
    return EXIT_OK


def cmd_render(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    progress = _progress
    names, whole, options, overrides = _prepare(
        args, progress, format=args.format, transparent=args.transparent)
    if args.dry_run:
        stitched = whole and options.format in ("mp4", "webm")
        return _dry_run(names, options, overrides, out,
                        f"stitch them into {options.out_dir / ('relu_explainer.' + options.format)}"
                        if stitched else "")
    from .progress import live_progress
    from .render import format_seconds, render_scenes
    started = time.perf_counter()
    with live_progress() as frames:
        clips = render_scenes(names, overrides, options, progress=progress, frames=frames)
    for clip in clips:
        out(str(clip.video))
    if whole and options.format in ("mp4", "webm"):
        from .stitch import stitch
        progress(f"      stitching {len(clips)} clips")
        result = stitch(clips, options.out_dir)
        out(str(result.video))
        progress(f"the explainer: {result.video} ({format_seconds(result.duration)}), subtitles "
                 f"{result.srt.name} and {result.vtt.name}, transcript {result.transcript.name}, "
                 f"chapters {result.chapters_txt.name}; "
                 f"total time {format_seconds(time.perf_counter() - started)}")
    elif whole:
        progress(f"format {options.format}: rendered one file per scene; only mp4 and webm are "
                 f"stitched into one video")
    return EXIT_OK


DECK_FORMATS = ("html", "zip", "pptx")
DECK_FILES = {"html": "index.html", "zip": "slides.zip", "pptx": "slides.pptx"}


def cmd_slides(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    progress = _progress
    names, whole, options, overrides = _prepare(args, progress, format="mp4", sections=True)
    from .slides import check_deck_file, check_slides_dir
    target = options.out_dir / DECK_FILES[args.to]
    try:  # before the render, not after it
        check_slides_dir(options.out_dir) if args.to == "html" else check_deck_file(target)
    except FileExistsError as error:
        raise UsageError(str(error)) from None
    if args.dry_run:
        return _dry_run(names, options, overrides, out, f"write the deck {target}")
    from .progress import live_progress
    from .render import render_scenes
    from .slides import staged_render
    with staged_render(options) as staged:  # rendered in the user cache: the deck's folder holds the deck only
        with live_progress() as frames:
            clips = render_scenes(names, overrides, staged, progress=progress, frames=frames)
        written = _write_deck(args.to, clips, target, args.title, options.theme)
    out(str(written))
    return EXIT_OK


def _write_deck(to: str, clips: list, target: Path, title: str, theme: str) -> Path:
    """Write the deck as `to` says; a deck that cannot be written is one line (exit 1), the previous one kept."""
    from .slides import write_slides, write_zip
    try:
        if to == "pptx":
            from .pptx_deck import write_pptx
            return write_pptx(clips, target, title, theme_name=theme)
        if to == "zip":
            return write_zip(clips, target, title, theme_name=theme)
        return write_slides(clips, target.parent, title=title, theme_name=theme)
    except (ValueError, FileNotFoundError) as error:
        raise RenderError(f"cannot write the deck {target}: {error}") from None
    except OSError as error:
        raise RenderError(f"cannot write the deck {target}: {error.strerror or error}") from None


# --- entry point ----------------------------------------------------------------------------------

def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _say(line: str) -> None:
    """Print to stderr, unless it is gone (SIGHUP: the terminal was closed): the exit code still tells."""
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 ok, 1 failure, 2 usage error, 128 + the signal's
    number when Ctrl-C, SIGTERM or SIGHUP stopped it: 130, 143, 129)."""
    from . import lifecycle
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        with lifecycle.stop_signals():
            try:
                args = build_parser().parse_args(argv)
                return args.func(args, print)
            except KeyboardInterrupt:  # stopped before a render began, or while stitching
                raise Interrupted(lifecycle.received()) from None
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return exit_.code if isinstance(exit_.code, int) else EXIT_FAILURE
    except Interrupted as stop:
        if debug:
            traceback.print_exc()
        _say(str(stop))
        return stop.exit_code
    except KeyboardInterrupt:  # a second Ctrl-C right as the first one's handling ended
        _say("interrupted")
        return EXIT_INTERRUPTED
    except CliError as error:
        if debug:
            traceback.print_exc()
        print(f"{PROG}: {error}", file=sys.stderr)
        details = getattr(error, "details", "")
        if details:
            print(textwrap.indent(details, "  | "), file=sys.stderr)
        return error.exit_code
    except Exception as error:  # a bug: still one line, the traceback with --debug
        if debug:
            traceback.print_exc()
        print(f"{PROG}: internal error: {type(error).__name__}: {error} "
              f"(run with --debug for the traceback)", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())

"""The `preview` command: render one scene fast (480p15), and with `--watch` again on every edit.

The command stays one process: manim, numpy and the scene modules stay imported, and each render is a
worker forked from it (render.render_scenes), so a preview costs the render, not the start-up. Before
each re-render the edited code is dropped from `sys.modules` (every `scenes` module, a `module:Class`
scene's own module, and relu_core's when one of its files changed), so the fork imports it afresh;
the TOML file is read and checked anew. Changes are watched with watchfiles (the OS's notifications,
not polling), on the folders themselves, so an editor that saves by renaming a new file over the old
one is seen too.

While watching, a mistake in a watched file (TOML syntax, a value outside a scene's limits, a scene
that fails to import or to render) is one line on stderr, and the next change renders again.

>>> PREVIEW_LINE.format(path="media/ReluUnit.mp4", seconds=2.34)
'preview: media/ReluUnit.mp4 (2.3 s)'
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import EXIT_OK, CliError, Interrupted, RenderError, UsageError

__all__ = ["PREVIEW_LINE", "Previewer", "watch", "watch_filter", "error_text", "viewer_command", "register",
           "cmd_preview"]

PREVIEW_LINE = "preview: {path} ({seconds:.1f} s)"
"""What a finished preview prints on stdout, flushed; the bench parses it."""
DEFAULT_OUT = "media"  # as `render`'s
TICK_MS = 100
"""How long the watcher waits before the first render (it must be watching before that render starts,
so that an edit made during it is not missed: watchfiles yields on this timeout), and then how often
it wakes while nothing changes."""
STEP_MS = 50
"""A change is rendered once the watched files have been quiet this long (an editor's save is several writes)."""
ERROR_PREFIX = "relu-explainer"
MANIM_CACHE = False
"""Previews render without Manim's partial-movie cache unless --cache: at 480p15, hashing every play()
call to look its clip up costs more than drawing it, whenever a tweak changed what is drawn. Measured
(2 cores, load 3 to 5), seconds a re-render, cache hit (nothing changed) / miss (--x-range changed) /
no cache: ReluUnit 5.1-6.3 / 8.2-8.3 / 5.7-6.1, ZoomToLine 4.1-4.6 / 14.2-14.6 / 7.7-7.9."""

EXAMPLES = """\
examples:
  relu-explainer preview ReluUnit                      one render at 480p15, its path printed (and opened)
  relu-explainer preview ZoomToLine --params my.toml --watch     again on every save of my.toml or scenes/
  relu-explainer preview my_scenes:SineFromReLUs --watch --no-open     a scene of your own (my_scenes.py)

With --watch it renders again whenever the scene's file, another file under scenes/ or relu_core/, or
the --params file changes, and prints one line a render: preview: <path> (<seconds> s). Ctrl-C stops.
"""


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def error_text(error: BaseException) -> str:
    """An error as the command prints it: one line, and a failed render's log tail indented below it.

    >>> from relu_explainer_cli.errors import RenderError
    >>> print(error_text(RenderError("X failed to render", details="Traceback\\nValueError: no")))
    relu-explainer: X failed to render
      | Traceback
      | ValueError: no
    """
    if isinstance(error, CliError):
        details = getattr(error, "details", "")
        text = f"{ERROR_PREFIX}: {error}"
        return text + ("\n" + textwrap.indent(details, "  | ") if details else "")
    return f"{ERROR_PREFIX}: {type(error).__name__}: {error}"


def viewer_command() -> list[str] | None:
    """The program that shows a file on this desktop: `open` on macOS, else `xdg-open` with a display
    (DISPLAY or WAYLAND_DISPLAY); None when there is none (a server, ssh without X, CI)."""
    if sys.platform == "darwin":
        program = shutil.which("open")
    elif os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        program = shutil.which("xdg-open")
    else:
        program = None
    return [program] if program else None


class Previewer:
    """One scene, previewed: `render()` it with the command's settings, `forget()` edited code first.

    `args` are the parsed `preview` arguments (the scene options `render` takes, see main.py).
    """

    def __init__(self, args: argparse.Namespace, progress: Callable[[str], None] = _say) -> None:
        from .params import scene_spec
        if len(args.scenes) != 1:
            raise UsageError(f"preview takes one scene, got {len(args.scenes) or 'none'} "
                             f"(see `relu-explainer list`)")
        self.args = args
        self.scene: str = args.scenes[0]
        self.progress = progress
        self.module, _ = scene_spec(self.scene)  # an unknown scene fails here, with a suggestion
        self.own_module = ":" in self.scene  # a `module:Class` of the user's, not one of scenes/
        self.viewer: subprocess.Popen | None = None
        self.opened = False
        self.outlines: tuple[str, ...] = ()  # the last render's glyph outlines (read_ahead)
        self.typeset: tuple[tuple, tuple] = ((), ())  # the formulas and labels of the last two renders

    def check(self) -> None:
        """Refuse what no edit of a watched file can fix: the scene's module or class, the flags' values
        (within the scene's limits), the output folder, LaTeX. (The TOML is checked by each render.)"""
        from .main import _settings
        from .params import load_scene, resolve_overrides
        from .render import check_latex, check_output_dir
        flags, _, sources, _ = _settings(argparse.Namespace(**{**vars(self.args), "config": None}))
        try:
            cls = load_scene(self.scene)  # no such module or class: a UsageError that says why
        except RenderError:
            pass  # its code fails to import: a save can fix that, and the first render says so
        else:
            resolve_overrides({self.scene: cls}, flags, {}, sources)  # the flags against its limits
        config = self.args.config
        if config is not None and not Path(config).resolve().parent.is_dir():
            raise UsageError(f"--params {config}: its folder {Path(config).parent} does not exist")
        check_output_dir(self.args.out, create=False)
        check_latex()

    def module_file(self) -> Path | None:
        """The scene's own source file, if its module exists."""
        try:
            spec = importlib.util.find_spec(self.module)
        except (ImportError, ValueError):
            return None
        return Path(spec.origin).resolve() if spec and spec.origin and spec.has_location else None

    def watched(self) -> list[Path]:
        """What to watch: the scene's file, every file under scenes/ and relu_core/, the TOML file."""
        import relu_core
        import scenes
        paths = [_package_dir(scenes), _package_dir(relu_core)]
        own = self.module_file()
        if own is not None:
            paths.append(own)
        if self.args.config is not None:
            paths.append(Path(self.args.config).resolve())
        return paths

    def render(self) -> tuple[Path, float]:
        """Render the scene once as the command line says: (the video, wall seconds it took)."""
        from .main import _prepare
        from .render import render_scenes
        started = time.perf_counter()
        names, _, options, overrides = _prepare(self.args, self.progress)
        clips = render_scenes(names, overrides, dataclasses.replace(options, draft=True), progress=_quiet)
        self.outlines = clips[0].outlines
        self.typeset = (clips[0].typeset, self.typeset[0])
        return clips[0].video, time.perf_counter() - started

    def read_ahead(self) -> None:
        """Ready the next render while the loop waits for a change: read the glyph outlines the last one
        used into this process (svg_outlines.preload), then build the formulas and labels of the last
        two renders from them (typesetting.prebuild), so the next render, forked from here, finds both
        in memory. After a theme tweak RulerAndProtractor finds 39 of its 47 outlines, and all of its
        formulas (a formula's template has no colour) and, from the render before, its labels."""
        from manim import tempconfig

        from scenes import fast_copy, svg_outlines, typesetting

        from .paths import cache_root, tex_cache
        from .worker import OUTLINES_DIR, OUTLINES_IN_MEMORY, TEXTS_DIR, TYPESET_IN_MEMORY
        svg_outlines.preload(cache_root() / OUTLINES_DIR, list(self.outlines), OUTLINES_IN_MEMORY)
        svg_outlines.install(cache_root() / OUTLINES_DIR, OUTLINES_IN_MEMORY)  # as in a render
        fast_copy.install()
        with tempconfig({"tex_dir": str(tex_cache()), "text_dir": str(cache_root() / TEXTS_DIR),
                         "verbosity": "WARNING"}):
            typesetting.prebuild(self.typeset[0] + self.typeset[1], TYPESET_IN_MEMORY)

    def forget(self, changed: Iterable[Path] = ()) -> None:
        """Drop the scenes' modules (and the user's scene module; relu_core's too when one of `changed`
        is under it) from sys.modules, so the next render imports them as they are on disk now.

        manim, numpy and the rest stay imported: that is what makes a preview fast.
        """
        import relu_core
        changed = [Path(path) for path in changed]
        core = _package_dir(relu_core)
        drop = ["scenes"] + ([self.module] if self.own_module else [])
        if any(core in path.parents for path in changed):
            drop.append("relu_core")
        for name in list(sys.modules):
            if any(name == root or name.startswith(root + ".") for root in drop):
                del sys.modules[name]
        for path in changed:  # a .pyc records its source's mtime in whole seconds: a quick edit of
            if path.suffix == ".py":  # the same size would look unchanged, so drop the cache itself
                with contextlib.suppress(OSError, ValueError):
                    Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
        importlib.invalidate_caches()
        if any(path.suffix == ".py" for path in changed):  # the templates were built by the code before
            from .worker import TYPESET_IN_MEMORY
            TYPESET_IN_MEMORY.clear()
        # params took TWEAKS and the knobs' checks from scenes.knobs when it was imported: take them anew.
        from . import params
        importlib.reload(params)

    def show(self, path: Path) -> None:
        """Open `path` in the desktop's viewer, once (a viewer reloads, or the user opens it again);
        never with --no-open, never waiting for the viewer."""
        if self.opened or self.args.no_open:
            return
        self.opened = True
        command = viewer_command()
        if command is None:
            return
        try:
            self.viewer = subprocess.Popen([*command, str(path)], stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                           start_new_session=True)  # not stopped by our Ctrl-C
        except OSError as error:
            self.progress(f"cannot open {path} with {command[0]}: {error.strerror or error}")


def _package_dir(package) -> Path:
    return Path(package.__file__).resolve().parent


def _quiet(line: str) -> None:
    """render_scenes' progress lines: the preview line says it all."""


def _watch_roots(paths: Sequence[Path]) -> tuple[list[Path], set[Path], list[Path]]:
    """(folders to watch, files that count, folders whose .py files count) for `paths`.

    Folders are watched each on its own, not recursively (so a big folder beside a watched file costs
    nothing), files through their folder: an editor may replace a file by renaming a new one over it.
    """
    files = {Path(p) for p in paths if not Path(p).is_dir()}
    code_dirs = []
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        code_dirs.append(folder)
        code_dirs += [sub for sub in sorted(folder.rglob("*")) if sub.is_dir()
                      and not any(part.startswith((".", "__pycache__")) for part in sub.relative_to(folder).parts)]
    roots = list(dict.fromkeys([*code_dirs, *(f.parent for f in sorted(files))]))
    return roots, files, code_dirs


def watch_filter(files: set[Path], code_dirs: Sequence[Path]) -> Callable[[object, str], bool]:
    """watchfiles' filter: a change counts if it is one of `files` or a .py file right in `code_dirs`.

    >>> counts = watch_filter({Path("/w/my.toml")}, [Path("/w/scenes")])
    >>> [counts(None, p) for p in ("/w/my.toml", "/w/scenes/a.py", "/w/scenes/a.py~", "/w/other.toml")]
    [True, True, False, False]
    """
    dirs = set(code_dirs)

    def counts(change: object, path: str) -> bool:
        p = Path(path)
        return p in files or (p.suffix == ".py" and p.parent in dirs)

    return counts


def watch(previewer: Previewer, paths: Sequence[Path], out: Callable[[str], None], *,
          report: Callable[[str], None] = _say, stop_event=None) -> None:
    """Preview now, then again after every change to `paths` (folders: their .py files; files),
    until Ctrl-C (KeyboardInterrupt) or `stop_event` (anything with `is_set()`) is set.

    Each preview prints PREVIEW_LINE with `out`; a failure is `report`ed, and the watch goes on.
    """
    import logging

    import watchfiles
    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # not "1 change detected" through manim's log
    roots, files, code_dirs = _watch_roots(paths)
    first = True
    for changes in watchfiles.watch(*roots, watch_filter=watch_filter(files, code_dirs), recursive=False,
                                    step=STEP_MS, rust_timeout=TICK_MS, yield_on_timeout=True,
                                    stop_event=stop_event, raise_interrupt=True):
        if not changes and not first:
            continue  # the watcher's timeout: nothing changed
        try:
            if not first:
                previewer.forget(Path(path) for _, path in changes)
            first = False
            path, seconds = previewer.render()
        except Interrupted:
            raise
        except Exception as error:  # a mistake in a watched file: say it, wait for the next change
            report(error_text(error))
            continue
        out(PREVIEW_LINE.format(path=path, seconds=seconds))
        previewer.show(path)
        previewer.read_ahead()


# --- the command ----------------------------------------------------------------------------------

def register(sub, add_scene_options: Callable[[argparse.ArgumentParser, str], None]) -> None:
    """Add the `preview` subcommand to the command's subparsers."""
    preview = sub.add_parser(
        "preview", help="render one scene fast (480p15); with --watch, again on every edit",
        description="Render one scene at low quality into DIR/<Scene>.mp4, print its path and open it.\n"
                    "With --watch, keep the command (and manim) loaded and render again whenever the\n"
                    "scene's code, scenes/, relu_core/ or the --params file changes.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scene_options(preview, DEFAULT_OUT)
    for action in preview._actions:
        if action.dest == "scenes":
            action.nargs, action.metavar = 1, "SCENE"
            action.help = "the scene (see `relu-explainer list`), or module:Class for one of your own"
        elif action.dest == "quality":
            action.help = "low 480p15 (default), medium 720p30, high 1080p60, 4k 2160p60"
        elif action.dest == "no_cache" and not MANIM_CACHE:  # already the default: --cache is the flag
            action.help = argparse.SUPPRESS
        elif action.dest == "voice":
            action.help = "narration voice (default: none, the fastest; piper, espeak or FILE.onnx to hear it)"
    preview.add_argument("--params", dest="config", type=Path, metavar="FILE.toml",
                         help="settings from a TOML file, as --config; watched with --watch")
    preview.add_argument("--watch", action="store_true",
                         help="keep running; render again on every change (Ctrl-C stops)")
    preview.add_argument("--no-open", action="store_true", help="do not open the video in a viewer")
    if not MANIM_CACHE:
        preview.add_argument("--cache", dest="no_cache", action="store_false",
                             help="use Manim's partial-movie cache: faster when little of the scene changed, "
                                  "slower when a tweak changed most of it (the default: no cache)")
    preview.set_defaults(func=cmd_preview, quality="low", no_cache=not MANIM_CACHE)


def cmd_preview(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    from .main import _dry_run, _prepare

    def line(text: str) -> None:
        out(text)
        sys.stdout.flush()

    if args.voice is None:
        args.voice = "none"
    previewer = Previewer(args)
    previewer.check()
    if args.dry_run:
        names, _, options, overrides = _prepare(args, _say)
        return _dry_run(names, options, overrides, out)
    if not args.watch:
        path, seconds = previewer.render()
        line(PREVIEW_LINE.format(path=path, seconds=seconds))
        previewer.show(path)
        return EXIT_OK
    paths = previewer.watched()
    _say(f"watching {', '.join(_short(p) for p in paths)}: a change renders {previewer.scene} again; "
         f"Ctrl-C stops")
    watch(previewer, paths, line)
    return EXIT_OK


def _short(path: Path) -> str:
    """`path` relative to the current folder when it is inside it."""
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd())) + ("/" if path.is_dir() else "")
    return str(path)

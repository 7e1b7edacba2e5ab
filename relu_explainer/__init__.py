"""relu_explainer: the explainer's scenes in a Jupyter notebook.

`show` renders a scene as `relu-explainer render` does (the same command line, built from its
arguments, so the same checks and messages) and returns the video for the cell to display::

    from relu_explainer import show
    show("ApproximateSquare", target="sin(x)", quality="low")

A bad argument raises ExplainerError with the line the command would print:

>>> try:
...     show("NoSuchScene")
... except ExplainerError as error:
...     print(error.exit_code, str(error).split(";")[0])
2 unknown scene 'NoSuchScene'
"""
from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["show", "render_argv", "ExplainerError"]

OPTIONS = {"quality": "--quality", "fps": "--fps", "out": "--out", "theme": "--theme", "voice": "--voice",
           "format": "--format"}
"""show()'s keywords that are the command's output options, with their flags."""
VIDEO_FORMATS = ("mp4", "webm")


class ExplainerError(Exception):
    """What `relu-explainer render` would have refused or failed with: `str(error)` is its message (the
    line it prints after 'relu-explainer: '), `exit_code` the code it would exit with."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _toml_value(value: Any) -> str:
    """A TOML value for a param: strings, numbers, booleans and lists of them.

    >>> _toml_value("sin(x)"), _toml_value((-2, 2.5)), _toml_value(True)
    ('"sin(x)"', '[-2, 2.5]', 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def render_argv(scene: str, params: dict[str, Any], config: Path | None = None, *, quality: str = "low",
                out: str | Path = "media", voice: str = "none", cache: bool = True, **options: Any) -> list[str]:
    """The `relu-explainer render` command line for show()'s arguments: tweaks (target, steps, x_range,
    pieces) as their flags, the scene's other params in a [Scene] table of `config` (written here).

    >>> render_argv("ApproximateSquare", {"target": "sin(x)", "x_range": (-2, 2)})
    ['render', 'ApproximateSquare', '--quality', 'low', '--out', 'media', '--voice', 'none', '--target', 'sin(x)', '--x-range', '-2', '2']
    """
    from scenes.knobs import TWEAKS
    argv = ["render", scene, "--quality", quality, "--out", str(out), "--voice", voice]
    for key, value in options.items():
        if key not in OPTIONS:
            raise TypeError(f"show() got an unexpected keyword argument {key!r}")
        if value is not None:
            argv += [OPTIONS[key], str(value)]
    if not cache:
        argv.append("--no-cache")
    table = {}
    for key, value in params.items():
        if key in TWEAKS:
            values = value if isinstance(value, (list, tuple)) else [value]
            argv += [TWEAKS[key].flag, *(str(v) for v in values)]
        else:
            table[key] = value
    if table:
        if config is None:
            raise ValueError("params that are not tweaks need a config file to go in")
        config.write_text(f"[{json.dumps(scene)}]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in table.items()),
                          encoding="utf-8")
        argv += ["--config", str(config)]
    return argv


def _run(argv: list[str]) -> list[str]:
    """Run the command in this process; return what it printed on stdout (the files it wrote).
    Raises ExplainerError with the message it would print, KeyboardInterrupt when stopped."""
    from relu_explainer_cli import lifecycle
    from relu_explainer_cli.errors import CliError, Interrupted
    from relu_explainer_cli.main import PROG, build_parser
    printed: list[str] = []
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse's one line: "relu-explainer render: error ..."
        raise ExplainerError(errors.getvalue().strip(), exit_.code if isinstance(exit_.code, int) else 2) from None
    try:
        with lifecycle.stop_signals():
            try:
                args.func(args, printed.append)
            except KeyboardInterrupt:
                raise Interrupted(lifecycle.received()) from None
    except Interrupted:
        raise KeyboardInterrupt from None
    except CliError as error:
        details = getattr(error, "details", "")
        raise ExplainerError(str(error) + (f"\n{details}" if details else ""), error.exit_code) from None
    if not printed:
        raise ExplainerError(f"{PROG} render wrote no file")
    return printed


def show(scene: str, *, quality: str = "low", out: str | Path = "media", voice: str = "none",
         theme: str | None = None, fps: int | None = None, format: str = "mp4", cache: bool = True,
         embed: bool = True, **params: Any):
    """Render `scene` (a name from `relu-explainer list`) and return it as an IPython Video.

    `params` are the scene's params (target="sin(x)", steps=4, x_range=(-2, 2), ...); the rest are
    the command's options: quality low (480p15, the default here) to 4k, the output folder `out`,
    voice ("none" by default: subtitles only; "piper" speaks), theme, fps, format (mp4 or webm),
    cache=False for --no-cache. The video is embedded in the notebook unless embed=False.
    Raises ExplainerError (with the command's message) for bad input or a failed render.
    """
    if format not in VIDEO_FORMATS:
        raise ExplainerError(f"show() plays video: format must be one of {', '.join(VIDEO_FORMATS)}, "
                             f"not {format!r}", 2)
    with tempfile.TemporaryDirectory(prefix="relu-explainer-show-") as work:
        argv = render_argv(scene, params, Path(work) / "params.toml", quality=quality, out=out, voice=voice,
                           cache=cache, theme=theme, fps=fps, format=format)
        video = Path(_run(argv)[-1])
    from IPython.display import Video
    return Video(str(video), embed=embed, mimetype=f"video/{format}")

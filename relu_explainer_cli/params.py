"""From flags and TOML to each scene's params: which scenes exist, what they take, and checked values.

Each scene's params dataclass is the one contract: its fields' metadata (scenes.knobs) say what a
knob means and its limits, and its `__post_init__` checks them. The shared tweaks (`TWEAKS`:
target, x_range, steps, pieces) apply to every selected scene that declares that field; a TOML
file may also set any field of one scene's params in a `[SceneName]` table. Values are turned into
the field's type by pydantic (scenes.knobs.convert) and reach a scene only through
`dataclasses.replace(cls.params, ...)`, so the scene's own validation runs.

>>> check_tweaks({"steps": 4, "x_range": [-1, 1]})
{'steps': 4, 'x_range': (-1.0, 1.0)}
>>> closest_scene("ReluUnt", ["ReluUnit", "ZoomToLine"])
'ReluUnit'
"""
from __future__ import annotations

import dataclasses
import difflib
import importlib
import importlib.util
import typing
from pathlib import Path
from typing import Any, Iterable, Mapping

from scenes.knobs import TWEAKS, check_tweak, convert, limits_text
from scenes.style import THEMES as _THEMES

from .errors import RenderError, UsageError

__all__ = [
    "TWEAKS", "CONFIG_KEYS", "THEMES", "check_tweaks", "load_config", "closest_scene", "story",
    "available_story", "scene_spec", "load_scene", "param_fields", "build_params", "resolve_overrides",
    "to_json", "Field", "tweak_table", "caret_lines",
]

THEMES = tuple(_THEMES)
CONFIG_KEYS = tuple(TWEAKS) + ("theme",)
"""Keys allowed at the top level of a --config file."""


@dataclasses.dataclass(frozen=True)
class Field:
    """One knob of a scene, as `relu-explainer list` prints it."""

    name: str
    type: str
    default: Any
    help: str = ""
    limits: str = ""
    why: str = ""
    tweak: str | None = None

    def line(self) -> str:
        """'steps: int = 3 (1 to 6): n of the seeds' h_n ... Limit: why.'"""
        limits = f" ({self.limits})" if self.limits else ""
        why = f". Limit: {self.why}" if self.why else ""
        meaning = f": {self.help}{why}" if self.help else ""
        return f"{self.name}: {self.type} = {self.default!r}{limits}{meaning}"


def caret_lines(error: BaseException, pad: str = "  ") -> str:
    """The caret window of an ExpressionError (see relu_core.expressions), indented; '' for others."""
    caret = getattr(error, "caret", None)
    if not callable(caret):
        return ""
    return "\n" + "\n".join(pad + line for line in caret().splitlines())


def check_tweaks(tweaks: Mapping[str, Any], sources: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The shared tweaks (and the theme) in their types, with the checks every scene makes.

    Each scene's own limits are checked later, by its params (see `resolve_overrides`). Raises
    UsageError with one line naming the flag or key (`sources`); a formula error adds a caret line.

    >>> check_tweaks({"x_range": (2, 1)}, {"x_range": "--x-range"})
    Traceback (most recent call last):
    ...
    relu_explainer_cli.errors.UsageError: --x-range: x_range is reversed: LO must be less than HI, got 2 1
    """
    sources = sources or {}
    out: dict[str, Any] = {}
    for key, value in tweaks.items():
        if value is None:
            continue
        label = sources.get(key, key)
        if key == "theme":
            if value not in THEMES:
                raise UsageError(f"{label}: unknown theme {value!r}: choose one of {', '.join(THEMES)}")
            out[key] = value
            continue
        try:
            out[key] = check_tweak(key, value)
        except ValueError as error:
            raise UsageError(f"{label}: {error}{caret_lines(error)}") from None
    return out


def read_toml(path: Path, what: str = "config file") -> dict[str, Any]:
    """The TOML file at `path` as a dict; a missing, unreadable or invalid file is a UsageError in one
    line that names it as `what` ("config file", "batch file")."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise UsageError(f"{what} not found: {path}") from None
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{what} {path} is not valid TOML: {error}") from None


def load_config(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Read a TOML config: (top-level settings for every scene, {scene: its own table}).

    Unknown top-level keys are errors naming the valid ones; scene tables are checked later against
    that scene's params (see `resolve_overrides`).
    """
    data = read_toml(path)
    top: dict[str, Any] = {}
    tables: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            tables[key] = {k.replace("-", "_"): v for k, v in value.items()}
            continue
        name = key.replace("-", "_")
        if name not in CONFIG_KEYS:
            raise UsageError(f"unknown key {key!r} in {path}: valid top-level keys are "
                             f"{', '.join(CONFIG_KEYS)}, and [SceneName] tables for one scene")
        top[name] = value
    return check_tweaks(top, {key: f"{key} in {path}" for key in top}), tables


# --- which scenes: the story (scenes.explainer, the one registry) or `module:Class` --------------

def story() -> tuple[str, ...]:
    """Every scene of the explainer, in story order (written or not)."""
    from scenes.explainer import STORY
    return STORY


def available_story() -> tuple[list[str], list[str]]:
    """(scenes whose module exists, scenes not written yet), both in story order."""
    from scenes.explainer import written
    return written()


def scene_spec(name: str) -> tuple[str, str]:
    """(module, class name) for a story scene, or for `module:Class` (a scene of your own)."""
    from scenes.explainer import MODULES
    if name in MODULES:
        return MODULES[name], name
    module, colon, cls = name.partition(":")
    if colon and cls.isidentifier() and module and all(part.isidentifier() for part in module.split(".")):
        import os
        import sys
        if os.getcwd() not in sys.path:  # `module:Class` names a module under the current directory
            sys.path.insert(0, os.getcwd())
        return module, cls
    raise UsageError(unknown_scene_message(name))


def closest_scene(name: str, known: Iterable[str]) -> str | None:
    """The known scene name closest to `name`, if any is close (case does not matter)."""
    known = list(known)
    lower = {k.lower(): k for k in known}
    match = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.6)
    return lower[match[0]] if match else None


def unknown_scene_message(name: str) -> str:
    known = story()
    guess = closest_scene(name, known)
    hint = f" (did you mean {guess}?)" if guess else ""
    return f"unknown scene {name!r}{hint}; known scenes: {', '.join(known)}"


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def load_scene(name: str) -> type:
    """Import a scene class by story name or `module:Class`; errors say which and why.

    Naming something that is not a scene (`os:system`, a class without a params dataclass) is a
    usage error; a scene module that fails to import is a failure (its bug, shown with --debug).
    """
    module_name, cls_name = scene_spec(name)
    if not _module_exists(module_name):
        from scenes.explainer import MODULES
        if name in MODULES:
            raise UsageError(f"scene {name} is not written yet (no module {module_name})")
        raise UsageError(f"no module {module_name!r} for scene {name} (looked in the current directory "
                         f"and the installed packages)")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # a scene with a bug: name it, the traceback is in --debug
        raise RenderError(f"scene {name} failed to import: {type(error).__name__}: {error}") from error
    cls = getattr(module, cls_name, None)
    if cls is None:
        raise UsageError(f"module {module_name} has no scene {cls_name}")
    from manim import Scene
    if not (isinstance(cls, type) and issubclass(cls, Scene)):
        raise UsageError(f"{name} is not a scene: {module_name}.{cls_name} is a "
                         f"{type(cls).__name__}, not a Manim Scene class")
    params = getattr(cls, "params", None)
    if not dataclasses.is_dataclass(params) or isinstance(params, type):
        raise UsageError(f"{name} is not a scene of this explainer: it has no params dataclass "
                         f"(a class attribute `params`, see the README)")
    return cls


# --- a scene's knobs ------------------------------------------------------------------------------

def param_fields(cls: type) -> list[Field]:
    """The scene's knobs: name, type, the explainer's value (the class's `params`), meaning and limits."""
    params = cls.params
    out = []
    for f in dataclasses.fields(params):
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        out.append(Field(f.name, kind, getattr(params, f.name), f.metadata.get("help", ""),
                         limits_text(f.metadata), f.metadata.get("why", ""), f.metadata.get("tweak")))
    return out


def _tweak_fields(cls: type | None) -> dict[str, str]:
    """{tweak: field name} for the shared tweaks a scene's params declare (scenes.knobs.tweak)."""
    params = getattr(cls, "params", None)
    if not dataclasses.is_dataclass(params):
        return {}
    return {f.metadata["tweak"]: f.name for f in dataclasses.fields(params) if "tweak" in f.metadata}


def build_params(name: str, cls: type, overrides: Mapping[str, Any]) -> Any:
    """`dataclasses.replace(cls.params, **overrides)`, each value first turned into its field's type.

    Unknown fields and invalid values become a UsageError naming the scene.
    """
    params = cls.params
    fields = [f.name for f in dataclasses.fields(params)]
    hints = typing.get_type_hints(type(params))
    changes = {}
    for key, value in overrides.items():
        if key not in fields:
            raise UsageError(f"unknown key {key!r} for scene {name}: its params are {', '.join(fields)}")
        try:
            changes[key] = convert(key, hints[key], value)
        except ValueError as error:
            raise UsageError(f"{name}: {error}") from None
    if not changes:
        return params
    try:
        return dataclasses.replace(params, **changes)
    except (ValueError, TypeError) as error:
        raise UsageError(f"{name}: {error}{caret_lines(error)}") from None


def resolve_overrides(
    classes: Mapping[str, type],
    tweaks: Mapping[str, Any],
    tables: Mapping[str, Mapping[str, Any]],
    sources: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """{scene: the params fields to change} for the selected scenes, every value checked.

    `tweaks` (the shared TWEAKS) apply to each selected scene whose params declare that tweak; if
    none does, that is a usage error naming the scenes that take it. `tables` ([SceneName] in the
    config) apply to their own scene only and win over the config's top level; command-line flags
    are merged into `tweaks` by the caller and win over both. `sources` names where a tweak came
    from (e.g. "--steps") for the messages.
    """
    sources = sources or {}
    known = set(story())
    for table in tables:
        if table not in known and table not in classes:
            raise UsageError(f"[{table}] in the config: {unknown_scene_message(table)}")
    result: dict[str, dict[str, Any]] = {name: {} for name in classes}
    for key, value in tweaks.items():
        if key not in TWEAKS:
            continue
        takers = [name for name, cls in classes.items() if key in _tweak_fields(cls)]
        if not takers:
            everyone = [name for name in available_story()[0] if key in _tweak_fields(_quiet_load(name))]
            label = sources.get(key, key)
            which = f"scenes that take it: {', '.join(everyone)}" if everyone else "no scene takes it"
            raise UsageError(f"{label} applies to none of the selected scenes "
                             f"({', '.join(classes)}); {which}")
        for name in takers:
            result[name][_tweak_fields(classes[name])[key]] = value
    for name in classes:
        for key, value in tables.get(name, {}).items():
            if key in tweaks and sources.get(key, "").startswith("--"):
                continue  # the command line wins over the file
            result[name][key] = value
    for name, cls in classes.items():
        build_params(name, cls, result[name])  # validate now, before any worker starts
    return result


def _quiet_load(name: str) -> type | None:
    try:
        return load_scene(name)
    except Exception:
        return None


def tweak_table(classes: Mapping[str, type]) -> list[str]:
    """The shared tweaks as `list` prints them (and the README repeats): meaning, then who takes them.

    One block a tweak: '--steps N: <meaning>', then '    Scene: limits' for each scene that takes it.
    """
    lines = []
    for key, tweak in TWEAKS.items():
        metavar = " ".join(tweak.metavar) if isinstance(tweak.metavar, tuple) else tweak.metavar
        lines.append(f"{tweak.flag} {metavar}: {tweak.help}")
        for name, cls in classes.items():
            fields = {f.tweak: f for f in param_fields(cls) if f.tweak}
            if key in fields:
                f = fields[key]
                lines.append(f"    {name}: {f.default!r}" + (f", {f.limits}" if f.limits else ""))
    return lines


def to_json(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides as plain JSON values (tuples → lists); `build_params` turns them back."""
    return {k: _plain(v) for k, v in overrides.items()}


def _plain(value: Any) -> Any:
    return [_plain(v) for v in value] if isinstance(value, (tuple, list)) else value

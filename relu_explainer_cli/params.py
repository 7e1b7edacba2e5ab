"""From flags and TOML to each scene's params: which scenes exist, what they take, and checked values.

The tweaks every scene shares by name are `target`, `terms` and `x_range`; a TOML file may also set
any field of one scene's params in a `[SceneName]` table. Values reach a scene only through
`dataclasses.replace(cls.params, ...)`, so the scene's own `__post_init__` validation runs.

>>> check_tweaks({"terms": 4, "x_range": (-1, 1)})
{'terms': 4, 'x_range': (-1.0, 1.0)}
>>> closest_scene("ReluUnt", ["ReluUnit", "ZoomToLine"])
'ReluUnit'
"""
from __future__ import annotations

import dataclasses
import difflib
import importlib
import importlib.util
import math
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import RenderError, UsageError

__all__ = [
    "MAX_TERMS", "MAX_WIDTH", "TWEAKS", "CONFIG_KEYS", "THEMES",
    "check_tweaks", "load_config", "closest_scene", "story", "available_story", "scene_spec",
    "load_scene", "param_fields", "build_params", "resolve_overrides", "to_json", "Field",
]

MAX_TERMS = 1000
"""The most ReLU terms the command accepts (a scene may accept fewer)."""
MAX_WIDTH = 1e6
"""The widest --x-range the command accepts."""
TWEAKS = ("target", "terms", "x_range")
"""Params fields the command line sets on every selected scene that has them."""
THEMES = ("dark", "light")
CONFIG_KEYS = TWEAKS + ("theme",)
"""Keys allowed at the top level of a --config file."""


@dataclasses.dataclass(frozen=True)
class Field:
    """One knob of a scene, as `relu-explainer list` prints it."""

    name: str
    type: str
    default: Any


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UsageError(f"{what} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise UsageError(f"{what} must be a finite number, got {value}")
    return value


def check_tweaks(tweaks: Mapping[str, Any]) -> dict[str, Any]:
    """The shared tweaks checked against the command's limits, before any scene is imported.

    Raises UsageError with one line naming the problem: a formula error points at the bad token.

    >>> check_tweaks({"x_range": (2, 1)})
    Traceback (most recent call last):
    ...
    relu_explainer_cli.errors.UsageError: x range is reversed: LO must be less than HI, got 2 1
    """
    out: dict[str, Any] = {}
    for key, value in tweaks.items():
        if value is None:
            continue
        if key == "target":
            if not isinstance(value, str):
                raise UsageError(f"target must be a formula in quotes, got {value!r}")
            from relu_core.expressions import ExpressionError, parse_function
            try:
                parse_function(value)
            except ExpressionError as error:
                raise UsageError(f"bad target: {error}\n{_indent(error.caret())}") from None
            out[key] = value
        elif key == "terms":
            if isinstance(value, bool) or not isinstance(value, int):
                raise UsageError(f"terms must be a whole number, got {value!r}")
            if value < 1:
                raise UsageError(f"terms must be at least 1, got {value}")
            if value > MAX_TERMS:
                raise UsageError(f"terms must be at most {MAX_TERMS}, got {value}")
            out[key] = value
        elif key == "x_range":
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                raise UsageError(f"x range must be two numbers LO HI, got {value!r}")
            pair = list(value)
            if len(pair) != 2:
                raise UsageError(f"x range must be two numbers LO HI, got {len(pair)} values")
            lo, hi = (_finite(v, "x range") for v in pair)
            if not lo < hi:
                kind = "empty" if lo == hi else "reversed"
                raise UsageError(f"x range is {kind}: LO must be less than HI, got {lo:g} {hi:g}")
            if hi - lo > MAX_WIDTH:
                raise UsageError(f"x range is too wide: at most {MAX_WIDTH:g}, got {hi - lo:g}")
            out[key] = (lo, hi)
        elif key == "theme":
            if value not in THEMES:
                raise UsageError(f"unknown theme {value!r}: choose one of {', '.join(THEMES)}")
            out[key] = value
        else:
            out[key] = value
    return out


def _indent(text: str, pad: str = "  ") -> str:
    return "\n".join(pad + line for line in text.splitlines())


def load_config(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Read a TOML config: (top-level settings for every scene, {scene: its own table}).

    Unknown top-level keys are errors naming the valid ones; scene tables are checked later against
    that scene's params (see `resolve_overrides`).
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise UsageError(f"config file not found: {path}") from None
    except OSError as error:
        raise UsageError(f"cannot read config file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"config file {path} is not valid TOML: {error}") from None
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
    return check_tweaks(top), tables


def story() -> tuple[str, ...]:
    """Every scene of the explainer, in story order (written or not)."""
    from scenes.explainer import STORY
    return STORY


def scene_spec(name: str) -> tuple[str, str]:
    """(module, class name) for a story scene, or for `module:Class` (a scene of your own)."""
    from scenes.explainer import MODULES
    if name in MODULES:
        return MODULES[name], name
    if ":" in name:
        module, _, cls = name.partition(":")
        if module and cls.isidentifier():
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


def available_story() -> tuple[list[str], list[str]]:
    """(scenes whose module exists, scenes not written yet), both in story order."""
    from scenes.explainer import MODULES
    have, missing = [], []
    for name, module in MODULES.items():
        (have if _module_exists(module) else missing).append(name)
    return have, missing


def load_scene(name: str) -> type:
    """Import a scene class by story name or `module:Class`; errors say which and why."""
    module_name, cls_name = scene_spec(name)
    if not _module_exists(module_name):
        raise UsageError(f"scene {name} is not written yet (no module {module_name})")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # a scene with a bug: name it, the traceback is in --debug
        raise RenderError(f"scene {name} failed to import: {type(error).__name__}: {error}") from error
    cls = getattr(module, cls_name, None)
    if cls is None:
        raise UsageError(f"module {module_name} has no scene {cls_name}")
    if not dataclasses.is_dataclass(getattr(cls, "params", None)):
        raise RenderError(f"scene {name} has no params dataclass (class attribute `params`)")
    return cls


def param_fields(cls: type) -> list[Field]:
    """The scene's knobs: name, type and the explainer's value (the class's `params`)."""
    params = cls.params
    out = []
    for f in dataclasses.fields(params):
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        out.append(Field(f.name, kind, getattr(params, f.name)))
    return out


def _coerce(scene: str, key: str, default: Any, value: Any, variable: bool = False) -> Any:
    """A TOML/JSON value in the type of the field's default (lists → tuples, ints → floats).

    `variable` marks a `tuple[X, ...]` field: any length, each item like the default's first.
    """
    where = f"{scene}.{key}"
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise UsageError(f"{where} must be true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{where} must be a whole number, got {value!r}")
        return value
    if isinstance(default, float):
        return _finite(value, where)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise UsageError(f"{where} must be a string, got {value!r}")
        return value
    if isinstance(default, tuple):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise UsageError(f"{where} must be a list like {list(default)!r}, got {value!r}")
        if variable:
            return tuple(_coerce(scene, key, default[0], v) for v in value) if default else tuple(value)
        if len(value) != len(default):
            raise UsageError(f"{where} must have {len(default)} values, got {len(value)}")
        return tuple(_coerce(scene, key, d, v) for d, v in zip(default, value))
    return value


def build_params(name: str, cls: type, overrides: Mapping[str, Any]) -> Any:
    """`dataclasses.replace(cls.params, **overrides)`, so the scene's own validation runs.

    Unknown fields and invalid values become a UsageError naming the scene.
    """
    params = cls.params
    types = {f.name: str(f.type) for f in dataclasses.fields(params)}
    coerced = {}
    for key, value in overrides.items():
        if key not in types:
            raise UsageError(f"unknown key {key!r} for scene {name}: its params are {', '.join(types)}")
        variable = types[key].replace(" ", "").endswith(",...]")
        coerced[key] = _coerce(name, key, getattr(params, key), value, variable)
    if not coerced:
        return params
    try:
        return dataclasses.replace(params, **coerced)
    except ValueError as error:
        caret = getattr(error, "caret", None)
        extra = f"\n{_indent(caret())}" if callable(caret) else ""
        raise UsageError(f"{name}: {error}{extra}") from None
    except TypeError as error:
        raise UsageError(f"{name}: {error}") from None


def resolve_overrides(
    classes: Mapping[str, type],
    tweaks: Mapping[str, Any],
    tables: Mapping[str, Mapping[str, Any]],
    sources: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """{scene: the params fields to change} for the selected scenes, every value checked.

    `tweaks` (target, terms, x_range) apply to each selected scene whose params have that field; if
    none has it, that is a usage error naming the scenes that take it. `tables` ([SceneName] in the
    config) apply to their own scene only and win over the config's top level; command-line flags are
    merged into `tweaks` by the caller and win over both. `sources` names where a tweak came from
    (e.g. "--terms") for the messages.
    """
    sources = sources or {}
    known = set(story())
    for table in tables:
        if table not in known and table not in classes:
            raise UsageError(f"[{table}] in the config: {unknown_scene_message(table)}")
    result: dict[str, dict[str, Any]] = {name: {} for name in classes}
    for key, value in tweaks.items():
        if key == "theme":
            continue
        takers = [name for name, cls in classes.items() if _has_field(cls, key)]
        if not takers:
            everyone = [name for name in _written_story() if _has_field(_quiet_load(name), key)]
            label = sources.get(key, key)
            which = f"scenes that take it: {', '.join(everyone)}" if everyone else "no scene takes it"
            raise UsageError(f"{label} applies to none of the selected scenes "
                             f"({', '.join(classes)}); {which}")
        for name in takers:
            result[name][key] = value
    for name in classes:
        for key, value in tables.get(name, {}).items():
            if key in tweaks and sources.get(key, "").startswith("--"):
                continue  # the command line wins over the file
            result[name][key] = value
    for name, cls in classes.items():
        build_params(name, cls, result[name])  # validate now, before any worker starts
    return result


def _has_field(cls: type | None, key: str) -> bool:
    params = getattr(cls, "params", None)
    return dataclasses.is_dataclass(params) and key in {f.name for f in dataclasses.fields(params)}


def _written_story() -> list[str]:
    return available_story()[0]


def _quiet_load(name: str) -> type | None:
    try:
        return load_scene(name)
    except Exception:
        return None


def to_json(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides as plain JSON values (tuples → lists); `build_params` turns them back."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in overrides.items()}

"""A scene's knobs: each params field's meaning and limits, declared once on the field, and their checks.

Every scene keeps its knobs in one frozen dataclass. A field is declared with `knob(...)`, or with
`tweak(...)` when it is one of the `TWEAKS` the command line sets on every scene that has it (the
same name means the same thing in every scene; only the limits differ). `check_knobs(self)` in the
dataclass's `__post_init__` turns each value into its field's type and enforces the limits, so
`dataclasses.replace`, a TOML file and a flag all meet the same checks. `relu-explainer list` and
`--help` print the same metadata.

Values are converted by pydantic in strict mode from their JSON form: lists become tuples, whole
numbers become floats where a float is wanted, but True is not a whole number and "3" is not a number.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Knobs:
...     steps: int = tweak("steps", 3, min=1, max=6)
...     x_range: tuple[float, float] = tweak("x_range", (-3.0, 3.0))
...     def __post_init__(self):
...         check_knobs(self)
>>> Knobs(x_range=[-1, 2]).x_range
(-1.0, 2.0)
>>> Knobs(steps=8)
Traceback (most recent call last):
...
ValueError: steps must be between 1 and 6 for this scene, got 8
>>> limits_text(field_of(Knobs, "steps").metadata)
'1 to 6'
"""
from __future__ import annotations

import dataclasses
import functools
import json
import math
import typing
from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["Tweak", "TWEAKS", "X_RANGE_WIDTH", "knob", "tweak", "check_knobs", "check_tweak", "check_range",
           "check_target", "limits_text", "type_text", "field_of", "show"]


@dataclass(frozen=True)
class Tweak:
    """A knob the command line sets on every selected scene that has it, by this one meaning."""

    name: str
    help: str
    type: Any
    metavar: str | tuple[str, ...]

    @property
    def flag(self) -> str:
        """'--x-range' for x_range."""
        return "--" + self.name.replace("_", "-")


TWEAKS: Mapping[str, Tweak] = {
    "target": Tweak("target", "the function of x to approximate, a formula such as sin(3*x) or abs(x)",
                    str, "FORMULA"),
    "x_range": Tweak("x_range", "the interval of x drawn, LO < HI (with two inputs, the range of both "
                                "x1 and x2)", tuple[float, float], ("LO", "HI")),
    "steps": Tweak("steps", "n of the seeds' h_n: the approximation grows in n steps, each adding a "
                            "pair of ReLU terms (fewer where the target is straight)", int, "N"),
    "pieces": Tweak("pieces", "how many straight pieces the approximation has across x_range "
                              "(pieces - 1 kinks)", int, "N"),
}
"""The shared tweaks, in the order `--help` shows them."""

TARGET_SAMPLES = 401
"""A target must be finite at this many evenly spaced points of x_range (ends included)."""


def knob(default: Any, help: str, *, min: float | None = None, max: float | None = None,
         items: tuple[int, int] | None = None, max_width: float | None = None, why: str | None = None,
         _tweak: str | None = None) -> Any:
    """A params field with its meaning and limits as metadata (what `check_knobs` enforces).

    `min`/`max` bound every number in the value (each item of a tuple); `items` bounds the length
    of a variable tuple; `max_width` bounds hi - lo of a range; `why` says why the limit is there.
    """
    metadata = {"help": help, "min": min, "max": max, "items": items, "max_width": max_width,
                "why": why, "tweak": _tweak}
    return dataclasses.field(default=default, metadata={k: v for k, v in metadata.items() if v is not None})


X_RANGE_WIDTH = 100.0
"""The widest x_range of a scene that sets no `max_width` of its own: wider, every curve looks flat."""


def tweak(name: str, default: Any, *, note: str | None = None, **limits: Any) -> Any:
    """A field for one of the shared `TWEAKS`: its meaning is the tweak's, `note` adds this scene's detail."""
    help = TWEAKS[name].help + (f"; {note}" if note else "")
    if name == "x_range":
        limits.setdefault("max_width", X_RANGE_WIDTH)
    return knob(default, help, _tweak=name, **limits)


def field_of(cls: type, name: str) -> dataclasses.Field:
    """The dataclass field called `name`."""
    return {f.name: f for f in dataclasses.fields(cls)}[name]


def check_knobs(params: Any) -> None:
    """Convert every field of a frozen params dataclass to its type, then check its limits.

    Also the shared checks: an x_range is two finite numbers with lo < hi, a target parses
    (an ExpressionError, a ValueError, points at the bad token) and is finite on the x_range.
    Raises ValueError with one line naming the field.
    """
    hints = _hints(type(params))
    for f in dataclasses.fields(params):
        value = convert(f.name, hints[f.name], getattr(params, f.name))
        _check_limits(f.name, value, f.metadata)
        object.__setattr__(params, f.name, value)
    names = {f.metadata.get("tweak"): f.name for f in dataclasses.fields(params)}
    if "target" in names:
        x_range = getattr(params, names["x_range"]) if "x_range" in names else None
        check_target(getattr(params, names["target"]), x_range)


def check_tweak(name: str, value: Any) -> Any:
    """A shared tweak's value in its type, with the checks every scene applies (not a scene's limits).

    >>> check_tweak("x_range", [2, 1])
    Traceback (most recent call last):
    ...
    ValueError: x_range is reversed: LO must be less than HI, got 2 1
    """
    value = convert(name, TWEAKS[name].type, value)
    _check_limits(name, value, {"tweak": name})
    if name == "target":
        check_target(value, None)
    return value


def check_range(name: str, value: tuple[float, float], max_width: float | None = None) -> None:
    """lo < hi, and hi - lo at most max_width."""
    lo, hi = value
    if not lo < hi:
        kind = "empty" if lo == hi else "reversed"
        raise ValueError(f"{name} is {kind}: LO must be less than HI, got {lo:g} {hi:g}")
    if max_width is not None and hi - lo > max_width:
        raise ValueError(f"{name} is too wide to read (at most {_number(max_width)} long for this scene), "
                         f"got {lo:g} {hi:g}")


def check_target(target: str, x_range: tuple[float, float] | None) -> None:
    """The target parses (relu_core.parse_function) and, given x_range, is finite all over it.

    >>> check_target("log(x)", (-1.0, 1.0))
    Traceback (most recent call last):
    ...
    ValueError: the target 'log(x)' is not finite everywhere on [-1, 1] (at x = -1)
    """
    import numpy as np

    from relu_core.expressions import parse_function
    f = parse_function(target)  # raises ExpressionError (a ValueError) pointing at the bad token
    if x_range is None:
        return
    lo, hi = x_range
    xs = np.linspace(lo, hi, TARGET_SAMPLES)
    bad = ~np.isfinite(f(xs))
    if bad.any():
        raise ValueError(f"the target {show(target)} is not finite everywhere on [{lo:g}, {hi:g}] "
                         f"(at x = {xs[bad][0]:g})")


# -- conversion ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.lru_cache(maxsize=None)
def _adapter(kind: Any):
    from pydantic import TypeAdapter
    return TypeAdapter(kind)


def _plain(value: Any) -> Any:
    """numpy scalars and arrays as JSON can hold them."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(type(value).__name__)


def convert(name: str, kind: Any, value: Any) -> Any:
    """`value` in the type `kind` (strict: see the module's docstring); every number finite.

    >>> convert("w", tuple[float, float, float], [1, 2, 3])
    (1.0, 2.0, 3.0)
    >>> convert("width", int, True)
    Traceback (most recent call last):
    ...
    ValueError: width must be a whole number, got True
    """
    from pydantic import ValidationError
    try:
        converted = _adapter(kind).validate_json(json.dumps(value, default=_plain), strict=True)
    except (TypeError, ValueError, ValidationError):
        raise ValueError(f"{name} must be {type_text(kind, article=True)}, got {show(value)}") from None
    if not all(math.isfinite(v) for v in _numbers(converted)):
        raise ValueError(f"{name} must be made of finite numbers, got {show(value)}")
    return converted


def _numbers(value: Any):
    if isinstance(value, tuple):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def type_text(kind: Any, article: bool = False) -> str:
    """A type in a user's words: 'a whole number', '2 numbers', 'a list of numbers'.

    >>> type_text(tuple[tuple[float, float], tuple[float, float]], article=True)
    '2 rows of 2 numbers'
    """
    args = typing.get_args(kind)
    if kind is int:
        return "a whole number" if article else "whole number"
    if kind is float:
        return "a number" if article else "number"
    if kind is str:
        return "a text in quotes" if article else "text"
    if kind is bool:
        return "true or false"
    if typing.get_origin(kind) is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {_plural(args[0])}" if article else f"list of {_plural(args[0])}"
        if args and all(a == args[0] for a in args):
            inner = _plural(args[0])
            return f"{len(args)} {'rows of ' + inner if typing.get_origin(args[0]) is tuple else inner}"
    return str(kind)


def _plural(kind: Any) -> str:
    if typing.get_origin(kind) is tuple:
        return type_text(kind)
    return {int: "whole numbers", float: "numbers", str: "texts"}.get(kind, str(kind))


def show(value: Any, width: int = 40) -> str:
    """repr(value), cut to about `width` characters (a user's 5,000-character input stays short).

    >>> show("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
    """
    text = repr(value)
    if len(text) <= width:
        return text
    quote = text[0] if text[0] in "'\"" else ""
    return text[:width - 3 - len(quote)] + "..." + quote


# -- limits --------------------------------------------------------------------------------------

def _check_limits(name: str, value: Any, metadata: Mapping[str, Any]) -> None:
    why = f" ({metadata['why']})" if "why" in metadata else ""
    lo, hi = metadata.get("min"), metadata.get("max")
    items = metadata.get("items")
    if items is not None and not items[0] <= len(value) <= items[1]:
        raise ValueError(f"{name} must have between {items[0]} and {items[1]} values for this scene{why}, "
                         f"got {len(value)}")
    for number in _numbers(value):
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            bounds = (f"between {_number(lo)} and {_number(hi)}" if lo is not None and hi is not None
                      else f"at least {_number(lo)}" if lo is not None else f"at most {_number(hi)}")
            what = name if not isinstance(value, tuple) else f"every value of {name}"
            raise ValueError(f"{what} must be {bounds} for this scene{why}, got {show(value)}")
    if metadata.get("tweak") == "x_range":
        check_range(name, value, metadata.get("max_width"))


def limits_text(metadata: Mapping[str, Any]) -> str:
    """The limits of a field as `list` prints them: '1 to 6', 'at most 100 long', '' for none.

    Why a limit is there is `metadata["why"]`, printed apart.

    >>> limits_text({"min": 2, "max": 12, "why": "more kinks crowd the picture"})
    '2 to 12'
    >>> limits_text({"items": (1, 5), "min": -10, "max": 10})
    '1 to 5 values, each -10 to 10'
    """
    parts = []
    if "items" in metadata:
        parts.append("{} to {} values".format(*metadata["items"]))
    lo, hi = metadata.get("min"), metadata.get("max")
    bounds = (f"{_number(lo)} to {_number(hi)}" if lo is not None and hi is not None
              else f"at least {_number(lo)}" if lo is not None
              else f"at most {_number(hi)}" if hi is not None else "")
    if bounds:
        parts.append(f"each {bounds}" if parts or metadata.get("tweak") == "x_range" else bounds)
    if "max_width" in metadata:
        parts.append(f"at most {_number(metadata['max_width'])} long")
    return ", ".join(parts)


def _number(value: float) -> str:
    """4294967295 rather than 4.29497e+09; 0.5 as 0.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

"""A batch file (TOML) read into variants: every one checked as `render` checks it, and named by its content.

A variant is one scene with its params, quality, fps, theme, voice and format. Its `key` is the sha256
of everything that decides its frames: the scene's class, its whole params (after the changes, so two
spellings of the same settings share one key), the video settings, and the source of the code that
draws it (the scene's module and every module of scenes/, relu_core/ and narration/ it imports, and
this package's render modules), with the versions of relu-explainer, manim and PyAV. Change a scene
and only its variants get new keys; change relu_core, which every scene imports, and all do.

The file (every key optional but the scenes):

    quality = "low"                  # defaults for every variant: quality, fps, theme, voice, format,
    voice = "none"                   # and the shared tweaks (target, x_range, steps, pieces), applied
                                     # to the scenes that take them
    [grid]                           # every combination: scenes x targets x ... x voices
    scenes = ["ApproximateSquare", "ZoomToLine"]       # or "all": the written story
    targets = ["x**2", "abs(x)"]
    themes = ["dark", "light"]
    [[variant]]                      # and/or single variants, each with singular keys
    scene = "ApproximateSquare"
    steps = 5
    params = { }                     # any field of this scene's params (see `relu-explainer list`)
    [params.ApproximateSquare]       # fields of one scene's params, for all its variants

>>> VARIANT_KEYS[:3], GRID_AXES["targets"]
(('scene', 'target', 'x_range'), 'target')
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import CliError, UsageError

__all__ = ["Variant", "Plan", "read_plan", "expand", "variant_key", "source_digest", "SETTINGS",
           "GRID_AXES", "VARIANT_KEYS"]

SETTINGS = ("quality", "fps", "theme", "voice", "format")
"""The video settings a variant has besides its scene's params."""
TWEAK_NAMES = ("target", "x_range", "steps", "pieces")  # scenes.knobs.TWEAKS, named here for the docstring
VARIANT_KEYS = ("scene",) + TWEAK_NAMES + SETTINGS + ("params",)
GRID_AXES = {"scenes": "scene", "targets": "target", "x_ranges": "x_range", "steps": "steps",
             "pieces": "pieces", "themes": "theme", "qualities": "quality", "fps": "fps",
             "voices": "voice", "formats": "format"}
"""A [grid]'s keys (lists) and the variant key each one sets."""
TOP_KEYS = TWEAK_NAMES + SETTINGS + ("grid", "variant", "params")
DEFAULTS = {"quality": "high", "fps": None, "theme": "dark", "format": "mp4"}  # as `render`'s flags
SOURCE_PACKAGES = ("scenes", "relu_core", "narration")
RENDER_MODULES = ("worker", "fast_encoder", "gif", "soundtrack", "subtitles", "job")
"""This package's modules that shape a render's files (the encoder's settings, GIFs, the sound track)."""
DIST_NAMES = ("relu-explainer", "manim", "av")


@dataclass(frozen=True)
class Variant:
    """One render of a batch: where the file declares it, what it renders, and its content key."""

    where: str
    """Its place in the file, for messages: '[[variant]] 3' or '[grid] variant 5'."""
    scene: str
    """The scene as the file names it: a story name or `module:Class`."""
    module: str
    cls: str
    overrides: Mapping[str, Any]
    """The params fields it changes, as JSON values (what the worker's Job carries)."""
    quality: str
    fps: int | None
    theme: str
    voice: str
    format: str
    key: str

    @property
    def label(self) -> str:
        """'480p15', or '480p10' with an fps of its own."""
        from .render import QUALITY_LABELS
        label = QUALITY_LABELS[self.quality]
        return label if self.fps is None else f"{label.split('p')[0]}p{self.fps}"

    @property
    def stem(self) -> str:
        """The output files' name without extension: 'FakeScene-dark-480p15-3f2a9c1b7d0e'."""
        return f"{self.cls}-{self.theme}-{self.label}-{self.key[:12]}"

    @property
    def ext(self) -> str:
        return self.format

    @property
    def video_name(self) -> str:
        return f"{self.stem}.{self.ext}"

    def describe(self) -> str:
        """'FakeScene, dark, 480p15, voice none, target='abs(x)''."""
        changes = "".join(f", {k}={v!r}" for k, v in self.overrides.items())
        return f"{self.cls}, {self.theme}, {self.label}, voice {self.voice}{changes}"

    def task(self) -> dict[str, Any]:
        """What a worker needs to render it (batch_exec.render_variant), as plain values."""
        return {"scene": self.cls, "module": self.module, "cls": self.cls, "overrides": dict(self.overrides),
                "quality": self.quality, "fps": self.fps, "format": self.format, "theme": self.theme,
                "voice": self.voice, "key": self.key, "source": source_digest(self.module)}


@dataclass(frozen=True)
class Plan:
    """The batch's variants (each key once, in file order) and how many the file named twice."""

    variants: tuple[Variant, ...]
    duplicates: int = 0


def read_plan(path: Path, voice_check: Callable[[str], str] | None = None) -> Plan:
    """Read and check a batch file; a UsageError names the file and the variant's place in it."""
    from .params import read_toml
    return expand(read_toml(path, "batch file"), str(path), voice_check)


def expand(data: Mapping[str, Any], name: str = "batch.toml",
           voice_check: Callable[[str], str] | None = None) -> Plan:
    """The variants a parsed batch file declares, [grid] first, then each [[variant]], all checked.

    `voice_check` turns a voice name into the one rendered with (default: narration.check_voice).

    >>> plan = expand({"quality": "low", "voice": "none", "grid": {
    ...     "scenes": ["tests.fake_scenes:FakeScene"], "targets": ["x**2", "abs(x)"], "themes": ["dark", "light"]}})
    >>> [(v.where, v.theme, dict(v.overrides)) for v in plan.variants][:2]
    [('[grid] variant 1', 'dark', {'target': 'x**2'}), ('[grid] variant 2', 'light', {'target': 'x**2'})]
    >>> expand({"variant": [{"scene": "tests.fake_scenes:FakeScene", "steps": 0}]}, "course.toml")
    Traceback (most recent call last):
    ...
    relu_explainer_cli.errors.UsageError: course.toml: [[variant]] 1: tests.fake_scenes:FakeScene: steps must be between 1 and 1000 for this scene, got 0
    """
    unknown = [key for key in data if key not in TOP_KEYS]
    if unknown:
        raise UsageError(f"{name}: unknown key {unknown[0]!r}: valid top-level keys are {', '.join(TOP_KEYS)}")
    tables = data.get("params", {})
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise UsageError(f"{name}: params must be tables, one a scene: [params.SceneName]")
    defaults = {key: data[key] for key in TWEAK_NAMES + SETTINGS if key in data}
    builder = _Builder(name, tables, voice_check)
    for key, value in defaults.items():
        builder.check_value("top level", key, value)
    variants: list[Variant] = []
    grid = data.get("grid")
    if grid is not None:
        if not isinstance(grid, dict):
            raise UsageError(f"{name}: grid must be a table: [grid]")
        variants += builder.grid(grid, defaults)
    singles = data.get("variant", [])
    if not isinstance(singles, list) or not all(isinstance(v, dict) for v in singles):
        raise UsageError(f"{name}: variant must be an array of tables: [[variant]]")
    for number, entry in enumerate(singles, 1):
        variants.append(builder.single(f"[[variant]] {number}", entry, defaults))
    if not variants:
        raise UsageError(f"{name}: no variants: add a [grid] with scenes = [...] or [[variant]] tables")
    named = {v.scene for v in variants}
    for table in tables:
        if table not in named:
            raise UsageError(f"{name}: [params.{table}]: no variant renders {table} "
                             f"(scenes: {', '.join(sorted(named))})")
    for key in defaults:
        if key in TWEAK_NAMES and not any(key in _takes(builder.load("top level", s)) for s in named):
            raise UsageError(f"{name}: top level: {key} applies to none of the scenes "
                             f"({', '.join(sorted(named))}); {_takers(key)}")
    unique = {v.key: v for v in reversed(variants)}  # the first place a key appears names it
    kept = tuple(v for v in variants if unique[v.key] is v)
    return Plan(kept, len(variants) - len(kept))


class _Builder:
    """Turns one variant's keys into a checked Variant, with `render`'s checks and messages."""

    def __init__(self, name: str, tables: Mapping[str, Mapping[str, Any]],
                 voice_check: Callable[[str], str] | None) -> None:
        self.name = name
        self.tables = {scene: {k.replace("-", "_"): v for k, v in table.items()} for scene, table in tables.items()}
        self.voice_check = voice_check or _check_voice
        self.voices: dict[str, str] = {}

    def fail(self, where: str, error: CliError | str) -> UsageError:
        return UsageError(f"{self.name}: {where}: {error}")

    def grid(self, grid: Mapping[str, Any], defaults: Mapping[str, Any]) -> list[Variant]:
        unknown = [key for key in grid if key not in GRID_AXES]
        if unknown:
            raise self.fail("[grid]", f"unknown key {unknown[0]!r}: valid keys are {', '.join(GRID_AXES)}")
        axes = {}
        for key, values in grid.items():
            if key == "scenes" and values == "all":
                from .params import available_story
                values = available_story()[0]
            if not isinstance(values, list) or not values:
                raise self.fail("[grid]", f"{key} must be a non-empty list, e.g. {key} = [...]")
            axes[GRID_AXES[key]] = values
        if "scene" not in axes:
            raise self.fail("[grid]", 'scenes is missing: scenes = ["ApproximateSquare", ...] or "all"')
        for key, values in axes.items():  # each value alone first: the message points at it
            for number, value in enumerate(values, 1):
                self.check_value(f"[grid] {_axis_name(key)} item {number}", key, value)
        scenes = axes.pop("scene")
        classes = {scene: self.load(f"[grid] scenes item {i}", scene) for i, scene in enumerate(scenes, 1)}
        for key in axes:
            if key in TWEAK_NAMES and not any(key in _takes(cls) for cls in classes.values()):
                raise self.fail(f"[grid] {_axis_name(key)}",
                                f"applies to none of the scenes ({', '.join(scenes)}); {_takers(key)}")
        variants = []
        for combo in itertools.product(*axes.values()):
            chosen = dict(zip(axes, combo))
            for scene in scenes:
                # A tweak the scene does not take leaves it as it is: that combination renders once.
                values = {**defaults, **{k: v for k, v in chosen.items()
                                         if k not in TWEAK_NAMES or k in _takes(classes[scene])}}
                variants.append(self.build(f"[grid] variant {len(variants) + 1}", scene, values, {}, explicit=()))
        return variants

    def single(self, where: str, entry: Mapping[str, Any], defaults: Mapping[str, Any]) -> Variant:
        unknown = [key for key in entry if key not in VARIANT_KEYS]
        if unknown:
            hint = f" (a grid's key? in [[variant]] it is {GRID_AXES[unknown[0]]!r})" if unknown[0] in GRID_AXES else ""
            raise self.fail(where, f"unknown key {unknown[0]!r}{hint}: valid keys are {', '.join(VARIANT_KEYS)}")
        if "scene" not in entry:
            raise self.fail(where, 'scene is missing: scene = "ApproximateSquare"')
        params = entry.get("params", {})
        if not isinstance(params, dict):
            raise self.fail(where, "params must be a table: params = { name = value }")
        for key, value in entry.items():
            if key != "params":
                self.check_value(where, key, value)
        values = {**defaults, **{k: v for k, v in entry.items() if k not in ("scene", "params")}}
        explicit = tuple(k for k in entry if k in TWEAK_NAMES)
        return self.build(where, entry["scene"], values, params, explicit)

    def check_value(self, where: str, key: str, value: Any) -> None:
        """One value alone, as the flag of the same name checks it."""
        from scenes.knobs import TWEAKS

        from .params import check_tweaks
        from .render import RenderOptions
        try:
            if key == "scene":
                if not isinstance(value, str):
                    raise UsageError(f"a scene is a name in quotes, got {value!r}")
            elif key in TWEAKS or key == "theme":
                check_tweaks({key: value}, {key: TWEAKS[key].flag if key in TWEAKS else "--theme"})
            elif key == "voice":
                self.voice(value)
            elif key == "quality":
                RenderOptions(quality=value)
            elif key == "format":
                RenderOptions(format=value)
            elif key == "fps":
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    raise UsageError(f"--fps: {value!r} is not a whole number")
                RenderOptions(fps=value)
        except UsageError as error:
            raise self.fail(where, error) from None

    def voice(self, spec: Any) -> str:
        if not isinstance(spec, str):
            raise UsageError(f"--voice: a voice is a name in quotes, got {spec!r}")
        if spec not in self.voices:
            self.voices[spec] = self.voice_check(spec)
        return self.voices[spec]

    def load(self, where: str, scene: str) -> type:
        from .params import load_scene
        try:
            return load_scene(scene)
        except CliError as error:
            raise self.fail(where, error) from None

    def build(self, where: str, scene: str, values: Mapping[str, Any], params: Mapping[str, Any],
              explicit: tuple[str, ...]) -> Variant:
        """A checked Variant; tweaks from the defaults apply only where the scene takes them."""
        from scenes.knobs import TWEAKS

        from .params import build_params, check_tweaks, resolve_overrides, scene_spec, to_json
        cls = self.load(where, scene)
        takes = _takes(cls)
        tweaks = {k: v for k, v in values.items() if k in TWEAK_NAMES and (k in takes or k in explicit)}
        sources = {k: TWEAKS[k].flag for k in tweaks}
        table = {**self.tables.get(scene, {}), **{k.replace("-", "_"): v for k, v in params.items()}}
        try:
            tweaks = check_tweaks(tweaks, sources)
            overrides = resolve_overrides({scene: cls}, tweaks, {scene: table}, sources)[scene]
            settings = {**DEFAULTS, **{k: values[k] for k in SETTINGS if k in values}}
            self.check_value(where, "quality", settings["quality"])
            voice = self.voice(settings.get("voice") or _default_voice())
            full = build_params(scene, cls, overrides)
        except UsageError as error:
            if str(error).startswith(self.name):
                raise
            raise self.fail(where, error) from None
        module, name = scene_spec(scene)
        key = variant_key(module, name, to_json(dataclasses.asdict(full)), settings["quality"],
                          settings["fps"], settings["theme"], voice, settings["format"])
        return Variant(where, scene, module, name, to_json(overrides), settings["quality"], settings["fps"],
                       settings["theme"], voice, settings["format"], key)


def _axis_name(key: str) -> str:
    return {v: k for k, v in GRID_AXES.items()}[key]


def _takes(cls: type) -> set[str]:
    """The shared tweaks a scene's params declare."""
    from .params import param_fields
    return {f.tweak for f in param_fields(cls) if f.tweak}


def _takers(key: str) -> str:
    from .params import available_story, load_scene
    names = [n for n in available_story()[0] if key in _takes(load_scene(n))]
    return f"scenes that take it: {', '.join(names)}" if names else "no scene takes it"


def _check_voice(spec: str) -> str:
    import narration
    try:
        return narration.check_voice(spec)
    except narration.VoiceError as error:
        raise UsageError(f"--voice: {error}") from None


@functools.lru_cache(maxsize=1)
def _default_voice() -> str:
    """`render`'s default: piper when it is installed, else none."""
    import narration
    try:
        return narration.check_voice("piper")
    except narration.VoiceError:
        return "none"


def variant_key(module: str, cls: str, params: Mapping[str, Any], quality: str, fps: int | None,
                theme: str, voice: str, format: str) -> str:
    """The sha256 (hex) of what decides a variant's frames; see the module's docstring.

    >>> a = variant_key("tests.fake_scenes", "FakeScene", {"steps": 3}, "low", None, "dark", "none", "mp4")
    >>> b = variant_key("tests.fake_scenes", "FakeScene", {"steps": 4}, "low", None, "dark", "none", "mp4")
    >>> len(a), a == b
    (64, False)
    """
    what = {"scene": f"{module}:{cls}", "params": params, "quality": quality, "fps": fps, "theme": theme,
            "voice": voice, "format": format, "source": source_digest(module), "versions": _versions()}
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


@functools.lru_cache(maxsize=None)
def source_digest(module: str) -> str:
    """The sha256 of the source that draws `module`'s scenes: the module, every module of scenes/,
    relu_core/ and narration/ it imports (anywhere in its code, and theirs in turn, with their packages'
    `__init__`), and this package's render modules with what they import from those packages. A new or
    changed scene elsewhere leaves it alone.

    >>> source_digest("scenes.relu_unit") == source_digest("scenes.relu_unit"), len(source_digest("scenes.style"))
    (True, 64)
    """
    files = _closure(module).union(*(_closure(f"{__package__}.{name}") for name in RENDER_MODULES))
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: (p.parent.name, p.name)):
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _closure(module: str) -> set[Path]:
    """The files of `module` and of the SOURCE_PACKAGES modules it imports, transitively."""
    seen: dict[str, Path | None] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = path = _module_file(name)
        if path is None:
            continue
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # the packages' __init__ run first
        package = name if path.name == "__init__.py" else ".".join(parts[:-1])
        todo += [n for n in _imports(path, package) if n.split(".")[0] in SOURCE_PACKAGES]
    return {path for path in seen.values() if path is not None}


def _module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin).resolve()


def _imports(path: Path, package: str) -> set[str]:
    """Every module name `path` imports (`from a import b` gives a and a.b: b may be a module)."""
    import ast
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base:
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


@functools.lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    from importlib import metadata
    out = {}
    for dist in DIST_NAMES:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out

"""Read a formula's or a label's glyph outlines from a file kept from an earlier render, not from its SVG.

Every MathTex, Tex and Text is an SVG (LaTeX's or Pango's) that Manim parses into Bézier outlines:
about 60 ms for a short formula, against 3 ms to unpickle the parsed result. Manim keeps parsed SVGs
in memory for the rest of its process (`SVG_HASH_TO_MOB_MAP`, MathTex and Tex only), but every render
is a new process, so a preview parsed all of them again each time: 1.5 s of RulerAndProtractor's 10 s
at 480p15.

`install(folder)` keeps each parsed SVG in `folder` as a pickle, named by a hash of what the outline
depends on: the SVG file's bytes (LaTeX names the file by its source, Pango by its text and font), the
options Manim parses it with, the Manim and Python versions. A file that cannot be read back (cut
short, another version's) is parsed again and replaced; each is written by one atomic rename. The
folder is the user's own cache: the pickles are only read by the renders that wrote them.

A process that renders again and again (the preview loop) can also hand `install` a dict of outlines
already read (`preload` fills it with the keys a render `used()`): a render forked from that process
finds them in memory, 2 ms a copy against about 8 ms an unpickle.

It changes a Manim class for the whole process, so only our own renders install it (the worker, next to
fast_paths). On a Manim version it was not tested with it refuses, with one warning.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import platform
import tempfile
from pathlib import Path

from .manim_compat import manim_is_tested

__all__ = ["install", "outline_key", "used", "preload"]

_folder: Path | None = None
_parse = None  # Manim's own SVGMobject.init_svg_mobject
_memory: dict[str, object] = {}  # outlines read before this render (preload), by key
_used: set[str] = set()  # the keys looked up since `install` (a render's)


def outline_key(svg: bytes, *options: object) -> str:
    """The name of the outline file for an SVG's bytes parsed with `options` (reprs of plain values).

    >>> outline_key(b"<svg/>", "MathTex") == outline_key(b"<svg/>", "MathTex")
    True
    >>> outline_key(b"<svg/>", "MathTex") == outline_key(b"<svg />", "MathTex")
    False
    """
    import manim
    digest = hashlib.sha256(repr((manim.__version__, platform.python_version(), options)).encode())
    digest.update(svg)
    return digest.hexdigest()[:32]


def _init_svg_mobject(self, use_svg_cache: bool):
    """SVGMobject.init_svg_mobject, with the outlines read from `_folder` when they were kept there.

    With Manim's in-memory cache (MathTex, Tex) the outlines read fill it, and Manim adds a copy; without
    it (Text) they are this mobject's own.
    """
    from manim import config
    from manim.mobject.svg import svg_mobject

    memory = svg_mobject.SVG_HASH_TO_MOB_MAP
    memory_key = _memory_key(self)
    if _folder is None or (use_svg_cache and memory_key in memory):
        return _parse(self, use_svg_cache)
    try:
        svg = Path(self.get_file_path()).read_bytes()
    except OSError:  # Manim's own parse says what is wrong with it
        return _parse(self, use_svg_cache)
    key = outline_key(svg, type(self).__name__, self.svg_default, self.path_string_config, config.renderer)
    path = _folder / f"{key}.pickle"
    _used.add(key)
    kept = _memory.get(key)
    if kept is not None and not use_svg_cache:
        kept = kept.copy()  # this mobject takes its parts: the one in memory stays for the next use
    elif kept is None:
        kept = _read(path)
    if kept is None:
        _parse(self, use_svg_cache)
        _write(path, pickle.dumps(memory[memory_key] if use_svg_cache else self.copy(),
                                  protocol=pickle.HIGHEST_PROTOCOL))
        return self
    if use_svg_cache:
        memory[memory_key] = kept
        return _parse(self, use_svg_cache)  # now a memory hit: Manim adds a copy of what was read
    self.add(*kept)  # as Manim adds its cached copy
    self.id_to_vgroup_dict = kept.id_to_vgroup_dict
    return self


def _memory_key(svg_mobject) -> int:
    """The key of Manim's in-memory cache for this SVGMobject (as SVGMobject.init_svg_mobject makes it)."""
    from manim.utils.iterables import hash_obj
    return hash_obj(svg_mobject.hash_seed)


def _read(path: Path):
    """The outlines pickled at `path`, or None when there are none or they cannot be read back."""
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None


def _write(path: Path, data: bytes) -> None:
    """Write `data` at `path` by a rename; a full or read-only disk only leaves the cache as it was."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def used() -> list[str]:
    """The outline keys looked up since `install` (this render's), sorted (for `preload`)."""
    return sorted(_used)


def preload(folder: Path, keys: list[str], memory: dict[str, object]) -> None:
    """Make `memory` hold the outlines kept in `folder` under `keys` (those it cannot read are left out),
    and nothing else, so it stays the size of one scene's.

    >>> memory = {"old": object()}
    >>> preload(Path("/nonexistent"), ["abc"], memory); memory
    {}
    """
    wanted = set(keys)
    for key in [k for k in memory if k not in wanted]:
        del memory[key]
    for key in wanted - memory.keys():
        kept = _read(Path(folder) / f"{key}.pickle")
        if kept is not None:
            memory[key] = kept


def install(folder: Path | None, memory: dict[str, object] | None = None) -> bool:
    """Keep parsed SVG outlines in `folder` (None: only Manim's in-memory cache), and look them up in
    `memory` first (see `preload`); True once in place. `used` counts from here: a render forked from
    the preview loop does not report what the loop typeset between renders.

    False, and Manim left as it is, on a Manim version this was not tested with.
    """
    global _folder, _parse, _memory, _used
    if not manim_is_tested():
        return False
    from manim.mobject.svg.svg_mobject import SVGMobject

    installed = SVGMobject.init_svg_mobject  # Manim's, or a wrapper of this module's (an earlier import's too)
    _parse = getattr(installed, "manim_parse", installed)
    _init_svg_mobject.manim_parse = _parse
    SVGMobject.init_svg_mobject = _init_svg_mobject
    _folder = Path(folder) if folder is not None else None
    _memory = memory if memory is not None else {}
    _used = set()
    return SVGMobject.init_svg_mobject is _init_svg_mobject

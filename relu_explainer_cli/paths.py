"""Where relu-explainer keeps what it can rebuild: typeset formulas, voices, Manim's per-scene caches.

None of it lives inside `--out` (the folder a lecturer copies holds the videos only): everything sits
under one user cache root, which `RELU_EXPLAINER_CACHE` moves (tests point it at a temporary folder).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_root", "tex_cache", "scene_cache", "folder_key"]

CACHE_ENV = "RELU_EXPLAINER_CACHE"


def cache_root() -> Path:
    """The user cache root: $RELU_EXPLAINER_CACHE, else $XDG_CACHE_HOME/relu-explainer, else
    ~/.cache/relu-explainer (the XDG base directory rule). Nothing is created here.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"RELU_EXPLAINER_CACHE": "/tmp/relu-cache"}):
    ...     str(cache_root())
    '/tmp/relu-cache'
    >>> with mock.patch.dict(os.environ, {"RELU_EXPLAINER_CACHE": "", "XDG_CACHE_HOME": "/tmp/xdg"}):
    ...     str(cache_root())
    '/tmp/xdg/relu-explainer'
    """
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    # The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "relu-explainer"
    return Path.home() / ".cache" / "relu-explainer"


def tex_cache() -> Path:
    """Typeset formulas, shared by every render: Manim names each SVG by the hash of its LaTeX source.

    >>> tex_cache().name
    'tex'
    """
    return cache_root() / "tex"


def scene_cache(out_dir: Path, scene: str) -> Path:
    """Manim's media dir (partial movies, texts) for `scene` rendered into `out_dir`.

    Keyed by the resolved output directory, so two projects rendering the same scene keep apart, as
    they did when the cache lived in each output directory.

    >>> a, b = scene_cache(Path("/x/media"), "FakeScene"), scene_cache(Path("/y/media"), "FakeScene")
    >>> a.name, a.parent.parent.name, a.parent != b.parent
    ('FakeScene', 'scenes', True)
    """
    return cache_root() / "scenes" / folder_key(out_dir) / scene.replace(":", "_")


def folder_key(folder: Path) -> str:
    """A short name for a folder in the cache: the start of the sha256 of its resolved path.

    >>> len(folder_key(Path("/x"))), folder_key(Path("/x")) == folder_key(Path("/x/../x"))
    (16, True)
    """
    return hashlib.sha256(str(Path(folder).resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]

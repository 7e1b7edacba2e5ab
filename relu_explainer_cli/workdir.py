"""A render's work folder inside the output directory, and the sweeping of those that dead runs left.

The work folder sits on the output's filesystem so finished files move into place with one rename. A
run killed outright (SIGKILL, a power cut) cannot remove it; the next run into the same output
directory does, but only for runs that are over: each run holds an exclusive `flock` on a file inside
its folder for as long as it lives (the kernel drops the lock when the process dies, however it dies),
and the folder's name carries the run's pid for the moment before that lock exists.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so no sweeping (a folder could belong to a live run)
    fcntl = None

__all__ = ["WORK_PREFIX", "LOCK_NAME", "make_work_dir", "sweep_stale_work_dirs"]

WORK_PREFIX = ".relu-explainer-work-"
LOCK_NAME = "run.lock"
YOUNG_S = 60.0  # a folder without its lock yet, this young, may be a run starting on another host
LEGACY_AGE_S = 24 * 3600.0  # folders named before pids were in the name: removed only when this old
_NAME = re.compile(re.escape(WORK_PREFIX) + r"(\d+)-")


def make_work_dir(out_dir: Path) -> tuple[Path, IO[bytes] | None]:
    """Create this run's work folder in `out_dir` and lock it; return it and the open lock file.

    Keep the lock file open for the whole run (closing it releases the lock).

    >>> import tempfile
    >>> work, lock = make_work_dir(Path(tempfile.mkdtemp()))
    >>> work.name.startswith(f"{WORK_PREFIX}{os.getpid()}-"), (work / LOCK_NAME).exists() == (lock is not None)
    (True, True)
    """
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=out_dir))
    if fcntl is None:
        return work, None
    try:
        lock = open(work / LOCK_NAME, "wb")
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # our own new file: nobody else can hold it
    return work, lock


def sweep_stale_work_dirs(out_dir: Path) -> list[Path]:
    """Remove the work folders in `out_dir` of runs that are over; return those removed.

    A folder is stale when its lock is free (or it has none yet and is not young) and its pid is not
    alive. A live run always holds its lock, so its folder is never touched.
    """
    if fcntl is None:
        return []
    removed = []
    try:
        candidates = [p for p in Path(out_dir).iterdir() if p.name.startswith(WORK_PREFIX) and p.is_dir()]
    except OSError:
        return []
    for folder in candidates:
        if _is_stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed


def _is_stale(folder: Path) -> bool:
    try:
        age = time.time() - folder.stat().st_mtime
    except OSError:
        return False
    named = _NAME.match(folder.name)
    if named is None:  # an older version's folder: no pid, no lock
        return age > LEGACY_AGE_S
    pid = int(named.group(1))
    if pid == os.getpid():
        return False
    try:
        lock = open(folder / LOCK_NAME, "rb")
    except FileNotFoundError:
        # The run may be between creating its folder and its lock; on this host its pid tells.
        return age > YOUNG_S and not _alive(pid)
    except OSError:
        return False
    with lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # held: the run is going on
        # Free, so the run is over; unless its pid is alive, which means it is a new run on this
        # host that has not locked yet (or the pid was reused: then the folder waits for a later run).
        return not _alive(pid)


def _alive(pid: int) -> bool:
    """Whether `pid` runs; a zombie (dead, not yet reaped by its parent) does not.

    >>> _alive(os.getpid())
    True
    """
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        state = None  # no /proc (macOS), or the process is gone
    if state in ("Z", "X"):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return True
    return True

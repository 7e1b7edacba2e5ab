"""Who decides when a render stops: the command, never its workers.

A Ctrl-C (SIGINT) or a closed terminal (SIGHUP) reaches the whole foreground process group: the command
and every worker at once, in an order the scheduler picks. Workers therefore ignore both and stop only
when the command stops them, so a worker can never die of the user's Ctrl-C first and be reported as a
failed render. (Issue 12: a command started ignoring SIGINT, as a shell without job control starts
`command &`, kept ignoring it, while its workers set Python's handler again and died of it.) The command turns SIGINT, SIGTERM and SIGHUP alike into one clean stop, exiting 128 +
the signal's number as shells do (130, 143, 129), and workers die with the command even when it is
killed outright (SIGKILL leaves it no time to stop them).
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from typing import Iterator

__all__ = ["STOP_SIGNALS", "TERMINAL_SIGNALS", "stop_signals", "received", "stop_by", "check_stop",
           "exit_code", "describe", "terminal_signals_blocked", "worker_signals", "die_with_parent"]

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
"""The signals that stop a render cleanly (SIGHUP does not exist on Windows)."""
TERMINAL_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGHUP") if hasattr(signal, name))
"""The stop signals a terminal sends to the whole process group, workers included: workers ignore them."""

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_POLL_S = 1.0  # where the kernel cannot signal a worker when its parent dies, it looks this often

_received: int | None = None


def _on_stop(signum: int, frame) -> None:
    global _received
    first = _received is None
    _received = signum
    if first:  # a second Ctrl-C during the clean-up must not cut the clean-up short
        raise KeyboardInterrupt


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """In the command: SIGINT, SIGTERM and SIGHUP each raise KeyboardInterrupt once and are recorded.

    The record outlives the exception: a KeyboardInterrupt raised where Python swallows it (in a
    `__del__`, a weakref callback) still stops the render at its next `check_stop()`. A signal the
    command was started ignoring stays ignored (`nohup` ignores SIGHUP; a shell without job control
    starts `command &` ignoring SIGINT), as Python itself leaves SIGINT. Off the main thread (signals
    cannot be set there) this does nothing.

    >>> with stop_signals():
    ...     signal.getsignal(signal.SIGTERM) is _on_stop
    True
    >>> signal.getsignal(signal.SIGTERM) is _on_stop
    False
    """
    global _received
    _received = None
    previous = {}
    try:
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) != signal.SIG_IGN:
                previous[signum] = signal.signal(signum, _on_stop)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def received() -> int | None:
    """The stop signal the command has received, if any."""
    return _received


def stop_by(signum: int) -> None:
    """Stop as if `signum` had reached the command (a worker died of it first); raise KeyboardInterrupt."""
    global _received
    if _received is None:
        _received = signum
    raise KeyboardInterrupt


def check_stop() -> None:
    """Raise KeyboardInterrupt if a stop signal came, even one whose exception was swallowed."""
    if _received is not None:
        raise KeyboardInterrupt


def exit_code(signum: int | None) -> int:
    """128 + the signal's number, as a shell reports a command a signal stopped; Ctrl-C when unknown.

    >>> exit_code(signal.SIGINT), exit_code(signal.SIGTERM), exit_code(None)
    (130, 143, 130)
    """
    return 128 + int(signal.SIGINT if signum is None else signum)


def describe(signum: int | None) -> str:
    """The line the command prints when it stops: 'interrupted' for Ctrl-C, else which signal.

    >>> describe(signal.SIGINT), describe(signal.SIGTERM)
    ('interrupted', 'interrupted (SIGTERM)')
    """
    if signum is None or signum == signal.SIGINT:
        return "interrupted"
    return f"interrupted ({signal.Signals(signum).name})"


@contextlib.contextmanager
def terminal_signals_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGHUP back while the command starts a worker (they arrive when the block ends).

    A worker is born with the command's handlers; one that got Ctrl-C before `worker_signals` ran
    would die of it. Blocked across the fork (and an exec: the mask is inherited), the signal waits
    until the worker ignores it, which discards it, and the command gets its own copy after the
    block, once the worker is on its list of workers to stop. Does nothing where there is no
    signal mask (Windows starts workers in a process group of their own instead).
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, TERMINAL_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def worker_signals(parent_pid: int) -> None:
    """In a worker, first thing: ignore the terminal's SIGINT and SIGHUP (the command decides), keep
    SIGTERM's default (the command's way to stop it), and die when the command dies."""
    for signum in TERMINAL_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # blocked by the command around the fork: now ignored
        signal.pthread_sigmask(signal.SIG_UNBLOCK, TERMINAL_SIGNALS)
    die_with_parent(parent_pid)


def die_with_parent(parent_pid: int, use_prctl: bool = True) -> None:
    """Make this process die when `parent_pid`, its parent, does, however the parent ends.

    On Linux the kernel sends SIGKILL when the parent exits (prctl PR_SET_PDEATHSIG); elsewhere, or
    when that call fails, a daemon thread checks every PARENT_POLL_S whether the parent changed. The
    parent may die before prctl takes effect: then this process was already handed to another parent,
    which `os.getppid()` shows, and it exits at once.
    """
    if use_prctl and _set_pdeathsig(signal.SIGKILL):
        if os.getppid() != parent_pid:
            os._exit(128 + signal.SIGKILL)
        return
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="watch-parent", daemon=True).start()


def _set_pdeathsig(signum: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_S)
    os._exit(128 + int(getattr(signal, "SIGKILL", 9)))

"""The command's errors: each carries the one line the user sees and the exit code."""
from __future__ import annotations

__all__ = ["CliError", "UsageError", "RenderError", "Interrupted", "EXIT_OK", "EXIT_FAILURE",
           "EXIT_USAGE", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """An error the user can act on; `str(error)` is the message, `exit_code` what the command returns.

    >>> str(UsageError("unknown scene 'Foo'")), UsageError("x").exit_code
    ("unknown scene 'Foo'", 2)
    """

    exit_code = EXIT_FAILURE


class UsageError(CliError):
    """The command line or config file asked for something impossible (exit 2)."""

    exit_code = EXIT_USAGE


class RenderError(CliError):
    """A render or stitch failed (exit 1); `details` holds extra lines such as a worker's log tail."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class Interrupted(CliError):
    """Ctrl-C, SIGTERM or SIGHUP stopped a render; its temporary files were removed.

    The exit code is 128 + the signal's number, as shells report it (130 for Ctrl-C, 143 for SIGTERM,
    129 for SIGHUP); the message says which.

    >>> Interrupted().exit_code, str(Interrupted()), Interrupted(15).exit_code, str(Interrupted(15))
    (130, 'interrupted', 143, 'interrupted (SIGTERM)')
    """

    def __init__(self, signum: int | None = None) -> None:
        from .lifecycle import describe, exit_code
        super().__init__(describe(signum))
        self.signum = signum
        self.exit_code = exit_code(signum)

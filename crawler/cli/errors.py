"""Errors a command raises to end with one clear line instead of a traceback."""

from __future__ import annotations

from crawler.cli import exitcodes


class CommandError(Exception):
    """The command could not do its job (unreachable store, failed fetch): exit code 1."""

    exit_code = exitcodes.FAILED


class UsageError(CommandError):
    """The user typed something unusable (bad URI, bad file): exit code 2."""

    exit_code = exitcodes.USAGE


class OutputError(CommandError):
    """Standard output failed (a full disk, a closed pipe): exit code 1, and no checkpoint."""

    def __init__(self, error: OSError) -> None:
        super().__init__(
            f"cannot write to standard output ({error.strerror or error}); free space there or "
            "redirect it elsewhere"
        )
        self.errno = error.errno

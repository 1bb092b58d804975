"""Standard output for a command: a write that fails (`read > /dev/full`, `sources | head -1`)
becomes an `OutputError`, one line on stderr, instead of a traceback or Python's exit-time warning."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from crawler.cli.errors import OutputError


class _CheckedOutput:
    """Wraps sys.stdout: text writes and flushes raise OutputError on failure; all else passes through."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise OutputError(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise OutputError(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def checked_stdout() -> Iterator[None]:
    """Run a command with sys.stdout checked, flushing it before leaving so a failure is caught here
    rather than at interpreter exit."""
    real = sys.stdout
    sys.stdout = _CheckedOutput(real)  # type: ignore[assignment]
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout = real


def discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the bytes Python still holds for a failed stdout
    go nowhere at exit instead of failing a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)

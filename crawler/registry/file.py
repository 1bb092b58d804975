"""Reading a registry file: only a regular UTF-8 file of at most MAX_REGISTRY_BYTES, without hanging
on a FIFO or reading a device forever. `RegistryError` is the one error the registry raises."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# About 8,000 outlets; a larger file is a mistake (a log, a device), not a registry.
MAX_REGISTRY_BYTES = 4 * 1024 * 1024


class RegistryError(ValueError):
    """The registry file is unusable; the message says which entry and how to fix it."""


def read_registry_text(path: Path) -> str:
    """The file's text, refusing what would hang or exhaust memory: a FIFO or device (`/dev/zero`),
    or a file over MAX_REGISTRY_BYTES."""
    if str(path) in ("", "."):
        raise RegistryError("an empty path is not a sources file; pass a TOML file to --sources")
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such sources file; pass an existing file to --sources") from None
    except OSError as error:  # no read permission, a name too long: the path is wrong, not the TOML
        raise RegistryError(
            f"{path}: cannot read the sources file ({error.strerror}); pass a readable TOML file to --sources"
        ) from None
    except ValueError:  # a NUL byte in the path
        raise RegistryError(
            f"{path!r}: a path cannot contain a NUL byte; pass a TOML file to --sources"
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise RegistryError(
                f"{path}: cannot read the sources file (it is a directory); pass a TOML file to --sources"
            )
        if not stat.S_ISREG(mode):
            raise RegistryError(
                f"{path}: not a regular file (a device, FIFO or socket); save the registry to a file "
                "and pass that to --sources"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_REGISTRY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_REGISTRY_BYTES:
        raise RegistryError(
            f"{path}: over {MAX_REGISTRY_BYTES // (1024 * 1024)} MiB, too large for a sources file; "
            "pass the TOML registry, not another file"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise RegistryError(f"{path}: not UTF-8 text; save the sources file as UTF-8 TOML") from None

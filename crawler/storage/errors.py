"""Storage errors: each message names the problem and how to fix the call or the setup."""

from __future__ import annotations


class StorageError(Exception):
    """The store could not do what was asked (bad URI, unreachable server, missing bucket, bad data)."""


class StoreUnavailable(StorageError):
    """A well-formed store the server will not give us: unreachable, missing bucket, refused credentials."""


class UnsafeKeyError(StorageError, ValueError):
    """An object key or key part that could escape its prefix or be read two ways."""


class BadRecord(StorageError, ValueError):
    """A record that cannot be stored as it is (no id, an unsafe source id, a value JSON cannot hold);
    the store itself is fine, so a crawl drops the record and goes on."""


class ObjectNotFound(StorageError, KeyError):
    """A key that is not in the store."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ObjectConflict(StorageError):
    """A write to a key that already holds different bytes: objects are never overwritten."""


class DamagedObject(StorageError):
    """A stored object readers cannot use: its bytes differ from what its manifest recorded, it does
    not decode, or it decodes to something of the wrong shape. `key` names it; `reason` says how."""

    def __init__(self, key: str, where: str, reason: str) -> None:
        super().__init__(f"{key} in {where} is damaged: {reason}")
        self.key = key
        self.reason = reason


class ChecksumMismatch(DamagedObject):
    """An object's bytes do not match the size or sha256 its run manifest recorded."""

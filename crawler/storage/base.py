"""The one small interface both backends implement: write-once objects under validated keys."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod

from crawler.storage.keys import validate_key, validate_prefix

KeyList = list[str]  # named, because the method `Store.list` hides the builtin in the class body


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store(ABC):
    """Write-once object storage. Keys are validated; an existing key is never overwritten."""

    @abstractmethod
    def describe(self) -> str:
        """Where the data goes, for run summaries, e.g. "s3://bucket/prefix at http://host:8333"."""

    @property
    @abstractmethod
    def conditional_writes(self) -> bool:
        """True when the backend refuses to overwrite atomically (probed once, then cached)."""

    def put_bytes(self, key: str, data: bytes) -> bool:
        """Store `data` at `key`. True if stored now; False if the same bytes were already there
        (a retried write whose first acknowledgement was lost). Different bytes raise ObjectConflict."""
        return self._put(validate_key(key), bytes(data), sha256_hex(data))

    def get_bytes(self, key: str) -> bytes:
        """The object's bytes; ObjectNotFound if the key is absent."""
        return self._get(validate_key(key))

    def exists(self, key: str) -> bool:
        return self._exists(validate_key(key))

    def list(self, prefix: str = "", start_after: str | None = None) -> KeyList:
        """Keys under `prefix` in sorted order, optionally only those after `start_after`."""
        return self._list(validate_prefix(prefix), start_after)

    def url(self, key: str) -> str:
        """An address other tools (DuckDB, Spark) can open the object by."""
        return self._url(validate_key(key))

    @abstractmethod
    def _put(self, key: str, data: bytes, sha256: str) -> bool: ...

    @abstractmethod
    def _get(self, key: str) -> bytes: ...

    @abstractmethod
    def _exists(self, key: str) -> bool: ...

    @abstractmethod
    def _list(self, prefix: str, start_after: str | None) -> KeyList: ...

    @abstractmethod
    def _url(self, key: str) -> str: ...

    def close(self) -> None:  # noqa: B027 - only network backends hold anything to release
        """Release connections; the store is unusable afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

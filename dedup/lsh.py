"""The in-memory LSH: datasketch's MinHashLSH with bucket tables that hold a lone document's key bare
instead of in a one-element set, which is what almost every bucket of a 64×1 index holds.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, KeysView
from typing import Any

from datasketch import MinHashLSH
from datasketch.storage import UnorderedStorage

_ABSENT = object()


class CompactSetStorage(UnorderedStorage):
    """datasketch's `DictSetStorage` contract (bucket key → set of document keys) with a bucket of one
    key stored as the key itself; it becomes a set when a second key arrives and goes back when one is left.

    With one-row bands nearly every bucket is a singleton, and an empty Python set is 216 bytes: 64 of
    them per document were most of the index's memory.
    """

    def __init__(self) -> None:
        self._buckets: dict[Hashable, Any] = {}

    def keys(self) -> KeysView[Hashable]:
        return self._buckets.keys()

    def get(self, key: Hashable) -> Collection[Hashable]:
        """The bucket's document keys; empty (falsy) when the bucket is unknown or emptied."""
        held = self._buckets.get(key, _ABSENT)
        if held is _ABSENT:
            return ()
        if isinstance(held, set):
            return held
        return (held,)

    def insert(self, key: Hashable, *vals: Hashable, **kwargs: Any) -> None:
        for val in vals:
            held = self._buckets.get(key, _ABSENT)
            if held is _ABSENT or (isinstance(held, set) and not held):
                self._buckets[key] = val
            elif isinstance(held, set):
                held.add(val)
            elif held != val:
                self._buckets[key] = {held, val}

    def remove(self, *keys: Hashable, **kwargs: Any) -> None:
        for key in keys:
            del self._buckets[key]

    def remove_val(self, key: Hashable, val: Hashable, **kwargs: Any) -> None:
        held = self._buckets[key]
        if isinstance(held, set):
            held.remove(val)
            if len(held) == 1:
                self._buckets[key] = next(iter(held))
        elif held == val:
            # DictSetStorage leaves an emptied bucket in place and MinHashLSH._remove deletes it with
            # remove() right after; an empty set keeps that contract for the moment in between.
            self._buckets[key] = set()
        else:
            raise KeyError(val)

    def size(self) -> int:
        return len(self._buckets)

    def itemcounts(self, **kwargs: Any) -> dict[Hashable, int]:
        return {key: len(held) if isinstance(held, set) else 1 for key, held in self._buckets.items()}

    def has_key(self, key: Hashable) -> bool:
        return key in self._buckets


def in_memory_lsh(num_perm: int, params: tuple[int, int]) -> MinHashLSH:
    """A datasketch `MinHashLSH` (`params` = bands, rows) whose bucket tables are `CompactSetStorage`."""
    lsh = MinHashLSH(num_perm=num_perm, params=params)
    # datasketch builds its tables from storage_config through a fixed factory ("dict", "redis",
    # "cassandra") with no way to plug in another in-memory backend, so the empty dict tables it made are
    # swapped here before anything is inserted. Banding, hashing and querying stay datasketch's: they only
    # reach the tables through the UnorderedStorage methods above.
    lsh.hashtables = [CompactSetStorage() for _ in lsh.hashtables]
    return lsh

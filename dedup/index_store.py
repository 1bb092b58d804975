"""The in-process index's encoded entries by row, in one byte arena, and the id → row map as an
open-addressing table of 32-bit id hashes in numpy arrays: no Python object per document.

A Python bytes object, its dict slot and its id string cost ~150 bytes a document beside the ~800 of
the entry itself; here a document costs its entry, an 8-byte offset, a liveness byte and ~11-21 bytes of
table (8 a slot, 3/4 full at most). The id is read back from the entry (`entry_codec.read_id`), so a hash collision is resolved by
comparing ids, never by trusting the hash.
"""

from __future__ import annotations

import numpy as np
import xxhash

from dedup import entry_codec

_EMPTY, _GONE = 0, 1  # table keys below 2 mark a free slot and a removed one
_MIN_SLOTS = 1 << 10


class EntryStore:
    """Rows are numbered from 0 in the order entries were added; rows below `base` were trimmed."""

    def __init__(self) -> None:
        self._arena = bytearray()
        self._offsets = np.zeros(_MIN_SLOTS + 1, dtype=np.uint64)  # row - base → start; [count] = end
        self._alive = np.zeros(_MIN_SLOTS, dtype=np.bool_)
        self._count = 0  # rows held, live or not (base .. base + count - 1)
        self.base = 0
        self._keys = np.zeros(_MIN_SLOTS, dtype=np.uint32)
        self._rows = np.zeros(_MIN_SLOTS, dtype=np.uint32)
        self._live = 0
        self._used = 0  # table slots taken, removed ones included

    def __len__(self) -> int:
        return self._live

    def __contains__(self, doc_id: str) -> bool:
        return self._slot(doc_id) >= 0

    @property
    def end(self) -> int:
        """One past the last row added."""
        return self.base + self._count

    def add(self, doc_id: str, raw: bytes) -> int:
        """Store `raw` (an encoded entry whose id is `doc_id`, not yet stored) at the next row."""
        if self._count == len(self._alive):
            self._offsets = _grown(self._offsets, 2 * self._count + 1)
            self._alive = _grown(self._alive, 2 * self._count)
        row = self.end
        self._arena += raw
        self._alive[self._count] = True
        self._count += 1
        self._offsets[self._count] = len(self._arena)
        if 4 * (self._used + 1) > 3 * len(self._keys):  # at most 3/4 full
            self._rehash(max(_MIN_SLOTS, 1 << (2 * self._live + 1).bit_length()))
        key, mask = _hash(doc_id), len(self._keys) - 1
        slot = key & mask
        while self._keys[slot] >= 2:
            slot = (slot + 1) & mask
        self._used += int(self._keys[slot] == _EMPTY)
        self._keys[slot], self._rows[slot] = key, row
        self._live += 1
        return row

    def find(self, doc_id: str) -> bytes | None:
        """The entry of `doc_id`, None when it is not held."""
        slot = self._slot(doc_id)
        return None if slot < 0 else self.get(int(self._rows[slot]))

    def get(self, row: int) -> bytes | None:
        """The entry at `row`, None once removed or trimmed."""
        at = row - self.base
        if at < 0 or at >= self._count or not self._alive[at]:
            return None
        return bytes(self._arena[int(self._offsets[at]) : int(self._offsets[at + 1])])

    def alive(self, row: int) -> bool:
        at = row - self.base
        return 0 <= at < self._count and bool(self._alive[at])

    def remove(self, doc_id: str) -> int:
        """Forget `doc_id`; its bytes stay in the arena until `trim` passes its row."""
        slot = self._slot(doc_id)
        if slot < 0:
            raise KeyError(doc_id)
        row = int(self._rows[slot])
        self._keys[slot] = _GONE
        self._alive[row - self.base] = False
        self._live -= 1
        return row

    def trim(self, floor: int) -> None:
        """Drop the rows below `floor` (all removed) and their bytes."""
        cut = floor - self.base
        if cut <= 0:
            return
        start = int(self._offsets[cut])
        self._arena = self._arena[start:]
        kept = self._count - cut
        self._offsets[: kept + 1] = self._offsets[cut : self._count + 1] - np.uint64(start)
        self._alive[:kept] = self._alive[cut : self._count]
        self._alive[kept : self._count] = False
        self._count, self.base = kept, floor

    def _slot(self, doc_id: str) -> int:
        key, mask = _hash(doc_id), len(self._keys) - 1
        slot = key & mask
        while (held := int(self._keys[slot])) != _EMPTY:
            if held == key:
                raw = self.get(int(self._rows[slot]))
                if raw is not None and entry_codec.read_id(raw) == doc_id:
                    return slot
            slot = (slot + 1) & mask
        return -1

    def _rehash(self, size: int) -> None:
        """Re-insert every live key into a table of `size` slots, all at once: each round places the
        keys whose next probe slot is free (one per slot), the others probe on."""
        taken = self._keys >= 2
        keys, rows = self._keys[taken], self._rows[taken]
        self._keys = np.zeros(size, dtype=np.uint32)
        self._rows = np.zeros(size, dtype=np.uint32)
        slots = keys.astype(np.uint64) & np.uint64(size - 1)
        while len(keys):
            free = self._keys[slots] == _EMPTY
            _, first = np.unique(np.where(free, slots, np.uint64(size)), return_index=True)
            placed = np.zeros(len(keys), dtype=np.bool_)
            placed[first[free[first]]] = True
            self._keys[slots[placed]], self._rows[slots[placed]] = keys[placed], rows[placed]
            keys, rows = keys[~placed], rows[~placed]
            slots = (slots[~placed] + np.uint64(1)) & np.uint64(size - 1)
        self._used = self._live


def _hash(doc_id: str) -> int:
    return max(2, xxhash.xxh32_intdigest(doc_id.encode()))


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    # np.zeros takes fresh pages from the OS: the part not yet written costs no resident memory.
    grown = np.zeros(size, dtype=array.dtype)
    grown[: len(array)] = array
    return grown

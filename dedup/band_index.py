"""In-process band tables: (band, value) → document rows, in sorted numpy runs merged like a binary
counter (a log-structured merge), 8 bytes per band per document.

A run entry is one uint64: the band (7 bits) and the value's top 25 bits, then the row (32 bits). Two
values equal in their top 25 bits collide: at a million documents about one extra candidate per
query, which the verifier turns down. Rows below `floor` have left the index; merges drop them.
"""

from __future__ import annotations

import numpy as np

_ROW_BITS = np.uint64(32)
_ROW_MASK = np.uint64(0xFFFFFFFF)
# Documents gathered in a Python dict before they become a sorted run: a run per document would make
# every query search dozens of tiny arrays.
BUFFERED_DOCUMENTS = 64


class BandIndex:
    def __init__(self) -> None:
        self._pending: dict[int, list[int]] = {}
        self._pending_entries: list[np.ndarray] = []
        self._runs: list[np.ndarray] = []  # sorted, each at least twice the size of the next
        self.floor = 0

    def add(self, row: int, bands: np.ndarray, values: np.ndarray) -> set[int]:
        """File `row` under its bands; return the live rows already filed under one of them."""
        keys = _keys(bands, values)
        found: set[int] = set()
        listed = keys.tolist()
        for key in self._pending.keys() & listed:
            found.update(self._pending[key])
        for key in listed:
            self._pending.setdefault(key, []).append(row)
        starts = keys << _ROW_BITS
        # Both ends of every key's range in one search per run: the per-call cost, times the dozen or
        # more runs of a large index, is most of a query.
        bounds, count = np.concatenate((starts, (keys + np.uint64(1)) << _ROW_BITS)), len(keys)
        for run in self._runs:
            where = run.searchsorted(bounds)
            low, high = where[:count], where[count:]
            for i in np.flatnonzero(high > low).tolist():
                found.update((run[low[i] : high[i]] & _ROW_MASK).tolist())
        self._pending_entries.append(starts | np.uint64(row))
        if len(self._pending_entries) >= BUFFERED_DOCUMENTS:
            self._flush()
        return {other for other in found if other >= self.floor and other != row}

    def purge(self) -> None:
        """Drop the entries of rows below `floor` from every run."""
        self._flush()
        self._runs = [kept for run in self._runs if len(kept := self._live(run))]

    def entries(self) -> int:
        return sum(len(run) for run in self._runs) + sum(len(part) for part in self._pending_entries)

    def _flush(self) -> None:
        if not self._pending_entries:
            return
        run = np.sort(np.concatenate(self._pending_entries))
        self._pending, self._pending_entries = {}, []
        while self._runs and len(self._runs[-1]) <= 2 * len(run):
            # Two sorted runs: numpy's stable sort (timsort for uint64) merges them in linear time.
            run = self._live(np.sort(np.concatenate([self._runs.pop(), run]), kind="stable"))
        self._runs.append(run)

    def _live(self, run: np.ndarray) -> np.ndarray:
        if self.floor == 0:
            return run
        return run[(run & _ROW_MASK) >= np.uint64(self.floor)]


def _keys(bands: np.ndarray, values: np.ndarray) -> np.ndarray:
    return (bands.astype(np.uint64) << np.uint64(25)) | (values.astype(np.uint64) >> np.uint64(7))

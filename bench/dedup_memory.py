"""Resident memory per document of one in-process index filled with synthetic signatures (no probes,
no texts: nothing but the index grows), beside the entry layout it replaced, each in its own process
of one run. Used by `bench/dedup_speed.py --fill-only`.
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta
from typing import Any

from dedup import DedupConfig, Deduplicator
from dedup.index_store import EntryStore
from dedup.memory import MemoryState


class DictEntries(EntryStore):
    """The layout before `EntryStore`: a dict of id → encoded bytes and a list of ids by row."""

    def __init__(self) -> None:  # no EntryStore arrays: this layout keeps none of them
        self._encoded: dict[str, bytes] = {}
        self._ids: list[str | None] = []
        self.base = 0

    def __len__(self) -> int:
        return len(self._encoded)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._encoded

    @property
    def end(self) -> int:
        return self.base + len(self._ids)

    def add(self, doc_id: str, raw: bytes) -> int:
        self._ids.append(doc_id)
        self._encoded[doc_id] = raw
        return self.end - 1

    def find(self, doc_id: str) -> bytes | None:
        return self._encoded.get(doc_id)

    def get(self, row: int) -> bytes | None:
        doc_id = self._ids[row - self.base] if 0 <= row - self.base < len(self._ids) else None
        return None if doc_id is None else self._encoded[doc_id]

    def alive(self, row: int) -> bool:
        return self.get(row) is not None

    def remove(self, doc_id: str) -> int:
        del self._encoded[doc_id]
        row = self.base + self._ids.index(doc_id)
        self._ids[row - self.base] = None
        return row

    def trim(self, floor: int) -> None:
        del self._ids[: floor - self.base]
        self.base = floor


def _fill(layout: str, sizes: list[int], results: Any) -> None:
    from dedup_speed import rss_bytes, synthetic_signatures  # bench/ is on sys.path

    dd = Deduplicator(DedupConfig(window=timedelta(days=3650)))
    if layout == "dict":
        dd._state = MemoryState(DictEntries())  # the bench's one reach inside: the layout under test
    base, count, start = rss_bytes(), 0, time.perf_counter()
    for size in sorted(sizes):
        for batch in synthetic_signatures(1, count, size - count):
            for document, signature, _ in batch:
                dd.add(document, signature)
        count = size
        results.put((layout, count, rss_bytes() - base, count / (time.perf_counter() - start)))
    results.put(None)


def memory_table(sizes: list[int], layouts: tuple[str, ...] = ("dict", "store")) -> None:
    """Fill one index per layout to each size (in turn, one process each) and print RSS per document."""
    context = multiprocessing.get_context("spawn")
    print(f"{'layout':>8}{'index size':>12}{'RSS MB':>10}{'KB/doc':>9}{'adds/s':>9}", flush=True)
    for layout in layouts:
        results = context.Queue()
        process = context.Process(target=_fill, args=(layout, sizes, results))
        process.start()
        while (row := results.get(timeout=36000)) is not None:
            _, count, used, rate = row
            print(f"{layout:>8}{count:>12,}{used / 2**20:>10.0f}{used / count / 1024:>9.2f}{rate:>9.0f}",
                  flush=True)  # fmt: skip
        process.join()
    print("dict: entries as bytes in a dict by id (before); store: dedup.index_store.EntryStore")

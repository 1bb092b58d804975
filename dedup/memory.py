"""In-process index state: documents in the window as encoded entries (`entry_codec`), their band
tables (`band_index`), verified links and the placements that differ from "alone in its own cluster".

`dedup.clusters.partition` decides each document's placement (cluster, origin, match) from the links;
this module only stores them. Documents leave by arrival time, from hour buckets of their rows.
Entries live in an `index_store.EntryStore` (one byte arena, ids in a numpy hash table).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import numpy as np

from dedup import entry_codec
from dedup.band_index import BandIndex
from dedup.clusters import Links, Placement
from dedup.index_store import EntryStore
from dedup.model import Cluster, Entry, Member
from dedup.verify import Match


def alone(doc_id: str) -> Placement:
    """Where a document without links is: its own cluster, its own origin."""
    return Placement(doc_id, doc_id, "unique", None)


class MemoryState:
    """Single-process state."""

    def __init__(self, store: EntryStore | None = None) -> None:
        # `store` is for measuring another layout of the entries beside this one (bench/dedup_memory.py).
        self._store = store if store is not None else EntryStore()
        self._bands = BandIndex()
        self._links: dict[str, dict[str, Match]] = {}
        self._placed: dict[str, Placement] = {}  # only placements other than alone(id)
        self._members: dict[str, set[str]] = {}  # the members of each cluster placed there explicitly
        # Rows by the hour they arrived in (4 bytes a row), the hours in a heap: arrival times need not
        # follow row order (a batch indexes its undated records first, at an infinite time).
        self._hours: dict[float, array[int]] = {}
        self._hour_heap: list[float] = []
        self._next_due = -math.inf  # no document arrived before this: evict() has nothing to do below it

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._store

    def reserve_many(
        self, items: Sequence[tuple[Entry, tuple[np.ndarray, np.ndarray]]]
    ) -> list[list[Entry] | None]:
        """Record each entry alone in its cluster and file it under its band values (band numbers,
        values), in order; return, for each, the entries sharing a band with it (the exact band finds
        the exact twin), or None when its id is indexed already."""
        return [None if entry.id in self._store else self._reserve(entry, bands) for entry, bands in items]

    def _reserve(self, entry: Entry, bands: tuple[np.ndarray, np.ndarray]) -> list[Entry]:
        row = self._store.add(entry.id, entry_codec.encode(entry))
        hour = _hour(entry.time)
        if hour not in self._hours:
            self._hours[hour] = array("I")
            heapq.heappush(self._hour_heap, hour)
        self._hours[hour].append(row)
        self._next_due = min(self._next_due, entry.time)
        held = (self._store.get(other) for other in sorted(self._bands.add(row, *bands)))
        return [entry_codec.decode(raw) for raw in held if raw is not None]

    def entries(self, ids: list[str]) -> dict[str, Entry]:
        held = ((doc_id, self._store.find(doc_id)) for doc_id in ids)
        return {doc_id: entry_codec.decode(raw) for doc_id, raw in held if raw is not None}

    @contextmanager
    def locked(self) -> Iterator[None]:
        yield  # one process: nothing to lock

    def add_links(self, doc_id: str, matches: list[Match]) -> None:
        """Record verified matches in both directions (the verifier is symmetric)."""
        own = self._links.setdefault(doc_id, {})
        for match in matches:
            if match.other in self._store:
                own[match.other] = match
                self._links.setdefault(match.other, {})[doc_id] = Match(doc_id, match.kind, match.similarity)

    def group(self, doc_id: str) -> tuple[dict[str, Entry], Mapping[str, Links]]:
        """The entries and links of every document linked to `doc_id`, directly or through others."""
        seen, frontier = {doc_id}, [doc_id]
        while frontier:
            for other in self._links.get(frontier.pop(), {}):
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
        return self.entries(sorted(seen)), {i: self._links.get(i, {}) for i in seen}

    def place(self, placed: Mapping[str, Placement]) -> set[str]:
        """Store new placements; return the clusters that gained, lost or re-described a member."""
        changed: set[str] = set()
        for doc_id, placement in placed.items():
            before = self.member(doc_id)
            if before == placement:
                continue
            changed |= {before.cluster, placement.cluster}
            self._unplace(doc_id)
            if placement != alone(doc_id):
                self._placed[doc_id] = placement
                self._members.setdefault(placement.cluster, set()).add(doc_id)
        return changed

    def member(self, doc_id: str) -> Placement:
        if doc_id not in self._store:
            raise KeyError(doc_id)
        return self._placed.get(doc_id) or alone(doc_id)

    def cluster(self, cluster_id: str) -> Cluster | None:
        ids = set(self._members.get(cluster_id, ()))
        if cluster_id in self._store and cluster_id not in self._placed:
            ids.add(cluster_id)
        if not ids:
            return None
        placements = {i: self.member(i) for i in ids}
        members = tuple(Member(i, placements[i].match, placements[i].similarity) for i in sorted(ids))
        agencies = {self.entries([i])[i].agency for i in ids} - {None}
        origin = placements[min(ids)].origin
        return Cluster(cluster_id, origin, members, tuple(sorted(a for a in agencies if a)))

    def evict(self, cutoff: float, notify: Callable[[str], None] | None = None) -> list[str]:
        """Forget documents that arrived before `cutoff`, earliest first, calling `notify(id)` just
        before each goes; return their ids. The placements of the others stay as they are."""
        if cutoff <= self._next_due:
            return []
        due: list[tuple[float, int, str]] = []
        self._next_due = math.inf
        while self._hour_heap and self._hour_heap[0] <= _hour(cutoff):
            hour = self._hour_heap[0]
            kept = array("I")
            for row in self._hours[hour]:
                raw = self._store.get(row)
                if raw is None:
                    continue
                time = entry_codec.arrival_time(raw)
                if time < cutoff:
                    due.append((time, row, entry_codec.read_id(raw)))
                else:
                    kept.append(row)
                    self._next_due = min(self._next_due, time)
            if kept:
                self._hours[hour] = kept  # the hour the cutoff falls in
                break
            del self._hours[hour]
            heapq.heappop(self._hour_heap)
        if self._hour_heap and self._hour_heap[0] > _hour(cutoff):
            self._next_due = min(self._next_due, self._hour_heap[0] * 3600)
        for _, _row, doc_id in sorted(due):
            if notify is not None:
                notify(doc_id)
            self._forget(doc_id)
        while self._bands.floor < self._store.end and not self._store.alive(self._bands.floor):
            self._bands.floor += 1
        if due:
            self._trim()
        return [doc_id for _, _, doc_id in sorted(due)]

    def _forget(self, doc_id: str) -> None:
        self._store.remove(doc_id)
        for other in self._links.pop(doc_id, {}):
            self._links[other].pop(doc_id, None)
        self._unplace(doc_id)

    def _unplace(self, doc_id: str) -> None:
        # The others keep their origin after it leaves the window: it is still the stored original.
        placement = self._placed.pop(doc_id, None)
        members = None if placement is None else self._members.get(placement.cluster)
        if members is not None:
            members.discard(doc_id)
            if not members:
                del self._members[placement.cluster]  # type: ignore[union-attr]

    def _trim(self) -> None:
        """Drop the evicted rows' bytes and band entries once they are half of what is held."""
        dead = self._bands.floor - self._store.base
        if dead * 2 >= self._store.end - self._store.base:
            self._store.trim(self._bands.floor)
            self._bands.purge()


def _hour(time: float) -> float:
    return time if math.isinf(time) else float(math.floor(time / 3600))

"""In-process index state: documents in the window, exact hashes, verified links and placements.

`dedup.clusters.partition` decides each document's placement (cluster, origin, match) from the links;
this module only stores them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from dedup.clusters import Links, Placement
from dedup.model import Cluster, Entry, Member
from dedup.verify import Match


class MemoryState:
    """Single-process state."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._links: dict[str, dict[str, Match]] = {}
        self._placed: dict[str, Placement] = {}
        self._members: dict[str, set[str]] = {}
        self._exact: dict[str, str] = {}
        self._timeline: list[tuple[float, int, str]] = []
        self._next_seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._entries

    def reserve(self, entry: Entry, band_keys: list[bytes]) -> tuple[str | None, list[str]]:
        """Record `entry` alone in its cluster; return an indexed document with the same exact hash,
        and no band claims (one process inserts in order, so the LSH query sees every earlier document).
        """
        self._next_seq += 1
        self._entries[entry.id] = entry
        self._links[entry.id] = {}
        self._placed[entry.id] = Placement(entry.id, entry.id, "unique", None)
        self._members[entry.id] = {entry.id}
        heapq.heappush(self._timeline, (entry.time, self._next_seq, entry.id))
        if entry.exact is None:
            return None, []
        existing = self._exact.setdefault(entry.exact, entry.id)
        return (None if existing == entry.id else existing), []

    def entries(self, ids: list[str]) -> dict[str, Entry]:
        return {doc_id: self._entries[doc_id] for doc_id in ids if doc_id in self._entries}

    @contextmanager
    def locked(self) -> Iterator[None]:
        yield  # one process: nothing to lock

    def add_links(self, doc_id: str, matches: list[Match]) -> None:
        """Record verified matches in both directions (the verifier is symmetric)."""
        own = self._links[doc_id]
        for match in matches:
            if match.other in self._links:
                own[match.other] = match
                self._links[match.other][doc_id] = Match(doc_id, match.kind, match.similarity)

    def group(self, doc_id: str) -> tuple[dict[str, Entry], Mapping[str, Links]]:
        """The entries and links of every document linked to `doc_id`, directly or through others."""
        seen, frontier = {doc_id}, [doc_id]
        while frontier:
            for other in self._links[frontier.pop()]:
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
        return {i: self._entries[i] for i in seen}, {i: self._links[i] for i in seen}

    def place(self, placed: Mapping[str, Placement]) -> set[str]:
        """Store new placements; return the clusters that gained, lost or re-described a member."""
        changed: set[str] = set()
        for doc_id, placement in placed.items():
            before = self._placed[doc_id]
            if before == placement:
                continue
            changed |= {before.cluster, placement.cluster}
            self._remove_member(before.cluster, doc_id)
            self._members.setdefault(placement.cluster, set()).add(doc_id)
            self._placed[doc_id] = placement
        return changed

    def member(self, doc_id: str) -> Placement:
        return self._placed[doc_id]

    def cluster(self, cluster_id: str) -> Cluster | None:
        ids = self._members.get(cluster_id)
        if not ids:
            return None
        members = tuple(Member(i, self._placed[i].match, self._placed[i].similarity) for i in sorted(ids))
        agencies = {self._entries[i].agency for i in ids} - {None}
        origin = self._placed[next(iter(ids))].origin
        return Cluster(cluster_id, origin, members, tuple(sorted(a for a in agencies if a)))

    def evict(self, cutoff: float, notify: Callable[[str], None] | None = None) -> list[str]:
        """Forget documents that arrived before `cutoff`, calling `notify(id)` just before each goes;
        return their ids (to drop from the LSH). The placements of the others stay as they are."""
        gone: list[str] = []
        while self._timeline and self._timeline[0][0] < cutoff:
            _, _, doc_id = heapq.heappop(self._timeline)
            if notify is not None:
                notify(doc_id)
            entry = self._entries.pop(doc_id)
            if entry.exact is not None and self._exact.get(entry.exact) == doc_id:
                del self._exact[entry.exact]
            for other in self._links.pop(doc_id):
                self._links[other].pop(doc_id, None)
            self._remove_member(self._placed.pop(doc_id).cluster, doc_id)
            gone.append(doc_id)
        return gone

    def _remove_member(self, cluster_id: str, doc_id: str) -> None:
        # The others keep their origin after it leaves the window: it is still the stored original.
        members = self._members.get(cluster_id)
        if members is None:
            return
        members.discard(doc_id)
        if not members:
            del self._members[cluster_id]

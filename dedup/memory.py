"""In-process index state: documents in the window, exact hashes, clusters as disjoint sets.

Clusters merge by relabelling the younger cluster's members into the older one (union by age), so a
cluster keeps the id of its founding document and no stale parent pointers survive eviction.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from dedup.model import Cluster, Entry, Member
from dedup.verify import Match, best


@dataclass
class _ClusterState:
    seq: int
    origin: str
    origin_rank: tuple[int, float, int]
    members: dict[str, tuple[str, float | None]] = field(default_factory=dict)
    agencies: Counter[str] = field(default_factory=Counter)


class MemoryState:
    """Single-process state."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._seq: dict[str, int] = {}
        self._cluster_of: dict[str, str] = {}
        self._clusters: dict[str, _ClusterState] = {}
        self._exact: dict[str, str] = {}
        self._timeline: list[tuple[float, int, str]] = []
        self._next_seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._entries

    def reserve(self, entry: Entry, band_keys: list[bytes]) -> tuple[str | None, list[str]]:
        """Record `entry` as a singleton cluster; return an indexed document with the same exact hash,
        and no band claims (one process inserts in order, so the LSH query sees every earlier document).
        """
        self._next_seq += 1
        seq = self._next_seq
        self._entries[entry.id] = entry
        self._seq[entry.id] = seq
        self._cluster_of[entry.id] = entry.id
        cluster = _ClusterState(seq=seq, origin=entry.id, origin_rank=entry.origin_rank(seq))
        cluster.members[entry.id] = ("unique", None)
        if entry.agency:
            cluster.agencies[entry.agency] += 1
        self._clusters[entry.id] = cluster
        heapq.heappush(self._timeline, (entry.time, seq, entry.id))
        if entry.exact is None:
            return None, []
        existing = self._exact.setdefault(entry.exact, entry.id)
        return (None if existing == entry.id else existing), []

    def entries(self, ids: list[str]) -> dict[str, Entry]:
        return {doc_id: self._entries[doc_id] for doc_id in ids if doc_id in self._entries}

    def link(self, doc_id: str, matches: list[Match]) -> tuple[str, str]:
        """Merge the document's cluster with its matches' clusters; return (cluster id, origin)."""
        ids = {self._cluster_of[doc_id]} | {
            self._cluster_of[m.other] for m in matches if m.other in self._cluster_of
        }
        target_id = min(ids, key=lambda cid: self._clusters[cid].seq)
        target = self._clusters[target_id]
        for cid in ids - {target_id}:
            merged = self._clusters.pop(cid)
            for member, record in merged.members.items():
                target.members[member] = record
                self._cluster_of[member] = target_id
            target.agencies.update(merged.agencies)
            if merged.origin_rank < target.origin_rank:
                target.origin, target.origin_rank = merged.origin, merged.origin_rank
        chosen = best(matches)
        if chosen is not None:
            target.members[doc_id] = (chosen.kind, round(chosen.similarity, 4))
        return target_id, target.origin

    def member(self, doc_id: str) -> tuple[str, str, str, float | None]:
        """(cluster id, origin, match, similarity) of an indexed document."""
        cid = self._cluster_of[doc_id]
        cluster = self._clusters[cid]
        kind, similarity = cluster.members[doc_id]
        return cid, cluster.origin, kind, similarity

    def cluster(self, cluster_id: str) -> Cluster | None:
        state = self._clusters.get(cluster_id)
        if state is None:
            return None
        members = tuple(Member(mid, kind, sim) for mid, (kind, sim) in sorted(state.members.items()))
        return Cluster(cluster_id, state.origin, members, tuple(sorted(state.agencies)))

    def evict(self, cutoff: float, notify: Callable[[str], None] | None = None) -> list[str]:
        """Forget documents whose time is before `cutoff`, calling `notify(id)` just before each goes;
        return their ids (to drop from the LSH)."""
        gone: list[str] = []
        while self._timeline and self._timeline[0][0] < cutoff:
            _, _, doc_id = heapq.heappop(self._timeline)
            if notify is not None:
                notify(doc_id)
            entry = self._entries.pop(doc_id)
            self._seq.pop(doc_id)
            if entry.exact is not None and self._exact.get(entry.exact) == doc_id:
                del self._exact[entry.exact]
            self._drop_member(self._cluster_of.pop(doc_id), doc_id, entry)
            gone.append(doc_id)
        return gone

    def _drop_member(self, cluster_id: str, doc_id: str, entry: Entry) -> None:
        cluster = self._clusters[cluster_id]
        del cluster.members[doc_id]
        if entry.agency:
            cluster.agencies[entry.agency] -= 1
            if cluster.agencies[entry.agency] <= 0:
                del cluster.agencies[entry.agency]
        # The origin stays the origin after it leaves the window: it is still the stored original.
        if not cluster.members:
            del self._clusters[cluster_id]

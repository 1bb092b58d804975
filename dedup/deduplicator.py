"""Deduplicator: signature → exact fast path → LSH candidates (+ concurrent claims) → verifier → clusters.

Reads every parameter from DedupConfig; the index is in memory (`memory.py`) unless `redis_url` is given,
in which case it is shared in Redis under `namespace` (`redis_state.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from dedup.bands import index_bands
from dedup.clusters import Placement, partition
from dedup.config import DedupConfig
from dedup.entries import complete_signature, make_entry
from dedup.memory import MemoryState
from dedup.model import Cluster, Document, Entry, Verdict
from dedup.redis_state import RedisState
from dedup.signature import Signature
from dedup.verify import Match, judge

# How often (by the index's clock) a shared index looks for documents due to leave the window.
EVICT_CHECK_SECONDS = 1.0


class Deduplicator:
    """Assigns each added document to a cluster of syndicated copies within a sliding time window."""

    def __init__(
        self,
        config: DedupConfig | None = None,
        redis_url: str | None = None,
        namespace: str = "newscrawl",
        on_evict: Callable[[str, Verdict], None] | None = None,
        clock: Callable[[], float] = time.time,
    ):
        """`on_evict(id, verdict)` hears each document's final verdict as it leaves the index;
        `clock` gives the arrival time (seconds since the epoch) that eviction goes by."""
        self._now = clock
        self._changed: set[str] = set()
        self.config = config or DedupConfig()
        self._on_evict = on_evict
        self._state: MemoryState | RedisState
        # True when an index of an older layout was found in Redis and dropped unread: the caller
        # re-indexes its stored records (`restore`), as it does for an in-memory index.
        self.needs_restore = False
        if redis_url is None:
            self._state = MemoryState()
        else:
            self._state = RedisState(redis_url, namespace, self.config)
            self.needs_restore = self._state.retire_older_layouts()
        self._evict_checked = float("-inf")
        self._retention = (self.config.window + self.config.retention_margin).total_seconds()

    def add(self, document: Document, signature: Signature | None = None) -> Verdict:
        """Index `document` and return its verdict; adding an id already indexed returns its verdict."""
        if document.id in self._state:
            return self._verdict_of(document.id)
        return self.add_many([document], [signature])[0]

    def add_many(
        self, documents: Sequence[Document], signatures: Sequence[Signature | None] | None = None
    ) -> list[Verdict]:
        """`[add(d, s) for d, s in zip(documents, signatures)]`, with the same verdicts, reserving all
        the documents at once: one round trip to a shared index for the batch instead of two per
        document (a document that matches nothing, most of them, needs no other)."""
        signatures = signatures if signatures is not None else [None] * len(documents)
        entries, bands = [], []
        for document, signature in zip(documents, signatures, strict=True):
            signature = complete_signature(document, signature, self.config)
            entries.append(make_entry(document, signature, self.config, self._now()))
            bands.append(index_bands(signature, self.config))
        if entries:
            self._evict(entries[0].time)
        reserved = self._state.reserve_many(list(zip(entries, bands, strict=True)))
        verdicts = []
        for entry, candidates in zip(entries, reserved, strict=True):
            # None: the id was indexed before (or earlier in this batch, or by another worker meanwhile).
            matches = []
            for other in sorted(candidates or [], key=lambda found: found.id):
                found = judge(entry, other, self.config)
                if found is not None:
                    matches.append(found)
            # Without a match the document stays as reserved, alone (most documents): a worker that
            # links to it later regroups it under the lock, so this one needs none. With one, the
            # verdict is the placement just written, without reading it back.
            placed = self._regroup(entry.id, matches) if matches else self._state.member(entry.id)
            verdicts.append(_verdict(entry.id, placed))
        return verdicts

    def _regroup(self, doc_id: str, matches: list[Match]) -> Placement:
        with self._state.locked():
            self._state.add_links(doc_id, matches)
            entries, links = self._state.group(doc_id)
            placed = partition(entries.values(), links, self._corroborates)
            changed = self._state.place(placed)
        if placed[doc_id].cluster != doc_id:
            # The document's own one-member cluster only existed within this call: nothing to retire.
            changed.discard(doc_id)
        self._changed |= changed
        return placed[doc_id]

    def restore(self, document: Document, signature: Signature | None = None) -> None:
        """Re-index a stored record at start-up, in any order. Its clusters are not reported by
        `changed_clusters`: their records are already stored."""
        pending, self._changed = self._changed, set()
        try:
            self.add(document, signature)
        finally:
            self._changed = pending

    def changed_clusters(self) -> set[str]:
        """Ids of the clusters that gained, lost or re-described members since the last call (their
        stored records are stale); an id that names no cluster any more gives a retired record."""
        changed, self._changed = self._changed, set()
        return changed

    def cluster_record(self, cluster_id: str) -> dict[str, Any]:
        """The storable record of a cluster; a retired id gives no members and no origin, so readers
        that map members to origins from the latest records drop what it held before."""
        found = self._state.cluster(cluster_id)
        if found is None:
            return {"id": cluster_id, "origin": None, "members": [], "agencies": []}
        return found.to_record()

    def cluster(self, cluster_id: str) -> Cluster:
        """The cluster record; raises KeyError when the id is unknown or left the window."""
        found = self._state.cluster(cluster_id)
        if found is None:
            raise KeyError(f"no cluster {cluster_id!r} in the index window; take ids from Verdict.cluster_id")
        return found

    def close(self) -> None:
        """Release the Redis connections (the in-memory index needs no closing)."""
        if isinstance(self._state, RedisState):
            self._state.close()

    def clear(self) -> None:
        """Forget the whole index; with Redis, delete every key of this namespace (used by tests)."""
        if isinstance(self._state, RedisState):
            self._state.drop_all()
        else:
            self._state = MemoryState()
        self._changed = set()

    def __enter__(self) -> Deduplicator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def current(self, doc_id: str) -> Verdict | None:
        """The document's verdict as the index sees it now (after later merges), or None once evicted."""
        if doc_id not in self._state:
            return None
        return self._verdict_of(doc_id)

    def __len__(self) -> int:
        return len(self._state)

    def _evict(self, now: float) -> None:
        # By arrival, never by publication time: an old article met late (a sitemap backfill) must not
        # push out what arrived before it, or the clusters would depend on the order of arrival.
        if isinstance(self._state, RedisState):
            # A round trip per add to find nothing due: the shared window is checked once a second.
            if now - self._evict_checked < EVICT_CHECK_SECONDS:
                return
            self._evict_checked = now
        notify = None if self._on_evict is None else self._notify_evicted
        self._state.evict(now - self._retention, notify)

    def _corroborates(self, entry: Entry, origin: Entry) -> bool:
        return judge(entry, origin, self.config, self.config.corroboration_leniency) is not None

    def _notify_evicted(self, doc_id: str) -> None:
        assert self._on_evict is not None
        self._on_evict(doc_id, self._verdict_of(doc_id))

    def _verdict_of(self, doc_id: str) -> Verdict:
        return _verdict(doc_id, self._state.member(doc_id))


def _verdict(doc_id: str, placed: Placement) -> Verdict:
    duplicate_of = None if placed.origin == doc_id else placed.origin
    return Verdict(placed.cluster, duplicate_of, placed.similarity, placed.match, placed.origin)

"""Shared index state in Redis for many workers: documents (encoded entries), their band tables and
eviction here; links, placements and cluster members in `redis_links`.

Reserving documents and filing them in their band tables is one Lua script per batch (`redis_bands`);
regrouping linked documents and evicting run under one lock per index. Keys live under
`redis_client.key_prefix`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import redis
import xxhash

from dedup import entry_codec, redis_bands, redis_client
from dedup.clusters import Links, Placement
from dedup.config import DedupConfig
from dedup.memory import alone
from dedup.model import Cluster, Entry
from dedup.redis_links import RedisLinks
from dedup.verify import Match

logger = logging.getLogger(__name__)

# 2^12 band table keys per band: at a million documents ~240 records (1.5 KB) a key. A key costs ~100
# bytes whatever it holds, and a reserve reads 65 of them whole: a window of N documents wants
# N / 2^key_bits in the hundreds (raise key_bits for windows of tens of millions).
DEFAULT_KEY_BITS = 12
# Placements change whole linked groups at once; one lock per index makes each regrouping (and each
# eviction) a single step for every worker. Held for milliseconds; expires if a worker dies holding it.
LOCK_TIMEOUT_SECONDS = 30
EVICT_BATCH = 256


class RedisState:
    """The MemoryState contract, shared by every worker that uses the same Redis and namespace."""

    def __init__(
        self, redis_url: str, namespace: str, config: DedupConfig, key_bits: int = DEFAULT_KEY_BITS
    ) -> None:
        # redis-py's stubs type every reply as a union of bytes/str/...; replies here are always bytes.
        self._redis: Any = redis.Redis.from_url(redis_url, **redis_client.resilient_redis_params())
        self._prefix = redis_client.key_prefix(namespace, config)
        self._older = redis_client.older_prefixes(namespace, config)
        self._reserve = self._redis.register_script(redis_bands.RESERVE)
        self._fetch = self._redis.register_script(redis_bands.FETCH)
        self._oldest = self._redis.register_script(redis_bands.OLDEST)
        self._key_bits = key_bits
        self._links = RedisLinks(self._redis, self._prefix, self._records, self._bucket)
        # Ids this worker reserved and found alone, until their verdict is read or a placement written:
        # their verdict is "alone" as reserved, without a round trip.
        self._reserved: set[str] = set()
        # The entries and placements `group` read, for the `place` that follows it under the same lock.
        self._group_records: dict[str, tuple[bytes, bytes]] = {}

    def close(self) -> None:
        self._redis.close()

    def __len__(self) -> int:
        return int(self._redis.get(self._prefix + "count") or 0)

    def __contains__(self, doc_id: str) -> bool:
        return bool(self._redis.hexists(self._ids(doc_id), doc_id))

    def reserve_many(
        self, items: Sequence[tuple[Entry, tuple[np.ndarray, np.ndarray]]]
    ) -> list[list[Entry] | None]:
        """Record each entry alone in its cluster and file it under its band values (band numbers,
        values), in order and in one script; return, for each, the entries already filed under one of
        them (the exact band finds the exact twin), or None when its id was indexed before."""
        if not items:
            return []
        *reserved, met = self._reserve(keys=[self._prefix + "seq"], args=self._reserve_args(items))
        entries = {
            int(seq): entry_codec.decode(raw) for seq, raw in zip(met[::2], met[1::2], strict=True) if raw
        }
        results: list[list[Entry] | None] = []
        for (entry, _), (seq, *found) in zip(items, reserved, strict=True):
            if not seq:
                results.append(None)
                continue
            self._reserved.add(entry.id)
            results.append([entries[n] for n in found if n in entries and entries[n].id != entry.id])
        return results

    def queue_reserve(self, pipe: Any, entry: Entry, bands: tuple[np.ndarray, np.ndarray]) -> None:
        """Queue `entry`'s reserve on `pipe` (a pipeline of `pipeline()`), its reply unread: a bulk load
        of documents known to match nothing leaves Redis as `add` would, without a round trip each."""
        self._reserve(keys=[self._prefix + "seq"], args=self._reserve_args([(entry, bands)]), client=pipe)

    def pipeline(self) -> Any:
        return self._redis.pipeline(transaction=False)

    def _reserve_args(self, items: Sequence[tuple[Entry, tuple[np.ndarray, np.ndarray]]]) -> list[Any]:
        batch = [
            (entry.id, self._bucket(entry.id), entry_codec.encode(entry), bands) for entry, bands in items
        ]
        return redis_bands.reserve_args(self._prefix, self._key_bits, batch)

    @contextmanager
    def locked(self) -> Iterator[None]:
        # Polled every 5 ms: redis-py's default of 100 ms would idle a waiting worker for longer than
        # the few milliseconds a regrouping holds the lock.
        lock = self._redis.lock(
            self._prefix + "lock", timeout=LOCK_TIMEOUT_SECONDS, sleep=0.005, blocking_timeout=60
        )
        with lock:
            yield

    def add_links(self, doc_id: str, matches: list[Match]) -> None:
        self._links.add_links(doc_id, matches)

    def group(self, doc_id: str) -> tuple[dict[str, Entry], Mapping[str, Links]]:
        """The entries and links of every document linked to `doc_id`, directly or through others.
        Call under `locked()`: the next `place` writes over the placements read here."""
        links_of = self._links.linked(doc_id)
        ids = sorted(links_of)
        self._group_records = dict(zip(ids, self._records(ids), strict=True))
        # A document evicted by another worker meanwhile has no entry.
        entries = {i: entry_codec.decode(raw) for i, (raw, _) in self._group_records.items() if raw}
        return entries, links_of

    def place(self, placed: Mapping[str, Placement]) -> set[str]:
        """Store new placements; return the clusters that gained, lost or re-described a member."""
        self._reserved -= placed.keys()
        known, self._group_records = self._group_records, {}
        return self._links.place(placed, known)

    def member(self, doc_id: str) -> Placement:
        if doc_id in self._reserved:
            # The verdict of an add that found no match: as reserved a moment ago, without a round trip.
            self._reserved.discard(doc_id)
            return alone(doc_id)
        return self._links.member(doc_id)

    def cluster(self, cluster_id: str) -> Cluster | None:
        return self._links.cluster(cluster_id)

    def evict(self, cutoff: float, notify: Callable[[str], None] | None = None) -> list[str]:
        """Evict documents that arrived before `cutoff`, in arrival (sequence) order; returns those this
        worker evicted."""
        first = int(self._redis.get(self._prefix + "floor") or 1)
        (raw,) = self._oldest(keys=[self._prefix + "seq"], args=[self._prefix, first, 1])
        if raw and entry_codec.arrival_time(raw) >= cutoff:
            return []
        gone: list[str] = []
        with self.locked():
            floor = int(self._redis.get(self._prefix + "floor") or 1)
            last = int(self._redis.get(self._prefix + "seq") or 0)
            while floor <= last:
                batch = self._oldest(keys=[self._prefix + "seq"], args=[self._prefix, floor, EVICT_BATCH])
                due = 0
                for raw in batch:
                    if raw and entry_codec.arrival_time(raw) >= cutoff:
                        break
                    if raw:
                        gone.append(self._forget(floor + due, entry_codec.decode(raw).id, notify))
                    due += 1
                floor += due
                self._redis.set(self._prefix + "floor", floor)
                if due < len(batch):
                    break
            if gone:
                self._redis.decrby(self._prefix + "count", len(gone))
        return gone

    def _forget(self, seq: int, doc_id: str, notify: Callable[[str], None] | None) -> str:
        if notify is not None:
            notify(doc_id)
        pipe = self._redis.pipeline(transaction=True)
        self._links.forget(pipe, doc_id)
        pipe.hdel(self._ids(doc_id), doc_id)
        per_hash = redis_bands.DOCS_PER_HASH
        pipe.hdel(f"{self._prefix}d:{seq // per_hash}", seq % per_hash)
        pipe.execute()
        return doc_id

    def _records(self, ids: list[str]) -> list[tuple[bytes, bytes]]:
        """Each id's encoded entry and placement (b'' where absent)."""
        if not ids:
            return []
        args = [self._prefix, *(part for doc_id in ids for part in (doc_id, self._bucket(doc_id)))]
        raw = self._fetch(keys=[self._prefix + "seq"], args=args)
        return list(zip(raw[::2], raw[1::2], strict=True))

    def _bucket(self, doc_id: str) -> int:
        return int(xxhash.xxh32_intdigest(doc_id.encode()) >> (31 - self._key_bits))

    def _ids(self, doc_id: str) -> str:
        return f"{self._prefix}i:{self._bucket(doc_id)}"

    def retire_older_layouts(self) -> bool:
        """Drop what an older layout left under this namespace; True when the caller must re-index the
        stored records (the index it would have found is gone). A one-time scan of the old keys."""
        with self.locked():
            count = redis_client.retire(self._redis, self._older)
        if count:
            logger.warning(
                "dedup index under %r had an older layout: dropped its %d keys unread; it is rebuilt "
                "from the stored signatures",
                self._prefix,
                count,
            )
        return count > 0

    def drop_all(self) -> int:
        """Delete every key of this index (state and band tables); returns how many."""
        return redis_client.drop_keys(self._redis, self._prefix)

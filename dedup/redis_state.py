"""Shared index state in Redis for many workers: encoded entries, band tables, links and placements.

Reserving a document and filing it in its band tables is one Lua script (`redis_bands`); regrouping
linked documents and evicting run under one lock per index. Keys live under `redis_client.key_prefix`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import redis
import xxhash

from dedup import entry_codec, redis_bands, redis_client
from dedup.clusters import Links, Placement
from dedup.config import DedupConfig
from dedup.memory import alone
from dedup.model import Cluster, Entry, Member
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
        self._fetched: dict[str, Entry] = {}  # the last reserve's candidates, for the entries() after it
        self._reserved: str | None = None  # the id just reserved alone, until a placement is read or written

    def close(self) -> None:
        self._redis.close()

    def __len__(self) -> int:
        return int(self._redis.get(self._prefix + "count") or 0)

    def __contains__(self, doc_id: str) -> bool:
        return bool(self._redis.hexists(self._ids(doc_id), doc_id))

    def reserve(
        self, entry: Entry, bands: tuple[np.ndarray, np.ndarray]
    ) -> tuple[str | None, list[str]] | None:
        """Record `entry` alone in its cluster, file it under its band values (band numbers, values)
        and return the documents already filed under one of them (the exact band finds the exact
        twin). None when another worker indexed this id first."""
        reserved = self._reserve(keys=[self._prefix + "seq"], args=self._reserve_args(entry, bands))
        if reserved is None:
            return None
        self._reserved = entry.id
        found = [entry_codec.decode(raw) for raw in reserved[1:] if raw]
        self._fetched = {other.id: other for other in found if other.id != entry.id}
        return None, sorted(self._fetched)

    def queue_reserve(self, pipe: Any, entry: Entry, bands: tuple[np.ndarray, np.ndarray]) -> None:
        """Queue `entry`'s reserve on `pipe` (a pipeline of `pipeline()`), its reply unread: a bulk load
        of documents known to match nothing leaves Redis as `add` would, without a round trip each."""
        self._reserve(keys=[self._prefix + "seq"], args=self._reserve_args(entry, bands), client=pipe)

    def pipeline(self) -> Any:
        return self._redis.pipeline(transaction=False)

    def _reserve_args(self, entry: Entry, bands: tuple[np.ndarray, np.ndarray]) -> list[Any]:
        numbers, values = bands
        packed = np.empty(len(values), dtype=[("band", ">u2"), ("value", ">u4")])
        packed["band"], packed["value"] = numbers, values
        encoded = entry_codec.encode(entry)
        return [self._prefix, entry.id, self._bucket(entry.id), encoded, packed.tobytes(), self._key_bits]

    def entries(self, ids: list[str]) -> dict[str, Entry]:
        fetched, self._fetched = self._fetched, {}
        missing = [doc_id for doc_id in ids if doc_id not in fetched]
        found = {doc_id: fetched[doc_id] for doc_id in ids if doc_id in fetched}
        for doc_id, (raw, _) in zip(missing, self._records(missing), strict=True):
            if raw:  # else evicted by another worker meanwhile
                found[doc_id] = entry_codec.decode(raw)
        return found

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
        """Record verified matches in both directions, for documents still indexed."""
        others = [m.other for m in matches]
        present = {other for other, (raw, _) in zip(others, self._records(others), strict=True) if raw}
        pipe = self._redis.pipeline(transaction=False)
        for match in matches:
            if match.other in present:
                record = f"{match.kind}|{match.similarity!r}"
                pipe.hset(self._prefix + "adj:" + doc_id, match.other, record)
                pipe.hset(self._prefix + "adj:" + match.other, doc_id, record)
        pipe.execute()

    def group(self, doc_id: str) -> tuple[dict[str, Entry], Mapping[str, Links]]:
        """The entries and links of every document linked to `doc_id`, directly or through others."""
        links_of: dict[str, dict[str, Match]] = {}
        frontier = [doc_id]
        while frontier:
            pipe = self._redis.pipeline(transaction=False)
            for current in frontier:
                pipe.hgetall(self._prefix + "adj:" + current)
            for current, raw in zip(frontier, pipe.execute(), strict=True):
                links_of[current] = {
                    k.decode(): redis_client.parse_match(k.decode(), v) for k, v in raw.items()
                }
            frontier = sorted({o for c in frontier for o in links_of[c]} - set(links_of))
        return self.entries(sorted(links_of)), links_of

    def place(self, placed: Mapping[str, Placement]) -> set[str]:
        """Store new placements; return the clusters that gained, lost or re-described a member."""
        ids = sorted(placed)
        self._reserved = None
        changed: set[str] = set()
        write = self._redis.pipeline(transaction=True)
        for doc_id, (raw, place) in zip(ids, self._records(ids), strict=True):
            new = placed[doc_id]
            old = redis_client.decode_placement(place) if place else alone(doc_id)
            if not raw or old == new:
                continue
            changed |= {old.cluster, new.cluster}
            write.hdel(self._prefix + "m:" + old.cluster, doc_id)
            if new == alone(doc_id):
                write.hdel(f"{self._prefix}p:{self._bucket(doc_id)}", doc_id)
            else:
                write.hset(self._prefix + "m:" + new.cluster, doc_id, "1")
                write.hset(
                    f"{self._prefix}p:{self._bucket(doc_id)}", doc_id, redis_client.encode_placement(new)
                )
        write.execute()
        return changed

    def member(self, doc_id: str) -> Placement:
        reserved, self._reserved = self._reserved, None
        if doc_id == reserved:
            # The verdict of an add that found no match: as reserved a moment ago, without a round trip.
            return alone(doc_id)
        ((raw, place),) = self._records([doc_id])
        if not raw:
            raise KeyError(f"document {doc_id!r} is not in the index window")
        return redis_client.decode_placement(place) if place else alone(doc_id)

    def cluster(self, cluster_id: str) -> Cluster | None:
        ids = sorted({k.decode() for k in self._redis.hkeys(self._prefix + "m:" + cluster_id)} | {cluster_id})
        members, agencies, origin = [], set(), None
        for doc_id, (raw, place) in zip(ids, self._records(ids), strict=True):
            placement = redis_client.decode_placement(place) if place else alone(doc_id)
            if not raw or placement.cluster != cluster_id:
                continue
            origin = origin or placement.origin
            members.append(Member(doc_id, placement.match, placement.similarity))
            agency = entry_codec.decode(raw).agency
            if agency:
                agencies.add(agency)
        if origin is None:
            return None
        return Cluster(cluster_id, origin, tuple(members), tuple(sorted(agencies)))

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
        ((_, place),) = self._records([doc_id])
        others = [k.decode() for k in self._redis.hkeys(self._prefix + "adj:" + doc_id)]
        pipe = self._redis.pipeline(transaction=True)
        for other in others:
            pipe.hdel(self._prefix + "adj:" + other, doc_id)
        pipe.delete(self._prefix + "adj:" + doc_id)
        pipe.hdel(self._ids(doc_id), doc_id)
        per_hash = redis_bands.DOCS_PER_HASH
        pipe.hdel(f"{self._prefix}d:{seq // per_hash}", seq % per_hash)
        if place:
            pipe.hdel(self._prefix + "m:" + redis_client.decode_placement(place).cluster, doc_id)
            pipe.hdel(f"{self._prefix}p:{self._bucket(doc_id)}", doc_id)
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

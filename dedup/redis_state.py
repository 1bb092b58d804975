"""Shared index state in Redis for many workers: documents, exact hashes, clusters and band claims.

Reserving a document and claiming its LSH bands is one Lua script (atomic in Redis); regrouping linked
documents and evicting run under one lock per namespace. Keys live under
`<namespace>:dedup:<tag>:`; the datasketch LSH buckets under the same prefix plus `lsh`.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.connection import SSLConnection, parse_url
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from dedup import redis_bands
from dedup.clusters import Links, Placement
from dedup.config import DedupConfig
from dedup.model import Cluster, Entry, Member
from dedup.verify import Match

logger = logging.getLogger(__name__)

# A claim only has to outlive the gap between a worker's claim and its LSH insert.
CLAIM_TTL_SECONDS = 600

# Reserve and claim in one step, so the order of sequence numbers (cluster ids, origin ties) is the order
# of claims: whoever claims a band second sees the first claimer, even before that one's LSH insert.
_RESERVE = """
local p, id = ARGV[1], ARGV[2]
if redis.call('EXISTS', p .. 'doc:' .. id) == 1 then return false end
local seq = redis.call('INCR', p .. 'seq')
redis.call('HSET', p .. 'doc:' .. id, 'seq', seq, 'shingles', ARGV[3], 'numbers', ARGV[4], 'exact', ARGV[5],
  'pub', ARGV[6], 'agency', ARGV[7], 'time', ARGV[8], 'place', ARGV[10], 'title', ARGV[11])
redis.call('HSET', p .. 'mem:' .. id, id, '1')
redis.call('ZADD', p .. 'timeline', ARGV[8], id)
local out = {''}
if ARGV[5] ~= '' then
  local existing = redis.call('GET', p .. 'exact:' .. ARGV[5])
  if existing then out[1] = existing else redis.call('SET', p .. 'exact:' .. ARGV[5], id) end
end
local seen = {}
for _, key in ipairs(KEYS) do
  local previous = redis.call('GET', key)
  if previous and previous ~= id and not seen[previous] then
    seen[previous] = true
    out[#out + 1] = previous
  end
  redis.call('SET', key, id, 'EX', ARGV[9])
end
return out
"""

# Placements change whole linked groups at once; one lock per namespace makes each regrouping (and each
# eviction) a single step for every worker. Held for milliseconds; expires if a worker dies holding it.
LOCK_TIMEOUT_SECONDS = 30


RESTART_RETRIES = 20  # with backoff capped at 2 s: about 35 s, enough for a Redis restart


def resilient_redis_params() -> dict[str, Any]:
    """redis-py arguments that ride out a Redis restart instead of failing the crawl: connection
    errors and timeouts are retried with backoff (redis-py's default gives up after about a second)."""
    return {
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.1), RESTART_RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def key_prefix(namespace: str, config: DedupConfig, compact: bool = False) -> str:
    """Where an index's keys live. The compact layout's carry a hash tag (`{...}`): its scripts touch
    keys they compute, which Redis Cluster allows only within one slot."""
    if compact:
        return f"{namespace}:dedup:{{{namespace}:{config.tag}}}:"
    return f"{namespace}:dedup:{config.tag}:"


# The connection arguments of a URL that a `redis.Redis(...)` accepts: datasketch builds its clients
# from keyword arguments, not from a URL.
_CLIENT_ARGUMENTS = set(inspect.signature(redis.Redis.__init__).parameters) - {"self"}


def lsh_storage_config(redis_url: str, namespace: str, config: DedupConfig) -> dict[str, Any]:
    """datasketch storage config: Redis from the URL (credentials and TLS included, so the LSH's
    clients connect as the state's do), an explicit basename so restarts find the index."""
    parsed = parse_url(redis_url)
    params = {k: v for k, v in parsed.items() if k in _CLIENT_ARGUMENTS}
    if parsed.get("connection_class") is SSLConnection:  # rediss://
        params["ssl"] = True
    params.update(resilient_redis_params())
    return {"type": "redis", "basename": lsh_basename(namespace, config), "redis": params}


def lsh_basename(namespace: str, config: DedupConfig) -> bytes:
    return (key_prefix(namespace, config) + "lsh").encode()


class RedisState:
    """The MemoryState contract, shared by every worker that uses the same Redis and namespace."""

    def __init__(
        self,
        redis_url: str,
        namespace: str,
        config: DedupConfig,
        compact: bool = False,
        key_bits: int = redis_bands.DEFAULT_KEY_BITS,
    ) -> None:
        """`compact`: keep the LSH bands here (`redis_bands`) rather than in datasketch's storage."""
        # redis-py's stubs type every reply as a union of bytes/str/...; replies here are always bytes.
        self._redis: Any = redis.Redis.from_url(redis_url, **resilient_redis_params())
        self._prefix = key_prefix(namespace, config, compact)
        self._reserve = self._redis.register_script(redis_bands.RESERVE if compact else _RESERVE)
        self._remove_bands = self._redis.register_script(redis_bands.REMOVE)
        self.compact, self._key_bits = compact, key_bits

    def close(self) -> None:
        self._redis.close()

    def __len__(self) -> int:
        return int(self._redis.zcard(self._prefix + "timeline"))

    def __contains__(self, doc_id: str) -> bool:
        return bool(self._redis.exists(self._prefix + "doc:" + doc_id))

    def reserve_banded(self, entry: Entry, bands: Any) -> tuple[str | None, list[str]] | None:
        """The compact layout's reserve: record `entry`, put it in the buckets of its band values
        (`redis_bands.band_values`) and return its exact-hash twin and every document already in
        one of those buckets (its LSH candidates). None when another worker indexed this id first."""
        keys, fields = redis_bands.band_slots(self._prefix, bands, self._key_bits)
        args: list[Any] = [self._prefix, entry.id, *_entry_fields(entry)]
        args += [_encode(Placement(entry.id, entry.id, "unique", None)), entry.title]
        args += [redis_bands.pack_bands(bands), *fields]
        reserved = self._reserve(keys=keys, args=args)
        if reserved is None:
            return None
        exact, *found = reserved
        return (exact.decode() or None), [value.decode("utf-8", "replace") for value in found]

    def reserve(self, entry: Entry, band_keys: list[bytes]) -> tuple[str | None, list[str]] | None:
        """Record `entry` alone in its cluster and claim its LSH bands, atomically; return the indexed
        document with the same exact hash (or None) and the documents that claimed a shared band before.
        None when another worker indexed this id first (between our membership check and now): the
        document is not indexed twice.
        """
        published = "" if entry.published is None else repr(entry.published)
        keys = [f"{self._prefix}claim:{i}:{key.hex()}" for i, key in enumerate(band_keys)]
        args: list[Any] = [self._prefix, entry.id, entry.shingles, entry.numbers, entry.exact or ""]
        args += [published, entry.agency or "", repr(entry.time), CLAIM_TTL_SECONDS]
        args += [_encode(Placement(entry.id, entry.id, "unique", None)), entry.title]
        reserved = self._reserve(keys=keys, args=args)
        if reserved is None:
            return None
        exact, *claimed = reserved
        return (exact.decode() or None), [value.decode() for value in claimed]

    def entries(self, ids: list[str]) -> dict[str, Entry]:
        pipe = self._redis.pipeline(transaction=False)
        for doc_id in ids:
            pipe.hmget(
                self._prefix + "doc:" + doc_id,
                *("shingles", "numbers", "exact", "pub", "agency", "time", "title"),
            )
        found: dict[str, Entry] = {}
        replies = zip(ids, pipe.execute(), strict=True)
        for doc_id, (shingles, numbers, exact, pub, agency, time, title) in replies:
            if shingles is None:
                continue  # evicted by another worker meanwhile
            found[doc_id] = Entry(
                doc_id, shingles, numbers, exact.decode() or None, float(pub) if pub else None,
                agency.decode() or None, float(time), (title or b"").decode(),
            )  # fmt: skip
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
        present = self.entries_present([m.other for m in matches])
        pipe = self._redis.pipeline(transaction=False)
        for match in matches:
            if match.other in present:
                record = f"{match.kind}|{match.similarity!r}"
                pipe.hset(self._prefix + "adj:" + doc_id, match.other, record)
                pipe.hset(self._prefix + "adj:" + match.other, doc_id, record)
        pipe.execute()

    def entries_present(self, ids: list[str]) -> set[str]:
        pipe = self._redis.pipeline(transaction=False)
        for doc_id in ids:
            pipe.exists(self._prefix + "doc:" + doc_id)
        return {doc_id for doc_id, found in zip(ids, pipe.execute(), strict=True) if found}

    def group(self, doc_id: str) -> tuple[dict[str, Entry], Mapping[str, Links]]:
        """The entries and links of every document linked to `doc_id`, directly or through others."""
        links_of: dict[str, dict[str, Match]] = {}
        frontier = [doc_id]
        while frontier:
            pipe = self._redis.pipeline(transaction=False)
            for current in frontier:
                pipe.hgetall(self._prefix + "adj:" + current)
            for current, raw in zip(frontier, pipe.execute(), strict=True):
                links_of[current] = {k.decode(): _match(k.decode(), v) for k, v in raw.items()}
            frontier = sorted({o for c in frontier for o in links_of[c]} - set(links_of))
        return self.entries(sorted(links_of)), links_of

    def place(self, placed: Mapping[str, Placement]) -> set[str]:
        """Store new placements; return the clusters that gained, lost or re-described a member."""
        ids = sorted(placed)
        pipe = self._redis.pipeline(transaction=False)
        for doc_id in ids:
            pipe.hget(self._prefix + "doc:" + doc_id, "place")
        changed: set[str] = set()
        write = self._redis.pipeline(transaction=True)
        for doc_id, raw in zip(ids, pipe.execute(), strict=True):
            new = placed[doc_id]
            if raw is None or _placement(raw) == new:
                continue
            old = _placement(raw)
            changed |= {old.cluster, new.cluster}
            write.hdel(self._prefix + "mem:" + old.cluster, doc_id)
            write.hset(self._prefix + "mem:" + new.cluster, doc_id, "1")
            write.hset(self._prefix + "doc:" + doc_id, "place", _encode(new))
        write.execute()
        return changed

    def member(self, doc_id: str) -> Placement:
        raw = self._redis.hget(self._prefix + "doc:" + doc_id, "place")
        if raw is None:
            raise KeyError(f"document {doc_id!r} is not in the index window")
        return _placement(raw)

    def cluster(self, cluster_id: str) -> Cluster | None:
        ids = sorted(k.decode() for k in self._redis.hkeys(self._prefix + "mem:" + cluster_id))
        if not ids:
            return None
        pipe = self._redis.pipeline(transaction=False)
        for doc_id in ids:
            pipe.hmget(self._prefix + "doc:" + doc_id, "place", "agency")
        members, agencies, origin = [], set(), None
        for doc_id, (raw, agency) in zip(ids, pipe.execute(), strict=True):
            if raw is None:
                continue
            placement = _placement(raw)
            origin = placement.origin
            members.append(Member(doc_id, placement.match, placement.similarity))
            if agency:
                agencies.add(agency.decode())
        if origin is None:
            return None
        return Cluster(cluster_id, origin, tuple(members), tuple(sorted(agencies)))

    def evict(self, cutoff: float, notify: Callable[[str], None] | None = None) -> list[str]:
        """Evict documents that arrived before `cutoff`; returns those this worker evicted."""
        stale = self._redis.zrangebyscore(
            self._prefix + "timeline", "-inf", f"({cutoff!r}", start=0, num=1000
        )
        if not stale:
            return []
        gone = []
        with self.locked():
            for raw in stale:
                doc_id = raw.decode()
                if not self._redis.zrem(self._prefix + "timeline", doc_id):
                    continue  # another worker evicted it
                if notify is not None:
                    notify(doc_id)
                self._forget(doc_id)
                gone.append(doc_id)
        return gone

    def _forget(self, doc_id: str) -> None:
        key = self._prefix + "doc:" + doc_id
        place, exact, seq, bands = self._redis.hmget(key, "place", "exact", "seq", "bands")
        if self.compact and seq is not None and bands:
            keys, fields = redis_bands.band_slots(
                self._prefix, redis_bands.unpack_bands(bands), self._key_bits
            )
            self._remove_bands(keys=keys, args=[self._prefix, int(seq), *fields])
        others = [k.decode() for k in self._redis.hkeys(self._prefix + "adj:" + doc_id)]
        pipe = self._redis.pipeline(transaction=True)
        for other in others:
            pipe.hdel(self._prefix + "adj:" + other, doc_id)
        pipe.delete(key, self._prefix + "adj:" + doc_id)
        if place is not None:
            pipe.hdel(self._prefix + "mem:" + _placement(place).cluster, doc_id)
        pipe.execute()
        if exact and self._redis.get(self._prefix + "exact:" + exact.decode()) == doc_id.encode():
            self._redis.delete(self._prefix + "exact:" + exact.decode())

    def retire_older_layouts(self, namespace: str, config: DedupConfig) -> bool:
        """Drop what an older layout left under this namespace; True when the caller must re-index the
        stored records (the index it would have found is gone)."""
        if not self.compact:
            return self.drop_pickled_index()
        legacy = key_prefix(namespace, config, compact=False)
        with self.locked():
            if not self._redis.exists(legacy + "seq"):
                return False
            count = 0
            for key in self._redis.scan_iter(match=legacy + "*", count=1000):
                count += int(self._redis.delete(key))
        logger.warning(
            "dedup index under %r has the datasketch layout: dropped its %d keys unread for the compact "
            "one under %r, which is rebuilt from the stored signatures",
            legacy,
            count,
            self._prefix,
        )
        return True

    def drop_pickled_index(self) -> bool:
        """Drop the whole index if its LSH holds pickled document keys (the layout before ids were
        stored as bytes): reading them back would run whatever anyone with access to Redis wrote
        there. True when it was dropped; the caller re-indexes the stored records."""
        with self.locked():
            sample = self._redis.hrandfield(self._prefix + "lsh_keys")
            # Every pickle of protocol 2 or later starts with the PROTO opcode 0x80; an id stored as
            # UTF-8 never does (0x80 is a continuation byte).
            if sample is None or not sample.startswith(b"\x80"):
                return False
            count = self.drop_all(keep=self._prefix + "lock")
        logger.warning(
            "dedup index under %r held pickled keys (an older layout): dropped its %d keys unread; "
            "it is rebuilt from the stored signatures",
            self._prefix,
            count,
        )
        return True

    def drop_all(self, keep: str | None = None) -> int:
        """Delete every key of this namespace and tag (state and LSH buckets) but `keep`; returns how many."""
        count = 0
        for key in self._redis.scan_iter(match=self._prefix + "*", count=1000):
            if keep is None or key != keep.encode():
                count += int(self._redis.delete(key))
        return count


def _entry_fields(entry: Entry) -> list[Any]:
    published = "" if entry.published is None else repr(entry.published)
    return [entry.shingles, entry.numbers, entry.exact or "", published, entry.agency or "", repr(entry.time)]


def _match(other: str, raw: bytes) -> Match:
    kind, similarity = raw.decode().split("|")
    return Match(other, kind, float(similarity))


def _encode(placement: Placement) -> str:
    return json.dumps([placement.cluster, placement.origin, placement.match, placement.similarity])


def _placement(raw: bytes) -> Placement:
    cluster, origin, match, similarity = json.loads(raw)
    return Placement(cluster, origin, match, similarity)

"""Shared index state in Redis for many workers: documents, exact hashes, clusters and band claims.

Every change that several workers can race on runs as one Lua script (atomic in Redis): reserving a
document, claiming its LSH bands, linking clusters and evicting. Keys live under
`<namespace>:dedup:<tag>:`; the datasketch LSH buckets under the same prefix plus `lsh`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.connection import parse_url
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from dedup.config import DedupConfig
from dedup.model import Cluster, Entry, Member
from dedup.verify import Match, best

# A claim only has to outlive the gap between a worker's claim and its LSH insert.
CLAIM_TTL_SECONDS = 600
_NO_TIME = 1e18  # rank of an unknown publication time: after every known one

# Reserve and claim in one step, so the order of sequence numbers (cluster ids, origin ties) is the order
# of claims: whoever claims a band second sees the first claimer, even before that one's LSH insert.
_RESERVE = """
local p, id = ARGV[1], ARGV[2]
if redis.call('EXISTS', p .. 'doc:' .. id) == 1 then return false end
local seq = redis.call('INCR', p .. 'seq')
redis.call('HSET', p .. 'doc:' .. id, 'seq', seq, 'shingles', ARGV[3], 'numbers', ARGV[4], 'exact', ARGV[5],
  'pub', ARGV[6], 'agency', ARGV[7], 'time', ARGV[8], 'cluster', id)
redis.call('HSET', p .. 'cl:' .. id, 'seq', seq, 'origin', id, 'ra', ARGV[9], 'rp', ARGV[10], 'rs', seq)
redis.call('HSET', p .. 'mem:' .. id, id, 'unique|')
if ARGV[7] ~= '' then redis.call('HINCRBY', p .. 'agc:' .. id, ARGV[7], 1) end
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
  redis.call('SET', key, id, 'EX', ARGV[11])
end
return out
"""

_LINK = """
local p, id, record = ARGV[1], ARGV[2], ARGV[3]
local function cluster_of(doc) return redis.call('HGET', p .. 'doc:' .. doc, 'cluster') end
local function rank(c)
  local r = redis.call('HMGET', p .. 'cl:' .. c, 'ra', 'rp', 'rs', 'seq')
  return {tonumber(r[1]), tonumber(r[2]), tonumber(r[3]), tonumber(r[4])}
end
local function before(a, b)
  if a[1] ~= b[1] then return a[1] < b[1] end
  if a[2] ~= b[2] then return a[2] < b[2] end
  return a[3] < b[3]
end
local own = cluster_of(id)
if not own then return false end
local clusters, seen = {own}, {[own] = true}
for i = 4, #ARGV do
  local c = cluster_of(ARGV[i])
  if c and not seen[c] then seen[c] = true; clusters[#clusters + 1] = c end
end
local target, target_rank = own, rank(own)
for _, c in ipairs(clusters) do
  local r = rank(c)
  if r[4] < target_rank[4] then target, target_rank = c, r end
end
local best_c, best_rank = target, target_rank
for _, c in ipairs(clusters) do
  if c ~= target then
    local r = rank(c)
    if before(r, best_rank) then best_c, best_rank = c, r end
    local members = redis.call('HGETALL', p .. 'mem:' .. c)
    for j = 1, #members, 2 do
      redis.call('HSET', p .. 'mem:' .. target, members[j], members[j + 1])
      redis.call('HSET', p .. 'doc:' .. members[j], 'cluster', target)
    end
    local agencies = redis.call('HGETALL', p .. 'agc:' .. c)
    for j = 1, #agencies, 2 do redis.call('HINCRBY', p .. 'agc:' .. target, agencies[j], agencies[j + 1]) end
    if best_c == c then
      local o = redis.call('HGET', p .. 'cl:' .. c, 'origin')
      redis.call('HSET', p .. 'cl:' .. target, 'origin', o, 'ra', r[1], 'rp', r[2], 'rs', r[3])
    end
    redis.call('DEL', p .. 'cl:' .. c, p .. 'mem:' .. c, p .. 'agc:' .. c)
  end
end
if record ~= '' then redis.call('HSET', p .. 'mem:' .. target, id, record) end
return {target, redis.call('HGET', p .. 'cl:' .. target, 'origin')}
"""

_EVICT = """
local p, id = ARGV[1], ARGV[2]
if redis.call('ZREM', p .. 'timeline', id) == 0 then return 0 end
local d = redis.call('HMGET', p .. 'doc:' .. id, 'cluster', 'exact', 'agency')
local c = d[1]
redis.call('DEL', p .. 'doc:' .. id)
if d[2] and d[2] ~= '' and redis.call('GET', p .. 'exact:' .. d[2]) == id then
  redis.call('DEL', p .. 'exact:' .. d[2])
end
if not c then return 1 end
redis.call('HDEL', p .. 'mem:' .. c, id)
if d[3] and d[3] ~= '' and redis.call('HINCRBY', p .. 'agc:' .. c, d[3], -1) <= 0 then
  redis.call('HDEL', p .. 'agc:' .. c, d[3])
end
if redis.call('HLEN', p .. 'mem:' .. c) == 0 then
  redis.call('DEL', p .. 'cl:' .. c, p .. 'mem:' .. c, p .. 'agc:' .. c)
end
return 1
"""


RESTART_RETRIES = 20  # with backoff capped at 2 s: about 35 s, enough for a Redis restart


def resilient_redis_params() -> dict[str, Any]:
    """redis-py arguments that ride out a Redis restart instead of failing the crawl: connection
    errors and timeouts are retried with backoff (redis-py's default gives up after about a second)."""
    return {
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.1), RESTART_RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def key_prefix(namespace: str, config: DedupConfig) -> str:
    return f"{namespace}:dedup:{config.tag}:"


def lsh_storage_config(redis_url: str, namespace: str, config: DedupConfig) -> dict[str, Any]:
    """datasketch storage config: Redis from the URL, an explicit basename so restarts find the index."""
    params = {
        k: v for k, v in parse_url(redis_url).items() if k in ("host", "port", "db", "password", "username")
    }
    params.update(resilient_redis_params())
    return {"type": "redis", "basename": (key_prefix(namespace, config) + "lsh").encode(), "redis": params}


class RedisState:
    """The MemoryState contract, shared by every worker that uses the same Redis and namespace."""

    def __init__(self, redis_url: str, namespace: str, config: DedupConfig) -> None:
        # redis-py's stubs type every reply as a union of bytes/str/...; replies here are always bytes.
        self._redis: Any = redis.Redis.from_url(redis_url, **resilient_redis_params())
        self._prefix = key_prefix(namespace, config)
        self._reserve = self._redis.register_script(_RESERVE)
        self._link = self._redis.register_script(_LINK)
        self._evict = self._redis.register_script(_EVICT)

    def close(self) -> None:
        self._redis.close()

    def __len__(self) -> int:
        return int(self._redis.zcard(self._prefix + "timeline"))

    def __contains__(self, doc_id: str) -> bool:
        return bool(self._redis.exists(self._prefix + "doc:" + doc_id))

    def reserve(self, entry: Entry, band_keys: list[bytes]) -> tuple[str | None, list[str]] | None:
        """Record `entry` as a singleton cluster and claim its LSH bands, atomically; return the indexed
        document with the same exact hash (or None) and the documents that claimed a shared band before.
        None when another worker indexed this id first (between our membership check and now): the
        document is not indexed twice.
        """
        rank = entry.origin_rank(0)
        published = "" if entry.published is None else repr(entry.published)
        keys = [f"{self._prefix}claim:{i}:{key.hex()}" for i, key in enumerate(band_keys)]
        args: list[Any] = [
            self._prefix,
            entry.id,
            entry.shingles,
            entry.numbers,
            entry.exact or "",
            published,
        ]
        args += [entry.agency or "", repr(entry.time), rank[0], repr(min(rank[1], _NO_TIME))]
        args.append(CLAIM_TTL_SECONDS)
        reserved = self._reserve(keys=keys, args=args)
        if reserved is None:
            return None
        exact, *claimed = reserved
        return (exact.decode() or None), [value.decode() for value in claimed]

    def entries(self, ids: list[str]) -> dict[str, Entry]:
        pipe = self._redis.pipeline(transaction=False)
        for doc_id in ids:
            pipe.hmget(
                self._prefix + "doc:" + doc_id, "shingles", "numbers", "exact", "pub", "agency", "time"
            )
        found: dict[str, Entry] = {}
        for doc_id, (shingles, numbers, exact, pub, agency, time) in zip(ids, pipe.execute(), strict=True):
            if shingles is None:
                continue  # evicted by another worker meanwhile
            found[doc_id] = Entry(
                doc_id, shingles, numbers, exact.decode() or None, float(pub) if pub else None,
                agency.decode() or None, float(time),
            )  # fmt: skip
        return found

    def link(self, doc_id: str, matches: list[Match]) -> tuple[str, str]:
        chosen = best(matches)
        record = "" if chosen is None else f"{chosen.kind}|{chosen.similarity:.4f}"
        result = self._link(args=[self._prefix, doc_id, record, *[m.other for m in matches]])
        if not result:
            raise KeyError(f"document {doc_id!r} left the index before it was linked; re-add it")
        return result[0].decode(), result[1].decode()

    def member(self, doc_id: str) -> tuple[str, str, str, float | None]:
        cluster_id = self._redis.hget(self._prefix + "doc:" + doc_id, "cluster")
        if cluster_id is None:
            raise KeyError(f"document {doc_id!r} is not in the index window")
        cid = cluster_id.decode()
        origin = self._redis.hget(self._prefix + "cl:" + cid, "origin")
        record = self._redis.hget(self._prefix + "mem:" + cid, doc_id) or b"unique|"
        kind, similarity = record.decode().split("|")
        return cid, (origin or b"").decode() or doc_id, kind, float(similarity) if similarity else None

    def cluster(self, cluster_id: str) -> Cluster | None:
        origin = self._redis.hget(self._prefix + "cl:" + cluster_id, "origin")
        if origin is None:
            return None
        members = []
        for member, record in sorted(self._redis.hgetall(self._prefix + "mem:" + cluster_id).items()):
            kind, similarity = record.decode().split("|")
            members.append(Member(member.decode(), kind, float(similarity) if similarity else None))
        agencies = sorted(a.decode() for a in self._redis.hkeys(self._prefix + "agc:" + cluster_id))
        return Cluster(cluster_id, origin.decode(), tuple(members), tuple(agencies))

    def evict(self, cutoff: float, notify: Callable[[str], None] | None = None) -> list[str]:
        """Evict documents older than `cutoff`; returns those this worker evicted (others may race)."""
        stale = self._redis.zrangebyscore(
            self._prefix + "timeline", "-inf", f"({cutoff!r}", start=0, num=1000
        )
        gone = []
        for raw in stale:
            doc_id = raw.decode()
            if notify is not None and doc_id in self:
                notify(doc_id)
            if self._evict(args=[self._prefix, doc_id]):
                gone.append(doc_id)
        return gone

    def drop_all(self) -> int:
        """Delete every key of this namespace and tag (state and LSH buckets); returns how many."""
        count = 0
        for key in self._redis.scan_iter(match=self._prefix + "*", count=1000):
            count += int(self._redis.delete(key))
        return count

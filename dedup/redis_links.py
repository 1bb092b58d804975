"""The clustering side of the shared index in Redis: verified links, the placements of linked
documents and cluster member lists. A document alone in its own cluster has none of these keys.

Regrouping runs under the index's lock (`RedisState.locked`); `redis_state` owns the documents and their
band tables and hands this module each id's stored entry and placement (`records`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dedup import entry_codec, redis_client
from dedup.clusters import Links, Placement
from dedup.memory import alone
from dedup.model import Cluster, Member
from dedup.verify import Match

# Each id's encoded entry and placement (b'' where absent), read in one round trip.
Records = Callable[[list[str]], list[tuple[bytes, bytes]]]

# ARGV: prefix, an id. Returns (id, its links as HGETALL gives them) for every document linked to the id,
# directly or through others, the id first: the whole group in one round trip instead of one a hop.
LINKED = """
local p, queue, seen, out = ARGV[1], {ARGV[2]}, {[ARGV[2]] = true}, {}
local at = 1
while at <= #queue do
  local id = queue[at]
  at = at + 1
  local links = redis.call('HGETALL', p .. 'adj:' .. id)
  out[#out + 1] = id
  out[#out + 1] = links
  for i = 1, #links, 2 do
    if not seen[links[i]] then seen[links[i]] = true; queue[#queue + 1] = links[i] end
  end
end
return out
"""


class RedisLinks:
    def __init__(self, client: Any, prefix: str, records: Records, bucket: Callable[[str], int]) -> None:
        self._redis, self._prefix, self._records, self._bucket = client, prefix, records, bucket
        self._linked = client.register_script(LINKED)

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

    def linked(self, doc_id: str) -> dict[str, Links]:
        """The links of every document linked to `doc_id`, directly or through others."""
        raw = self._linked(keys=[self._prefix + "seq"], args=[self._prefix, doc_id])
        links_of: dict[str, Links] = {}
        for current, links in zip(raw[::2], raw[1::2], strict=True):
            pairs = zip(links[::2], links[1::2], strict=True)
            links_of[current.decode()] = {
                k.decode(): redis_client.parse_match(k.decode(), v) for k, v in pairs
            }
        return links_of

    def place(
        self, placed: Mapping[str, Placement], known: Mapping[str, tuple[bytes, bytes]] | None = None
    ) -> set[str]:
        """Store new placements; return the clusters that gained, lost or re-described a member.
        `known`: records of some of the ids, read under the same lock (not read again)."""
        known = known or {}
        ids = sorted(placed)
        unknown = [doc_id for doc_id in ids if doc_id not in known]
        records = {**known, **dict(zip(unknown, self._records(unknown), strict=True))}
        changed: set[str] = set()
        write = self._redis.pipeline(transaction=True)
        for doc_id in ids:
            raw, place = records[doc_id]
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

    def forget(self, pipe: Any, doc_id: str) -> None:
        """Queue on `pipe` the removal of `doc_id`'s links, placement and membership."""
        ((_, place),) = self._records([doc_id])
        others = [k.decode() for k in self._redis.hkeys(self._prefix + "adj:" + doc_id)]
        for other in others:
            pipe.hdel(self._prefix + "adj:" + other, doc_id)
        pipe.delete(self._prefix + "adj:" + doc_id)
        if place:
            pipe.hdel(self._prefix + "m:" + redis_client.decode_placement(place).cluster, doc_id)
            pipe.hdel(f"{self._prefix}p:{self._bucket(doc_id)}", doc_id)

"""How the shared index reaches Redis: clients that ride out a restart, and where an index's keys live."""

from __future__ import annotations

import json
from typing import Any

from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from dedup.clusters import Placement
from dedup.config import DedupConfig
from dedup.verify import Match

RESTART_RETRIES = 20  # with backoff capped at 2 s: about 35 s, enough for a Redis restart


def resilient_redis_params() -> dict[str, Any]:
    """redis-py arguments that ride out a Redis restart instead of failing the crawl: connection
    errors and timeouts are retried with backoff (redis-py's default gives up after about a second)."""
    return {
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.1), RESTART_RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


# Bumped when the keys change meaning: an index of another layout is found under an older prefix and
# rebuilt from the stored signatures. 2: band tables named in hex by the client (`redis_bands`).
LAYOUT = 2


def key_prefix(namespace: str, config: DedupConfig) -> str:
    """Where an index's keys live. They share one hash tag (`{...}`): its scripts touch keys they
    compute, which Redis Cluster allows only within one slot, so one index lives on one node and
    indexes of other namespaces or parameters spread over the others."""
    return f"{namespace}:{{{namespace}:{config.tag}:l{LAYOUT}}}:"


def older_prefixes(namespace: str, config: DedupConfig) -> list[str]:
    """Where earlier layouts of the index kept their keys (datasketch's band sets, then hashes, then
    band tables named in decimal by the script). None is a prefix of the current one's keys."""
    return [
        f"{namespace}:dedup:{config.tag}:",
        f"{namespace}:dedup:{{{namespace}:{config.tag}}}:",
        f"{namespace}:{{{namespace}:{config.tag}}}:",
    ]


def retire(client: Any, prefixes: list[str]) -> int:
    """Drop every index found under one of `prefixes` (one with a `seq` key); returns the keys deleted."""
    return sum(drop_keys(client, prefix) for prefix in prefixes if client.exists(prefix + "seq"))


def drop_keys(client: Any, prefix: str) -> int:
    """Delete every key under `prefix` (a scan: for dropping a whole index, never on the hot path)."""
    count = 0
    for key in client.scan_iter(match=prefix.replace("{", "\\{").replace("}", "\\}") + "*", count=1000):
        count += int(client.delete(key))
    return count


def parse_match(other: str, raw: bytes) -> Match:
    kind, similarity = raw.decode().split("|")
    return Match(other, kind, float(similarity))


def encode_placement(placement: Placement) -> str:
    return json.dumps([placement.cluster, placement.origin, placement.match, placement.similarity])


def decode_placement(raw: bytes) -> Placement:
    cluster, origin, match, similarity = json.loads(raw)
    return Placement(cluster, origin, match, similarity)

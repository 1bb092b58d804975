"""How the shared index reaches Redis: clients that ride out a restart, and where an index's keys live."""

from __future__ import annotations

from typing import Any

from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from dedup.config import DedupConfig

RESTART_RETRIES = 20  # with backoff capped at 2 s: about 35 s, enough for a Redis restart


def resilient_redis_params() -> dict[str, Any]:
    """redis-py arguments that ride out a Redis restart instead of failing the crawl: connection
    errors and timeouts are retried with backoff (redis-py's default gives up after about a second)."""
    return {
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.1), RESTART_RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def key_prefix(namespace: str, config: DedupConfig) -> str:
    """Where an index's keys live. They share one hash tag (`{...}`): its scripts touch keys they
    compute, which Redis Cluster allows only within one slot, so one index lives on one node and
    indexes of other namespaces or parameters spread over the others."""
    return f"{namespace}:{{{namespace}:{config.tag}}}:"


def older_prefixes(namespace: str, config: DedupConfig) -> list[str]:
    """Where earlier layouts of the index kept their keys (datasketch's band sets, then hashes)."""
    return [f"{namespace}:dedup:{config.tag}:", f"{namespace}:dedup:{{{namespace}:{config.tag}}}:"]

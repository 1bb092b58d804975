"""The settings that put a crawl on the shared Redis frontier (`newscrawl crawl --frontier URL`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from dedup.redis_state import resilient_redis_params


class FrontierError(ValueError):
    """The frontier URL is unusable; the message says how to write it."""


class FrontierUnavailable(FrontierError):
    """The frontier URL is well formed but no Redis answers there: a runtime failure, not a typo."""


def check_redis_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise FrontierError(
            f"--frontier {url!r}: write it as redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0"
        )
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        raise FrontierUnavailable(
            f"--frontier {url}: cannot reach Redis ({error}); start it or fix the host and port"
        ) from None
    finally:
        client.close()
    return url


def frontier_settings(redis_url: str, prefix: str = "newscrawl") -> dict[str, Any]:
    return {
        "REDIS_URL": redis_url,
        # scrapy-redis adds these to its defaults: a Redis restart stalls the workers, not ends them.
        "REDIS_PARAMS": resilient_redis_params(),
        "SCHEDULER": "crawler.frontier.scheduler.LeasedScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.frontier.queue.LeasedPriorityQueue",
        # JSON checked on every pop, not scrapy-redis's default pickle (which runs what it reads).
        "SCHEDULER_SERIALIZER": "crawler.frontier.serializer",
        "DUPEFILTER_CLASS": "crawler.frontier.dupefilter.RefetchAwareDupeFilter",
        # The queue and the seen-set outlive a run: the next run resumes and skips what was fetched.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:seen",
        "FRONTIER_PREFIX": prefix,
        "DEDUP_REDIS_URL": redis_url,
        "DEDUP_NAMESPACE": f"{prefix}:dedup",
        "DOWNLOAD_HANDLERS": {
            "http": "crawler.frontier.hostdelay.SharedHostDelayHandler",
            "https": "crawler.frontier.hostdelay.SharedHostDelayHandler",
        },
    }

"""The settings that put a crawl on the shared Redis frontier (`newscrawl crawl --frontier URL`).

The URL may carry an ACL user and password (`redis://USER:PASSWORD@HOST:PORT/DB`, `rediss://` for
TLS), or leave the password to NEWSCRAWL_FRONTIER_PASSWORD so it stays out of the process's arguments.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote, urlsplit

from crawler.defaults import FRONTIER_PREFIX
from dedup.redis_client import resilient_redis_params

PASSWORD_ENV = "NEWSCRAWL_FRONTIER_PASSWORD"


class FrontierError(ValueError):
    """The frontier URL is unusable; the message says how to write it."""


class FrontierUnavailable(FrontierError):
    """The frontier URL is well formed but no Redis answers there: a runtime failure, not a typo."""


def redacted(url: str) -> str:
    """`url` with its password, if any, replaced by `***`: the form every message shows."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unreadable URL>"
    if password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()


def with_password_from_env(url: str) -> str:
    """`url`, with the password from NEWSCRAWL_FRONTIER_PASSWORD when the URL itself names none."""
    password = os.environ.get(PASSWORD_ENV)
    parts = urlsplit(url)
    if not password or parts.password is not None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username or ''}:{quote(password, safe='')}@{host}").geturl()


def check_redis_url(url: str) -> str:
    """The usable frontier URL (password included), after one PING with its credentials."""
    shown = redacted(url)
    try:
        parts = urlsplit(url)
        usable = parts.scheme in ("redis", "rediss") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number
        usable = False
    if not usable:
        raise FrontierError(
            f"--frontier {shown!r}: write it as redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0 "
            "(redis://USER:PASSWORD@HOST:PORT/DB for an ACL user, rediss:// for TLS)"
        )
    url = with_password_from_env(url)
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.AuthenticationError as error:
        raise FrontierError(
            f"--frontier {shown}: Redis refused the user or password ({error}); check them against "
            f"the server's ACL (the password may also come from {PASSWORD_ENV})"
        ) from None
    except redis.exceptions.NoPermissionError as error:
        raise FrontierError(
            f"--frontier {shown}: the Redis user may not run PING ({error}); see docs/threat-model.md "
            "for the ACL a worker needs"
        ) from None
    except redis.RedisError as error:
        raise FrontierUnavailable(
            f"--frontier {shown}: cannot reach Redis ({error}); start it or fix the host and port"
        ) from None
    finally:
        client.close()
    return url


def frontier_settings(redis_url: str, prefix: str = FRONTIER_PREFIX) -> dict[str, Any]:
    # scrapy-redis's scheduler and dupefilter, the shared host delays and the dedup index all connect
    # with this one URL, credentials and TLS included.
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

"""A private key prefix on the local Redis for one test, deleted afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

REDIS_URL = os.environ.get("NEWSCRAWL_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_or_skip():  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        # CI starts Redis (.ci/run); there a missing server is a failure, not a skip.
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}; start one to run the distributed tests")
    return client


@contextmanager
def private_prefix(client) -> Iterator[str]:  # type: ignore[no-untyped-def]
    prefix = f"newscrawl-test-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)

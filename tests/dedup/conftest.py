"""Fixtures for dedup tests: a private namespace on the local Redis, deleted afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_namespace() -> Iterator[str]:
    """A unique namespace on the local Redis; every key under it is deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        client.close()
        pytest.skip("no Redis on 127.0.0.1:6379; start one to run the shared-index tests")
    namespace = f"newscrawl-test-{uuid.uuid4().hex[:12]}"
    yield namespace
    for key in client.scan_iter(match=f"{namespace}:*", count=1000):
        client.delete(key)
    client.close()

"""Fixtures for the Redis-frontier tests: a private key prefix, and `newscrawl crawl` workers on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import FAST, start_cli
from tests.support.redis import REDIS_URL, private_prefix, redis_or_skip


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    client = redis_or_skip()
    with private_prefix(client) as prefix:
        yield prefix


def worker_args(
    registry_file: Path, store: str, prefix: str, *extra: str, frontier: str = REDIS_URL
) -> list[str]:
    """A `newscrawl crawl` worker on the shared frontier, with newscrawl's own delays off (FAST)."""
    return [
        "crawl", "--sources", str(registry_file), "--store", store, "--allow-private",
        "--frontier", frontier, "--frontier-prefix", prefix, *FAST,
        "-s", "FRONTIER_HEARTBEAT_SECONDS=3", *extra,
    ]  # fmt: skip


def run_workers(count: int, *args: str) -> None:
    """Run `count` workers with the same arguments side by side; each must finish cleanly."""
    workers = [start_cli(*args) for _ in range(count)]
    for worker in workers:
        _out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err[-3000:]

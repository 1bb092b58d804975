"""Fixtures for the Redis-frontier tests: a private key prefix, `newscrawl crawl` workers on it, and a
good queue entry as an operator's tool would write one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request

from crawler.frontier import serializer
from crawler.spiders.news import NewsSpider
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


def run_workers(count: int, *args: str) -> list[str]:
    """Run `count` workers with the same arguments side by side; each must finish cleanly. Returns
    their stderr."""
    workers = [start_cli(*args) for _ in range(count)]
    # Wait for every worker before judging any, so a failing one leaves no process behind.
    errors = [worker.communicate(timeout=240)[1] for worker in workers]
    for worker, err in zip(workers, errors, strict=True):
        assert worker.returncode == 0, err[-3000:]
    return errors


def article_entry(url: str, source_id: str) -> bytes:
    """A good entry, as an operator's tool would queue one URL for the workers."""
    spider = NewsSpider()
    meta = {"source_id": source_id, "newscrawl_kind": "article", "given_url": url}
    request = Request(
        url, callback=spider.parse_article, errback=spider.fetch_failed, dont_filter=True, meta=meta
    )
    return serializer.dumps(request.to_dict(spider=spider))

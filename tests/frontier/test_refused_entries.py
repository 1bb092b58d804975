"""What anyone with write access to the frontier's Redis can put on the queue is data, never code: a
pickled `os.system` (or any entry outside the schema) is refused, logged, counted and set aside, and
the worker goes on with the good requests."""

from __future__ import annotations

import json
import os
import pickle
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy import Request
from scrapy.utils.test import get_crawler
from scrapy_redis import picklecompat

from crawler.frontier import serializer
from crawler.frontier.queue import LeasedPriorityQueue
from crawler.spiders.news import NewsSpider
from tests.frontier.conftest import article_entry, worker_args
from tests.support.cli import start_cli
from tests.support.crawl import source, write_registry
from tests.support.fakesite import Article, FakeSite, article_page, news_outlet
from tests.support.redis import REDIS_URL


class Exploit:
    """Unpickling this runs a shell command that creates `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def queue(redis_prefix: str) -> Iterator[LeasedPriorityQueue]:
    spider = NewsSpider()
    spider.crawler = get_crawler(NewsSpider)
    server = redis.Redis.from_url(REDIS_URL)
    queue = LeasedPriorityQueue(server, spider, f"{redis_prefix}:%(spider)s:requests", serializer)
    queue.bind("worker-1", 30)
    yield queue
    server.close()


def test_pop_refuses_what_is_not_a_request_sets_it_aside_and_serves_the_next(
    queue: LeasedPriorityQueue, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    unknown_callback = json.loads(article_entry("https://outlet.example/a", "outlet"))
    unknown_callback["callback"] = "close"
    bad = [pickle.dumps(Exploit(marker)), b"{not json", json.dumps(unknown_callback).encode()]
    queue.server.zadd(queue.key, {entry: -100 + i for i, entry in enumerate(bad)})
    assert queue.push(Request("https://outlet.example/good", callback=queue.spider.parse_article))
    popped = queue.pop()
    assert popped is not None and popped.url == "https://outlet.example/good"
    assert popped.callback == queue.spider.parse_article
    assert not marker.exists()
    stats = queue.stats.get_stats()
    assert [
        stats.get(f"frontier/refused_{reason}_count")
        for reason in ("pickle", "malformed", "unknown_callback")
    ] == [1, 1, 1]
    # Kept for a look, newest first; no longer leased, so no worker takes them back after a crash.
    assert queue.server.lrange(queue.refused_key, 0, -1) == bad[::-1]
    assert queue.server.zcard(queue.inflight_key("worker-1")) == 1
    assert queue.pop() is None


def test_an_oversized_entry_is_dropped_without_leaving_redis(queue: LeasedPriorityQueue) -> None:
    queue.server.zadd(queue.key, {b"{" + b" " * serializer.MAX_ENTRY_BYTES + b"}": 0})
    assert queue.pop() is None
    assert queue.stats.get_value("frontier/refused_oversized_count") == 1
    assert queue.server.zcard(queue.key) == queue.server.zcard(queue.inflight_key("worker-1")) == 0


def test_the_queue_will_not_run_on_pickle(redis_prefix: str) -> None:
    spider = NewsSpider()
    spider.crawler = get_crawler(NewsSpider)
    with pytest.raises(ValueError, match="SCHEDULER_SERIALIZER"):
        LeasedPriorityQueue(redis.Redis.from_url(REDIS_URL), spider, f"{redis_prefix}:q", picklecompat)


def _wait_for_first_hit(site: FakeSite, worker: Any) -> None:
    deadline = time.monotonic() + 120
    while not site.hits and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert site.hits, "the worker never reached the site"


@pytest.mark.slow
def test_a_pickled_payload_pushed_onto_a_running_crawl_is_never_run(
    tmp_path: Path, sites: Callable[[str], FakeSite], redis_prefix: str
) -> None:
    site = sites("127.0.0.2")
    articles = [Article(f"a{i}", f"Story {i}", f"Text of story {i}. " * 20) for i in range(4)]
    # a3 is announced nowhere: only the JSON entry pushed onto the queue names it.
    news_outlet(site, articles[:3])
    site.add(articles[3].path, article_page(site, articles[3]))
    registry = write_registry(
        tmp_path / "s.toml",
        [source(site, "outlet", feeds=["/feed.xml"], sitemaps=["/sitemap.xml"], wp_json=False)],
    )
    marker = tmp_path / "pwned"
    # The shared host delay keeps the crawl going for seconds after its first request.
    args = worker_args(
        registry, f"file://{tmp_path / 'store'}", redis_prefix, "-s", "FRONTIER_HOST_DELAY=0.5"
    )
    worker = start_cli(*args, "--log-level", "INFO")
    _wait_for_first_hit(site, worker)
    client = redis.Redis.from_url(REDIS_URL)
    pushed = {pickle.dumps(Exploit(marker)): -1000, article_entry(site.url(articles[3].path), "outlet"): -999}
    client.zadd(f"{redis_prefix}:news:requests", pushed)  # type: ignore[arg-type]
    client.close()
    _out, err = worker.communicate(timeout=240)
    assert worker.returncode == 0, err[-3000:]
    assert not marker.exists()
    refusals = [line for line in err.splitlines() if "refused an entry" in line]
    assert len(refusals) == 1 and "pickle" in refusals[0], refusals
    assert re.search(r"'frontier/refused_pickle_count': 1\b", err), err[-3000:]
    assert "unshareable" not in err, err[-3000:]
    article_hits = sorted(hit.path for hit in site.hits if hit.path.startswith("/news/"))
    assert article_hits == sorted(article.path for article in articles)

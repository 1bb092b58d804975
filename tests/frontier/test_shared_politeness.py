"""Per-host politeness holds across workers on the Redis frontier: robots.txt's Crawl-delay and a
429's Retry-After bind every worker, not only the one that read them."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.frontier.conftest import run_workers, worker_args
from tests.support.crawl import source, write_registry
from tests.support.fakesite import Article, FakeSite, Hit, Reply, news_outlet

pytestmark = pytest.mark.slow


def _crawl_with_two_workers(tmp_path: Path, site: FakeSite, prefix: str, *extra: str) -> None:
    registry = write_registry(
        tmp_path / "s.toml",
        [source(site, "polite", feeds=["/feed.xml"], wp_json=False, sitemaps=["/sitemap.xml"])],
    )
    # No delay of newscrawl's own (FAST in the worker's arguments): only what the site asks for spaces
    # the requests.
    store = f"file://{tmp_path / 'store'}"
    run_workers(2, *worker_args(registry, store, prefix, "-s", "NEWSCRAWL_BACKOFF_BASE=0.2", *extra))


def _gaps(hits: list[Hit]) -> list[float]:
    times = sorted(hit.at for hit in hits)
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_crawl_delay_spaces_the_requests_of_all_workers_together(
    tmp_path: Path, sites: Callable[[str], FakeSite], redis_prefix: str
) -> None:
    site = sites("127.0.0.2")
    articles = [Article(f"a{i}", f"Story {i}", f"Text of story {i}. " * 20) for i in range(5)]
    news_outlet(site, articles, robots="User-agent: *\nCrawl-delay: 1\nAllow: /\n")
    _crawl_with_two_workers(tmp_path, site, redis_prefix)
    article_hits = Counter(hit.path for hit in site.hits if hit.path.startswith("/news/"))
    assert article_hits == Counter({article.path: 1 for article in articles})
    # Each worker reads robots.txt itself; every other request waits for the site's delay, whichever
    # worker sent the one before.
    gated = [hit for hit in site.hits if hit.path != "/robots.txt"]
    assert min(_gaps(gated)) >= 0.95, str(sorted((round(hit.at, 2), hit.path) for hit in site.hits))


def test_retry_after_pauses_the_host_for_every_worker(
    tmp_path: Path, sites: Callable[[str], FakeSite], redis_prefix: str
) -> None:
    site = sites("127.0.0.2")
    articles = [Article(f"a{i}", f"Story {i}", f"Text of story {i}. " * 20) for i in range(10)]
    news_outlet(site, articles)
    refused: list[Hit] = []

    def limited(page: Reply) -> Callable[[Hit], Reply]:
        def reply(hit: Hit) -> Reply:
            if not refused:
                refused.append(hit)
                return Reply(429, b"slow down", {"Retry-After": "3"})
            return page

        return reply

    for article in articles:
        site.routes[article.path] = limited(site.routes[article.path])  # type: ignore[arg-type]
    # One request to the host every 0.3 s, whichever worker sends it: none is in flight when the 429
    # arrives, so every later request must wait out the 3 s the site asked for.
    _crawl_with_two_workers(tmp_path, site, redis_prefix, "-s", "FRONTIER_HOST_DELAY=0.3")
    [first] = refused
    later = [hit.at - first.at for hit in site.hits if hit.at > first.at and hit.path != "/robots.txt"]
    assert later and min(later) >= 2.9, sorted((round(hit.at - first.at, 2), hit.path) for hit in site.hits)

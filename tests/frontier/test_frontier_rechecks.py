"""On the Redis frontier, whose seen-set outlives runs, a known article is still fetched again when
it is due: for its recheck (registry `recheck_window`) or when a feed announces it as updated, and
then once, however many workers meet it."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.frontier.conftest import run_workers, worker_args
from tests.support.crawl import source, write_registry
from tests.support.fakesite import Article, FakeSite, news_outlet

pytestmark = pytest.mark.slow


def _crawl(tmp_path: Path, site: FakeSite, prefix: str, workers: int = 1, *extra: str) -> Counter[str]:
    """One run of `workers` workers on the frontier; returns the article hits of this run."""
    before = Counter(hit.path for hit in site.hits if hit.path.startswith("/news/"))
    registry = write_registry(
        tmp_path / "s.toml",
        [source(site, "outlet", feeds=["/none.xml"], sitemaps=["/sitemap.xml"], wp_json=False)],
    )
    run_workers(workers, *worker_args(registry, f"file://{tmp_path / 'store'}", prefix, *extra))
    return Counter(hit.path for hit in site.hits if hit.path.startswith("/news/")) - before


def test_known_articles_are_fetched_again_when_due_and_once_per_occasion(
    tmp_path: Path, sites: Callable[[str], FakeSite], redis_prefix: str
) -> None:
    site = sites("127.0.0.2")
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    articles = [
        Article(f"a{i}", f"Story {i}", f"Text of story {i}. " * 20, published=hour_ago) for i in range(2)
    ]
    news_outlet(site, articles)
    assert _crawl(tmp_path, site, redis_prefix) == Counter({"/news/a0/": 1, "/news/a1/": 1})
    # Nothing is due an hour later (the default recheck interval): nothing is fetched.
    assert _crawl(tmp_path, site, redis_prefix) == Counter()
    # Both are inside their 2-day recheck window; with no interval they are due again.
    rechecked = _crawl(tmp_path, site, redis_prefix, 1, "-s", "NEWSCRAWL_RECHECK_INTERVAL=0")
    assert rechecked == Counter({"/news/a0/": 1, "/news/a1/": 1})
    # The sitemap announces a0 as updated: two workers meet it, one fetches it.
    updated = dataclasses.replace(articles[0], updated=datetime.now(UTC) + timedelta(minutes=1))
    news_outlet(site, [updated, articles[1]])
    assert _crawl(tmp_path, site, redis_prefix, 2) == Counter({"/news/a0/": 1})

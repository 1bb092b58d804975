"""Two workers share one crawl through the Redis frontier (scrapy-redis) on the fake news network."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter

import pytest
import redis

from crawler.storage import Reader, open_store
from tests.frontier.conftest import article_entry, run_workers, worker_args
from tests.support.cli import FAST, run_cli, start_cli
from tests.support.crawl import source, write_registry
from tests.support.fakesite import Article, article_page, news_outlet
from tests.support.redis import REDIS_URL

pytestmark = pytest.mark.slow


def start_worker(*args: str, output: int = subprocess.PIPE) -> subprocess.Popen[str]:
    return start_cli(*args, output=output)


def partition(articles):
    clusters = {}
    for article in articles:
        clusters.setdefault(article["cluster_id"], set()).add(article["url"])
    return sorted(sorted(members) for members in clusters.values())


def test_two_workers_fetch_each_article_once_and_cluster_like_one(
    network, registry_file, tmp_path, redis_prefix
):
    single = f"file://{tmp_path / 'single'}"
    assert (
        run_cli(
            "crawl", "--sources", str(registry_file), "--store", single, "--allow-private", *FAST
        ).returncode
        == 0
    )
    network.reset_hits()
    shared = f"file://{tmp_path / 'shared'}"
    run_workers(2, *worker_args(registry_file, shared, redis_prefix))
    assert set(network.article_hits().values()) == {1}, network.article_hits()
    articles = list(Reader(open_store(shared)).articles())
    assert len(articles) == len(network.data.articles)
    assert partition(articles) == partition(Reader(open_store(single)).articles())


def test_a_killed_worker_loses_nothing_the_other_does_not_finish(
    network, registry_file, tmp_path, redis_prefix
):
    network.reset_hits()
    store = f"file://{tmp_path / 'store'}"
    # The first worker is slowed by the shared per-host delay so we can kill it mid-crawl.
    slow = start_worker(
        *worker_args(registry_file, store, redis_prefix, "-s", "FRONTIER_HOST_DELAY=0.4"),
        output=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while sum(network.article_hits().values()) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    slow.send_signal(signal.SIGKILL)
    slow.wait()
    assert 0 < sum(network.article_hits().values()) < len(network.data.articles)
    rescuer = start_worker(*worker_args(registry_file, store, redis_prefix))
    _out, err = rescuer.communicate(timeout=240)
    assert rescuer.returncode == 0, err[-3000:]
    urls = [a["url"] for a in Reader(open_store(store)).articles()]
    assert sorted(urls) == sorted(network.article_urls())


def test_two_workers_share_the_crawl_through_checked_json_entries(tmp_path, sites, redis_prefix):
    site = sites("127.0.0.2")
    articles = [Article(f"a{i}", f"Story {i}", f"Text of story {i}. " * 20) for i in range(7)]
    # a6 is announced nowhere: only the JSON entry queued before the workers start names it.
    news_outlet(site, articles[:6])
    site.add(articles[6].path, article_page(site, articles[6]))
    registry = write_registry(
        tmp_path / "s.toml",
        [source(site, "outlet", feeds=["/feed.xml"], sitemaps=["/sitemap.xml"], wp_json=False)],
    )
    client = redis.Redis.from_url(REDIS_URL)
    client.zadd(f"{redis_prefix}:news:requests", {article_entry(site.url(articles[6].path), "outlet"): 0})
    store = f"file://{tmp_path / 'store'}"
    errors = run_workers(2, *worker_args(registry, store, redis_prefix, "--log-level", "INFO"))
    hits = Counter(hit.path for hit in site.hits if hit.path.startswith("/news/"))
    assert hits == Counter({article.path: 1 for article in articles})
    assert len(list(Reader(open_store(store)).articles())) == 7
    # Every request one worker queued, the other could take: none refused either way.
    for err in errors:
        assert "frontier/refused_" not in err and "frontier/unshareable_" not in err, err[-3000:]
    assert client.llen(f"{redis_prefix}:news:requests:refused") == 0
    client.close()

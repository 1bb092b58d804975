"""Politeness measured on the fake server: Crawl-delay, Retry-After, per-host pauses, robots errors, proxy."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from crawler.politeness.retryafter import parse_retry_after
from tests.support.crawl import run_crawl, source, write_registry
from tests.support.fakesite import Article, FakeSite, Hit, Reply, news_outlet

FAST = {"NEWSCRAWL_BACKOFF_BASE": 0.2, "RETRY_TIMES": 0}


def _outlet(site: FakeSite, n: int, robots: str = "User-agent: *\nAllow: /\n") -> list[Article]:
    articles = [Article(f"a{i}", f"A{i}", f"Text {i}.") for i in range(n)]
    news_outlet(site, articles, robots=robots)
    return articles


def _entry(site: FakeSite, source_id: str) -> dict[str, object]:
    return source(site, source_id, feeds=["/feed.xml"], wp_json=False, sitemaps=["/sitemap.xml"])


def _gaps(hits: list[Hit]) -> list[float]:
    times = sorted(h.at for h in hits)
    return [b - a for a, b in itertools.pairwise(times)]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_crawl_delay_spaces_requests_to_the_host(tmp_path: Path, sites: Callable[[str], FakeSite]) -> None:
    site = sites("127.0.0.2")
    _outlet(site, 3, robots="User-agent: *\nCrawl-delay: 1\nAllow: /\n")
    registry = write_registry(tmp_path / "s.toml", [_entry(site, "slow")])
    # Extraction in a worker, off the reactor, so only the downloader decides when requests go out.
    items, stats = run_crawl(tmp_path, sources=str(registry), settings={"EXTRACT_WORKERS": 1})
    assert len(items) == 3 and stats["robotstxt/crawl_delay_count"] == 1
    # The rights middleware's own tdmrep.json request aside, every request is the spider's.
    hits = [hit for hit in site.hits if hit.path != "/.well-known/tdmrep.json"]
    assert hits[0].path == "/robots.txt"  # the delay applies from the moment robots.txt is read
    assert len(hits) == 6 and min(_gaps(hits[1:])) >= 0.95


def test_retry_after_pauses_the_host_for_the_time_asked(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _outlet(site, 1)
    page = site.routes["/news/a0/"]
    calls = {"n": 0}

    def limited(hit: Hit) -> Reply:
        calls["n"] += 1
        return Reply(429, b"slow down", {"Retry-After": "2"}) if calls["n"] == 1 else page  # type: ignore[return-value]

    site.routes["/news/a0/"] = limited
    registry = write_registry(tmp_path / "s.toml", [_entry(site, "limited")])
    items, stats = run_crawl(tmp_path, sources=str(registry), settings=FAST)
    assert [i["status"] for i in items] == [200]
    first, retry = site.hits_for("/news/a0/")
    assert retry.at - first.at >= 1.95 and stats["politeness/pause_count/429"] == 1


def test_repeated_429s_back_off_exponentially(tmp_path: Path, sites: Callable[[str], FakeSite]) -> None:
    site = sites("127.0.0.2")
    _outlet(site, 1)
    site.routes["/news/a0/"] = lambda hit: Reply(429, b"no")
    registry = write_registry(tmp_path / "s.toml", [_entry(site, "angry")])
    settings = {**FAST, "NEWSCRAWL_BACKOFF_BASE": 0.3, "NEWSCRAWL_RETRY_AFTER_TIMES": 3}
    items, stats = run_crawl(tmp_path, sources=str(registry), settings=settings)
    assert items == [] and stats["politeness/retry_after_gave_up_count"] == 1
    gaps = _gaps(site.hits_for("/news/a0/"))
    assert len(gaps) == 3
    assert gaps[0] >= 0.29 and gaps[1] >= 0.59 and gaps[2] >= 1.19  # 0.3, 0.6, 1.2 seconds


def test_one_429ing_host_does_not_slow_the_others(tmp_path: Path, sites: Callable[[str], FakeSite]) -> None:
    angry, calm = sites("127.0.0.2"), sites("127.0.0.3")
    _outlet(angry, 2)
    _outlet(calm, 6)
    for path in ("/news/a0/", "/news/a1/"):
        page = angry.routes[path]
        angry.routes[path] = lambda hit, page=page: (  # type: ignore[misc]
            Reply(429, b"wait", {"Retry-After": "4"}) if len(angry.hits_for(hit.path)) == 1 else page
        )
    registry = write_registry(tmp_path / "s.toml", [_entry(angry, "angry"), _entry(calm, "calm")])
    items, _ = run_crawl(tmp_path, sources=str(registry), settings=FAST)
    assert len(items) == 8
    first_429 = min(h.at for h in angry.hits_for("/news/"))
    retried = max(h.at for h in angry.hits_for("/news/"))
    calm_done = max(h.at for h in calm.hits_for("/news/"))
    assert retried - first_429 >= 3.95
    assert calm_done < retried  # the calm host finished while the angry one was paused


def test_robots_5xx_disallows_the_host_while_404_and_garbage_allow_it(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    broken, missing, garbage = sites("127.0.0.2"), sites("127.0.0.3"), sites("127.0.0.4")
    for site in (broken, missing, garbage):
        _outlet(site, 2)
    broken.add("/robots.txt", "oops", "text/plain", status=503)
    del missing.routes["/robots.txt"]
    garbage.add("/robots.txt", b"\x00\xff<html><body>Disallow nothing</body></html>", "text/plain")
    entries = [_entry(broken, "broken"), _entry(missing, "missing"), _entry(garbage, "garbage")]
    registry = write_registry(tmp_path / "s.toml", entries)
    items, stats = run_crawl(tmp_path, sources=str(registry), settings=FAST)
    assert sorted(i["source"] for i in items) == ["garbage", "garbage", "missing", "missing"]
    assert broken.hits_for("/news/") == [] and broken.hits_for("/feed.xml") == []
    assert stats["robotstxt/unreachable_count"] == 1


def test_http_proxy_variables_are_honoured(tmp_path: Path, sites: Callable[[str], FakeSite]) -> None:
    proxy, direct = sites("127.0.0.2"), sites("127.0.0.3")
    proxy.routes["/robots.txt"] = Reply(404, b"", {})
    # A forward proxy receives absolute URIs in the request line.
    proxy.routes["http://outlet.invalid/robots.txt"] = Reply(404, b"", {})
    proxy.routes["http://outlet.invalid/story"] = Reply(
        200, b"<html>via proxy</html>", {"Content-Type": "text/html"}
    )
    direct.add("/story", "<html>direct</html>")
    env = {"http_proxy": proxy.base, "no_proxy": "127.0.0.3"}
    urls = ["http://outlet.invalid/story", direct.url("/story")]
    items, _ = run_crawl(tmp_path, urls=urls, env=env, settings=FAST)
    by_url = {i["url"]: i for i in items}
    assert "via proxy" in by_url[urls[0]]["body_text"]
    assert "direct" in by_url[urls[1]]["body_text"]
    assert proxy.hits_for("http://127.0.0.3") == [] and direct.hits_for("/story")


def test_a_stuck_host_times_out_without_stalling_the_crawl(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    stuck, fine = sites("127.0.0.2"), sites("127.0.0.3")
    _outlet(stuck, 1)
    _outlet(fine, 2)
    page = stuck.routes["/news/a0/"]
    crawl_over = threading.Event()

    def hang(hit: Hit) -> Reply:
        crawl_over.wait(60)  # held past the crawl's 1 s DOWNLOAD_TIMEOUT, however long the crawl takes
        return page  # type: ignore[return-value]

    stuck.routes["/news/a0/"] = hang
    registry = write_registry(tmp_path / "s.toml", [_entry(stuck, "stuck"), _entry(fine, "fine")])
    try:
        items, stats = run_crawl(tmp_path, sources=str(registry), settings={**FAST, "DOWNLOAD_TIMEOUT": 1})
    finally:
        crawl_over.set()
    assert sorted(i["source"] for i in items) == ["fine", "fine"]
    assert stats["discovery/article_error_count"] == 1

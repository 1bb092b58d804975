"""NewsSpider end to end against a fake outlet: feeds and sitemaps find articles, urls mode fetches."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.support.crawl import run_unthrottled, write_registry
from tests.support.fakesite import Article, FakeSite, news_outlet


def _articles(n: int) -> list[Article]:
    return [Article(f"story-{i}", f"Story {i}", f"Paragraph one of {i}.\n\nParagraph two.") for i in range(n)]


def test_feed_and_sitemap_articles_are_fetched_once_each(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.1")
    articles = _articles(3)
    news_outlet(site, articles)
    site.add("/about/", "<html>about</html>")
    registry = write_registry(
        tmp_path / "sources.toml",
        [
            {
                "id": "fake-outlet",
                "name": "Fake",
                "homepage": site.url("/"),
                "feeds": [site.url("/feed.xml")],
                "sitemaps": [site.url("/sitemap.xml")],
                "article_pattern": "/news/",
            }
        ],
    )
    items, _ = run_unthrottled(tmp_path, sources=str(registry))
    assert sorted(i["final_url"] for i in items) == sorted(site.url(a.path) for a in articles)
    assert all(i["source"] == "fake-outlet" and i["status"] == 200 for i in items)
    assert {i["discovered_via"] for i in items} <= {"feed", "sitemap"}
    feed_items = [i for i in items if i["discovered_via"] == "feed"]
    for item in feed_items:
        assert item["announced"]["title"].startswith("Story ")
    for article in articles:
        assert len(site.hits_for(article.path)) == 1
    sent = [json.loads(line) for line in (tmp_path / "run.jsonl.requests").read_text().splitlines()]
    # The rights middleware asks for the outlet's tdmrep.json itself; the rest are the spider's.
    spiders = [r for r in sent if r["kind"] != "tdmrep"]
    assert {r["kind"] for r in spiders} == {"robots", "homepage", "feed", "sitemap", "article"}
    assert {r["source_id"] for r in spiders} == {"fake-outlet"}


def test_urls_mode_fetches_given_urls_and_reports_failures(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.1")
    site.add("/a.html", "<html><body><p>A</p></body></html>")
    given = [site.url("/a.html"), site.url("/missing.html")]
    items, _ = run_unthrottled(tmp_path, urls=given, settings={"RETRY_TIMES": 0})
    by_url = {i["url"]: i for i in items}
    assert by_url[given[0]]["status"] == 200 and by_url[given[0]]["discovered_via"] == "url"
    assert by_url[given[0]]["source"] == "127-0-0-1"
    assert "404" in by_url[given[1]]["error"]


def test_urls_mode_reports_an_unresolvable_host_as_one_error_line(tmp_path: Path) -> None:
    given = "http://no-such-host.invalid/story"
    items, _ = run_unthrottled(tmp_path, urls=[given], settings={"RETRY_TIMES": 0, "DNS_TIMEOUT": 5})
    [item] = items
    assert item["url"] == given and item["source"] == "no-such-host-invalid"
    assert "DNS lookup failed" in item["error"] and "\n" not in item["error"]

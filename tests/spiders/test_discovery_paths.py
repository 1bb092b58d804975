"""Each discovery path finds its articles, carries what the announcement said, and skips the rest."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.crawl import run_unthrottled, source, write_registry
from tests.support.fakesite import Article, FakeSite, Hit, Reply, article_page, rss_feed

NOW = datetime.now(UTC)


def _plant(site: FakeSite, *slugs: str) -> list[Article]:
    articles = [Article(slug, f"Title {slug}", f"Text of {slug}.") for slug in slugs]
    for article in articles:
        site.add(article.path, article_page(site, article))
    return articles


def _fetched(site: FakeSite) -> list[str]:
    return sorted(h.path for h in site.hits_for("/news/"))


def test_homepage_autodiscovers_atom_feed_and_robots_disallow_is_obeyed(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "open", "secret")
    site.add("/robots.txt", "User-agent: *\nDisallow: /news/secret/\n", content_type="text/plain")
    site.add(
        "/", '<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>'
    )
    entries = "".join(
        f'<entry><title>{s}</title><link href="/news/{s}/"/><updated>{NOW.isoformat()}</updated></entry>'
        for s in ("open", "secret")
    )
    site.add(
        "/atom.xml", f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>', "application/atom+xml"
    )
    registry = write_registry(tmp_path / "s.toml", [source(site, wp_json=False)])
    items, stats = run_unthrottled(tmp_path, sources=str(registry))
    assert [i["final_url"] for i in items] == [site.url("/news/open/")]
    assert items[0]["discovered_via"] == "feed" and items[0]["announced"]["title"] == "open"
    assert _fetched(site) == ["/news/open/"]
    assert stats["robotstxt/forbidden"] == 1


def test_robots_sitemap_index_gzip_and_news_fields_with_age_window(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "fresh", "stale")
    site.add("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site.url('/index.xml')}\n", "text/plain")
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    site.add(
        "/index.xml",
        f"<sitemapindex {ns}><sitemap><loc>{site.url('/news.xml.gz')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/2001.xml')}</loc><lastmod>2001-01-01</lastmod></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    news = (
        f'<urlset {ns} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{site.url('/news/fresh/')}</loc><news:news><news:publication><news:name>F</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{NOW.isoformat()}"
        "</news:publication_date><news:title>Fresh one</news:title><news:keywords>a, b</news:keywords>"
        f"</news:news></url><url><loc>{site.url('/news/stale/')}</loc>"
        f"<lastmod>{(NOW - timedelta(days=30)).isoformat()}</lastmod></url></urlset>"
    )
    site.add("/news.xml.gz", gzip.compress(news.encode()), content_type="application/x-gzip")
    registry = write_registry(tmp_path / "s.toml", [source(site, feeds=["/none.xml"], wp_json=False)])
    items, stats = run_unthrottled(tmp_path, sources=str(registry), since="2d")
    [item] = items
    assert item["discovered_via"] == "news-sitemap"
    assert item["announced"]["title"] == "Fresh one" and item["announced"]["keywords"] == ["a", "b"]
    assert item["announced"]["language"] == "en"
    assert _fetched(site) == ["/news/fresh/"]
    assert site.hits_for("/2001.xml") == []  # the old child sitemap is skipped by its lastmod
    assert stats["discovery/too_old_count"] >= 2


def test_wordpress_api_detected_paginated_and_incremental(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "p1", "p2", "p3")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    site.add("/", f'<html><head><link rel="https://api.w.org/" href="{site.url("/wp-json/")}"></head></html>')
    gmt = NOW.strftime("%Y-%m-%dT%H:%M:%S")

    def posts(hit: Hit) -> Reply:
        page = 2 if "page=2" in hit.path else 1
        slugs = ["p1", "p2"] if page == 1 else ["p3"]
        posts = [
            {"link": site.url(f"/news/{s}/"), "date_gmt": gmt, "modified_gmt": gmt, "title": {"rendered": s}}
            for s in slugs
        ]
        data = json.dumps(posts)
        return Reply(200, data.encode(), {"Content-Type": "application/json", "X-WP-TotalPages": "2"})

    site.routes["/wp-json/wp/v2/posts"] = posts
    registry = write_registry(tmp_path / "s.toml", [source(site, feeds=["/none.xml"])])
    items, _ = run_unthrottled(tmp_path, sources=str(registry), since="1d")
    assert sorted(i["final_url"] for i in items) == [site.url(f"/news/{s}/") for s in ("p1", "p2", "p3")]
    assert {i["discovered_via"] for i in items} == {"wp-json"}
    api_hits = site.hits_for("/wp-json/")
    assert len(api_hits) == 2 and all("after=" in h.path for h in api_hits)


@pytest.mark.parametrize(
    ("first_page", "why"),
    [
        (["p1", "p2"], "the feed announced the first page's posts already"),
        (["video-1", "video-2"], "the first page holds no articles"),
    ],
)
def test_wordpress_pages_are_followed_past_a_page_with_nothing_known(
    tmp_path: Path, sites: Callable[[str], FakeSite], first_page: list[str], why: str
) -> None:
    site = sites("127.0.0.2")
    articles = _plant(site, "p1", "p2", "p3")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    site.add("/feed.xml", rss_feed(site, articles[:2]), "application/rss+xml")
    gmt = NOW.strftime("%Y-%m-%dT%H:%M:%S")

    def posts(hit: Hit) -> Reply:
        if "page=2" not in hit.path:
            time.sleep(0.5)  # the feed's answer comes first
        slugs = ["p3"] if "page=2" in hit.path else first_page
        data = json.dumps([{"link": site.url(f"/news/{s}/"), "date_gmt": gmt} for s in slugs])
        return Reply(200, data.encode(), {"Content-Type": "application/json", "X-WP-TotalPages": "2"})

    site.routes["/wp-json/wp/v2/posts"] = posts
    entry = source(site, feeds=["/feed.xml"], wp_json=True, exclude_patterns=["/video-"])
    run_unthrottled(tmp_path, sources=str(write_registry(tmp_path / "s.toml", [entry])), since="1d")
    assert _fetched(site) == ["/news/p1/", "/news/p2/", "/news/p3/"], why


def test_wordpress_second_run_asks_only_for_posts_after_the_last_run(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "p1")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    posts = [{"link": site.url("/news/p1/"), "date_gmt": NOW.strftime("%Y-%m-%dT%H:%M:%S"), "title": "p1"}]
    site.add("/wp-json/wp/v2/posts", json.dumps(posts), "application/json", **{"X-WP-TotalPages": "1"})
    registry = write_registry(tmp_path / "s.toml", [source(site, feeds=["/none.xml"], wp_json=True)])
    seen = str(tmp_path / "seen")
    first, _ = run_unthrottled(tmp_path, "first", sources=str(registry), seen_dir=seen)
    second, _ = run_unthrottled(tmp_path, "second", sources=str(registry), seen_dir=seen)
    assert len(first) == 1 and second == []
    first_call, second_call = site.hits_for("/wp-json/")
    assert "after=" not in first_call.path
    # The second run reaches back by the 2-day recheck window from the first run's start.
    after = parse_qs(urlsplit(second_call.path).query)["after"][0]
    reach = datetime.now(UTC) - datetime.fromisoformat(after).replace(tzinfo=UTC)
    assert timedelta(days=2) <= reach < timedelta(days=2, minutes=5)


def test_section_pages_follow_article_links_and_bounded_pagination(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "s1", "s2", "s3")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    for page, slug in enumerate(["s1", "s2", "s3"], start=1):
        site.add(
            f"/world/{page}",
            f'<html><body><a href="/news/{slug}/">{slug}</a><a href="/tag/x/">tag</a>'
            f'<a rel="next" href="/world/{page + 1}">Next</a></body></html>',
        )
    entry = source(site, feeds=["/none.xml"], sections=["/world/1"], article_pattern="/news/", wp_json=False)
    registry = write_registry(tmp_path / "s.toml", [entry])
    items, _ = run_unthrottled(tmp_path, sources=str(registry), settings={"NEWSCRAWL_SECTION_MAX_PAGES": 2})
    assert sorted(i["final_url"] for i in items) == [site.url("/news/s1/"), site.url("/news/s2/")]
    assert items[0]["discovered_via"] == "section"
    assert site.hits_for("/world/3") == [] and site.hits_for("/tag/") == []


def test_feed_items_that_are_not_articles_are_filtered(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "story")
    site.add("/video/clip/", "<html>video</html>")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    items_xml = "".join(
        f"<item><title>{p}</title><link>{site.url(p)}</link><pubDate>{format_datetime(NOW)}</pubDate></item>"
        for p in ("/news/story/", "/video/clip/", "/live/blog/")
    )
    site.add("/rss", f"<rss><channel>{items_xml}</channel></rss>", "application/rss+xml")
    entry = source(site, feeds=["/rss"], exclude_patterns=["/video/", "/live/"], wp_json=False)
    registry = write_registry(tmp_path / "s.toml", [entry])
    items, stats = run_unthrottled(tmp_path, sources=str(registry))
    assert [i["final_url"] for i in items] == [site.url("/news/story/")]
    assert site.hits_for("/video/") == [] and stats["discovery/not_article_count"] == 2


def test_homepage_is_the_listing_page_when_nothing_else_announces(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "h1")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    site.add("/", '<html><body><a href="/news/h1/">Headline one</a><a href="/about/">About</a></body></html>')
    entry = source(site, article_pattern="/news/", wp_json=False)
    registry = write_registry(tmp_path / "s.toml", [entry])
    items, _ = run_unthrottled(tmp_path, sources=str(registry))
    assert [(i["final_url"], i["discovered_via"]) for i in items] == [(site.url("/news/h1/"), "section")]
    assert items[0]["announced"]["title"] == "Headline one"
    assert site.hits_for("/about/") == []

"""Hostile feeds, sitemaps and API pages in a real crawl: one bad entry costs that entry (counted), one
bad document costs that document (a typed, counted drop), and everything else is still crawled."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.crawl import run_crawl, source, write_registry
from tests.support.fakesite import Article, FakeSite, Reply, article_page

OUT_OF_RANGE = "0001-01-01T00:00:00+01:00"  # valid ISO 8601; its UTC instant falls before year 1
PAST_THE_END = "9999-12-31T23:59:59-01:00"  # and this one after year 9999


def _plant(site: FakeSite, *slugs: str) -> None:
    for slug in slugs:
        site.add(f"/news/{slug}/", article_page(site, Article(slug, f"Title {slug}", f"Text of {slug}.")))
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")


def _fetched(site: FakeSite) -> list[str]:
    return sorted(h.path for h in site.hits_for("/news/"))


def _no_tracebacks(stats: dict[str, Any]) -> None:
    assert not [key for key in stats if key.startswith("spider_exceptions/")], stats


def test_a_bad_date_or_link_costs_only_its_entry_and_is_counted(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    _plant(site, "rss-odd-date", "rss-1", "rss-2", "json-odd-date", "json-1", "map-odd-date", "map-1")
    rss = "".join(
        f"<item><title>{slug}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for slug, link, date in [
            ("rss-odd-date", site.url("/news/rss-odd-date/"), OUT_OF_RANGE),
            ("rss-1", site.url("/news/rss-1/"), "Mon, 07 Dec 2026 10:00:00 +0000"),
            ("oops", "http://[oops/", "Mon, 07 Dec 2026 10:00:00 +0000"),
            ("rss-2", site.url("/news/rss-2/"), "Fri, 31 Dec 9999 23:59:59 -0100"),
        ]
    )
    site.add("/feed.xml", f'<rss version="2.0"><channel>{rss}</channel></rss>', "application/rss+xml")
    items = [
        {"url": site.url("/news/json-odd-date/"), "date_published": PAST_THE_END},
        {"url": site.url("/news/json-\udcff/")},  # a lone surrogate: no request can carry it
        {"url": site.url("/news/json-1/")},
    ]
    site.add("/feed.json", json.dumps({"version": "1.1", "items": items}), "application/feed+json")
    urls = "".join(
        f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>"
        for loc, lastmod in [
            (site.url("/news/map-odd-date/"), OUT_OF_RANGE),
            (site.url("/news/map-1/"), "2026-12-07"),
        ]
    )
    site.add(
        "/sitemap.xml",
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        "application/xml",
    )
    entry = source(site, feeds=["/feed.xml", "/feed.json"], sitemaps=["/sitemap.xml"], wp_json=False)
    crawled, stats = run_crawl(
        tmp_path, sources=str(write_registry(tmp_path / "s.toml", [entry])), since="7d"
    )
    # Entries with an unusable date are kept as undated: the age window cannot judge them either way.
    assert _fetched(site) == sorted(
        f"/news/{s}/"
        for s in ("rss-odd-date", "rss-1", "rss-2", "json-odd-date", "json-1", "map-odd-date", "map-1")
    )
    assert len(crawled) == 7
    assert stats["discovery/bad_date_count"] == 4
    assert stats["discovery/bad_entry_count"] == 2  # http://[oops/ and the lone surrogate
    _no_tracebacks(stats)


def test_a_document_nested_too_deep_is_a_typed_drop_and_the_others_are_read(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site, other = sites("127.0.0.2"), sites("127.0.0.3")
    _plant(site, "from-rss", "from-api")
    _plant(other, "never")
    deep_json = b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    site.add("/deep.json", deep_json, "application/feed+json")
    site.add(
        "/deep.xml", "<rss><channel>" + "<x>" * 300 + "</x>" * 300 + "</channel></rss>", "application/rss+xml"
    )
    link = f"<item><link>{site.url('/news/from-rss/')}</link></item>"
    site.add("/feed.xml", f'<rss version="2.0"><channel>{link}</channel></rss>', "application/rss+xml")
    posts = json.dumps([{"link": site.url("/news/from-api/"), "title": {"rendered": "from-api"}}])
    site.add("/wp-json/wp/v2/posts", posts, "application/json", **{"X-WP-TotalPages": "lots"})
    other.routes["/wp-json/wp/v2/posts"] = Reply(
        200, b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}
    )
    entries = [
        source(site, feeds=["/deep.json", "/deep.xml", "/feed.xml"], wp_json=True),
        source(other, "other", feeds=["/none.xml"], wp_json=True),
    ]
    crawled, stats = run_crawl(tmp_path, sources=str(write_registry(tmp_path / "s.toml", entries)))
    assert _fetched(site) == ["/news/from-api/", "/news/from-rss/"]
    assert len(crawled) == 2
    assert stats["discovery/feed_error_count"] == 3  # /deep.json, /deep.xml, and /none.xml (404)
    assert stats["discovery/wp-json_error_count"] == 1
    # `lots` pages: this page's posts are kept, and no page 2 is asked for.
    assert stats["discovery/bad_header_count"] == 1
    assert [h.path for h in site.hits_for("/wp-json/")] and all(
        "page=1" in h.path for h in site.hits_for("/wp-json/")
    )
    _no_tracebacks(stats)

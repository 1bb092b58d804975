"""Listing parsers on dates they cannot use and entries that are broken, nested too deep or relative."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.discovery.announce import BAD_DATE, BAD_ENTRY, Skipped, announced_date, parse_date
from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.wpjson import (
    NotWordPress,
    parse_posts,
)
from crawler.discovery.xmlsafe import UnsafeXML


def test_feed_and_sitemap_dates_without_a_zone_are_read_in_the_outlets_zone() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    rss = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>'
        b"<link>https://ex.com/a</link><dc:date>2026-12-06T10:00:00</dc:date></item></channel></rss>"
    )
    [item] = parse_feed(rss, "https://ex.com/feed", kolkata)
    assert item.published_at == datetime(2026, 12, 6, 4, 30, tzinfo=UTC)
    sitemap = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://ex.com/b</loc><lastmod>2026-12-06T10:00:00</lastmod></url>"
        b"<url><loc>https://ex.com/c</loc><lastmod>2026-12-06</lastmod></url>"
        b"<url><loc>https://ex.com/d</loc><lastmod>2026-12-06T10:00:00Z</lastmod></url></urlset>"
    )
    _, entries = parse_sitemap(sitemap, kolkata)
    assert [entry.updated_at for entry in entries] == [
        datetime(2026, 12, 6, 4, 30, tzinfo=UTC),
        datetime(2026, 12, 6, tzinfo=UTC),  # a bare day stays that day
        datetime(2026, 12, 6, 10, tzinfo=UTC),  # a zone given wins
    ]
    assert parse_feed(rss, "https://ex.com/feed")[0].published_at == datetime(2026, 12, 6, 10, tzinfo=UTC)


# -- one bad value or entry costs only itself -----------------------------------------------------

OUT_OF_RANGE = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "Fri, 31 Dec 9999 23:59:59 -0100"]


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_a_date_outside_the_calendar_after_its_offset_is_no_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize("text", [*OUT_OF_RANGE, "Thu, 01 Jan 1970 00:00:00 +0000", "9999-12-31", "soon"])
def test_an_announced_date_no_one_could_mean_is_dropped_and_noted(text: str) -> None:
    skipped = Skipped()
    assert announced_date(text, UTC, skipped) is None
    assert skipped.counts == {BAD_DATE: 1} and skipped.examples[BAD_DATE] == text


def test_an_absent_date_is_not_a_bad_one() -> None:
    skipped = Skipped()
    assert announced_date(None, UTC, skipped) is None and announced_date("  ", UTC, skipped) is None
    assert not skipped.counts


def test_a_feed_keeps_every_entry_but_the_unusable_one() -> None:
    feed = (
        b'<rss version="2.0"><channel>'
        b"<item><link>https://ex.com/a/</link><pubDate>0001-01-01T00:00:00+01:00</pubDate></item>"
        b"<item><link>http://[oops/</link></item>"
        b"<item><title>no link</title></item>"
        b"<item><link>https://ex.com/b/</link></item></channel></rss>"
    )
    skipped = Skipped()
    found = parse_feed(feed, "https://ex.com/feed", UTC, skipped)
    assert [(a.url, a.published_at) for a in found] == [
        ("https://ex.com/a/", None),
        ("https://ex.com/b/", None),
    ]
    assert skipped.counts == {BAD_DATE: 1, BAD_ENTRY: 2}


def test_an_unparseable_xml_base_is_ignored() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://[oops/">'
        b'<entry><link href="/a/"/></entry></feed>'
    )
    assert [a.url for a in parse_feed(atom, "https://ex.com/feed")] == ["https://ex.com/a/"]


def test_sitemap_children_and_urls_must_be_absolute() -> None:
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>/relative.xml</loc></sitemap><sitemap><loc>http://[oops/</loc></sitemap>"
        b"<sitemap><loc>https://ex.com/news.xml</loc></sitemap></sitemapindex>"
    )
    skipped = Skipped()
    children, _ = parse_sitemap(index, UTC, skipped)
    assert [c.url for c in children] == ["https://ex.com/news.xml"] and skipped.counts == {BAD_ENTRY: 2}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "nested deeper than the parser's recursion limit",
        ),
        (
            b"<rss><channel>" + b"<x>" * 300 + b"</x>" * 300 + b"</channel></rss>",
            "document over a parser limit",
        ),
    ],
)
def test_a_feed_nested_past_the_parsers_limits_is_a_typed_drop(body: bytes, message: str) -> None:
    with pytest.raises(UnsafeXML, match=message):
        parse_feed(body, "https://ex.com/feed")


def test_a_wordpress_page_nested_past_the_parsers_limit_is_not_wordpress() -> None:
    with pytest.raises(NotWordPress, match="nested deeper"):
        parse_posts(b"[" * 100_000 + b"]" * 100_000)

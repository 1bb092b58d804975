"""Fuzzing the discovery parsers: whatever a feed, sitemap, API page or header holds, a parser returns
announcements or raises its one typed error, and a bad entry never costs the good ones next to it.

Bounded (`max_examples`) so it runs in CI in seconds; known hostile inputs seed every strategy.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.discovery.announce import Announcement, Skipped, announced_date, parse_date
from crawler.discovery.feeds import autodiscover_feeds, parse_feed
from crawler.discovery.sitemaps import parse_sitemap, robots_sitemaps
from crawler.discovery.urls import normalize_url
from crawler.discovery.wpjson import (
    NotWordPress,
    api_root_from_html,
    api_root_from_link_header,
    parse_posts,
    total_pages,
)
from crawler.discovery.xmlsafe import UnsafeXML, parse_xml

FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
BASE = "https://news.example/feed"
GOOD = "https://news.example/news/good/"

NASTY_DATES = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "Mon, 01 Jan 0001 00:00:00 +0100",
    "Fri, 31 Dec 9999 23:59:59 -0100",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00T00:00:00Z",
    "2020-02-30T10:00:00Z",
    "2020-01-01T00:00:00+24:00",
    "Sat, 01 Jan 2000 00:00:00 +9999",
    "99999999999999999999",
    "1e308",
    "-1",
    "Thu, 01 Jan 1970 00:00:00 +0000",
    "2026-12-07T10:00:00Z",
]
NASTY_LINKS = [
    "http://[oops/",
    "http://[::1/",
    "//news.example/x",
    "mailto:a@b",
    "javascript:alert(1)",
    "http://news.example/\udcff",
    "http://news.example:99999/x",
    "http://\x00/",
    "",
    " ",
    "/relative/",
    "http://" + "a" * 300 + ".example/",
]
_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
DATES = st.one_of(st.sampled_from(NASTY_DATES), _XML_TEXT, st.datetimes().map(lambda d: d.isoformat()))
LINKS = st.one_of(st.sampled_from(NASTY_LINKS), _XML_TEXT, st.just(GOOD))
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])


def _requestable(announcement: Announcement) -> None:
    """What the spider does with an announcement next must not raise either."""
    normalize_url(announcement.url).encode("utf-8")
    for value in (announcement.published_at, announcement.updated_at):
        assert value is None or (value.utcoffset() == timedelta(0) and 1990 <= value.year <= 2100)


@FUZZ
@given(text=st.one_of(st.sampled_from(NASTY_DATES), st.text(max_size=80)), zone=ZONES)
def test_parse_date_never_raises_and_gives_utc_or_none(text: str, zone: timezone) -> None:
    value = parse_date(text, zone)
    assert value is None or value.utcoffset() == timedelta(0)
    skipped = Skipped()
    kept = announced_date(text, zone, skipped)
    assert kept is None or 1990 <= kept.year <= 2100
    assert sum(skipped.counts.values()) == (1 if kept is None and text.strip() else 0)


def _rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><link>{escape(link)}</link><pubDate>{escape(date)}</pubDate></item>" for link, date in items
    )
    return f'<rss version="2.0"><channel>{body}</channel></rss>'.encode("utf-8", "surrogatepass")


def _atom(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<entry><link href={quoteattr(link)}/><updated>{escape(date)}</updated></entry>"
        for link, date in items
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>'.encode("utf-8", "surrogatepass")


def _json_feed(items: list[tuple[str, str]]) -> bytes:
    entries = [{"url": link, "date_published": date, "tags": [date, 1]} for link, date in items]
    return json.dumps({"version": "1.1", "items": entries}).encode()


def _sitemap(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<url><loc>{escape(link)}</loc><lastmod>{escape(date)}</lastmod></url>" for link, date in items
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'.encode(
        "utf-8", "surrogatepass"
    )


ENTRIES = st.lists(st.tuples(LINKS, DATES), max_size=6)


@FUZZ
@given(entries=ENTRIES, build=st.sampled_from([_rss, _atom, _json_feed]), zone=ZONES)
def test_a_hostile_feed_entry_never_costs_the_good_one(entries: list[tuple[str, str]], build, zone) -> None:  # type: ignore[no-untyped-def]
    skipped = Skipped()
    try:
        found = parse_feed(build([*entries, (GOOD, "2026-12-07T10:00:00Z")]), BASE, zone, skipped)
    except UnsafeXML:
        # Only a lone surrogate (no XML can hold one) may spoil an XML document as a whole.
        assert build is not _json_feed and any("\udc00" <= c <= "\udfff" for e in entries for c in "".join(e))
        return
    assert GOOD in [a.url for a in found]
    for announcement in found:
        _requestable(announcement)


@FUZZ
@given(entries=ENTRIES, zone=ZONES)
def test_a_hostile_sitemap_entry_never_costs_the_good_one(
    entries: list[tuple[str, str]], zone: timezone
) -> None:
    try:
        children, found = parse_sitemap(_sitemap([*entries, (GOOD, "2026-12-07")]), zone)
    except UnsafeXML:
        assert any("\udc00" <= c <= "\udfff" for e in entries for c in "".join(e))
        return
    assert children == [] and GOOD in [a.url for a in found]
    for announcement in found:
        _requestable(announcement)


@FUZZ
@given(
    posts=st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"link": LINKS, "date_gmt": DATES, "modified_gmt": DATES, "title": _XML_TEXT}
            ),
            st.recursive(
                st.none() | st.integers() | st.text(max_size=5),
                lambda c: st.lists(c) | st.dictionaries(st.text(max_size=5), c),
                max_leaves=8,
            ),
        ),
        max_size=6,
    )
)
def test_a_hostile_wordpress_post_never_costs_the_good_one(posts: list[object]) -> None:
    body = json.dumps([*posts, {"link": GOOD, "date_gmt": "2026-12-07T10:00:00"}]).encode()
    found = parse_posts(body)
    assert GOOD in [a.url for a in found]
    for announcement in found:
        _requestable(announcement)


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=2000), st.sampled_from([b"[" * 100_000, b'{"items": ' + b"[" * 100_000])
    )
)
def test_any_bytes_give_announcements_or_one_typed_error(body: bytes) -> None:
    for parse, typed in (
        (lambda: parse_feed(body, BASE), UnsafeXML),
        (lambda: parse_sitemap(body), UnsafeXML),
        (lambda: parse_posts(body), NotWordPress),
        (lambda: parse_xml(body), UnsafeXML),
    ):
        with contextlib.suppress(typed):
            parse()
    assert isinstance(robots_sitemaps(body), list)
    assert isinstance(autodiscover_feeds(body, BASE), list)
    api_root_from_html(body, BASE)


@FUZZ
@given(href=LINKS, rel=st.sampled_from(["alternate", "https://api.w.org/"]))
def test_links_in_homepages_and_headers_never_raise(href: str, rel: str) -> None:
    page = f'<html><head><link rel="{rel}" type="application/rss+xml" href={quoteattr(href)}></head></html>'
    body = page.encode("utf-8", "surrogatepass")
    for url in [*autodiscover_feeds(body, BASE), api_root_from_html(body, BASE)]:
        assert url is None or normalize_url(url).encode()
    api_root_from_link_header(f'<{href}>; rel="https://api.w.org/"', BASE)
    for url in robots_sitemaps(f"Sitemap: {href}\n".encode("utf-8", "surrogatepass")):
        assert url.startswith(("http://", "https://")) and normalize_url(url).encode()


@FUZZ
@given(
    header=st.one_of(
        st.none(), st.binary(max_size=30), st.sampled_from([b"lots", b"-3", b"\xb2", b"9" * 5000, b" 7 "])
    )
)
def test_total_pages_is_a_count_or_none(header: bytes | None) -> None:
    total = total_pages(header)
    assert total is None or 0 <= total <= 10**9

"""Pure discovery parsers: every feed dialect, sitemap kinds, WordPress posts, listing pages, robots."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.discovery.feeds import autodiscover_feeds, parse_feed
from crawler.discovery.sections import section_links
from crawler.discovery.sitemaps import parse_sitemap, robots_sitemaps
from crawler.discovery.wpjson import (
    NotWordPress,
    api_root_from_html,
    api_root_from_link_header,
    parse_posts,
    posts_url,
)
from crawler.discovery.xmlsafe import UnsafeXML

RSS2 = b"""<?xml version="1.0"?><rss version="2.0"><channel>
<item><title>One</title><link>https://ex.com/one/</link><pubDate>Sat, 27 Aug 2016 10:00:00 +0300</pubDate>
<category>Politics</category></item>
<item><title>Two</title><guid isPermaLink="true">https://ex.com/two/</guid></item>
</channel></rss>"""
RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><item><title>Old</title><link>https://ex.com/old/</link></item></channel></rss>"""
RSS1 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://ex.com/"><title>x</title></channel>
<item rdf:about="https://ex.com/rdf/"><title>Rdf</title><link>https://ex.com/rdf/</link>
<dc:date>2016-08-27T07:00:00Z</dc:date><dc:subject>Trade</dc:subject></item></rdf:RDF>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<entry xml:lang="fr"><title>Atom</title><link rel="alternate" href="/atom/"/><link rel="replies" href="/c"/>
<published>2016-08-27T07:00:00Z</published><updated>2016-08-28T07:00:00Z</updated>
<category term="World"/></entry></feed>"""
JSONFEED = b"""{"version": "https://jsonfeed.org/version/1.1", "language": "en", "items": [
{"id": "1", "url": "https://ex.com/json/", "title": "Json", "date_published": "2016-08-27T07:00:00+02:00",
 "tags": ["a", "b"]}, {"id": "2"}]}"""


def test_rss2_items_with_dates_keywords_and_guid_links() -> None:
    one, two = parse_feed(RSS2, "https://ex.com/feed/")
    assert (one.url, one.title, one.keywords) == ("https://ex.com/one/", "One", ("Politics",))
    assert one.published_at == datetime(2016, 8, 27, 7, tzinfo=UTC)
    assert two.url == "https://ex.com/two/" and one.via == "feed"


def test_rss091_with_public_doctype_parses() -> None:
    [old] = parse_feed(RSS091, "https://ex.com/")
    assert old.url == "https://ex.com/old/"


def test_atom_relative_links_resolve_against_xml_base() -> None:
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.ex.com/posts/">
    <entry><title>A</title><link href="2016/08/a/"/></entry>
    <entry xml:base="/archive/"><title>B</title><link href="b/"/></entry>
    <entry><title>C</title><link xml:base="https://www.ex.com/x/" href="c/"/></entry></feed>"""
    urls = [entry.url for entry in parse_feed(feed, "https://ex.com/feed.atom")]
    assert urls == [
        "https://blog.ex.com/posts/2016/08/a/",
        "https://blog.ex.com/archive/b/",
        "https://www.ex.com/x/c/",
    ]


def test_json_feed_after_a_byte_order_mark() -> None:
    # WordPress plugins and PHP files saved "with BOM" put one before the JSON.
    [item] = parse_feed(b"\xef\xbb\xbf" + JSONFEED, "https://ex.com/")
    assert item.url == "https://ex.com/json/"


def test_rss1_rdf_items() -> None:
    [item] = parse_feed(RSS1, "https://ex.com/")
    assert (item.url, item.title, item.keywords) == ("https://ex.com/rdf/", "Rdf", ("Trade",))
    assert item.published_at == datetime(2016, 8, 27, 7, tzinfo=UTC)


def test_atom_entry_resolves_relative_alternate_link() -> None:
    [entry] = parse_feed(ATOM, "https://ex.com/feed.atom")
    assert entry.url == "https://ex.com/atom/"
    assert entry.updated_at == datetime(2016, 8, 28, 7, tzinfo=UTC)
    assert (entry.language, entry.keywords) == ("fr", ("World",))


def test_json_feed_items_skip_those_without_url() -> None:
    [item] = parse_feed(JSONFEED, "https://ex.com/")
    assert item.url == "https://ex.com/json/" and item.keywords == ("a", "b")
    assert item.published_at == datetime(2016, 8, 27, 5, tzinfo=UTC) and item.language == "en"


def test_homepage_autodiscovery_skips_comment_feeds() -> None:
    html = b"""<html><head><link rel="alternate" type="application/rss+xml" href="/feed/">
    <link rel="alternate" type="application/rss+xml" href="/comments/feed/">
    <link rel="alternate" type="application/atom+xml" href="https://ex.com/atom.xml">
    <link rel="stylesheet" href="/s.css"></head></html>"""
    assert autodiscover_feeds(html, "https://ex.com/") == ["https://ex.com/feed/", "https://ex.com/atom.xml"]


def test_sitemap_index_lists_children_with_lastmod() -> None:
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://ex.com/s1.xml.gz</loc><lastmod>2016-08-27</lastmod></sitemap></sitemapindex>"""
    children, entries = parse_sitemap(body)
    assert [(c.url, c.lastmod) for c in children] == [("https://ex.com/s1.xml.gz", "2016-08-27")]
    assert entries == []


def test_google_news_sitemap_fields() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://ex.com/n/</loc>
      <news:news><news:publication><news:name>Ex</news:name><news:language>en</news:language>
      </news:publication><news:publication_date>2016-08-27T10:00:00+03:00</news:publication_date>
      <news:title>Kerry meets Lavrov</news:title><news:keywords>Syria, diplomacy</news:keywords>
      </news:news></url><url><loc>https://ex.com/plain/</loc><lastmod>2016-08-20</lastmod></url></urlset>"""
    _, (news, plain) = parse_sitemap(body)
    assert (news.via, news.title, news.language) == ("news-sitemap", "Kerry meets Lavrov", "en")
    assert news.keywords == ("Syria", "diplomacy")
    assert news.published_at == datetime(2016, 8, 27, 7, tzinfo=UTC)
    assert (plain.via, plain.updated_at) == ("sitemap", datetime(2016, 8, 20, tzinfo=UTC))
    assert plain.as_announced() is None


def test_robots_sitemap_lines_any_case_with_comments() -> None:
    robots = (
        b"User-agent: *\nDisallow: /x\nsitemap: https://ex.com/a.xml # main\nSITEMAP:https://ex.com/b.xml\n"
    )
    assert robots_sitemaps(robots) == ["https://ex.com/a.xml", "https://ex.com/b.xml"]


def test_wordpress_detection_from_html_and_link_header() -> None:
    html = b'<html><head><link rel="https://api.w.org/" href="https://ex.com/wp-json/"></head></html>'
    assert api_root_from_html(html, "https://ex.com/") == "https://ex.com/wp-json/"
    header = '<https://ex.com/wp-json/>; rel="https://api.w.org/", <https://ex.com/?p=1>; rel=shortlink'
    assert api_root_from_link_header(header, "https://ex.com/") == "https://ex.com/wp-json/"
    assert api_root_from_html(b"<html></html>", "https://ex.com/") is None


def test_wordpress_posts_carry_exact_gmt_dates_and_plain_titles() -> None:
    body = b"""[{"link": "https://ex.com/kerry/", "date_gmt": "2016-08-27T07:00:00",
      "modified_gmt": "2016-08-27T09:30:00", "title": {"rendered": "Kerry &#038; Lavrov"}}]"""
    [post] = parse_posts(body)
    assert (post.url, post.title, post.via) == ("https://ex.com/kerry/", "Kerry & Lavrov", "wp-json")
    assert post.published_at == datetime(2016, 8, 27, 7, tzinfo=UTC)
    assert post.updated_at == datetime(2016, 8, 27, 9, 30, tzinfo=UTC)


def test_wordpress_posts_url_pages_with_after() -> None:
    url = posts_url("https://ex.com/wp-json/", 2, datetime(2016, 8, 27, tzinfo=UTC))
    assert url.startswith("https://ex.com/wp-json/wp/v2/posts?")
    assert "page=2" in url and "after=2016-08-27T00%3A00%3A00" in url


def test_wordpress_after_names_utc() -> None:
    # WordPress reads an `after` without a zone in the site's own time zone (WP_Date_Query): for a
    # site at UTC-5 a bare UTC time skipped the posts of the window's first five hours.
    url = posts_url("https://ex.com/wp-json/", 1, datetime(2016, 8, 27, 3, 30, tzinfo=UTC))
    [after] = parse_qs(urlsplit(url).query)["after"]
    assert datetime.fromisoformat(after) == datetime(2016, 8, 27, 3, 30, tzinfo=UTC)


def test_section_links_and_next_page() -> None:
    html = b"""<html><body><a href="/news/a/">Story A</a><a href="/news/b/#c">B</a>
    <a href="/tag/x/">tag</a><a href="/section/?page=2">Next \xc2\xbb</a></body></html>"""
    links, next_url = section_links(html, "https://ex.com/section/")
    assert [link.url for link in links] == [
        "https://ex.com/news/a/",
        "https://ex.com/news/b/#c",
        "https://ex.com/tag/x/",
    ]
    assert links[0].title == "Story A" and links[0].via == "section"
    assert next_url == "https://ex.com/section/?page=2"


def test_wordpress_posts_refuse_a_non_list() -> None:
    with pytest.raises(NotWordPress, match="not a JSON list"):
        parse_posts(b'{"code": "rest_disabled"}')


@pytest.mark.parametrize("garbage", [b"{}", b"<html><body>hi</body></html>", b"null"])
def test_unusable_feed_bodies_raise_unsafe_xml(garbage: bytes) -> None:
    with pytest.raises(UnsafeXML):
        parse_feed(garbage, "https://ex.com/")


def test_robots_sitemap_on_the_first_line_after_a_byte_order_mark() -> None:
    # Windows editors save robots.txt with a BOM; Scrapy's robots parser skips it, and so must we.
    assert robots_sitemaps(b"\xef\xbb\xbfSitemap: https://ex.com/a.xml\nUser-agent: *\n") == [
        "https://ex.com/a.xml"
    ]

"""Feed and sitemap XML parsing refuses XXE, entity expansion and oversized or gzip-bomb input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import etree

from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.xmlsafe import UnsafeXML, _parser, gunzip_capped, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><item><title>&lol4;</title><link>http://x/a</link></item></channel></rss>"""


def test_xxe_file_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><title>&x;</title><link>http://x/a</link></item></channel></rss>"
    ).encode()
    with pytest.raises(UnsafeXML, match="internal subset"):
        parse_feed(doc, "http://x/")


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(UnsafeXML, match="internal subset"):
        parse_feed(BILLION_LAUGHS, "http://x/")


def test_external_dtd_is_neither_loaded_nor_expanded() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
        b"<rss><channel><item><title>a &ext; b</title><link>http://x/a</link></item></channel></rss>"
    )
    [item] = parse_feed(doc, "http://x/")
    assert item.url == "http://x/a"
    assert item.title == "a &ext; b"  # left as a reference: nothing fetched, nothing expanded


def test_parser_itself_never_expands_entities() -> None:
    """Belt and braces: even past the internal-subset refusal, the lxml parser expands nothing."""
    root = etree.fromstring(BILLION_LAUGHS, parser=_parser())
    assert len(etree.tostring(root)) < 1000


def test_oversized_document_is_refused() -> None:
    with pytest.raises(UnsafeXML, match="cap"):
        parse_xml(b"<urlset>" + b" " * 2000 + b"</urlset>", limit=1000)


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(UnsafeXML, match="inflates past"):
        gunzip_capped(bomb, limit=100_000)


def test_gzipped_sitemap_is_read() -> None:
    body = gzip.compress(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/a</loc></url></urlset>'
    )
    _, [entry] = parse_sitemap(body)
    assert entry.url == "http://x/a"


def test_garbage_is_reported_not_crashed() -> None:
    with pytest.raises(UnsafeXML):
        parse_feed(b"\x00\x01 not xml at all", "http://x/")


def test_html_entities_in_a_feed_leave_later_links_intact() -> None:
    # Sloppy feeds use HTML entities (&nbsp;, &eacute;) that XML does not define; libxml2's recovery
    # then dropped the `&amp;` of every later link, so the crawler fetched a different URL.
    feed = (
        b"<rss version='2.0'><channel>"
        b"<item><title>Caf&eacute;&nbsp;news</title><link>https://ex.com/a?id=1&amp;page=2</link></item>"
        b"<item><title>B&uuml;rger &unknown; mark</title><link>https://ex.com/b?id=2&amp;page=3</link></item>"
        b"</channel></rss>"
    )
    first, second = parse_feed(feed, "https://ex.com/")
    assert (first.url, first.title) == ("https://ex.com/a?id=1&page=2", "Café\xa0news")
    assert (second.url, second.title) == ("https://ex.com/b?id=2&page=3", "Bürger &unknown; mark")


def test_html_entities_inside_cdata_stay_as_written() -> None:
    feed = b"<rss><channel><item><title><![CDATA[A &nbsp; B]]></title><link>https://ex.com/a</link></item></channel></rss>"
    [item] = parse_feed(feed, "https://ex.com/")
    assert item.title == "A &nbsp; B"


def test_bare_ampersands_in_feed_links_are_kept() -> None:
    # Hand-built feeds write query strings unescaped; libxml2's recovery would drop "&page" from the URL.
    feed = b"<rss><channel><item><title>Q & A</title><link>https://ex.com/a.php?id=1&page=2</link></item></channel></rss>"
    [item] = parse_feed(feed, "https://ex.com/")
    assert (item.url, item.title) == ("https://ex.com/a.php?id=1&page=2", "Q & A")

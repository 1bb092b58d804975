"""Sitemaps: robots.txt `Sitemap:` lines, sitemap indexes, gzip, and Google News `news:` fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

from lxml import etree

from crawler.discovery.announce import Announcement, parse_date
from crawler.discovery.xmlsafe import UnsafeXML, child_text, local_name, parse_xml


@dataclass(frozen=True)
class SitemapRef:
    """A child sitemap listed by a sitemap index, with its lastmod when given."""

    url: str
    lastmod: str | None


def parse_sitemap(body: bytes, zone: tzinfo = UTC) -> tuple[list[SitemapRef], list[Announcement]]:
    """(child sitemaps, article announcements) from a sitemap or sitemap index (gzip allowed); dates
    without a zone are read in `zone`."""
    root = parse_xml(body)
    name = local_name(root)
    if name == "sitemapindex":
        refs = [
            SitemapRef(loc, child_text(e, "lastmod"))
            for e in root
            if local_name(e) == "sitemap" and (loc := child_text(e, "loc"))
        ]
        return refs, []
    if name != "urlset":
        raise UnsafeXML(f"root element <{name}> is neither a sitemap <urlset> nor a <sitemapindex>")
    return [], [a for a in (_url_entry(e, zone) for e in root if local_name(e) == "url") if a]


def _url_entry(entry: etree._Element, zone: tzinfo) -> Announcement | None:
    loc = child_text(entry, "loc")
    if not loc:
        return None
    lastmod = parse_date(child_text(entry, "lastmod"), zone)
    news = next((c for c in entry if local_name(c) == "news"), None)
    if news is None:
        return Announcement(url=loc, via="sitemap", updated_at=lastmod)
    publication = next((c for c in news if local_name(c) == "publication"), None)
    keywords = child_text(news, "keywords") or ""
    return Announcement(
        url=loc,
        via="news-sitemap",
        title=child_text(news, "title"),
        published_at=parse_date(child_text(news, "publication_date"), zone),
        updated_at=lastmod,
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
        language=child_text(publication, "language") if publication is not None else None,
    )


def robots_sitemaps(robots_txt: bytes) -> list[str]:
    """The `Sitemap:` URLs in a robots.txt body (the field name is case-insensitive, per RFC 9309)."""
    found = []
    for line in robots_txt.decode("utf-8-sig", "replace").splitlines():
        field, _, value = line.partition(":")
        value = value.split("#", 1)[0].strip()
        if field.strip().lower() == "sitemap" and value.startswith(("http://", "https://")):
            found.append(value)
    return found

"""Sitemaps: robots.txt `Sitemap:` lines, sitemap indexes, gzip, and Google News `news:` fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

from lxml import etree

from crawler.discovery.announce import (
    BAD_ENTRY,
    Announcement,
    Skipped,
    announced_date,
    each_entry,
    request_url,
)
from crawler.discovery.xmlsafe import UnsafeXML, child_text, local_name, parse_xml


@dataclass(frozen=True)
class SitemapRef:
    """A child sitemap listed by a sitemap index, with its lastmod when given."""

    url: str
    lastmod: str | None


def parse_sitemap(
    body: bytes, zone: tzinfo = UTC, skipped: Skipped | None = None
) -> tuple[list[SitemapRef], list[Announcement]]:
    """(child sitemaps, article announcements) from a sitemap or sitemap index (gzip allowed); dates
    without a zone are read in `zone`. An unusable entry or date is left out and noted in `skipped`."""
    skipped = Skipped() if skipped is None else skipped
    root = parse_xml(body)
    name = local_name(root)
    if name == "sitemapindex":
        refs = []
        for entry in (e for e in root if local_name(e) == "sitemap"):
            # sitemaps.org: <loc> is an absolute URL; a relative or broken one names no sitemap.
            loc = request_url(child_text(entry, "loc") or "")
            if loc:
                refs.append(SitemapRef(loc, child_text(entry, "lastmod")))
            else:
                skipped.note(BAD_ENTRY, f"child sitemap <loc> {child_text(entry, 'loc')!r}")
        return refs, []
    if name != "urlset":
        raise UnsafeXML(f"root element <{name}> is neither a sitemap <urlset> nor a <sitemapindex>")
    entries = (e for e in root if local_name(e) == "url")
    return [], each_entry(entries, lambda entry: _url_entry(entry, zone, skipped), skipped)


def _url_entry(entry: etree._Element, zone: tzinfo, skipped: Skipped) -> Announcement | None:
    loc = request_url(child_text(entry, "loc") or "")
    if not loc:
        return None
    lastmod = announced_date(child_text(entry, "lastmod"), zone, skipped)
    news = next((c for c in entry if local_name(c) == "news"), None)
    if news is None:
        return Announcement(url=loc, via="sitemap", updated_at=lastmod)
    publication = next((c for c in news if local_name(c) == "publication"), None)
    keywords = child_text(news, "keywords") or ""
    return Announcement(
        url=loc,
        via="news-sitemap",
        title=child_text(news, "title"),
        published_at=announced_date(child_text(news, "publication_date"), zone, skipped),
        updated_at=lastmod,
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
        language=child_text(publication, "language") if publication is not None else None,
    )


def robots_sitemaps(robots_txt: bytes, skipped: Skipped | None = None) -> list[str]:
    """The `Sitemap:` URLs in a robots.txt body (the field name is case-insensitive, per RFC 9309)."""
    skipped = Skipped() if skipped is None else skipped
    found = []
    for line in robots_txt.decode("utf-8-sig", "replace").splitlines():
        field, _, value = line.partition(":")
        value = value.split("#", 1)[0].strip()
        if field.strip().lower() != "sitemap":
            continue
        url = request_url(value)
        if url and url.startswith(("http://", "https://")):
            found.append(url)
        else:
            skipped.note(BAD_ENTRY, f"Sitemap: {value!r}")
    return found

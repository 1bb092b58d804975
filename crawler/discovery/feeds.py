"""Feed parsing: RSS 0.9x/1.0/2.0, Atom and JSON Feed into Announcements; homepage feed autodiscovery."""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from crawler.discovery.announce import Announcement, Skipped, announced_date, each_entry, request_url
from crawler.discovery.xmlsafe import MAX_XML_BYTES, UnsafeXML, child_text, load_json, local_name, parse_xml

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
)
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def parse_feed(
    body: bytes, base_url: str, zone: tzinfo = UTC, skipped: Skipped | None = None
) -> list[Announcement]:
    """Announcements from an RSS, Atom or JSON feed body, dates without a zone read in `zone`; raises
    UnsafeXML on an unusable document. An unusable entry or date is left out and noted in `skipped`."""
    skipped = Skipped() if skipped is None else skipped
    # A UTF-8 byte order mark may precede the JSON (json.loads skips it in bytes).
    if body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{":
        items, language = _json_items(body)
        return each_entry(items, lambda item: _json_item(item, base_url, zone, language, skipped), skipped)
    root = parse_xml(body)
    name = local_name(root)
    if name == "feed":
        entries = (e for e in root.iter() if local_name(e) == "entry")
        return each_entry(entries, lambda e: _atom_entry(e, base_url, zone, skipped), skipped)
    if name in ("rss", "rdf"):
        rss_items = (e for e in root.iter() if local_name(e) == "item")
        return each_entry(rss_items, lambda e: _rss_item(e, base_url, zone, skipped), skipped)
    raise UnsafeXML(f"root element <{name}> is not rss, rdf:RDF or an Atom feed")


def _rss_item(item: etree._Element, base_url: str, zone: tzinfo, skipped: Skipped) -> Announcement | None:
    link = child_text(item, "link")
    if not link:
        # RSS 2.0 allows a permalink guid instead of a link.
        for child in item:
            if local_name(child) == "guid" and child.get("isPermaLink", "true").lower() == "true":
                link = (child.text or "").strip()
    if not link:
        about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        link = about.strip() if about else None
    url = request_url(link, _xml_base(item, base_url)) if link else None
    if not url:
        return None
    keywords = tuple(
        "".join(c.itertext()).strip() for c in item if local_name(c) in ("category", "subject") and c.text
    )
    return Announcement(
        url=url,
        via="feed",
        title=child_text(item, "title"),
        published_at=announced_date(child_text(item, "pubdate", "date", "issued"), zone, skipped),
        updated_at=announced_date(child_text(item, "updated", "modified"), zone, skipped),
        keywords=tuple(k for k in keywords if k),
        language=child_text(item, "language"),
    )


def _atom_entry(entry: etree._Element, base_url: str, zone: tzinfo, skipped: Skipped) -> Announcement | None:
    link = None
    for child in entry:
        if local_name(child) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
            link = request_url(child.get("href", ""), _xml_base(child, base_url))
            break
    if not link:
        return None
    keywords = tuple(c.get("term", "").strip() for c in entry if local_name(c) == "category")
    lang = entry.get("{http://www.w3.org/XML/1998/namespace}lang")
    return Announcement(
        url=link,
        via="feed",
        title=child_text(entry, "title"),
        published_at=announced_date(child_text(entry, "published", "issued"), zone, skipped),
        updated_at=announced_date(child_text(entry, "updated", "modified"), zone, skipped),
        keywords=tuple(k for k in keywords if k),
        language=lang,
    )


def _xml_base(element: etree._Element, base_url: str) -> str:
    """The base URI relative links in `element` resolve against: the feed's URL, then every xml:base
    from the root down to the element (Atom feeds set it; RFC 4287 section 2, XML Base)."""
    bases = [e.get(_XML_BASE) for e in (element, *element.iterancestors())]
    for value in reversed(bases):
        # An xml:base no URL parser accepts (`http://[oops/`) is ignored, as browsers ignore it.
        base_url = (request_url(value, base_url) if value and value.strip() else None) or base_url
    return base_url


def _json_items(body: bytes) -> tuple[list[Any], str | None]:
    """(the items, the feed's language) of a JSON Feed body, or UnsafeXML."""
    if len(body) > MAX_XML_BYTES:
        raise UnsafeXML(f"JSON feed is {len(body)} bytes, over the {MAX_XML_BYTES}-byte cap")
    doc = load_json(body, UnsafeXML, "JSON feed")
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise UnsafeXML("JSON feed has no 'items' list")
    return items, _str(doc.get("language"))


def _json_item(
    item: Any, base_url: str, zone: tzinfo, language: str | None, skipped: Skipped
) -> Announcement | None:
    if not isinstance(item, dict):
        return None
    link = item.get("url") or item.get("external_url")
    url = request_url(link, base_url) if isinstance(link, str) else None
    if not url:
        return None
    raw_tags = item.get("tags")
    tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
    return Announcement(
        url=url,
        via="feed",
        title=_str(item.get("title")),
        published_at=announced_date(_str(item.get("date_published")), zone, skipped),
        updated_at=announced_date(_str(item.get("date_modified")), zone, skipped),
        keywords=tuple(t for t in tags if isinstance(t, str)),
        language=_str(item.get("language")) or language,
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def autodiscover_feeds(body: bytes, base_url: str) -> list[str]:
    """Feed URLs a homepage advertises with <link rel="alternate" type="application/rss+xml" ...>."""
    try:
        tree = lxml_html.fromstring(body[: 512 * 1024])
    except (ValueError, TypeError, etree.LxmlError):  # ParserError: an empty or whitespace-only page
        return []
    feeds: list[str] = []
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        absolute = request_url(href, base_url) if href else None
        # Comment feeds are announced the same way but list comments, not articles.
        wanted = "alternate" in rels and kind in FEED_TYPES and "comments" not in (absolute or "").lower()
        if absolute and wanted and absolute not in feeds:
            feeds.append(absolute)
    return feeds

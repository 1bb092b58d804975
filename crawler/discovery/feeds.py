"""Feed parsing: RSS 0.9x/1.0/2.0, Atom and JSON Feed into Announcements; homepage feed autodiscovery."""

from __future__ import annotations

import json
from datetime import UTC, tzinfo
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from crawler.discovery.announce import Announcement, parse_date
from crawler.discovery.xmlsafe import MAX_XML_BYTES, UnsafeXML, child_text, local_name, parse_xml

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
)
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def parse_feed(body: bytes, base_url: str, zone: tzinfo = UTC) -> list[Announcement]:
    """Announcements from an RSS, Atom or JSON feed body, dates without a zone read in `zone`; raises
    UnsafeXML on unusable XML."""
    # A UTF-8 byte order mark may precede the JSON (json.loads skips it in bytes).
    if body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{":
        return _json_feed(body, base_url, zone)
    root = parse_xml(body)
    name = local_name(root)
    if name == "feed":
        return [
            a for a in (_atom_entry(e, base_url, zone) for e in root.iter() if local_name(e) == "entry") if a
        ]
    if name in ("rss", "rdf"):
        items = (e for e in root.iter() if local_name(e) == "item")
        return [a for a in (_rss_item(e, base_url, zone) for e in items) if a]
    raise UnsafeXML(f"root element <{name}> is not rss, rdf:RDF or an Atom feed")


def _rss_item(item: etree._Element, base_url: str, zone: tzinfo) -> Announcement | None:
    link = child_text(item, "link")
    if not link:
        # RSS 2.0 allows a permalink guid instead of a link.
        for child in item:
            if local_name(child) == "guid" and child.get("isPermaLink", "true").lower() == "true":
                link = (child.text or "").strip()
    if not link:
        about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        link = about.strip() if about else None
    if not link:
        return None
    keywords = tuple(
        "".join(c.itertext()).strip() for c in item if local_name(c) in ("category", "subject") and c.text
    )
    return Announcement(
        url=urljoin(_xml_base(item, base_url), link),
        via="feed",
        title=child_text(item, "title"),
        published_at=parse_date(child_text(item, "pubdate", "date", "issued"), zone),
        updated_at=parse_date(child_text(item, "updated", "modified"), zone),
        keywords=tuple(k for k in keywords if k),
        language=child_text(item, "language"),
    )


def _atom_entry(entry: etree._Element, base_url: str, zone: tzinfo) -> Announcement | None:
    link = None
    for child in entry:
        if local_name(child) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
            link = urljoin(_xml_base(child, base_url), child.get("href", "").strip())
            break
    if not link:
        return None
    keywords = tuple(c.get("term", "").strip() for c in entry if local_name(c) == "category")
    lang = entry.get("{http://www.w3.org/XML/1998/namespace}lang")
    return Announcement(
        url=link,
        via="feed",
        title=child_text(entry, "title"),
        published_at=parse_date(child_text(entry, "published", "issued"), zone),
        updated_at=parse_date(child_text(entry, "updated", "modified"), zone),
        keywords=tuple(k for k in keywords if k),
        language=lang,
    )


def _xml_base(element: etree._Element, base_url: str) -> str:
    """The base URI relative links in `element` resolve against: the feed's URL, then every xml:base
    from the root down to the element (Atom feeds set it; RFC 4287 section 2, XML Base)."""
    bases = [e.get(_XML_BASE) for e in (element, *element.iterancestors())]
    for value in reversed(bases):
        if value and value.strip():
            base_url = urljoin(base_url, value.strip())
    return base_url


def _json_feed(body: bytes, base_url: str, zone: tzinfo) -> list[Announcement]:
    if len(body) > MAX_XML_BYTES:
        raise UnsafeXML(f"JSON feed is {len(body)} bytes, over the {MAX_XML_BYTES}-byte cap")
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise UnsafeXML(f"not a JSON feed ({error})") from None
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise UnsafeXML("JSON feed has no 'items' list")
    found = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.strip():
            continue
        raw_tags = item.get("tags")
        tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
        found.append(
            Announcement(
                url=urljoin(base_url, link.strip()),
                via="feed",
                title=item.get("title") if isinstance(item.get("title"), str) else None,
                published_at=parse_date(_str(item.get("date_published")), zone),
                updated_at=parse_date(_str(item.get("date_modified")), zone),
                keywords=tuple(str(t) for t in tags if isinstance(t, str)),
                language=_str(item.get("language")) or _str(doc.get("language")),
            )
        )
    return found


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def autodiscover_feeds(body: bytes, base_url: str) -> list[str]:
    """Feed URLs a homepage advertises with <link rel="alternate" type="application/rss+xml" ...>."""
    try:
        tree = lxml_html.fromstring(body[: 512 * 1024])
    except (ValueError, TypeError, SyntaxError):
        return []
    feeds: list[str] = []
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            absolute = urljoin(base_url, href)
            # Comment feeds are announced the same way but list comments, not articles.
            if "comments" not in absolute.lower() and absolute not in feeds:
                feeds.append(absolute)
    return feeds

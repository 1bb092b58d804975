"""Section / listing pages: article links that match the source's pattern, and the next-page link.

`check_markup` refuses markup that would take minutes to parse: libxml2 (lxml's HTML and XML
parsers alike) checks each attribute of a tag against all earlier ones, so one tag with 270,000
attributes in a 2 MiB page parses for minutes. No real tag comes near 64 KiB.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

from crawler.discovery.announce import Announcement

_NEXT_TEXT = re.compile(r"^\s*(next|older|more|»|›|next page|older posts|weiter|suivant)\s*[»›→]?\s*$", re.I)
_MAX_HTML = 2 * 1024 * 1024
MAX_TAG_BYTES = 64 * 1024
MAX_LINKS = 10_000  # links read from one listing page
_LONG_TAG = re.compile(rb"<[^<>]{%d}" % MAX_TAG_BYTES)


class UnparseableMarkup(ValueError):
    """The markup holds a tag too long to parse in reasonable time (see `check_markup`)."""


def check_markup(body: bytes) -> None:
    """Raise UnparseableMarkup if a tag in `body` runs past MAX_TAG_BYTES (a linear scan)."""
    if _LONG_TAG.search(body):
        raise UnparseableMarkup(f"a tag runs past {MAX_TAG_BYTES} bytes: not parsed, it would take minutes")


def section_links(
    body: bytes, base_url: str, encoding: str = "utf-8"
) -> tuple[list[Announcement], str | None]:
    """(every link on the page as a candidate announcement, the next page's URL or None).

    The caller filters candidates by the source's domains and article pattern; link text becomes
    the announced title, as listing pages usually link an article by its headline. Raises
    UnparseableMarkup for markup that would take minutes to parse; reads at most MAX_LINKS links.
    """
    check_markup(body[:_MAX_HTML])
    try:
        parser = lxml_html.HTMLParser(encoding=encoding)
        tree = lxml_html.document_fromstring(body[:_MAX_HTML], parser=parser)
    except (ValueError, TypeError, SyntaxError, LookupError):
        return [], None
    links: list[Announcement] = []
    seen: set[str] = set()
    next_url: str | None = None
    for element in tree.iter("a", "link"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        absolute = urljoin(base_url, href)
        rels = (element.get("rel") or "").lower().split()
        if next_url is None and ("next" in rels or (element.tag == "a" and _NEXT_TEXT.match(_text(element)))):
            next_url = absolute
            continue
        if element.tag == "a" and absolute not in seen and len(links) < MAX_LINKS:
            seen.add(absolute)
            title = _text(element)
            links.append(Announcement(url=absolute, via="section", title=title or None))
    return links, next_url


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())

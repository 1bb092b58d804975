"""Section / listing pages: article links that match the source's pattern, and the next-page link."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

from crawler.discovery.announce import Announcement

_NEXT_TEXT = re.compile(r"^\s*(next|older|more|»|›|next page|older posts|weiter|suivant)\s*[»›→]?\s*$", re.I)
_MAX_HTML = 2 * 1024 * 1024


def section_links(
    body: bytes, base_url: str, encoding: str = "utf-8"
) -> tuple[list[Announcement], str | None]:
    """(every link on the page as a candidate announcement, the next page's URL or None).

    The caller filters candidates by the source's domains and article pattern; link text becomes
    the announced title, as listing pages usually link an article by its headline.
    """
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
        if element.tag == "a" and absolute not in seen:
            seen.add(absolute)
            title = _text(element)
            links.append(Announcement(url=absolute, via="section", title=title or None))
    return links, next_url


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())

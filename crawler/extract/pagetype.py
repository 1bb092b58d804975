"""Not-an-article detection: home, tag, category, author, search, video and gallery pages."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.extract.jsonld import ARTICLE_TYPES, LISTING_TYPES, find_article, types_of

_LISTING_PATH = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:tags?|topics?|category|categories|section|author|authors|"
    r"profile|search|archives?|page)(?:/|$)",
    re.IGNORECASE,
)
_MEDIA_PATH = re.compile(r"^/(?:[a-z]{2}/)?(?:videos?|gallery|galleries|photos?|watch)(?:/|$)", re.I)
_PAGINATION = re.compile(r"/page/\d+/?$")
_WP_LISTING = frozenset({"home", "blog", "archive", "category", "tag", "author", "search", "date"})
_WP_SINGLE = frozenset({"single", "single-post"})
_ARTICLE_OG = frozenset({"article", "news", "newsarticle"})


def not_article_reason(
    tree: HtmlElement, url: str, objects: list[dict[str, Any]], meta: dict[str, list[str]]
) -> str | None:
    """Why this page is not one story, or None when it is (or might be) one."""
    if find_article(objects) is not None:
        return None
    body = tree.find("body")
    body_classes = set((body.get("class") or "").split()) if body is not None else set()
    if body_classes & _WP_SINGLE:
        return None
    og_type = ((meta.get("og:type") or [""])[0]).strip().lower()
    parts = urlsplit(url)
    path = parts.path or "/"
    if body_classes & _WP_LISTING:
        return f"WordPress listing page (body class {sorted(body_classes & _WP_LISTING)[0]!r})"
    page_types = set().union(*(types_of(o) for o in objects)) if objects else set()
    if page_types & LISTING_TYPES:
        return f"JSON-LD page type {sorted(page_types & LISTING_TYPES)[0]}"
    if og_type.startswith(("video", "profile", "music")) or og_type == "books.author":
        return f"og:type {og_type}"
    if og_type in _ARTICLE_OG or page_types & ARTICLE_TYPES:
        return None
    if not parts.query and re.fullmatch(r"/(?:index\.\w+|home|[a-z]{2}/?)?", path):
        return "home page"  # with a query ("/?p=123") it is an article under a plain permalink
    if _LISTING_PATH.search(path) or _PAGINATION.search(path):
        return f"listing URL path {path!r}"
    if _MEDIA_PATH.search(path) or ("VideoObject" in page_types and not page_types & ARTICLE_TYPES):
        return "video or gallery page"
    if len(tree.findall(".//article")) >= 4:
        return "page lists several <article> teasers"
    return None

"""What kind of page this is: an article, or a home, listing, profile, video or gallery page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.jsonld import ARTICLE_TYPES, LISTING_TYPES, find_article, types_of

_LISTING_PATH = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:tags?|topics?|category|categories|section|author|authors|"
    r"profile|search|archives?|page(?=/\d+/?$|/?$))(?:/|$)",
    re.IGNORECASE,
)
_MEDIA_PATH = re.compile(r"^/(?:[a-z]{2}/)?(?:videos?|gallery|galleries|photos?|watch)(?:/|$)", re.I)
_PAGINATION = re.compile(r"/page/\d+/?$")
_WP_LISTING = frozenset({"home", "blog", "archive", "category", "tag", "author", "search", "date"})
_WP_SINGLE = frozenset({"single", "single-post"})
# WordPress marks every singular view with its id ("postid-12", "page-id-1648"): one post or page, even
# where a theme adds "blog" to every body.
_WP_SINGULAR_ID = re.compile(r"^(?:postid|page-id)-\d+$")
# A story's own address: a slug of three or more words, or a numeric id of five or more digits in the
# last segment or the query ("/3-11212601", "?Seq_Code=181595"). Listings are named by a word or two.
_SLUG_WORDS = 3
_STORY_ID = re.compile(r"\d{5,}")
TEASER_SHARE = 0.5
_ROOT_PATH = re.compile(r"/(?:index\.\w+|home|[a-z]{2}/?)?")
_ARTICLE_OG = frozenset({"article", "news", "newsarticle"})
_LINK = XPath("boolean(.//a[@href][not(starts-with(@href, '#')) and not(starts-with(@href, 'javascript'))])")
# Words a reader sees: teasers that embed a script (an inline style for their image) are not longer
# for it, and counting its code made hub pages with their own long text listings.
# descendant::, not .//: libxml2 evaluates ".//text()[...]" per parent and merges, quadratic in the text
# nodes (a teaser box of 40,000 took 18 s); the same nodes, in the same order.
_VISIBLE_TEXT = XPath("descendant::text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")


# The record's `page_type` values (crawler/schemas/article.schema.json).
PAGE_TYPES = ("article", "home", "listing", "profile", "video", "gallery")
_JSONLD_KINDS = {"ProfilePage": "profile", "ImageGallery": "gallery", "MediaGallery": "gallery"}
_JSONLD_KINDS |= {"VideoGallery": "video", "CollectionPage": "listing", "SearchResultsPage": "listing"}


@dataclass(frozen=True)
class PageType:
    """`kind` is one of PAGE_TYPES; `reason` says what gave a non-article away (None for articles)."""

    kind: str
    reason: str | None = None
    # Words in the <article> teasers that made this a listing: the text decides (`confirmed`).
    teaser_words: int = 0


ARTICLE = PageType("article")


def page_type(
    tree: HtmlElement, url: str, objects: list[dict[str, Any]], meta: dict[str, list[str]]
) -> PageType:
    """The kind of page: an article unless something says it is not one story."""
    if find_article(objects) is not None:
        return ARTICLE
    body = tree.find("body")
    body_classes = set((body.get("class") or "").split()) if body is not None else set()
    if body_classes & _WP_SINGLE or any(_WP_SINGULAR_ID.match(c) for c in body_classes):
        return ARTICLE
    og_type = ((meta.get("og:type") or [""])[0]).strip().lower()
    parts = urlsplit(url)
    path = parts.path or "/"
    # WordPress gives "home" to the front page only, at the root; elsewhere a template's own class.
    wp_classes = body_classes & _WP_LISTING - ({"home"} if not _ROOT_PATH.fullmatch(path) else set())
    if wp_classes and not story_url(path, parts.query):
        wp_class = sorted(wp_classes)[0]
        kind = {"home": "home", "blog": "home", "author": "profile"}.get(wp_class, "listing")
        return PageType(kind, f"WordPress listing page (body class {wp_class!r})")
    page_types = set().union(*(types_of(o) for o in objects)) if objects else set()
    if page_types & LISTING_TYPES:
        listing = sorted(page_types & LISTING_TYPES)[0]
        return PageType(_JSONLD_KINDS.get(listing, "listing"), f"JSON-LD page type {listing}")
    if og_type.startswith(("video", "profile", "music")) or og_type == "books.author":
        return PageType(
            "video" if og_type.startswith(("video", "music")) else "profile", f"og:type {og_type}"
        )
    if og_type in _ARTICLE_OG or page_types & ARTICLE_TYPES:
        return ARTICLE
    return _by_url_and_markup(tree, parts.query, path, page_types)


def _by_url_and_markup(tree: HtmlElement, query: str, path: str, page_types: set[str]) -> PageType:
    if not query and _ROOT_PATH.fullmatch(path):
        return PageType("home", "home page")  # with a query ("/?p=123"): an article under a plain permalink
    if _LISTING_PATH.search(path) or _PAGINATION.search(path):
        kind = "profile" if re.search(r"/(?:author|authors|profile)(?:/|$)", path, re.I) else "listing"
        return PageType(kind, f"listing URL path {path!r}")
    if _MEDIA_PATH.search(path) or ("VideoObject" in page_types and not page_types & ARTICLE_TYPES):
        return PageType(
            "gallery" if re.search(r"/(?:[a-z]{2}/)?(?:galler|photo)", path) else "video",
            "video or gallery page",
        )
    # Related-story teasers in <article> elements sit under many stories: they count only on an
    # address that names no story. A teaser links to its story; an <article> without a link is a
    # section of this page (a guide's FAQ entries, a product's parts).
    if story_url(path, query):
        return ARTICLE
    teasers = [
        a for a in tree.iter("article") if next(a.iterdescendants("article"), None) is None and _LINK(a)
    ]
    if len(teasers) >= 4:
        # The largest may be the story itself, wrapped in an <article> like its teasers.
        words = sorted(len(" ".join(_VISIBLE_TEXT(a)).split()) for a in teasers)[:-1]
        return PageType("listing", "page lists several <article> teasers", max(sum(words), 1))
    return ARTICLE


def confirmed(kind: PageType, text_words: int) -> PageType:
    """A listing by its teasers stays one when they hold at least half the words of the page's main text;
    a guide or hub page whose own text merely sits beside them is one story."""
    if kind.teaser_words and kind.teaser_words < text_words * TEASER_SHARE:
        return ARTICLE
    return kind


def story_url(path: str, query: str) -> bool:
    """Whether the address names one story: a slug of several words (three words, or four words and
    numbers: "wochenbericht-14-20-januar-2022"), also before a trailing numeric id ("/slug/17-378.html"),
    or a long numeric id in the last segment or the query."""
    segments = [s.rsplit(".", 1)[0] for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    if _STORY_ID.search(last) or _STORY_ID.search(query):
        return True
    slugs = [last, segments[-2]] if len(segments) > 1 and not re.search(r"[^\W\d_]", last) else [last]
    return any(
        len(re.findall(r"[^\W\d_]+", slug)) >= _SLUG_WORDS or len(re.findall(r"[^\W_]+", slug)) > _SLUG_WORDS
        for slug in slugs
    )

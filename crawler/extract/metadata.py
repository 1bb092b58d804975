"""Article metadata with a fixed precedence: JSON-LD, then OpenGraph / `article:*` / meta, then fallbacks.

The fallbacks (trafilatura's own metadata, htmldate) run only for fields the page did not declare.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from htmldate import find_date
from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract import trafilatura_api
from crawler.extract.authors import clean_authors, without_date_words
from crawler.extract.dates import normalise_date
from crawler.extract.declared_dates import declared_dates
from crawler.extract.jsonld import find_article, names_of, resolve, strings_of, text_of
from crawler.extract.options import ExtractOptions
from crawler.extract.provenance import Candidate, decide
from crawler.extract.titles import choose_title, outlet_keys, page_titles, site_names

_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")
# WordPress and most blog engines mark taxonomy links with rel="category tag" / rel="tag".
_CATEGORY_LINKS = XPath("//a[contains(@rel, 'category')]")
_TAG_LINKS = XPath("//a[@rel='tag']")
_INTERNAL_LABEL = re.compile(r"^[@_/#]|^[\w-]+:\S")


def collect_meta(tree: HtmlElement) -> dict[str, list[str]]:
    """<meta> contents by lower-cased name/property/itemprop, in page order."""
    meta: dict[str, list[str]] = defaultdict(list)
    for element in tree.iter("meta"):
        key = (
            element.get("property")
            or element.get("name")
            or element.get("itemprop")
            or element.get("http-equiv")
        )
        content = element.get("content")
        if key and content and content.strip():
            meta[key.strip().lower()].append(content.strip())
    for element in tree.iterfind(".//time[@datetime]"):
        if "datepublished" in (element.get("itemprop") or "").lower():
            meta["datepublished"].append(element.get("datetime", ""))
    return meta


def extract_metadata_fields(
    tree: HtmlElement,
    url: str,
    options: ExtractOptions,
    objects: list[dict[str, Any]],
    meta: dict[str, list[str]],
) -> dict[str, Any]:
    """Every metadata field of the record except text-derived ones, from JSON-LD `objects` and `meta`."""
    article = find_article(objects) or {}
    zone = options.zone

    outlet_names = [
        *site_names(tree, objects, meta),
        *names_of(resolve(article.get("publisher"), objects)),
        options.outlet_name,
    ]
    declared = [article.get("headline"), article.get("name"), _first(meta, "og:title", "twitter:title")]
    authors = clean_authors(names_of(resolve(article.get("author"), objects)))
    authors = authors or clean_authors([a for k in _AUTHOR_META for a in meta.get(k, [])])
    authors = _not_the_outlet(authors, outlet_names)
    candidates = declared_dates(url, zone, article, objects, meta)
    fields: dict[str, Any] = {
        "canonical_url": _canonical(tree, url, meta, article),
        "title": choose_title(_titles(tree, url, declared), outlet_keys(outlet_names, url)),
        "description": clean_text(
            text_of(article.get("description"))
            or _first(meta, "og:description", "description", "twitter:description")
        ),
        "authors": authors,
        "date_candidates": candidates,  # not a record field: provenance.decide weighs them
        "language": _language(tree, options, article, meta),
        "categories": _unique(strings_of(article.get("articleSection")) + meta.get("article:section", [])),
        "tags": _unique(
            strings_of(article.get("keywords"))
            + [t for v in meta.get("article:tag", []) for t in strings_of(v)]
            + [t for k in ("news_keywords", "keywords") for v in meta.get(k, []) for t in strings_of(v)]
        ),
        "image": _image(resolve(article.get("image"), objects), meta, url),
        "outlet_names": outlet_names,  # not a record field: filters the fallback authors
    }
    return fields


def _titles(tree: HtmlElement, url: str, declared: list[Any]) -> Iterator[str | None]:
    """Title candidates in precedence order, the costlier ones searched only when reached."""
    yield from (clean_text(text_of(value)) for value in declared)
    yield from (clean_text(title) for title in page_titles(tree))
    yield clean_text(trafilatura_api.heading(tree, url))


def fill_fallbacks(tree: HtmlElement, url: str, fields: dict[str, Any], options: ExtractOptions) -> None:
    """trafilatura's and htmldate's heuristics, one field at a time and only for fields still missing."""
    candidates: list[Candidate] = fields.pop("date_candidates")
    chosen, fields["dates"] = decide(candidates)
    if not chosen["published_at"]:
        # htmldate scans the whole page, so it only runs when the page declared no usable date.
        found = normalise_date(
            find_date(tree, url=url, extensive_search=True, original_date=True), options.zone
        )
        if found:
            candidates.append(Candidate("published", "text", found))
            chosen, fields["dates"] = decide(candidates)
    fields.update(chosen)
    if not fields["categories"]:
        fields["categories"] = _unique([_link_text(a) for a in _CATEGORY_LINKS(tree)])
    if not fields["tags"]:
        fields["tags"] = _unique([_link_text(a) for a in _TAG_LINKS(tree)])
    byline = trafilatura_api.byline_authors(tree, url) if not fields["authors"] else None
    if byline:
        authors = clean_authors(without_date_words(byline).split(";"))
        fields["authors"] = _not_the_outlet(authors, fields["outlet_names"])


def _not_the_outlet(authors: list[str], outlet_names: list[str | None]) -> list[str]:
    """Without the outlet's own name ("BBC News" on bbc.com, "AppleInsider"): the source names it already,
    and `authors` holds people and agencies."""
    own = {name.strip().casefold() for name in outlet_names if name}
    return [author for author in authors if author.casefold() not in own]


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    return next((meta[key][0] for key in keys if meta.get(key)), None)


def clean_text(value: str | None) -> str | None:
    """One line of metadata text: entities that survived (often double-escaped) decoded, spaces collapsed."""
    if not value:
        return None
    return re.sub(r"\s+", " ", html.unescape(value)).strip() or None


def _link_text(element: HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content() or "").strip()


def _canonical(tree: HtmlElement, url: str, meta: dict[str, list[str]], article: dict[str, Any]) -> str:
    for link in tree.iterfind(".//link[@rel]"):
        if link.get("rel", "").strip().lower() == "canonical" and link.get("href", "").strip():
            return _absolute(url, link.get("href", ""))
    candidate = _first(meta, "og:url") or text_of(article.get("url"))
    return _absolute(url, candidate) if candidate else url


def _absolute(base: str, href: str) -> str:
    try:
        joined = urljoin(base, href.strip())
    except ValueError:
        return base
    return joined if joined.startswith(("http://", "https://")) else base


def _language(
    tree: HtmlElement, options: ExtractOptions, article: dict[str, Any], meta: dict[str, list[str]]
) -> str | None:
    # The registry's language is curated by a person; page templates often keep a stale lang="en".
    for value in (
        options.language,
        text_of(article.get("inLanguage")),
        tree.get("lang"),
        tree.get("xml:lang"),
        _first(meta, "og:locale"),
        _first(meta, "content-language", "language"),
    ):
        if value and re.match(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$", value.strip()):
            return value.strip().replace("_", "-").split("-")[0].lower()
    return None


def _image(value: Any, meta: dict[str, list[str]], url: str) -> dict[str, str | None] | None:
    item = value[0] if isinstance(value, list) and value else value
    image_url, caption, credit = None, None, None
    if isinstance(item, str):
        image_url = item
    elif isinstance(item, dict):
        image_url = text_of(item.get("url") or item.get("contentUrl"))
        caption = text_of(item.get("caption") or item.get("description"))
        credit = text_of(item.get("creditText") or item.get("copyrightHolder") or item.get("author"))
    image_url = image_url or _first(meta, "og:image", "twitter:image")
    if not image_url:
        return None
    return {"url": _absolute(url, image_url), "caption": caption, "credit": credit}


def _unique(values: list[str]) -> list[str]:
    """Clean, de-duplicated labels; CMS-internal keys ('@river', '_no-apple-news', 'post-id:1') go."""
    seen: set[str] = set()
    out = []
    for value in values:
        value = clean_text(value) or ""
        if _INTERNAL_LABEL.match(value):
            continue
        if value and value.casefold() not in seen and len(value) <= 100:
            seen.add(value.casefold())
            out.append(value)
    return out

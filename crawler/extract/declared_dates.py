"""The dates a page declares about itself: JSON-LD, meta tags and the URL's day, in precedence order."""

from __future__ import annotations

from typing import Any

from crawler.extract.dates import parse_any_year
from crawler.extract.jsonld import text_of
from crawler.extract.provenance import Candidate, url_day

_PUBLISHED_META = (
    "article:published_time",
    "article:published",
    "og:published_time",
    "og:pubdate",
    "datepublished",
    "pubdate",
    "pdate",
    "publishdate",
    "publish-date",
    "date_published",
    "sn-post-date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.issued",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "date",
)
_MODIFIED_META = (
    "article:modified_time",
    "article:modified",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "lastmod",
)


def declared_dates(
    url: str, zone: Any, article: dict[str, Any], objects: list[dict[str, Any]], meta: dict[str, list[str]]
) -> list[Candidate]:
    """Every date the page declares, in precedence order: JSON-LD, then meta tags, then the URL's day."""
    # A page typed as something other than an article (MedicalWebPage, ClaimReview) may still date itself.
    others = [o.get("datePublished") for o in objects if o is not article]
    found = [
        *_dates("published", "jsonld", [article.get("datePublished"), article.get("dateCreated")], zone),
        *_dates("published", "meta", [v for k in _PUBLISHED_META for v in meta.get(k, [])[:1]], zone),
        *_dates("published", "jsonld", others, zone),
        *_dates("updated", "jsonld", [article.get("dateModified")], zone),
        *_dates("updated", "meta", [v for k in _MODIFIED_META for v in meta.get(k, [])[:1]], zone),
    ]
    day = url_day(url)
    return [*found, Candidate("published", "url", day)] if day else found


def _dates(field: str, source: str, values: list[Any], zone: Any) -> list[Candidate]:
    out = []
    for value in values:
        parsed = parse_any_year(text_of(value) if not isinstance(value, str) else value, zone)
        if parsed:
            out.append(Candidate(field, source, parsed))
    return out

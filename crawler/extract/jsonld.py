"""JSON-LD: the article object of a page (top level, lists, `@graph`), with `@id` references resolved."""

from __future__ import annotations

import json
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "LiveBlogPosting",
        "BlogPosting",
        "Report",
        "SatiricalArticle",
    }
)
# Page types that say "this is not one story" when no article object is present.
LISTING_TYPES = frozenset(
    {"CollectionPage", "ProfilePage", "SearchResultsPage", "ImageGallery", "VideoGallery", "MediaGallery"}
)
_MAX_SCRIPT = 2_000_000
# Real JSON-LD nests a handful of levels (article → author → address); the readers below recurse,
# so anything deeper is cut off before they see it.
MAX_DEPTH = 32


def jsonld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON object in the page's ld+json scripts, flattened out of lists and `@graph`."""
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_SCRIPT:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the other metadata sources still apply
        _flatten(cut_deep(data), objects, depth=0)
    return objects


def cut_deep(data: Any, max_depth: int = MAX_DEPTH) -> Any:
    """`data` with every list or object nested deeper than `max_depth` replaced by None; iterative, so
    a script nested 100,000 deep costs no recursion here or in any reader after it."""
    root: list[Any] = [data]
    stack: list[tuple[Any, int]] = [(root, 0)]  # (a list or dict, its depth)
    while stack:
        container, depth = stack.pop()
        entries = enumerate(container) if isinstance(container, list) else container.items()
        for key, value in list(entries):
            if isinstance(value, list | dict):
                if depth >= max_depth:
                    container[key] = None
                else:
                    stack.append((value, depth + 1))
    return root[0]


def _flatten(data: Any, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            _flatten(data["@graph"], out, depth + 1)


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def find_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first article-typed object, or None. An article nested as a WebPage's mainEntity counts."""
    for obj in objects:
        if types_of(obj) & ARTICLE_TYPES:
            return obj
        main = obj.get("mainEntity")
        if isinstance(main, dict) and types_of(main) & ARTICLE_TYPES:
            return main
    return None


def resolve(value: Any, objects: list[dict[str, Any]]) -> Any:
    """Replace a bare {"@id": ...} reference with the object of that id elsewhere on the page."""
    # One index per call: a list of N references into M objects is N + M steps, not N x M.
    by_id = {o["@id"]: o for o in reversed(objects) if isinstance(o.get("@id"), str) and len(o) > 1}
    return _resolved(value, by_id)


def _resolved(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolved(item, by_id) for item in value]
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return by_id.get(value["@id"], value)
    return value


def text_of(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a string, a list, or an object with a name."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value:
        return text_of(value[0])
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value") or value.get("text"))
    return None


def names_of(value: Any) -> list[str]:
    """Author-ish values (string, object with name, list of either) to a list of raw strings."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = text_of(item) if not isinstance(item, list) else None
        if name:
            names.append(name)
    return names


def strings_of(value: Any) -> list[str]:
    """Keywords / sections: a list, or a comma-separated string, to a list of strings."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [s for item in value for s in strings_of(item)]
    if isinstance(value, dict):
        name = text_of(value)
        return [name] if name else []
    return []

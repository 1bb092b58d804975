"""The two shapes that flow through the pipelines: the raw page a spider fetched, and the record.

Items are plain dicts (Scrapy accepts them); these TypedDicts document the keys.
"""

from __future__ import annotations

from typing import Any, TypedDict


class PageItem(TypedDict, total=False):
    """What `NewsSpider` yields per article response (or per failed one-off URL, with `error`)."""

    url: str  # as discovered or as the user typed it
    final_url: str  # after redirects
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    source: str
    discovered_via: str  # feed | sitemap | news-sitemap | wp-json | section | url
    announced: dict[str, Any] | None
    fetched_at: str
    rights: dict[str, Any] | None  # the outlet's TDM stance (crawler/rights)
    error: str


# The article record is documented by crawler/schemas/article.schema.json; in code it is a dict.
ArticleRecord = dict[str, Any]

"""The one module that calls trafilatura, through its public API only (`trafilatura.__all__`).

An upgrade of trafilatura is then a version bump that tests/extract/test_trafilatura_api.py accepts or
refuses; no other module imports from trafilatura's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml.html import HtmlElement

VERSION = trafilatura.__version__
# htmldate's settings for the page-wide date search, shared with metadata.fill_fallbacks.
DATE_SEARCH: dict[str, Any] = {"extensive_search": True, "original_date": True}


def main_text(tree: HtmlElement, url: str, *, compare_extractors: bool) -> str:
    """trafilatura's main text, one line per block. `compare_extractors` runs its readability and
    jusText comparison too (`fast=False`); the deduplication cache stays off: it is process-global,
    so output would depend on what was extracted before."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=not compare_extractors,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        output_format="python",
    )
    return getattr(document, "text", None) or ""


def baseline_text(tree: HtmlElement) -> str:
    """trafilatura's `baseline`: the JSON-LD articleBody, else the <article>/<p> text; a second opinion."""
    _tree, text, _length = trafilatura.baseline(tree)
    return text or ""


@dataclass(frozen=True)
class PageMetadata:
    """What trafilatura's own metadata search found: its byline author(s) (';'-separated) and date."""

    authors: str | None
    date: str | None


def page_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """trafilatura's metadata search (meta tags, JSON-LD, then the byline XPaths; htmldate for the
    date). It reads but never changes `tree`. Costs about 40% of a main-text extraction, so callers
    ask only for pages whose own markup declared no author."""
    document = trafilatura.extract_metadata(tree, default_url=url, date_config=dict(DATE_SEARCH, url=url))
    return PageMetadata(authors=document.author or None, date=document.date or None)

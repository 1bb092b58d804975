"""The one place that calls trafilatura, through its public API (`trafilatura.__all__`).

Two private speed-ups live here too, each with the public call as its fallback: the byline search
alone (`trafilatura.metadata.extract_author`, or this package's byline.py, a transcription of it that reads its
XPaths without copying the tree) and the title search alone (`extract_title`) instead of the whole
metadata search, whose page-wide date search costs more than either. An upgrade of trafilatura is a version bump that
tests/extract/test_trafilatura_api.py accepts or refuses (it compares both paths).
"""

from __future__ import annotations

from collections.abc import Callable

import trafilatura
from lxml.html import HtmlElement

from crawler.extract.trafilatura_api import byline


def _private_search(name: str) -> Callable[[HtmlElement], str | None] | None:
    """`trafilatura.metadata.<name>` (private: see the module docstring), or None if an upgrade took it."""
    try:
        import trafilatura.metadata as private
    except ImportError:
        return None
    search = getattr(private, name, None)
    return search if callable(search) else None


_BYLINE_SEARCH = _private_search("extract_author")
_TITLE_SEARCH = _private_search("extract_title")

VERSION = trafilatura.__version__


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


def byline_authors(tree: HtmlElement, url: str) -> str | None:
    """trafilatura's byline search: the author(s), ';'-separated, of a page that declares none in its
    metadata. It reads but never changes `tree`."""
    if byline.MATCHES_TRAFILATURA:
        try:
            return byline.byline(tree) or None
        except byline.Unanswered:
            pass
    return trafilatura_byline_authors(tree, url)


def trafilatura_byline_authors(tree: HtmlElement, url: str) -> str | None:
    """trafilatura's own byline search (`extract_author`, which copies the tree), or the public call."""
    return _private_or_public(_BYLINE_SEARCH, tree, lambda: public_byline_authors(tree, url))


def public_byline_authors(tree: HtmlElement, url: str) -> str | None:
    """The same answer through the public API: the whole metadata search, page-wide date included."""
    return trafilatura.extract_metadata(tree, default_url=url).author or None


def heading(tree: HtmlElement, url: str) -> str | None:
    """trafilatura's title search (title-like classes, <h1>, <title> parts, the first <h2>), for a page
    whose declared titles, <title> and <h1> are all empty. It reads but never changes `tree`."""
    return _private_or_public(_TITLE_SEARCH, tree, lambda: public_heading(tree, url))


def public_heading(tree: HtmlElement, url: str) -> str | None:
    """The same answer through the public API: the whole metadata search."""
    return trafilatura.extract_metadata(tree, default_url=url).title or None


def _private_or_public(
    search: Callable[[HtmlElement], str | None] | None, tree: HtmlElement, public: Callable[[], str | None]
) -> str | None:
    """The private search's answer, else the public call's: when this trafilatura has no such search,
    or its signature changed in an upgrade."""
    if search is not None:
        try:
            return search(tree) or None
        except TypeError:
            pass
    return public()

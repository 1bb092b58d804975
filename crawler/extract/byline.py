"""The byline fallback: trafilatura's author search (`extract_author`), answered from one short list.

trafilatura tries three XPath expressions (`AUTHOR_XPATHS`) in order and takes the first element
outside discarded markup (`AUTHOR_DISCARD_XPATHS`) whose text reads as a byline. Each expression
walks every element of the page and tests a dozen attribute conditions on it: 3-4 ms on a
1,000-element page, a third of the extraction time of a page that declares no author in its
metadata. Here one XPath collects the elements that carry an attribute the conditions read (71 of
1,019 on the throughput bench's pages), and the three conditions are Python tests on that list.

The tests below are transcribed from trafilatura 2.0's expressions. Should an upgrade change them,
`find_byline` falls back to evaluating trafilatura's own (correct, only slower), and
tests/extract/test_byline.py fails until the transcription is brought up to date; the same tests
compare both searches on generated pages.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterable

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

# sha256 of trafilatura's AUTHOR_XPATHS sources (one per line) that the rules below transcribe.
TRANSCRIBED_XPATHS_SHA256 = "8dd97d9caf55fa56d9bd6522ea97e2c5b5428bf0c3bd5d6b491b41134dc881bd"

# Every element any rule can match: one with an attribute the rules read, an <author> element, or
# the parent of a <rel> element (the first expression's `rel="me"` compares a child's text).
_CANDIDATES = XPath(
    "//*[@class or @id or @rel or @itemprop or @data-testid or @data-component] | //author | //rel/.."
)
# trafilatura's AUTHOR_DISCARD_XPATHS ("//x[cond]" removes x and everything in it) as one path per x.
_DISCARD_PATHS = [
    re.sub(r"^\.?//", "", part.strip())
    for discard in AUTHOR_DISCARD_XPATHS
    for part in (discard.path.split("|") if discard.path.startswith("//time") else [discard.path])
]
# Asked of one element instead of pruning the page: is it, or is one of its ancestors, such an x?
_DISCARDED = XPath(" | ".join(f"ancestor-or-self::{path}" for path in _DISCARD_PATHS))
# And is there such an x inside it, whose text the byline must leave out?
_HAS_DISCARDED_INSIDE = XPath(" | ".join(f".//{path}" for path in _DISCARD_PATHS))
_MAX_BYLINE = 120  # characters: trafilatura's len_limit for authors

Rule = Callable[[HtmlElement], bool]


def _named_author(element: HtmlElement) -> bool:
    """AUTHOR_XPATHS[0]: explicit author markup on a, address, div, link, p, span, strong; <author>."""
    if element.tag == "author":
        return True
    if element.tag not in ("a", "address", "div", "link", "p", "span", "strong"):
        return False
    get = element.get
    css = get("class", "")
    return (
        get("rel") == "author"
        or get("id") == "author"
        or css == "author"
        or get("itemprop") == "author name"
        or any(name in css for name in ("author-name", "AuthorName", "authorName", "author name"))
        or get("data-testid") in ("AuthorCard", "AuthorURL")
        or any(_pruned(child).xpath("string()") == "me" for child in element.iterchildren("rel"))
    )


def _author_classes(element: HtmlElement) -> bool:
    """AUTHOR_XPATHS[1]: author-ish class, id or itemprop on a, div, h3, h4, p, span."""
    if element.tag not in ("a", "div", "h3", "h4", "p", "span"):
        return False
    get = element.get
    css, ident = get("class", ""), get("id", "")
    return (
        "author" in css
        or "author" in ident
        or "author" in get("itemprop", "")
        or css in ("byline", "username", "byl", "BBL")
        or any(name in css for name in ("channel-name", "submitted-by", "posted-by", "journalist-name"))
        or any(name in css or name in ident for name in ("zuozhe", "bianji", "xiaobian"))
    )


def _anything_authorish(element: HtmlElement) -> bool:
    """AUTHOR_XPATHS[2]: any element; "author" and "byline" also with a capital A or B."""
    get = element.get
    css = get("class", "")
    return (
        "author" in get("id", "").replace("A", "a")
        or "author" in css.replace("A", "a")
        or "screenname" in css
        or "Byline" in get("data-component", "")
        or "author" in get("itemprop", "")
        or "writer" in css
        or "byline" in css.replace("B", "b")
    )


_RULES: tuple[Rule, ...] = (_named_author, _author_classes, _anything_authorish)


def xpaths_digest(expressions: Iterable[XPath]) -> str:
    """sha256 of the expressions' sources, one per line: what TRANSCRIBED_XPATHS_SHA256 records."""
    return hashlib.sha256("\n".join(expression.path for expression in expressions).encode()).hexdigest()


_TRANSCRIPTION_CURRENT = xpaths_digest(AUTHOR_XPATHS) == TRANSCRIBED_XPATHS_SHA256


def find_byline(tree: HtmlElement) -> str | None:
    """The page's byline text as trafilatura's author search finds it, without pruning a copy of the
    whole page first: a match inside discarded markup is skipped, and only a match is pruned."""
    if _TRANSCRIPTION_CURRENT:
        candidates = _CANDIDATES(tree)
        # filter() is lazy: a rule stops testing candidates at the first byline it finds.
        matches: Iterable[Iterable[HtmlElement]] = (filter(rule, candidates) for rule in _RULES)
    else:
        matches = (expression(tree) for expression in AUTHOR_XPATHS)
    for elements in matches:
        for element in elements:
            if _DISCARDED(element):
                continue
            content = _text_without_discarded(element)
            if content and 2 < len(content) < _MAX_BYLINE:
                return content
    return None


def _text_without_discarded(element: HtmlElement) -> str:
    return trim(" ".join(_pruned(element).itertext()))


def _pruned(element: HtmlElement) -> HtmlElement:
    """The element as trafilatura's pruning of the page leaves it, without what it discards inside it
    (a <time>, a date or share widget): a pruned copy of this one element, not of the whole page."""
    if not _HAS_DISCARDED_INSIDE(element):
        return element
    element = copy.deepcopy(element)
    prune_unwanted_nodes(element, AUTHOR_DISCARD_XPATHS)
    return element

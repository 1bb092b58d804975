"""trafilatura's byline search (`trafilatura.metadata.extract_author`): the same answers at a quarter of the CPU.

trafilatura copies the whole tree, prunes comments, dates and figures from the copy with a regex XPath,
then tries three regex XPaths for byline elements: about 11 ms a page, most of it lxml calling Python's
`re` for every element and expression. Here one plain XPath lists the attributes those patterns read,
Python tests the few that may match, and only a chosen candidate with pruned parts inside is copied.
It answers only for the trafilatura release whose XPaths it transcribes (`MATCHES_TRAFILATURA`);
otherwise the adapter (this package's `__init__`) runs trafilatura's own search, and the public call
when an upgrade took that too.
"""

from __future__ import annotations

import hashlib
import re
from copy import deepcopy

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import metadata as _trafilatura  # private: see the module docstring

# The source text of the XPaths transcribed below (AUTHOR_DISCARD_XPATHS, then AUTHOR_XPATHS).
_TRANSCRIBED = "29298d1fa7279c607cd343aa1c4a80736b0596b305bfd93ea59b6de61624f264"
_LEN_LIMIT = 120  # extract_author's len_limit for extract_metainfo

# AUTHOR_DISCARD_XPATHS[0], on a/div/section/span below the root; [1] is every <time> and <figure>.
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    r"article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
# AUTHOR_XPATHS[0] (with //author), [1] and [2].
_FIRST_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_FIRST_CLASS = re.compile(r"author-?name|AuthorName|authorName")
_SECOND_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_SECOND_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_SECOND_CLASS = re.compile(
    r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_THIRD_ID = re.compile(r"[Aa]uthor")
_THIRD_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")

# Every alternative of the patterns above (and every exact value compared) holds one of these: only
# elements with an attribute holding one, and the tags the XPaths name, are tested exactly.
_MAY_MATCH = re.compile(
    r"uthor|zuozhe|bianji|xiaobian|byl|BBL|username|channel-name|submitted-by|posted-by|journalist-name|"
    r"screenname|writer|yline|omment|ProductReviews|Figure|title|date|sidebar|is-hidden|quote|"
    r"embedly-instagram|article-|print|category|meta-"
)
_ATTRIBUTES = ("class", "id", "itemprop", "rel", "data-testid", "data-component")
_TAGS = ("time", "figure", "author", "rel")
# In document order, an element before its attributes: one XPath in C instead of a walk in Python.
_TESTED_NODES = XPath(
    " | ".join(
        [f"descendant-or-self::*/@{name}" for name in _ATTRIBUTES]
        + [f"descendant-or-self::{tag}" for tag in _TAGS]
    )
)


def _transcribed_digest() -> str:
    """The digest of this trafilatura's XPaths, "" when an upgrade moved them or the helpers used here."""
    needed = ("AUTHOR_DISCARD_XPATHS", "AUTHOR_XPATHS", "normalize_authors", "prune_unwanted_nodes", "trim")
    if not all(hasattr(_trafilatura, name) for name in needed):
        return ""
    paths = [x.path for x in (*_trafilatura.AUTHOR_DISCARD_XPATHS, *_trafilatura.AUTHOR_XPATHS)]
    return hashlib.sha256("\n".join(paths).encode()).hexdigest()


MATCHES_TRAFILATURA = _transcribed_digest() == _TRANSCRIBED


class Unanswered(Exception):
    """A page this transcription does not cover (a <rel> element, which AUTHOR_XPATHS compare as text)."""


def byline(tree: HtmlElement) -> str | None:
    """`extract_author(tree)`'s answer, without copying the tree; raises `Unanswered` where it cannot
    be sure to match it."""
    discarded: set[HtmlElement] = set()
    named: list[tuple[HtmlElement, list[int]]] = []
    for element in _elements_to_test(tree):
        tag = element.tag
        if tag == "rel":
            raise Unanswered("a <rel> element")
        if _discarded(element, tree):
            discarded.add(element)
            continue
        kinds = [kind for kind in range(3) if _candidate(kind, element, tag)]
        if kinds:
            named.append((element, kinds))
    pruned: dict[HtmlElement, bool] = {}
    found: tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement]] = ([], [], [])
    for element, kinds in named:
        if not _pruned(element, tree, discarded, pruned):
            for kind in kinds:
                found[kind].append(element)
    has_pruned_inside = _ancestors_of(discarded, tree)
    for elements in found:
        for element in elements:
            content = _text(element, element in has_pruned_inside)
            if content and 2 < len(content) < _LEN_LIMIT:
                return _trafilatura.normalize_authors(None, content)
    return None


def _elements_to_test(tree: HtmlElement) -> list[HtmlElement]:
    """Elements of the tags the XPaths name, and those with an attribute that may match, in page order."""
    elements: list[HtmlElement] = []
    for node in _TESTED_NODES(tree):
        if isinstance(node, str):  # an attribute's value (lxml's smart string knows its element)
            if not _MAY_MATCH.search(node):
                continue
            element: HtmlElement = node.getparent()  # type: ignore[attr-defined]
        else:
            element = node
        if not elements or elements[-1] is not element:
            elements.append(element)
    return elements


def _pruned(
    element: HtmlElement, top: HtmlElement, discarded: set[HtmlElement], known: dict[HtmlElement, bool]
) -> bool:
    """Whether `element` or an ancestor below `top` is pruned; `known` remembers every element walked,
    so the walks of all candidates together take one step per element at most."""
    walked = []
    node: HtmlElement | None = element
    answer = False
    while node is not None:
        if node in known:
            answer = known[node]
            break
        walked.append(node)
        if node in discarded:
            answer = True
            break
        node = None if node is top else node.getparent()
    for node in walked:
        known[node] = answer
    return answer


def _discarded(element: HtmlElement, top: HtmlElement) -> bool:
    """AUTHOR_DISCARD_XPATHS: trafilatura's pruning never deletes the root (it has no parent)."""
    tag = element.tag
    if element is top:
        return False
    if tag in ("time", "figure"):
        return True
    if tag not in _DISCARD_TAGS:
        return False
    ident, cls = element.get("id"), element.get("class")
    return (
        ident == "comments"
        or cls in ("comments", "title", "date")
        or bool(ident and _DISCARD_ID.search(ident))
        or bool(cls and _DISCARD_CLASS.search(cls))
        or "Figure" in (element.get("data-component") or "")
    )


def _candidate(kind: int, element: HtmlElement, tag: str) -> bool:
    ident, cls = element.get("id") or "", element.get("class") or ""
    if kind == 0:
        return tag == "author" or (
            tag in _FIRST_TAGS
            and (
                element.get("rel") == "author"
                or element.get("id") == "author"
                or element.get("class") == "author"
                or element.get("itemprop") == "author name"
                or element.get("data-testid") in ("AuthorCard", "AuthorURL")
                or bool(_FIRST_CLASS.search(cls))
            )
        )
    if kind == 1:
        return tag in _SECOND_TAGS and (
            element.get("class") in ("byline", "username", "byl", "BBL")
            or "author" in (element.get("itemprop") or "")
            or bool(_SECOND_ID.search(ident))
            or bool(_SECOND_CLASS.search(cls))
        )
    return (
        "Byline" in (element.get("data-component") or "")
        or "author" in (element.get("itemprop") or "")
        or bool(_THIRD_ID.search(ident))
        or bool(_THIRD_CLASS.search(cls))
    )


def _ancestors_of(elements: set[HtmlElement], top: HtmlElement) -> set[HtmlElement]:
    """Every ancestor (up to `top`) of `elements`; each walk stops where an earlier one passed, so the
    whole costs one step per element of the tree at most."""
    found: set[HtmlElement] = set()
    for element in elements:
        parent = element.getparent()
        while parent is not None and parent not in found:
            found.add(parent)
            if parent is top:
                break
            parent = parent.getparent()
    return found


def _text(element: HtmlElement, pruned_inside: bool) -> str:
    """The element's text as trafilatura's pruned copy gives it (`trim(" ".join(itertext()))`), or ""
    once it holds `_LEN_LIMIT` letters: the search skips such a text, and a page-wide box is long."""
    if pruned_inside:
        # Deleting keeps each pruned element's tail, glued to the text before it: trafilatura's own
        # pruning on a copy of this element alone gives the same text.
        element = _trafilatura.prune_unwanted_nodes(deepcopy(element), _trafilatura.AUTHOR_DISCARD_XPATHS)
    pieces: list[str] = []
    letters = 0
    for piece in element.itertext():
        pieces.append(piece)
        letters += sum(map(len, piece.split()))
        if letters >= _LEN_LIMIT:
            return ""
    return _trafilatura.trim(" ".join(pieces))

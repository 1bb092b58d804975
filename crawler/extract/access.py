"""Page status before extraction: is the page a bot challenge, a consent wall or a soft 404 instead of
the article? Decided from the signals pages carry, with the evidence named; `text_access.py` decides
the statuses of a page that is the article (paywall, truncated, full). Markup patterns only: no rule
names a site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.discovery.sections import UnparseableMarkup, check_markup
from crawler.extract import prune
from crawler.extract.access_signals import (
    CHALLENGE_MARKERS,
    CHALLENGE_TITLES,
    CMP_MARKERS,
    CONSENT_PATH_SEGMENTS,
    CONSENT_TITLES,
    CONSENT_WORDS,
    NOT_FOUND,
    NOT_FOUND_SENTENCE,
    REFUSAL_STATUSES,
    SENSOR_MARKERS,
)
from crawler.extract.decode import parse_body
from crawler.extract.errors import ExtractionDrop

THIN_WORDS = 200  # challenge and consent pages say a sentence or two; the shortest briefs run longer
_INVISIBLE = frozenset({"script", "style", "noscript"})
# descendant::, not //: libxml2 evaluates "//body//text()[...]" per parent and merges the results,
# quadratic in the page's text nodes (40,000 took 4 s); the same nodes, in the same order.
_VISIBLE_TEXT = XPath(
    "//body/descendant::text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
)
STORY_PARAGRAPH_WORDS = 30


@dataclass(frozen=True)
class Access:
    status: str  # full | paywall | challenge | consent | soft_404 | truncated
    evidence: str | None = None


def blocked_access(
    tree: HtmlElement, url: str, http_status: int, article: dict[str, Any] | None
) -> Access | None:
    """A challenge, a consent wall or a soft 404 instead of the article; None for a page worth extracting."""
    title = prune.normalise_space(tree.findtext(".//title") or "")
    return (
        _consent_redirect(url)
        or _missing(tree, title, http_status, article)
        or _wall(tree, title, http_status, article)
    )


def _consent_redirect(url: str) -> Access | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = {s.lower() for s in parts.path.split("/") if s}
    if host.startswith(("consent.", "guce.")) or segments & CONSENT_PATH_SEGMENTS:
        return Access("consent", f"consent redirect ({host}{parts.path})")
    return None


def _missing(
    tree: HtmlElement, title: str, http_status: int, article: dict[str, Any] | None
) -> Access | None:
    if http_status in (404, 410):
        return Access("soft_404", f"HTTP {http_status}")
    body = tree.find(".//body")
    if body is not None and "error404" in body.get("class", "").split():
        return Access("soft_404", "body class error404")
    if article:
        return None
    found = _not_found_heading(tree, title)
    if found:
        return Access("soft_404", found)
    if not _has_story_paragraph(tree):
        sentence = NOT_FOUND_SENTENCE.search(_visible_text(tree)[:3000])
        if sentence:
            return Access("soft_404", f"text says not found: {sentence.group(0)!r}")
    return None


def _wall(tree: HtmlElement, title: str, http_status: int, article: dict[str, Any] | None) -> Access | None:
    # A refusal status (403, 429, 503) is what challenges usually come with; a page can be long then.
    refused = http_status in REFUSAL_STATUSES
    if not refused and not _thin(tree):
        return None
    status = f", HTTP {http_status}" if refused else ""
    signals = _markup_signals(tree)
    challenge = next((label for marker, label in CHALLENGE_MARKERS if marker in signals), None)
    if challenge:
        return Access("challenge", challenge + status)
    if CONSENT_TITLES.match(title):
        return Access("consent", f"consent page title {title!r}")
    if article or _has_story_paragraph(tree):
        return None
    sensor = next((label for marker, label in SENSOR_MARKERS if marker in signals), None)
    if sensor or CHALLENGE_TITLES.match(title):
        return Access("challenge", (sensor or f"challenge page title {title!r}") + status)
    cmp = next((label for marker, label in CMP_MARKERS if marker in signals), None)
    if cmp and CONSENT_WORDS.search(_visible_text(tree)):
        return Access("consent", f"thin page with {cmp}")
    return None


def _markup_signals(tree: HtmlElement) -> str:
    """Lower-cased script sources, inline script starts, iframe/form targets, ids and classes, and the
    visible text: where challenge and CMP markup says who it is."""
    parts: list[str] = []
    for element in tree.iter("script", "iframe", "form", "div", "body", "noscript"):
        parts.extend(element.get(name, "") for name in ("src", "action", "id", "class"))
        if element.tag == "script" and element.text:
            parts.append(element.text[:2000])
    parts.append(prune.normalise_space(tree.findtext(".//title") or ""))
    parts.append(_visible_text(tree))  # thin pages only: a sentence or two ("Incapsula incident ID")
    return " ".join(parts).lower()


def _has_story_paragraph(tree: HtmlElement) -> bool:
    return any(len((p.text_content() or "").split()) >= STORY_PARAGRAPH_WORDS for p in tree.iter("p"))


def _visible_text(tree: HtmlElement) -> str:
    return " ".join(str(t) for t in _VISIBLE_TEXT(tree))


def _thin(tree: HtmlElement) -> bool:
    """Under THIN_WORDS words of visible text; stops counting there, as story pages pass it early."""
    body = tree.find(".//body")
    words = 0
    for element in body.iter() if body is not None else ():
        if isinstance(element.tag, str) and element.tag not in _INVISIBLE and element.text:
            words += len(element.text.split())
        if element is not body and element.tail:
            words += len(element.tail.split())
        if words >= THIN_WORDS:
            return False
    return True


def _not_found_heading(tree: HtmlElement, title: str) -> str | None:
    h1 = tree.find(".//h1")
    heading = prune.normalise_space(h1.text_content() or "") if h1 is not None else ""
    for where, text in (("h1", heading), ("title", title)):
        if text and len(text.split()) <= 12 and NOT_FOUND.search(text):
            return f"{where} says not found: {text[:80]!r}"
    return None


REFUSAL_BODY_BYTES = 512 * 1024  # challenge and consent pages are a few KiB; anything larger is no wall


def wall_behind_refusal(body: bytes, url: str, http_status: int, content_type: str | None) -> Access | None:
    """The challenge or consent wall a refused request (401, 403, 429, 503) was answered with, or None.

    Most bot challenges come with such a status, which the crawl treats as a failed fetch; this tells
    the crawl that the outlet is walling it, not failing. Bounded: it parses at most
    REFUSAL_BODY_BYTES, and only markup that cannot take minutes (a tag under 64 KiB).
    """
    if http_status not in REFUSAL_STATUSES or not body or len(body) > REFUSAL_BODY_BYTES:
        return None
    try:
        check_markup(body)
        tree = parse_body(body, content_type, REFUSAL_BODY_BYTES)
    except (UnparseableMarkup, ExtractionDrop):
        return None
    wall = blocked_access(tree, url, http_status, None)
    return wall if wall is not None and wall.status in ("challenge", "consent") else None

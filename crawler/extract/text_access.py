"""Page status of a page that is the article (`access`): the whole text, a paywalled teaser or a
truncated text, decided after extraction from the JSON-LD paywall declaration, how the text ends and
the declared length. `access.py` decides, before extraction, whether the page is the article at all.
"""

from __future__ import annotations

from typing import Any

from lxml.html import HtmlElement

from crawler.extract.access import Access
from crawler.extract.access_signals import PAYWALL_PROMPT, TRUNCATION
from crawler.extract.options import compile_selector

TEASER_WORDS = 250  # the WSJ-style teaser runs 60-120 words; metered outlets serve the whole story
TRUNCATED_RATIO = 0.5  # the text has under half the words the page declares (JSON-LD wordCount)
FULL = Access("full")


def declared_paywall(tree: HtmlElement, article: dict[str, Any] | None) -> str | None:
    """Evidence when the JSON-LD declares the article not free and its locked parts were not served to us."""
    locked = _declared_locked_parts(article or {})
    if locked is None or any(_words_under(tree, selector) >= 50 for selector in locked):
        return None
    where = f" (hasPart {', '.join(locked)})" if locked else ""
    return f"JSON-LD isAccessibleForFree=false{where}"


def text_access(
    article: dict[str, Any] | None,
    paragraphs: list[str],
    word_count: int,
    declared: str | None = None,
    raw_lines: list[str] | None = None,
) -> Access:
    """Paywall, truncated or full, from the declared paywall, how the text ends and the declared length.

    Metered outlets declare every article not free and still serve the whole text: a declared paywall
    makes a paywall only of a teaser-length text."""
    article = article or {}
    if declared:
        if word_count < TEASER_WORDS:
            return Access("paywall", f"{declared}; {word_count} words served")
        return Access("full", f"{declared}, but {word_count} words served")
    # The prompt is read before cleanup, which takes sign-up boxes out of the text.
    tail = " ".join([line for line in (raw_lines or paragraphs) if line.strip()][-4:])[-600:]
    prompt = PAYWALL_PROMPT.search(tail)
    if prompt and word_count < TEASER_WORDS:
        return Access("paywall", f"paywall prompt at the end of the text: {prompt.group(0)!r}")
    words = _declared_words(article.get("wordCount"))
    if words and word_count < words * TRUNCATED_RATIO:
        return Access("truncated", f"JSON-LD wordCount {words}, text has {word_count} words")
    if paragraphs and TRUNCATION.search(paragraphs[-1].strip()):
        return Access("truncated", f"text ends with {paragraphs[-1].strip()[-40:]!r}")
    return FULL


def _declared_words(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _declared_locked_parts(article: dict[str, Any]) -> list[str] | None:
    """None when the page declares no paywall; else the CSS selectors of its locked parts (maybe none)."""
    declared_free = _free(article.get("isAccessibleForFree"))
    parts = article.get("hasPart")
    parts = parts if isinstance(parts, list) else [parts] if isinstance(parts, dict) else []
    locked = [
        p["cssSelector"]
        for p in parts
        if isinstance(p, dict)
        and _free(p.get("isAccessibleForFree")) is False
        and isinstance(p.get("cssSelector"), str)
    ]
    if declared_free is False or locked:
        return locked
    return None


def _free(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _words_under(tree: HtmlElement, css: str) -> int:
    try:
        elements = compile_selector(css)(tree)
    except ValueError:
        return 0
    return sum(len((e.text_content() or "").split()) for e in elements if isinstance(e, HtmlElement))

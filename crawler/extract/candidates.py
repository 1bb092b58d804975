"""Which body text to keep when trafilatura's main pass and its readability/jusText comparison differ.

The rules were measured on the AEB and trafilatura's own evaluation set (docs/extraction.md); each one
raised F1 on both. The comparison costs a second extraction, so it runs only where a rule may use it.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
# Below this many words the main pass has likely missed the article (a short teaser, a form page):
# the comparison's longer candidate is right more often than not.
SHORT_TEXT_WORDS = 100
# A text whose words sit mostly in lines of under five words is a menu or link list the main pass
# took for the body; a shorter candidate from the comparison is then the article.
MENU_WORD_SHARE = 0.3
_MENU_LINE_WORDS = 5


def wants_comparison(text: str) -> bool:
    """Whether the main pass's text is suspect enough to pay for the comparison."""
    return _words(text) < SHORT_TEXT_WORDS or _menu_share(text) > MENU_WORD_SHARE


def choose(main: str, compared: str) -> str:
    """The main pass's text, or the comparison's where a measured rule prefers it."""
    if _words(main) < SHORT_TEXT_WORDS:
        return compared
    if _menu_share(main) > MENU_WORD_SHARE and _words(compared) < _words(main):
        return compared
    return main


def with_declared_body(text: str, article_body: str | None) -> str:
    """The JSON-LD `articleBody` where the extractors found less than a short article and it says more;
    elsewhere it is often a teaser or the text without its paragraphs, and lost to them on both sets."""
    if article_body and _words(text) < SHORT_TEXT_WORDS and _words(article_body) > _words(text):
        return article_body
    return text


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _menu_share(text: str) -> float:
    """Share of the text's words that stand in lines of under five words."""
    counts = [_words(line) for line in text.splitlines()]
    total = sum(counts)
    return sum(c for c in counts if c < _MENU_LINE_WORDS) / total if total else 0.0

"""Related-story links that end the text: lines that are (or start with) the text of a link in the page.

Templates close a story with a list of other stories' headlines ("More from …", "- Headline Teaser"),
which trafilatura keeps when they share the body's container. A story's own closing list (steps,
specifications, sources) is rarely made of links to other pages, so a run of lines that each start
with a link's whole text is the template's.
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

# Fewer linked lines than this at the end are a story's own "Read the report" or "Sources" links.
RELATED_RUN = 3
# A link text this short ("Home", "Next") matches the start of too many sentences.
_LINK_WORDS = 3
# A short heading over the run ("Most read in world news", "More from WIRED") goes with it.
_HEADING_WORDS = 6
_LINK_TEXTS = XPath("//body//a[@href]")
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^[-–•·]\s*")


def drop_related_links(paragraphs: list[str], tree: HtmlElement) -> list[str]:
    """`paragraphs` without a closing run of `RELATED_RUN`+ lines that start with a link's whole text
    (and the short heading over it)."""
    if len(paragraphs) <= RELATED_RUN:
        return paragraphs
    links = _link_keys(tree)
    # One closing line may follow the list ("Originally published on …", the author's note): it stays.
    for end in (len(paragraphs), len(paragraphs) - 1):
        start = end
        while start > 1 and _starts_with_link(paragraphs[start - 1], links):
            start -= 1
        # A roundup ("10 things in tech today") is made of linked headlines: its list is the story.
        if end - start >= RELATED_RUN and _words(paragraphs[start:end]) < _words(paragraphs[:start]):
            heading = paragraphs[start - 1]
            if len(heading.split()) <= _HEADING_WORDS and not heading.endswith((".", "!", "?", ":")):
                start -= 1
            return paragraphs[:start] + paragraphs[end:]
    return paragraphs


def _link_keys(tree: HtmlElement) -> dict[str, set[str]]:
    """The texts of the page's links of three or more words, by their first word."""
    keys: dict[str, set[str]] = {}
    for link in _LINK_TEXTS(tree):
        key = _key(link.text_content() or "")
        if len(key.split()) >= _LINK_WORDS:
            keys.setdefault(key.split(" ", 1)[0], set()).add(key)
    return keys


def _starts_with_link(line: str, links: dict[str, set[str]]) -> bool:
    key = _key(_BULLET.sub("", line))
    first = key.split(" ", 1)[0] if key else ""
    return any(key == link or key.startswith(link + " ") for link in links.get(first, ()))


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))

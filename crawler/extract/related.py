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
_LINKS_STARTING = XPath("//body//a[@href][starts-with(normalize-space(.), $prefix)]")
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^[-–•·]\s*")


def drop_related_links(paragraphs: list[str], tree: HtmlElement) -> list[str]:
    """`paragraphs` without a closing run of `RELATED_RUN`+ lines that start with a link's whole text
    (and the short heading over it)."""
    if len(paragraphs) <= RELATED_RUN:
        return paragraphs
    linked = _LinkedLines(tree)
    # One closing line may follow the list ("Originally published on …", the author's note): it stays.
    for end in (len(paragraphs), len(paragraphs) - 1):
        start = end
        while start > 1 and linked.starts_with_link(paragraphs[start - 1]):
            start -= 1
        # A roundup ("10 things in tech today") is made of linked headlines: its list is the story.
        if end - start >= RELATED_RUN and _words(paragraphs[start:end]) < _words(paragraphs[:start]):
            heading = paragraphs[start - 1]
            if len(heading.split()) <= _HEADING_WORDS and not heading.endswith((".", "!", "?", ":")):
                start -= 1
            return paragraphs[:start] + paragraphs[end:]
    return paragraphs


class _LinkedLines:
    """Which lines start with the whole text of one of the page's links. Only the links whose text
    starts like the line are read (in lxml's C code): reading every link's text cost a millisecond a
    page, 5% of the extraction."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._answers: dict[str, bool] = {}

    def starts_with_link(self, line: str) -> bool:
        stripped = _BULLET.sub("", line).strip()
        if stripped not in self._answers:
            self._answers[stripped] = self._search(stripped)
        return self._answers[stripped]

    def _search(self, line: str) -> bool:
        words = line.split()
        if len(words) < _LINK_WORDS:
            return False
        key = _key(line)
        for link in _LINKS_STARTING(self._tree, prefix=" ".join(words[:2])):
            text = _key(link.text_content() or "")
            if len(text.split()) >= _LINK_WORDS and (key == text or key.startswith(text + " ")):
                return True
        return False


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))

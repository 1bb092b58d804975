"""Links to other stories in the text: a closing list of them, and headlines set between the paragraphs.

Templates close a story with a list of other stories' headlines ("More from …", "- Headline Teaser")
and set linked headlines between its paragraphs; trafilatura keeps them when they share the body's
container. A story's own lines are rarely the whole text of a link to another page.
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

# Fewer linked lines than this at the end are a story's own "Read the report" or "Sources" links.
RELATED_RUN = 3
# A link text this short ("Home", "Next") matches the start of too many sentences.
_LINK_WORDS = 3
# A line this short that is a link's text is a label ("Read more"), left to the cleanup's rules.
_LINE_LINK_WORDS = 4
# No link text is this long: a story's paragraphs are not looked up.
_LINK_LINE_MAX_WORDS = 60
# A short heading over the run ("Most read in world news", "More from WIRED") goes with it.
_HEADING_WORDS = 6
# A table of contents links to the page's own headings ("#section"): those lines are the story's.
_LINKS = XPath("//a[@href][not(starts-with(@href, '#'))][string-length(normalize-space(.)) > 12]")
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^[-–•·]\s*")


class PageLinks:
    """The texts of the page's links of three or more words, read once per page (about 0.7 ms)."""

    def __init__(self, tree: HtmlElement) -> None:
        self.texts: set[str] = set()
        # The word counts of the link texts by their first word: a line starts with a link when its
        # first so many words are one, a set lookup per count instead of a comparison per link (a page
        # of 20,000 related links starting alike made that quadratic: minutes).
        self._lengths_by_first_word: dict[str, set[int]] = {}
        for link in _LINKS(tree):
            key = _key(link.text_content() or "")
            words = key.split(" ")
            if len(words) >= _LINK_WORDS and key not in self.texts:
                self.texts.add(key)
                self._lengths_by_first_word.setdefault(words[0], set()).add(len(words))

    def is_link(self, line: str) -> bool:
        line = _BULLET.sub("", line)
        if _first_word(line) not in self._lengths_by_first_word or len(line.split()) > _LINK_LINE_MAX_WORDS:
            return False
        return _key(line) in self.texts

    def starts_with_link(self, line: str) -> bool:
        """Whether the line's words start with a link's whole text (its words then end or go on)."""
        line = _BULLET.sub("", line)
        first = _first_word(line)
        lengths = self._lengths_by_first_word.get(first)
        if not lengths:
            return False
        key = _key(line)
        if not key.startswith(first + " ") and key != first:
            return False  # its first word is longer than the 60 characters `first` reads
        ends = [match.end() for match in re.finditer(r"\S+", key)]  # where each word of `key` ends
        return any(length <= len(ends) and key[: ends[length - 1]] in self.texts for length in lengths)


def _first_word(text: str) -> str:
    word = _WORD.search(text[:60].casefold())
    return word.group() if word else ""


def drop_related_links(paragraphs: list[str], links: PageLinks) -> list[str]:
    """`paragraphs` without a closing run of `RELATED_RUN`+ lines that start with a link's whole text
    (and the short heading over it)."""
    if len(paragraphs) <= RELATED_RUN:
        return paragraphs
    # One closing line may follow the list ("Originally published on …", the author's note): it stays.
    for end in (len(paragraphs), len(paragraphs) - 1):
        start = end
        while start > 1 and links.starts_with_link(paragraphs[start - 1]):
            start -= 1
        # A roundup ("10 things in tech today") is made of linked headlines: its list is the story.
        if end - start >= RELATED_RUN and _words(paragraphs[start:end]) < _words(paragraphs[:start]):
            heading = paragraphs[start - 1]
            if len(heading.split()) <= _HEADING_WORDS and not heading.endswith((".", "!", "?", ":")):
                start -= 1
            return paragraphs[:start] + paragraphs[end:]
    return paragraphs


def drop_link_lines(paragraphs: list[str], links: PageLinks) -> list[str]:
    """Lines that are the whole text of a link to another page: "related story" headlines set between
    the paragraphs. A text made mostly of such lines (a link list the story is) keeps them."""
    kept = [p for p in paragraphs if len(p.split()) < _LINE_LINK_WORDS or not links.is_link(p)]
    return kept if _words(kept) * 2 > _words(paragraphs) else paragraphs


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))

"""The story's lead (standfirst) where the page prints it apart from the body and the main text lost it.

News templates print the lead in its own box above the body (`div.article-intro`, `p.lead`,
`header .excerpt`); trafilatura keeps the body's container and drops that box. The page declares the
same lead as its description, so a printed block whose text is the description is the lead.
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

# A description this short is a tagline or a label, not a lead: it would match menus and headings.
LEAD_MIN_WORDS = 12
# Words of the description that find its printed copy, and that say the text already holds it.
_PROBE_WORDS = 8
# The printed block may add a label or a date to the description, not a whole body.
_BLOCK_SLACK = 1.3
_BLOCKS = frozenset({"p", "div", "section", "header", "h2", "h3", "strong", "span", "em", "b"})
_VISIBLE_TEXT_WITH = XPath(
    "//body/descendant::text()[contains(., $probe)]"  # not //body//text(): see access.py's
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::a or ancestor::template)]"
)
_WORD = re.compile(r"\w+")


def printed_lead(tree: HtmlElement, description: str | None, lines: list[str]) -> str | None:
    """The page's printed block whose text is its declared description, or None; not looked for where
    the main text's `lines` already start the description (the search reads every text of the page)."""
    if not description:
        return None
    words = description.split()
    if len(words) < LEAD_MIN_WORDS or _holds(lines, description):
        return None
    probe = " ".join(words[:4])
    declared = _key(description.rstrip(".… "))
    for node in _VISIBLE_TEXT_WITH(tree, probe=probe)[:5]:
        block = node.getparent()
        while block is not None and block.tag not in _BLOCKS:
            block = block.getparent()
        if block is None:
            continue
        text = " ".join((block.text_content() or "").split())
        key = _key(text)
        # The meta description may be cut short ("…"); the printed lead is then the longer one.
        whole = key.startswith(declared) or (declared.startswith(key) and len(key) * 2 > len(declared))
        if whole and len(key) <= _BLOCK_SLACK * len(declared) + 20:
            return text
    return None


def with_lead(paragraphs: list[str], lead: str | None, lines: list[str], titles: list[str]) -> list[str]:
    """`paragraphs` with the lead first, unless the main text's `lines` (before cleanup moved a dateline
    or a credit out of them) or the title already hold it."""
    if not lead or not paragraphs:
        return paragraphs
    if _holds(lines, lead) or any(_key(t) == _key(lead) for t in titles):
        return paragraphs
    return [lead, *paragraphs]


def _holds(lines: list[str], lead: str) -> bool:
    probe = " ".join(_key(lead).split()[:_PROBE_WORDS])
    return any(probe in _key(line) for line in lines)


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))

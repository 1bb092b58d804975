"""A story body printed in several containers of one class, with ad rows between them: the chunks the
main text left out are put back in page order.

trafilatura keeps the one container that scores best; a body cut into chunks by mid-content ad slots
(`<div class="article__body">` three times under one parent) then loses all but its first chunk.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Lines of this many words identify the paragraphs of the main text in the page; shorter lines
# ("Advertisement", a date) repeat too often to say which container the text came from.
STORY_LINE_WORDS = 8
# A chunk of the story has paragraphs; one or two lines in a same-class box after the story are a
# donation appeal, a disclaimer, a boilerplate "About us" or a comment form, and a box of mostly
# short lines is a list of headlines or a comment thread.
CHUNK_STORY_LINES = 3
# How far up from a chunk its sibling chunks may hang: a chunk's parent is a grid row beside an ad
# row. Farther up, same-class containers are other stories (a feed's next article, teasers).
_SHARED_ANCESTOR_LEVELS = 2
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote")
_WORD = re.compile(r"\w+")


def rejoin_chunks(tree: HtmlElement, lines: list[str]) -> list[str]:
    """`lines` with the story chunks it misses inserted where they stand in the page; unchanged when
    the main text is not mostly from one container or that container has no sibling of its class."""
    story = {_key(line): i for i, line in enumerate(lines) if len(line.split()) >= STORY_LINE_WORDS}
    found = _containers(tree, story)
    if not found:
        return lines
    main = max(found, key=lambda container: len(found[container]))
    if 2 * len(found[main]) < len(story):
        return lines  # the main text is not mostly from one container
    chunks = _sibling_chunks(main)
    if len(chunks) < 2:
        return lines
    inserts: list[tuple[int, list[str]]] = []
    position = min(found[main])  # chunks before the first one that was kept go before its text
    for chunk in chunks:
        if chunk in found:
            position = max(found[chunk]) + 1
            continue
        missing = [line for line in _chunk_lines(chunk) if _key(line) not in story]
        if _story_chunk(missing):
            inserts.append((position, missing))
    result = list(lines)
    for position, missing in reversed(inserts):
        result[position:position] = missing
    return result


def _story_chunk(lines: list[str]) -> bool:
    """Paragraphs, mostly: a list of headlines or a comment thread under the same class is not."""
    story = sum(len(line.split()) >= STORY_LINE_WORDS for line in lines)
    return story >= CHUNK_STORY_LINES and 2 * story >= len(lines)


def _containers(tree: HtmlElement, story: dict[str, int]) -> dict[HtmlElement, list[int]]:
    """The classed containers of the page's paragraphs that are story lines, each with their line
    numbers. A paragraph is read whole only when its first word starts a story line: pages have
    hundreds of paragraphs, and reading each one's text cost more than the rest of this module."""
    found: dict[HtmlElement, list[int]] = {}
    first_words = {key.split(" ", 1)[0] for key in story}
    for paragraph in tree.iter("p"):
        head = paragraph.text if paragraph.text and paragraph.text.strip() else None
        if head is None and len(paragraph):
            head = paragraph[0].text
        first = _WORD.search(head[:40].casefold()) if head else None
        if first is None or first.group() not in first_words:
            continue
        index = story.get(_key(paragraph.text_content() or ""))
        container = paragraph.getparent()
        if index is None or container is None:
            continue
        if not container.get("class") and container.getparent() is not None:
            container = container.getparent()
        if container.get("class"):
            found.setdefault(container, []).append(index)
    return found


def _sibling_chunks(main: HtmlElement) -> list[HtmlElement]:
    """`main` and the containers of the same tag and class around it, in page order, none inside another."""
    ancestor = main
    for _ in range(_SHARED_ANCESTOR_LEVELS):
        parent = ancestor.getparent()
        if parent is None:
            break
        ancestor = parent
    same = [e for e in ancestor.iter(main.tag) if e.get("class") == main.get("class")]
    members = set(same)
    return [e for e in same if not any(a in members for a in _ancestors_below(e, ancestor))]


def _ancestors_below(element: HtmlElement, top: HtmlElement) -> list[HtmlElement]:
    found = []
    for ancestor in element.iterancestors():
        if ancestor is top:
            break
        found.append(ancestor)
    return found


def _chunk_lines(chunk: HtmlElement) -> list[str]:
    """The text of a chunk's innermost blocks, one line each."""
    lines = []
    for block in chunk.iter(*_BLOCKS):
        if next(block.iterdescendants(*_BLOCKS), None) is None:
            text = " ".join((block.text_content() or "").split())
            if text:
                lines.append(text)
    return lines


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))

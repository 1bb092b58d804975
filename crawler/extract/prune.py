"""Tree surgery before trafilatura: news boilerplate blocks, per-source drop selectors, captions."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.etree import XPath
from lxml.html import HtmlElement

# Class/id tokens of share, follow, subscribe and related-stories widgets across common CMSs.
_BOILERPLATE = re.compile(
    r"(?:^|[-_])(?:share|shares|sharing|sharebar|social|sharedaddy|addtoany|a2a_kit|follow-us|followus|"
    r"subscribe|subscription|newsletter|related|relatedposts|yarpp|readmore|read-more|also-read|alsoread|"
    r"recommended|outbrain|taboola|more-stories|jp-relatedposts)(?:$|[-_])",
    re.IGNORECASE,
)
# WordPress puts category-*/tag-* classes on the article itself; those name topics, not widgets.
_TOPIC_TOKEN = re.compile(r"^(?:category|tag|postid|post|format|type|status|has|entry-category)-", re.I)
_CONTENT_TOKEN = re.compile(r"(?:^|[-_])(?:content|body|article|story|text|main|post)(?:$|[-_])", re.I)
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})
_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
_QUICK = re.compile(
    r"share|social|follow|subscri|newsletter|related|yarpp|read-?more|also-?read|recommended|outbrain|"
    r"taboola|more-stories|addtoany|a2a_kit",
    re.IGNORECASE,
)
# Scanning attribute strings and visiting only matching elements is ~10x cheaper than walking elements.
_CLASS_AND_ID_VALUES = XPath("//@class | //@id")


def drop_boilerplate(tree: HtmlElement) -> None:
    """Remove share/follow/related widgets by class or id; never a node that holds story paragraphs."""
    doomed: list[HtmlElement] = []
    for value in _CLASS_AND_ID_VALUES(tree):
        if not _QUICK.search(value):
            continue
        element = value.getparent()
        if element is None or not isinstance(element.tag, str) or element.tag in _KEEP_TAGS:
            continue
        tokens = (element.get("class") or "").split() + (element.get("id") or "").split()
        if any(_CONTENT_TOKEN.search(t) for t in tokens):
            continue  # "entry-content-read-more" is the story container, whatever else it says
        if any(_BOILERPLATE.search(t) for t in tokens if not _TOPIC_TOKEN.match(t)):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None and not _holds_story(element):
            _remove(element)


def _holds_story(element: HtmlElement) -> bool:
    """Two long paragraphs inside a 'widget' mean a mislabelled container, not a share bar."""
    long_paragraphs = 0
    for paragraph in element.iter("p"):
        if len(paragraph.text_content() or "") >= 150:
            long_paragraphs += 1
            if long_paragraphs >= 2:
                return True
    return False


def drop_selected(tree: HtmlElement, selectors: tuple[XPath, ...]) -> None:
    for selector in selectors:
        for element in selector(tree):
            if isinstance(element, HtmlElement) and element.getparent() is not None:
                _remove(element)


def select_body(tree: HtmlElement, selector: XPath) -> list[HtmlElement]:
    return [e for e in selector(tree) if isinstance(e, HtmlElement)]


def captions(tree: HtmlElement) -> list[str]:
    """Caption texts (figcaption, *caption* classes) in page order, whitespace-normalised."""
    found: list[str] = []
    for element in tree.iter("figcaption", "p", "div", "span", "dd"):
        if element.tag != "figcaption" and not _CAPTION_CLASS.search(element.get("class") or ""):
            continue
        text = normalise_space(element.text_content() or "")
        if 10 <= len(text) <= 500 and text not in found:
            found.append(text)
    return found


def first_figure_image(tree: HtmlElement, url: str) -> str | None:
    for img in tree.iterfind(".//figure//img"):
        src = img.get("src") or img.get("data-src")
        if src and not src.startswith("data:"):
            try:
                return urljoin(url, src.strip())
            except ValueError:
                return None
    return None


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _remove(element: HtmlElement) -> None:
    # drop_tree keeps the tail text, which belongs to the surrounding paragraph.
    element.drop_tree()

"""byline.py gives trafilatura's byline search's answer (`extract_author`) on every page it answers."""

from __future__ import annotations

import random
from pathlib import Path

import lxml.html
import pytest
from trafilatura import metadata as trafilatura_metadata

from crawler.extract import trafilatura_api
from crawler.extract.trafilatura_api import byline
from tests.extract.pages import random_markup

GOLDEN = Path(__file__).parent / "golden"
TAGS = [
    "a",
    "div",
    "span",
    "p",
    "section",
    "h3",
    "address",
    "strong",
    "link",
    "time",
    "figure",
    "author",
    "li",
]
ATTRIBUTES = ["class", "id", "rel", "itemprop", "data-testid", "data-component", "href"]
VALUES = ["author", "Author", "author-name", "authorName", "byline", "Byline", "byl", "BBL", "username",
          "writer", "screenname", "channel-name", "posted-by", "xiaobian", "AuthorURL", "author name",
          "comments", "comment-list", "Comments-box", "sidebar", "is-hidden", "quote", "print", "category",
          "meta-date", "date", "title", "article-share", "SmallFigure", "ProductReviews", "main", "x"]  # fmt: skip
# Texts with and without spaces at their ends: trafilatura's pruning glues a pruned element's tail to
# the text before it, which a copy-free search must reproduce.
TEXTS = ["By", "By ", " Ana Ruiz", "Ana", "Ruiz ", "", "ab", "Li Wei", "3 May", "and", " ", "word " * 30]


def _markup(rng: random.Random) -> str:
    return random_markup(rng, (TAGS, ATTRIBUTES, VALUES, TEXTS), max_depth=4, nesting=0.7)


def _answers(page: str) -> tuple[str | None, str | None]:
    tree = lxml.html.fromstring(page)
    return byline.byline(tree), trafilatura_metadata.extract_author(tree)


def test_the_transcription_is_of_this_trafilatura() -> None:
    # An upgrade that changes trafilatura's byline XPaths or helpers fails here: transcribe them again
    # (and the digest), or the adapter falls back to trafilatura's own, slower search.
    assert byline.MATCHES_TRAFILATURA


def test_the_transcribed_byline_search_answers_as_trafilaturas() -> None:
    rng = random.Random(20261208)
    pages = [f"<html><body><main>{_markup(rng)}</main></body></html>" for _ in range(1500)]
    pages += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(GOLDEN.glob("*.html"))]
    found = 0
    for page in pages:
        ours, theirs = _answers(page)
        assert ours == theirs, page[:400]
        found += theirs is not None
    assert found > 300  # the generator reaches bylines, pruned parts inside them included


@pytest.mark.parametrize(
    "markup",
    [
        '<span class="byline">By<time>3 May</time>Ana Ruiz</span>',  # the tail is glued to "By"
        '<p class="author">Ana<figure>Photo</figure> Ruiz<span class="date">today</span>, Li Wei</p>',
        '<div class="comments"><span class="author">A commenter</span></div><p class="byl">By Li Wei</p>',
        '<div class="author-box">' + "Long biography. " * 500 + '</div><a rel="author">Ana Ruiz</a>',
        '<time class="author">Ana Ruiz</time><span itemprop="author">Li Wei</span>',
    ],
)
def test_pruned_parts_and_long_boxes_answer_as_trafilatura(markup: str) -> None:
    ours, theirs = _answers(f"<html><body>{markup}</body></html>")
    assert ours == theirs
    assert theirs is not None


def test_a_rel_element_is_left_to_trafilaturas_own_search() -> None:
    # AUTHOR_XPATHS compare a <rel> child's text with 'me'; pruning can change that text.
    page = '<html><body><span class="x"><rel>m<time>1</time>e</rel>Ana Ruiz</span></body></html>'
    tree = lxml.html.fromstring(page)
    with pytest.raises(byline.Unanswered):
        byline.byline(tree)
    expected = trafilatura_metadata.extract_author(lxml.html.fromstring(page))
    assert trafilatura_api.byline_authors(tree, "https://example.com/a") == expected


def test_the_search_leaves_the_tree_as_it_was() -> None:
    page = '<html><body><p class="author">By<time>3 May</time> Ana Ruiz</p></body></html>'
    tree = lxml.html.fromstring(page)
    assert byline.byline(tree) == "Ana Ruiz"
    assert lxml.html.tostring(tree, encoding="unicode") == page

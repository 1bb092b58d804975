"""The byline fallback answers exactly as trafilatura's own author search, which prunes a copy of the page."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import lxml.html
import pytest
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import extract_metainfo
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from crawler.demo.network import load_network
from crawler.demo.templates import render_article
from crawler.extract import byline
from crawler.extract.byline import find_byline

GOLDEN = Path(__file__).parent / "golden"
TAGS = ["a", "address", "div", "p", "span", "strong", "h3", "h4", "section", "li", "author", "rel", "time",
        "figure", "link", "article"]  # fmt: skip
ATTRIBUTES = ["class", "id", "rel", "itemprop", "data-testid", "data-component"]
# Every token a rule or a discard condition tests for, in several cases, with some noise around.
VALUES = ["author", "Author", "AUTHOR", "post-author", "author-name", "AuthorName", "authorName", "author name",
          "byline", "Byline", "BYLINE", "byl", "BBL", "username", "writer", "screenname", "channel-name",
          "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by", "journalist-name", "AuthorCard",
          "AuthorURL", "me", "comments", "comments-box", "Comments", "commentlist", "comment-list", "sidebar",
          "date", "title", "print", "category", "meta-date", "is-hidden", "quote", "article-share", "Figure",
          "ProductReviews", "main", "x"]  # fmt: skip
TEXTS = ["By Ana Ruiz", "me", "", "ab", "Li Wei", "3 May 2024", "Reuters", "word " * 30, "  "]


def trafilaturas_answer(tree: lxml.html.HtmlElement) -> str | None:
    pruned = prune_unwanted_nodes(copy.deepcopy(tree), AUTHOR_DISCARD_XPATHS)
    return extract_metainfo(pruned, AUTHOR_XPATHS, len_limit=120)


def random_markup(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4 if depth < 3 else 1)):
        tag = rng.choice(TAGS)
        attributes = "".join(
            f' {name}="{rng.choice(VALUES)}{rng.choice(["", "", " " + rng.choice(VALUES)])}"'
            for name in rng.sample(ATTRIBUTES, rng.randint(0, 2))
        )
        inner = random_markup(rng, depth + 1) if depth < 3 and rng.random() < 0.6 else ""
        parts.append(f"<{tag}{attributes}>{rng.choice(TEXTS)}{inner}</{tag}>{rng.choice(TEXTS)}")
    return "".join(parts)


def page(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><body><main>{markup}</main></body></html>")


def test_the_rules_are_transcribed_from_the_installed_trafilaturas_expressions() -> None:
    assert byline.xpaths_digest(AUTHOR_XPATHS) == byline.TRANSCRIBED_XPATHS_SHA256, (
        "trafilatura's AUTHOR_XPATHS changed: bring the rules in crawler/extract/byline.py up to date with "
        "them, then update TRANSCRIBED_XPATHS_SHA256 (until then find_byline evaluates the XPaths, slowly)"
    )


def test_generated_pages_get_trafilaturas_answer() -> None:
    rng = random.Random(20261206)
    markups = [random_markup(rng) for _ in range(3000)]
    found = 0
    for markup in markups:
        tree = page(markup)
        expected = trafilaturas_answer(tree)
        assert find_byline(tree) == expected, markup
        found += expected is not None
    assert found > 500  # the generator does reach the interesting cases


def test_golden_and_demo_pages_get_trafilaturas_answer() -> None:
    network = load_network()
    outlets = {outlet.id: outlet for outlet in network.outlets}
    pages = [path.read_bytes() for path in sorted(GOLDEN.rglob("*.html"))]
    pages += [
        render_article(outlets[article.outlet], article, "https://demo.example" + article.path, []).encode()
        for article in network.articles
    ]
    for body in pages:
        tree = lxml.html.fromstring(body)
        assert find_byline(tree) == trafilaturas_answer(tree)


def test_without_a_current_transcription_trafilaturas_expressions_are_evaluated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(byline, "_TRANSCRIPTION_CURRENT", False)
    monkeypatch.setattr(byline, "_RULES", ())  # would answer None for every page if still used
    tree = page('<p class="byline">By Ana Ruiz</p>')
    assert find_byline(tree) == "By Ana Ruiz"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # a date or share widget inside the byline is pruned from its text, as trafilatura prunes it
        ('<p class="byline">By Ana Ruiz <time>3 May 2024</time></p>', "By Ana Ruiz"),
        # (trafilatura moves the text after a pruned first child out of the parent: so does this)
        ('<div class="author">Li Wei <span class="meta-date">today</span>, Beijing</div>', "Li Wei"),
        # a byline that is nothing but discarded markup is no byline: the search goes on
        ('<span class="author"><time>3 May 2024</time></span><div class="byline">Kim Park</div>', "Kim Park"),
        # inside discarded markup: not a byline at all
        (
            '<div id="comments"><span class="author">Commenter Carl</span></div><p class="byline">By Ana Ruiz</p>',
            "By Ana Ruiz",
        ),
        (
            '<figure><span class="author">Photo: Jo Lens</span></figure><span class="author-name">Li Wei</span>',
            "Li Wei",
        ),
        (
            '<div class="sidebar"><a rel="author">Sidebar Sam</a></div><time><span class="author">x y</span></time>',
            None,
        ),
        (
            '<div class="comments-list"><div class="author">A B</div></div><div class="post-author">Kim Park</div>',
            "Kim Park",
        ),
    ],
)
def test_byline_examples(markup: str, expected: str | None) -> None:
    tree = page(markup)
    assert find_byline(tree) == expected == trafilaturas_answer(tree)

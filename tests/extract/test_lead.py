"""The lead the page prints apart from the body comes back at the head of the text, once."""

from __future__ import annotations

import pytest

from crawler.extract import ExtractOptions, extract_article
from tests.extract.pages import PARAGRAPHS

URL = "https://news.example.com/2020/02/04/budget-approved"
LEAD = "Three weeks of talks ended with a budget that spends more on schools and hospitals and still cuts the deficit."


def page(description: str, printed: str, body: list[str] = PARAGRAPHS) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Budget approved</title>'
        '<meta property="og:type" content="article">'
        f'<meta property="og:description" content="{description}"></head><body>'
        f'<header class="article-header"><h1>Parliament approves budget</h1>{printed}</header>'
        f'<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>'
        f"<article><div class='article-body'>{paragraphs}</div></article>"
        "<footer><p>Copyright Example News</p></footer></body></html>"
    ).encode()


def paragraphs_of(body: bytes) -> list[str]:
    return extract_article(body, URL, options=ExtractOptions())["text"].split("\n\n")


@pytest.mark.parametrize(
    "printed",
    [f'<div class="article-intro">{LEAD}</div>', f'<p class="lead"><strong>{LEAD}</strong></p>'],
    ids=["intro-box", "bold-lead"],
)
def test_a_lead_printed_above_the_body_heads_the_text(printed: str) -> None:
    assert paragraphs_of(page(LEAD, printed)) == [LEAD, *PARAGRAPHS]


def test_a_declared_description_cut_short_finds_the_whole_printed_lead() -> None:
    cut = " ".join(LEAD.split()[:14]) + " …"
    assert paragraphs_of(page(cut, f'<div class="teaser-text">{LEAD}</div>'))[0] == LEAD


def test_a_lead_the_body_already_starts_with_is_not_repeated() -> None:
    body = [f"WASHINGTON (AP) — {LEAD}", *PARAGRAPHS]
    text = "\n\n".join(paragraphs_of(page(f"WASHINGTON (AP) — {LEAD}", "", body)))
    assert text.count("Three weeks of talks") == 1


@pytest.mark.parametrize(
    ("description", "printed"),
    [
        ("News from the region, every day.", '<div class="tagline">News from the region, every day.</div>'),
        (LEAD, ""),  # declared but not printed: a summary written for search engines
        (LEAD, f'<div class="teaser"><a href="/2020/02/03/talks">{LEAD}</a></div>'),  # a link to a story
    ],
    ids=["tagline", "not-printed", "linked"],
)
def test_descriptions_that_are_no_printed_lead_stay_out(description: str, printed: str) -> None:
    assert paragraphs_of(page(description, printed)) == PARAGRAPHS

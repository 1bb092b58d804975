"""Links to other stories that close the text leave it; a story's own closing lines stay."""

from __future__ import annotations

from crawler.extract import ExtractOptions, extract_article
from tests.extract.pages import PARAGRAPHS

URL = "https://news.example.com/2020/02/04/budget-approved"
RELATED = [
    ("Schools get new money", "The first grants are paid out in March."),
    ("Hospitals plan to hire nurses", "Two hundred posts are to be filled this year."),
    ("Deficit falls for the third year", "The finance ministry published the figures on Monday."),
]


def page(closing: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Budget approved</title>'
        '<meta property="og:type" content="article"></head><body><article><h1>Parliament approves budget</h1>'
        f"<div class='article-body'>{paragraphs}{closing}</div></article></body></html>"
    ).encode()


def text_of(closing: str) -> str:
    return extract_article(page(closing), URL, options=ExtractOptions())["text"]


def test_a_closing_list_of_linked_headlines_leaves_the_text() -> None:
    text = text_of(f"<h3>More from Politics</h3><ul>{linked_items()}</ul>")
    assert text.split("\n\n") == PARAGRAPHS


def test_a_story_s_own_closing_list_without_links_stays() -> None:
    items = "".join(f"<li>{headline}: {teaser}</li>" for headline, teaser in RELATED)
    text = text_of(f"<ul>{items}</ul>")
    assert all(headline in text for headline, _ in RELATED)


def test_two_closing_links_are_the_story_s_own_and_stay() -> None:
    items = "".join(
        f'<p><a href="/report-{n}">{headline}</a> {teaser}</p>'
        for n, (headline, teaser) in enumerate(RELATED[:2])
    )
    text = text_of(items)
    assert all(headline in text for headline, _ in RELATED[:2])


def linked_items() -> str:
    return "".join(
        f'<li><a href="/2020/02/0{n}/story">{headline}</a> {teaser}</li>'
        for n, (headline, teaser) in enumerate(RELATED)
    )


def test_a_closing_note_after_the_linked_list_stays_and_the_list_goes() -> None:
    text = text_of(f"<ul>{linked_items()}</ul><p>Originally published on Example Science.</p>")
    assert text.split("\n\n") == [*PARAGRAPHS, "Originally published on Example Science."]


def test_a_roundup_made_of_linked_headlines_keeps_them() -> None:
    roundup = [
        f'<p><a href="/2020/02/0{n}/story">{headline}</a> {teaser} {teaser} {teaser}</p>'
        for n, (headline, teaser) in enumerate(RELATED * 2)
    ]
    body = f"<p>{PARAGRAPHS[0]}</p>" + "".join(roundup)
    page_bytes = page("").replace(b"".join(f"<p>{p}</p>".encode() for p in PARAGRAPHS), body.encode())
    text = extract_article(page_bytes, URL, options=ExtractOptions())["text"]
    assert all(headline in text for headline, _ in RELATED)


def middle_page(between: str) -> bytes:
    paragraphs = [f"<p>{p}</p>" for p in PARAGRAPHS]
    return page("").replace(
        "".join(paragraphs).encode(), "".join([*paragraphs[:2], between, *paragraphs[2:]]).encode()
    )


def test_a_linked_headline_between_the_paragraphs_leaves_the_text() -> None:
    between = '<p><strong><a href="/2020/02/01/hospitals">HOSPITALS PLAN TO HIRE TWO HUNDRED NURSES</a></strong></p>'
    text = extract_article(middle_page(between), URL, options=ExtractOptions())["text"]
    assert text.split("\n\n") == PARAGRAPHS


def test_a_heading_linked_from_the_table_of_contents_stays() -> None:
    between = '<h2 id="plan">What the plan pays for</h2><p><a href="#plan">What the plan pays for</a></p>'
    text = extract_article(middle_page(between), URL, options=ExtractOptions())["text"]
    assert "What the plan pays for" in text

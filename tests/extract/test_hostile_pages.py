"""Hostile and odd pages extract to a sane record or a typed drop: no crash, no runaway loop.

Sizes are those of the pages that once took minutes (20,000 linked lines: the related-link rule compared
every line with every link of its first word; 40,000 text nodes: libxml2's `//body//text()[...]`).
"""

from __future__ import annotations

import pytest

from crawler.extract import ExtractionDrop, ExtractOptions, extract_article
from crawler.extract.decode import parse_body
from crawler.extract.related import PageLinks, drop_related_links
from tests.extract.pages import PARAGRAPHS, article_page

URL = "https://example.com/news/budget-approved-today"
OPTIONS = ExtractOptions(drop_non_articles=False)
STORY = PARAGRAPHS * 3


def _extract(page: str) -> dict[str, object]:
    return extract_article(page.encode(), URL, options=OPTIONS)


def _text(page: str) -> str:
    text = _extract(page)["text"]
    assert isinstance(text, str)
    return text


def test_twenty_thousand_closing_related_links_leave_the_text() -> None:
    links = "".join(
        f'<li><a href="/s/{i}">Headline number {i} about the talks</a></li>' for i in range(20_000)
    )
    text = _text(article_page(STORY, extra_body=f"<ul>{links}</ul>"))
    assert "Headline number" not in text
    assert text.startswith(PARAGRAPHS[0])


def test_twenty_thousand_lines_starting_with_links_alike() -> None:
    lines = "".join(
        f'<p><a href="/s/{i}">Headline number {i} of the talks</a> and more</p>' for i in range(20_000)
    )
    text = _text(article_page(STORY, extra_body=lines))
    assert PARAGRAPHS[0] in text
    assert text.count("Headline number") == 20_000  # the linked lines are most of the text: it keeps them


def test_the_related_run_is_found_among_links_that_all_start_alike() -> None:
    links = "".join(f'<a href="/s/{i}">Headline number {i} of the talks</a>' for i in range(5_000))
    page_links = PageLinks(parse_body(f"<html><body>{links}</body></html>".encode(), None, 10**8))
    closing = [f"Headline number {i} of the talks" for i in range(5_000)]
    assert drop_related_links([*STORY, *closing[:4]], page_links) == STORY
    assert page_links.starts_with_link("Headline number 7 of the talks, and a comment")
    assert not page_links.starts_with_link("Headline number 7 of the")


def test_fifty_thousand_tiny_paragraphs() -> None:
    text = _text(article_page([*STORY, *(f"w{i}" for i in range(50_000))]))
    assert text.startswith(PARAGRAPHS[0])
    assert "w49999" in text


def test_a_lead_of_a_megabyte_heads_the_text_once() -> None:
    lead = " ".join(["The lead of the story goes on."] * 33_000)  # about 1 MB
    page = article_page(STORY, extra_head=f'<meta name="description" content="{lead}">')
    text = _text(page.replace("<body>", f'<body><div class="article-intro">{lead}</div>'))
    assert text.count("The lead of the story goes on.") == 33_000
    assert PARAGRAPHS[0] in text


def test_five_thousand_nested_divs() -> None:
    nested = "<div>" * 5_000 + "A line deep down in the page." + "</div>" * 5_000
    assert PARAGRAPHS[0] in _text(article_page(STORY, extra_body=nested))


def test_a_page_of_only_links_is_extracted_or_dropped_without_error() -> None:
    links = "".join(f'<a href="/s/{i}">Link text number {i} of the site</a><br>' for i in range(20_000))
    try:
        record = _extract(f"<html><body>{links}</body></html>")
    except ExtractionDrop:
        return
    assert isinstance(record["text"], str)


@pytest.mark.parametrize("body", ["", "   \n\t  ", "\x00\x00", "<p> </p><div>\u200b</div>"])
def test_an_empty_or_blank_body_is_a_typed_drop(body: str) -> None:
    with pytest.raises(ExtractionDrop):
        _extract(f"<html><head><title>x</title></head><body>{body}</body></html>")


def test_nul_bytes_in_the_text() -> None:
    text = _text(article_page([p.replace("budget", "bud\x00get") for p in STORY]))
    assert "\x00" not in text
    assert "regional parliament" in text


def test_mixed_scripts_and_right_to_left_text_keep_their_words() -> None:
    mixed = [f"{p} مرحبا بالعالم שלום עולם 你好世界 \u202eeveresed\u202c" for p in STORY]
    text = _text(article_page(mixed))
    assert "مرحبا بالعالم" in text and "שלום עולם" in text and "你好世界" in text


def test_a_description_declared_a_thousand_times() -> None:
    description = "The regional parliament approved a new budget on Tuesday after three weeks of long talks."
    record = _extract(
        article_page(STORY, extra_head=f'<meta name="description" content="{description}">' * 1_000)
    )
    assert record["description"] == description
    assert isinstance(record["text"], str) and record["text"].count(description) <= 1


def test_many_chunks_of_one_class_come_back_in_order() -> None:
    rows = "".join(
        "<div class='row'><div class='article__body'>"
        + "".join(f"<p>{p} Part {i}.</p>" for p in PARAGRAPHS)
        + "</div><div class='ad'>Advertisement</div></div>"
        for i in range(500)
    )
    text = _text(f"<html><body><div class='main'>{rows}</div></body></html>")
    assert text.index("Part 1.") < text.index("Part 499.")

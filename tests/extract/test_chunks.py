"""A story body cut into same-class chunks by ad rows comes out whole, and nothing else joins it."""

from __future__ import annotations

from lxml.html import document_fromstring

from crawler.extract import ExtractOptions, extract_article
from crawler.extract.chunks import rejoin_chunks

URL = "https://news.example.com/2024/05/02/council-passes-city-budget"
AD_ROW = '<div class="row ad"><span class="ad-label">Advertisement</span><div class="ad__slot"></div></div>'


def _sentence(chunk: int, n: int) -> str:
    return (
        f"Chunk {chunk} paragraph {n}: the council member explained at length why the new budget "
        "would change how the city pays for its schools, roads and parks over the next decade."
    )


def _page(chunks: int = 3, after: str = "") -> str:
    rows = []
    for chunk in range(chunks):
        paragraphs = "".join(f"<p>{_sentence(chunk, n)}</p>" for n in range(4))
        rows.append(f'<div class="grid"><div class="body article__body">{paragraphs}</div></div>')
    return (
        "<html><head><title>Budget</title></head><body><header><a href='/'>Home</a></header>"
        f"<main><h1>Budget</h1><div class='article__chunks'>{AD_ROW.join(rows)}{after}</div></main>"
        "<footer>Contact</footer></body></html>"
    )


def test_every_chunk_of_a_body_split_by_ad_rows_is_in_the_text_in_page_order() -> None:
    record = extract_article(_page().encode(), URL, options=ExtractOptions())
    expected = [_sentence(chunk, n) for chunk in range(3) for n in range(4)]
    assert record["text"].split("\n\n") == expected


def test_a_chunk_before_the_kept_one_goes_before_its_text() -> None:
    tree = document_fromstring(_page())
    kept = [_sentence(1, n) for n in range(4)]
    lines = rejoin_chunks(tree, ["Budget", *kept])
    assert lines == ["Budget", *[_sentence(c, n) for c in range(3) for n in range(4)]]


def test_a_short_box_or_a_headline_list_of_the_same_class_stays_out() -> None:
    donation = '<div class="body article__body"><p>Every gift, however small, keeps this newsroom independent.</p></div>'
    headlines = "".join(f"<p>Other story {n}</p>" for n in range(6)) + f"<p>{_sentence(9, 0)}</p>" * 3
    listing = f'<div class="body article__body">{headlines}</div>'
    tree = document_fromstring(_page(chunks=1, after=AD_ROW + donation + AD_ROW + listing))
    kept = [_sentence(0, n) for n in range(4)]
    assert rejoin_chunks(tree, kept) == kept


def test_same_class_containers_far_from_the_story_are_other_stories() -> None:
    other = "".join(f"<p>{_sentence(7, n)}</p>" for n in range(4))
    page = _page(chunks=1).replace(
        "<footer>",
        f'<section><div><div><div class="body article__body">{other}</div></div></div></section><footer>',
    )
    kept = [_sentence(0, n) for n in range(4)]
    assert rejoin_chunks(document_fromstring(page), kept) == kept

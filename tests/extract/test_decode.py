"""Broken input never crashes extraction: it gives a typed drop or a best-effort record."""

from __future__ import annotations

import contextlib
import random

import pytest

from crawler.extract import (
    BadInput,
    EmptyText,
    ExtractionDrop,
    ExtractOptions,
    NotHtml,
    TooLarge,
    extract_article,
)
from crawler.extract.article import FAST_MODE_ELEMENTS
from tests.extract.pages import PARAGRAPHS, article_page

URL = "https://news.example.com/2020/02/04/budget-approved"
OPTIONS = ExtractOptions()


def extract(body: bytes, content_type: str | None = None, options: ExtractOptions = OPTIONS) -> dict:
    return extract_article(body, URL, content_type=content_type, options=options)


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-16", "utf-32", "utf-16-le"], ids=["bom8", "bom16", "bom32", "utf16-no-bom"]
)
def test_unicode_encodings_with_and_without_bom_decode_to_the_same_text(encoding: str) -> None:
    reference = extract(article_page().encode("utf-8"))
    record = extract(article_page().encode(encoding))
    assert record["text"] == reference["text"]


def test_bytes_that_are_not_utf8_fall_back_to_the_declared_charset() -> None:
    page = article_page(
        ["Grüße aus Köln: der Haushalt für das nächste Jahr ist beschlossen worden, sagte er."] * 3
    )
    body = page.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("iso-8859-1")
    assert "Grüße aus Köln" in extract(body)["text"]


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [("iso-8859-1", "cp1252"), ("us-ascii", "cp1252"), ("iso-8859-9", "cp1254"), ("gb2312", "gb18030")],
)
def test_a_declared_charset_is_read_as_browsers_read_it(declared: str, encoding: str) -> None:
    # Pages labelled iso-8859-1 (or ascii) routinely carry cp1252's curly quotes, dashes and euro sign;
    # browsers decode those labels as windows-1252, and so on for the other WHATWG supersets.
    sentence = {
        "cp1252": "\u201cThe budget\u201d \u2014 \u20ac5bn for caf\u00e9s and schools, the minister said.",
        "cp1254": "\u201cB\u00fct\u00e7e\u201d \u2014 \u20ac5 milyar, dedi bakan \u015fimdi.",
        "gb18030": "\u9999\u6e2f\u7279\u533a\u653f\u5e9c\u4eca\u5929\u516c\u5e03\u4e86\u65b0\u7684\u9884\u7b97\u6848\u3002\u9555",
    }[encoding]
    page = article_page([sentence] * 3).replace('charset="utf-8"', f'charset="{declared}"')
    record = extract(page.encode(encoding))
    assert record["text"].split("\n\n")[0] == sentence


NON_TEXT_CODECS = ["zlib", "base64", "rot13", "uu", "punycode", "idna", "undefined", "hex", "bz2", "quopri"]


@pytest.mark.parametrize("label", [*NON_TEXT_CODECS, "utf-7", "unicode_escape", "x-no-such"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_charset_label_that_names_no_text_encoding_is_ignored_as_browsers_do(
    label: str, where: str
) -> None:
    sentence = "\u201cThe budget\u201d \u2014 \u20ac5bn for caf\u00e9s and schools, the minister said."
    page = article_page([sentence] * 3)
    if where == "meta":
        page = page.replace('charset="utf-8"', f'charset="{label}"')
    content_type = f"text/html; charset={label}" if where == "header" else None
    record = extract(page.encode("cp1252"), content_type=content_type)
    assert record["text"].split("\n\n")[0] == sentence  # windows-1252, the browsers' fallback


def test_invalid_bytes_in_utf8_page_give_a_best_effort_record() -> None:
    body = article_page().encode("utf-8").replace(b"regional parliament", b"regional \xff\xfe parliament")
    assert "budget" in extract(body)["text"]


def test_a_utf8_page_with_one_character_cut_in_two_stays_utf8() -> None:
    """A teaser cut inside a character leaves one broken sequence; the rest of the page is still UTF-8
    (read as cp1252 it would turn every "ü" into "Ã¼")."""
    sentence = "Grüße aus Köln: der Haushalt für das nächste Jahr ist beschlossen worden, sagte er."
    body = article_page([sentence] * 6, extra_body="<p>Papierosów</p>").encode("utf-8")
    body = body.replace("Papierosów".encode(), b"Papieros" + "ó".encode()[:1])
    assert extract(body)["text"].split("\n\n")[0] == sentence


def test_nul_and_control_bytes_are_removed_before_parsing() -> None:
    body = article_page().encode("utf-8").replace(b"<article>", b"<article>\x00\x01\x0b\x0c\x1b")
    record = extract(body)
    assert record["text"].startswith(PARAGRAPHS[0])
    assert "\x00" not in record["text"]


def test_xml_declaration_before_html_is_accepted() -> None:
    body = b'<?xml version="1.0" encoding="utf-8"?>' + article_page().encode("utf-8")
    assert extract(body)["text"].startswith(PARAGRAPHS[0])


@pytest.mark.parametrize("body", [b"", b"   \r\n\t "], ids=["empty", "whitespace"])
def test_empty_body_is_bad_input(body: bytes) -> None:
    with pytest.raises(BadInput, match="empty body"):
        extract(body)


@pytest.mark.parametrize(
    "body",
    [
        b"%PDF-1.7\n%\xe2\xe3",
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        b"\x1f\x8b\x08\x00" + bytes(64),
        b"\x00" * 500,
    ],
    ids=["pdf", "png", "gzip", "nuls"],
)
def test_binary_served_as_html_is_not_html(body: bytes) -> None:
    with pytest.raises(NotHtml):
        extract(body, content_type="text/html")


def test_non_html_content_type_is_not_html(page: bytes) -> None:
    with pytest.raises(NotHtml, match="application/pdf"):
        extract(page, content_type="application/pdf")


def test_plain_text_without_markup_is_not_html() -> None:
    with pytest.raises(NotHtml, match="no markup"):
        extract(b"just words " * 200, content_type="text/plain")


def test_size_cap_is_checked_before_parsing() -> None:
    options = ExtractOptions(max_bytes=1000)
    with pytest.raises(TooLarge, match="over the 1000-byte cap") as caught:
        extract(b"<html>" + b"x" * 2000, options=options)
    assert caught.value.reason == "too_large"
    assert isinstance(caught.value, BadInput)


def test_body_must_be_bytes() -> None:
    with pytest.raises(BadInput, match="must be bytes"):
        extract_article("<html></html>", URL, options=OPTIONS)  # type: ignore[arg-type]


def test_ten_thousand_deep_nesting_gives_a_drop_not_a_crash() -> None:
    body = b"<html><body>" + b"<div><span>" * 10_000 + b"deep text " * 50 + b"</span></div>" * 10_000
    with pytest.raises(ExtractionDrop):
        extract(body + b"</body></html>")


def test_deep_nesting_after_the_story_keeps_the_story() -> None:
    extra = "<div>" * 10_000 + "</div>" * 10_000
    assert extract(article_page(extra_body=extra).encode())["text"].startswith(PARAGRAPHS[0])


def test_multi_megabyte_markup_is_extracted() -> None:
    # Megabytes of inline state, as single-page apps ship it, around a normal story.
    blob = '<script type="application/json">' + '{"k": "' + "v" * 3_000_000 + '"}</script>'
    record = extract(article_page(extra_head=blob).encode())
    assert record["text"].startswith(PARAGRAPHS[0])


def test_page_without_text_is_empty_text() -> None:
    with pytest.raises(EmptyText) as caught:
        extract(article_page(paragraphs=[]).replace("<h1>Parliament approves budget</h1>", "").encode())
    assert caught.value.reason == "empty_text"


def test_broken_and_odd_json_ld_is_ignored_or_used_safely(page: bytes) -> None:
    scripts = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<script type="application/ld+json">' + "[" * 3000 + "]" * 3000 + "</script>"
        '<script type="application/ld+json">{"@type": ["NewsArticle"], "headline": 5,'
        ' "author": [[{"name": null}], 3], "datePublished": {"x": 1}, "image": [[]],'
        ' "keywords": 7, "@graph": "x"}</script>'
    )
    record = extract(article_page(extra_head=scripts).encode())
    assert record["title"] == "Parliament approves budget"
    assert record["published_at"] == "2020-02-04T09:00:00+00:00"


def test_random_garbage_never_raises_anything_but_a_drop() -> None:
    generator = random.Random(20260101)
    page = article_page().encode()
    for _ in range(60):
        size = generator.choice([1, 10, 300, 5000])
        noise = bytes(generator.randrange(256) for _ in range(size))
        cut = generator.randrange(len(page))
        for body in (noise, page[:cut] + noise + page[cut:], page[:cut]):
            with contextlib.suppress(ExtractionDrop):
                extract(body, content_type=generator.choice([None, "text/html; charset=bogus", "text/html"]))


def test_giant_trees_still_give_the_story() -> None:
    # Past FAST_MODE_ELEMENTS trafilatura runs without its fallback comparison; the story must survive.
    footer = "<footer>" + "<span>x</span>" * (FAST_MODE_ELEMENTS + 1000) + "</footer>"
    record = extract(article_page(extra_body=footer).encode())
    assert record["text"].startswith(PARAGRAPHS[0])

"""Fuzzing charset handling: whatever label a header or <meta> names, only a WHATWG text encoding is
ever decoded with, and the response that leaves the sanity middleware has a `.text` that never raises.
Bounded (`max_examples`) so it runs in CI in seconds; seeded with labels hostile servers send."""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.security.charsets import BY_LABEL, meta_codec, text_codec
from crawler.security.content import choose_encoding
from crawler.security.sanity import BinaryBody, ResponseSanityMiddleware

FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
NON_TEXT = [
    "zlib",
    "base64",
    "rot13",
    "rot_13",
    "uu",
    "punycode",
    "idna",
    "undefined",
    "hex",
    "bz2",
    "quopri",
]
NASTY = [
    *NON_TEXT,
    "utf-7",
    "unicode_escape",
    "raw_unicode_escape",
    "mbcs",
    "palmos",
    "x-no-such",
    "UTF-8",
    " utf8 ",
]
LABELS = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(sorted(BY_LABEL)),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
)
TEXT_CODECS = set(BY_LABEL.values()) | {"utf-8"}
BOM_CODECS = {"utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"}


def test_every_codec_the_table_names_is_a_python_text_codec() -> None:
    for codec in TEXT_CODECS:
        assert codecs.lookup(codec)._is_text_encoding  # type: ignore[attr-defined]


@FUZZ
@given(label=LABELS)
def test_a_label_maps_to_a_text_codec_or_none(label: str) -> None:
    for codec in (text_codec(label), meta_codec(label)):
        assert codec is None or codec in TEXT_CODECS
    if label.strip().lower().replace("_", "-") in [*NON_TEXT, "rot-13", "utf-7"]:
        assert text_codec(label) is None


@FUZZ
@given(body=st.binary(max_size=400), header=st.one_of(st.none(), LABELS), meta=st.one_of(st.none(), LABELS))
def test_the_chosen_encoding_is_a_text_codec_that_decodes_the_body(
    body: bytes, header: str | None, meta: str | None
) -> None:
    codec, _ = choose_encoding(body, header, meta)
    assert codec in TEXT_CODECS | BOM_CODECS
    body.decode(codec, errors="replace")


@FUZZ
@given(body=st.binary(max_size=400), header=LABELS, meta=LABELS)
def test_after_the_sanity_middleware_response_text_never_raises(body: bytes, header: str, meta: str) -> None:
    middleware = ResponseSanityMiddleware(get_crawler())
    page = f"<html><head><meta charset='{meta}'></head><body>".encode() + body
    response = HtmlResponse(
        "https://news.example/a", body=page, headers={"Content-Type": f"text/html; charset={header}"}
    )
    try:
        checked = middleware.process_response(Request(response.url), response)
    except BinaryBody:
        return
    assert isinstance(checked.text, str)

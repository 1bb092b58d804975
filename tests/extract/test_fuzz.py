"""Fuzzing the extraction parsers: page dates, body decoding and JSON-LD give a value, None or a typed
drop, never an exception; bounded (`max_examples`) so it runs in CI in seconds, seeded with issue 18's
cases."""

from __future__ import annotations

import contextlib
import json
import re
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from crawler.extract import ExtractionDrop, ExtractOptions, extract_article
from crawler.extract.dates import is_date_line, normalise_date
from crawler.extract.decode import decode
from crawler.extract.errors import NotHtml
from crawler.extract.jsonld import find_article, jsonld_objects, names_of, resolve, strings_of, text_of
from tests.extract.pages import article_page

FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")
ZONES = st.sampled_from([ZoneInfo("UTC"), ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")])
NASTY_DATES = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01",
    "9999-12-31",
    "Dec 31 9999 23:59 EST",
    "1 Jan 1 00:00 AEDT",
    "99999999999999",
    "10000000000000000000000",
    "1472275500",
    "1e308",
    "-1",
    "2016-08-27T05:25:00+99:00",
    "2016-08-27 05:25 +2500",
    "0001-01-01 00:00 GMT+14",
    "Thu Jan 01 1970 00:00:00 GMT+0530 (India Standard Time)",
]
CHARSETS = ["zlib", "base64", "rot13", "uu", "punycode", "idna", "undefined", "hex", "bz2", "quopri", "utf-7"]
LABELS = st.one_of(
    st.sampled_from([*CHARSETS, "utf-8", "iso-8859-1", "x-user-defined"]), st.text(max_size=20)
)


@FUZZ
@given(
    value=st.one_of(st.sampled_from(NASTY_DATES), st.text(max_size=70), st.integers(), st.none()), zone=ZONES
)
def test_page_dates_are_utc_in_range_or_none(value: object, zone: ZoneInfo) -> None:
    result = normalise_date(value, zone)
    assert result is None or (ISO_UTC.match(result) and 1989 <= int(result[:4]) <= 2101), result
    if isinstance(value, str):
        is_date_line(value)


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=600), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
    ),
    header=LABELS,
    meta=LABELS,
)
def test_any_body_and_charset_decode_to_text_or_not_html(body: bytes, header: str, meta: str) -> None:
    page = f'<meta charset="{meta}">'.encode("utf-8", "surrogatepass") + body
    for content_type in (f"text/html; charset={header}", None):
        with contextlib.suppress(NotHtml):
            assert isinstance(decode(page, content_type), str)


@FUZZ
@given(label=LABELS, where=st.sampled_from(["header", "meta"]))
def test_a_page_under_any_charset_label_is_a_record_or_a_typed_drop(label: str, where: str) -> None:
    page = article_page()
    content_type = f"text/html; charset={label}" if where == "header" else "text/html"
    if where == "meta":
        page = page.replace('charset="utf-8"', f'charset="{label}"')
    try:
        record = extract_article(
            page.encode("utf-8", "surrogatepass"),
            "https://news.example/a",
            content_type=content_type,
            options=ExtractOptions(),
        )
    except ExtractionDrop:
        return
    assert record["title"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "@id",
                    "@graph",
                    "name",
                    "author",
                    "mainEntity",
                    "headline",
                    "keywords",
                    "datePublished",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=30,
)


@FUZZ
# Hypothesis runs tests with a recursion limit of 2048, so the depths reach past that too.
@given(data=JSON, depth=st.sampled_from([0, 1, 40, 600, 900, 1500, 1900, 5000]))
def test_any_json_ld_is_read_or_skipped_never_raised(data: object, depth: int) -> None:
    deep = "[" * depth + json.dumps(data) + "]" * depth
    script = (
        f'[{{"@type": "NewsArticle", "author": {deep}, "keywords": {deep}, "about": {json.dumps(data)}}}]'
    )

    tree = lxml_html.fromstring(
        f'<html><head><script type="application/ld+json">{script}</script></head></html>'
    )
    objects = jsonld_objects(tree)
    find_article(objects)
    for obj in objects:
        for value in obj.values():
            text_of(value)
            names_of(value)
            strings_of(value)
            resolve(value, objects)

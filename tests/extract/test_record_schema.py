"""The record's JSON Schema is versioned, and jsonschema reports each violation at its path."""

from __future__ import annotations

import copy
import hashlib

import pytest

from crawler.extract import SCHEMA_VERSION, ExtractOptions, extract_article
from tests.support.schema import load_schema, validate

URL = "https://news.example.com/2020/02/04/budget-approved"


@pytest.fixture
def stored(page: bytes) -> dict:
    record = extract_article(page, URL, options=ExtractOptions())
    return dict(
        record,
        id=hashlib.sha256(record["canonical_url"].encode()).hexdigest()[:32],
        source="example-news",
        fetched_at="2020-02-04T10:05:00+00:00",
    )


def test_schema_version_matches_the_records() -> None:
    schema = load_schema()
    assert schema["version"] == SCHEMA_VERSION
    # minor versions only add optional fields, so records of earlier minor versions stay valid
    assert schema["properties"]["schema_version"]["enum"][-1] == SCHEMA_VERSION
    assert "1.0" in schema["properties"]["schema_version"]["enum"]
    assert schema["$id"].endswith(f"/{SCHEMA_VERSION}")


def test_a_stored_record_is_valid(stored: dict) -> None:
    assert validate(stored) == []


def test_downstream_fields_are_allowed(stored: dict) -> None:
    stored.update(
        minhash={"tag": "mh128-w5-v1", "byteorder": "little", "hashvalues": "AAAA"},
        cluster_id="c1",
        duplicate_of=None,
        similarity=0.8,
        match="lsh",
        discovered_via="feed",
        announced={"title": "Budget", "published_at": None},
        warc={"file": "a.warc.gz", "offset": 0, "length": 10},
    )
    assert validate(stored) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("text"), "$: 'text' is a required property"),
        (
            lambda r: r.update(published_at="2020-02-04 10:00"),
            "$.published_at: '2020-02-04 10:00' does not match",
        ),
        (lambda r: r.update(word_count="12"), "$.word_count: '12' is not of type 'integer'"),
        (lambda r: r.update(word_count=True), "$.word_count: True is not of type 'integer'"),
        (lambda r: r.update(authors=["ok", 3]), "$.authors[1]: 3 is not of type 'string'"),
        (lambda r: r.update(image={"url": "x", "caption": None, "credit": None}), "$.image.url"),
        (
            lambda r: r.update(schema_version="0.9"),
            "$.schema_version: '0.9' is not one of ['1.0', '1.1', '1.2']",
        ),
        (lambda r: r.update(page_type="blog"), "$.page_type: 'blog' is not one of"),
        (
            lambda r: r.update(surprise=1),
            "$: Additional properties are not allowed ('surprise' was unexpected)",
        ),
        (lambda r: r.update(fetched_at="yesterday"), "$.fetched_at: 'yesterday' does not match"),
        (lambda r: r.update(http_status=999), "$.http_status: 999 is greater than the maximum of 599"),
    ],
)
def test_validator_reports_each_violation(stored: dict, change, message: str) -> None:
    broken = copy.deepcopy(stored)
    change(broken)
    errors = validate(broken)
    assert any(message in error for error in errors), errors

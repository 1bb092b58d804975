"""Page status and date provenance are columns of their own in the Parquet copy, and the schema refuses
a status or a date source it does not know."""

from __future__ import annotations

import copy

from crawler.storage.parquet import decode_parquet, encode_parquet
from tests.support.schema import load_schema, validate

RECORD = {
    "id": "0" * 32,
    "url": "https://news.example.com/2023/03/14/story",
    "access": "paywall",
    "access_evidence": "JSON-LD isAccessibleForFree=false; 98 words served",
    "dates": {
        "published": {"source": "jsonld", "confidence": 0.7},
        "updated": None,
        "disagreements": [
            {"field": "published", "source": "url", "value": "2023-03-12T00:00:00+00:00", "days": 2}
        ],
        "refused": [
            {
                "field": "updated",
                "source": "meta",
                "value": "2099-01-01T00:00:00+00:00",
                "reason": "in the future",
            }
        ],
    },
}


def test_access_and_dates_round_trip_through_parquet_as_columns() -> None:
    [row] = decode_parquet(encode_parquet([RECORD]))
    assert row["access"] == "paywall" and row["access_evidence"] == RECORD["access_evidence"]
    assert row["dates"] == RECORD["dates"]
    assert row["extra"] is None


def _fields_schema() -> dict:
    """The record schema narrowed to the fields under test (a whole record needs the pipeline's fields)."""
    schema = load_schema()
    fields = {k: v for k, v in schema["properties"].items() if k in ("access", "access_evidence", "dates")}
    return {"type": "object", "properties": fields, "$defs": schema["$defs"]}


def test_the_schema_knows_the_statuses_and_the_date_sources() -> None:
    fields = {k: v for k, v in RECORD.items() if k not in ("id", "url")}
    assert validate(fields, _fields_schema()) == []
    bad = copy.deepcopy(fields)
    bad["access"], bad["dates"]["published"]["source"] = "blocked", "guess"
    assert len(validate(bad, _fields_schema())) == 2

"""Parquet times are timestamp[us, UTC] columns; parts written when they were strings still read
beside the typed ones (DuckDB's union_by_name, with a cast)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from crawler.storage.parquet import decode_parquet, encode_parquet
from tests.storage.factories import article

TIME = pa.timestamp("us", tz="UTC")


def test_times_are_utc_timestamp_columns(tmp_path):
    record = article(1)
    record["fetched_at"] = "2026-11-29T12:00:00+02:00"
    record["announced"] = {
        "title": "t",
        "published_at": "2016-08-27T09:00:00Z",
        "keywords": [],
        "language": "en",
    }
    path = tmp_path / "part.parquet"
    path.write_bytes(encode_parquet([record]))
    schema = pq.read_schema(path)
    assert [schema.field(name).type for name in ("published_at", "updated_at", "fetched_at")] == [TIME] * 3
    assert schema.field("announced").type.field("published_at").type == TIME
    (row,) = decode_parquet(path.read_bytes())
    assert row["fetched_at"] == datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    with duckdb.connect() as con:
        kinds = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE '{path}')").fetchall())
    assert kinds["published_at"] == kinds["fetched_at"] == "TIMESTAMP WITH TIME ZONE"


def test_a_time_that_does_not_parse_keeps_its_text_in_extra(tmp_path):
    record = article(2)
    record["updated_at"] = "sometime last week"
    (row,) = decode_parquet(encode_parquet([record]))
    assert row["updated_at"] is None
    assert json.loads(row["extra"])["updated_at"] == "sometime last week"


def test_string_typed_parts_from_before_read_beside_typed_ones(tmp_path):
    old = tmp_path / "old.parquet"
    pq.write_table(pa.table({"id": ["old"], "published_at": ["2016-08-26T09:00:00Z"]}), old)
    new = tmp_path / "new.parquet"
    new.write_bytes(encode_parquet([article(3)]))
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        rows = con.execute(
            "SELECT id, published_at::TIMESTAMPTZ AS filed FROM read_parquet(?, union_by_name = true) ORDER BY filed",
            [[str(new), str(old)]],
        ).fetchall()
    assert [(row[0], row[1].astimezone(UTC)) for row in rows] == [
        ("old", datetime(2016, 8, 26, 9, 0, tzinfo=UTC)),
        (article(3)["id"], datetime(2016, 8, 27, 10, 3, tzinfo=UTC)),
    ]

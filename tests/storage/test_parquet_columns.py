"""Every field of the record is a Parquet column of its own; parts written when `final_url`,
`revision` and `page_type` had no column (and sat in `extra`) read back into the columns."""

from __future__ import annotations

import io
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from crawler.storage.parquet import ARTICLE_SCHEMA, article_row, decode_parquet, encode_parquet
from tests.storage.factories import article

MOVED = ("final_url", "revision", "page_type")


def _pipeline_record() -> dict:
    record = article(1)
    record.update(final_url=record["url"] + "?amp", revision=2, page_type="article", access="full")
    return record


def test_final_url_revision_and_page_type_are_columns_and_extra_stays_empty() -> None:
    (row,) = decode_parquet(encode_parquet([_pipeline_record()]))
    assert (row["final_url"], row["revision"], row["page_type"]) == (
        _pipeline_record()["final_url"],
        2,
        "article",
    )
    assert row["extra"] is None
    assert str(ARTICLE_SCHEMA.field("revision").type) == "int64"


def _old_part(records: list[dict]) -> bytes:
    """A part as written before the three fields had columns: no such columns, the values in `extra`."""
    schema = pa.schema([field for field in ARTICLE_SCHEMA if field.name not in MOVED])
    rows = []
    for record in records:
        row = article_row({key: value for key, value in record.items() if key not in MOVED})
        extra = json.loads(row["extra"] or "{}") | {key: record[key] for key in MOVED if key in record}
        rows.append({name: row[name] for name in schema.names} | {"extra": json.dumps(extra, sort_keys=True)})
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink)
    return sink.getvalue()


def test_an_older_part_reads_its_fields_from_extra_into_their_columns() -> None:
    record = _pipeline_record() | {"surprise": "kept", "updated_at": "sometime last week"}
    (row,) = decode_parquet(_old_part([record]))
    assert (row["final_url"], row["revision"], row["page_type"]) == (record["final_url"], 2, "article")
    # What has no column, and a time that does not parse, stay in `extra` as the writer keeps them.
    assert json.loads(row["extra"]) == {"surprise": "kept", "updated_at": "sometime last week"}
    (new,) = decode_parquet(encode_parquet([record]))
    assert row == new


def test_an_older_part_without_the_fields_reads_them_as_null() -> None:
    (row,) = decode_parquet(_old_part([article(2)]))
    assert [row[name] for name in MOVED] == [None, None, None]
    assert row["extra"] is None


def test_duckdb_reads_older_and_newer_parts_together(tmp_path) -> None:
    (tmp_path / "old.parquet").write_bytes(_old_part([article(3)]))
    (tmp_path / "new.parquet").write_bytes(encode_parquet([_pipeline_record()]))
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT id, revision FROM read_parquet(?, union_by_name = true) ORDER BY id",
            [[str(tmp_path / "old.parquet"), str(tmp_path / "new.parquet")]],
        ).fetchall()
    assert sorted(rows) == sorted([(article(3)["id"], None), (article(1)["id"], 2)])

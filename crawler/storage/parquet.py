"""The Parquet copy of each article part: one fixed Arrow schema, so every part unions cleanly.

Fields the schema does not know travel as one JSON string column, `extra`; a value of the wrong
shape for its column is stored JSON-encoded rather than failing the run. Timestamps are
timestamp[us, UTC] columns (parts written before were strings: DuckDB's union_by_name reads both).
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

_STR = pa.string()
_STRS = pa.list_(pa.string())
_PROVENANCE = pa.struct([("source", _STR), ("confidence", pa.float64())])
_DATES = pa.struct(
    [
        ("published", _PROVENANCE),
        ("updated", _PROVENANCE),
        (
            "disagreements",
            pa.list_(pa.struct([("field", _STR), ("source", _STR), ("value", _STR), ("days", pa.int64())])),
        ),
        (
            "refused",
            pa.list_(pa.struct([("field", _STR), ("source", _STR), ("value", _STR), ("reason", _STR)])),
        ),
    ]
)
_TIME = pa.timestamp("us", tz="UTC")
ARTICLE_SCHEMA = pa.schema(
    [
        ("id", _STR),
        ("schema_version", _STR),  # "1.0", as article.schema.json has it
        ("url", _STR),
        ("canonical_url", _STR),
        ("source", _STR),
        ("title", _STR),
        ("description", _STR),
        ("authors", _STRS),
        ("published_at", _TIME),
        ("updated_at", _TIME),
        ("language", _STR),
        ("categories", _STRS),
        ("tags", _STRS),
        ("image", pa.struct([("url", _STR), ("caption", _STR), ("credit", _STR)])),
        ("text", _STR),
        ("word_count", pa.int64()),
        ("credit", _STR),
        ("agencies", _STRS),
        ("dateline", _STR),
        ("extractor", pa.struct([("name", _STR), ("version", _STR)])),
        ("fetched_at", _TIME),
        ("http_status", pa.int32()),
        ("content_sha256", _STR),
        ("minhash", pa.struct([("tag", _STR), ("byteorder", _STR), ("hashvalues", _STR)])),
        ("cluster_id", _STR),
        ("duplicate_of", _STR),
        ("similarity", pa.float64()),
        ("match", _STR),
        ("discovered_via", _STR),
        (
            "announced",
            pa.struct([("title", _STR), ("published_at", _TIME), ("keywords", _STRS), ("language", _STR)]),
        ),
        (
            "rights",
            pa.struct([("tdm_reserved", pa.bool_()), ("policy", _STR), ("signal", _STR), ("seen_at", _STR)]),
        ),
        ("warc", pa.struct([("file", _STR), ("offset", pa.int64()), ("length", pa.int64())])),
        ("access", _STR),
        ("access_evidence", _STR),
        ("dates", _DATES),
        ("extra", _STR),
    ]
)
_KNOWN = set(ARTICLE_SCHEMA.names) - {"extra"}
_TIME_COLUMNS = [field.name for field in ARTICLE_SCHEMA if field.type == _TIME]


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 string (or datetime) as an aware UTC datetime; a value without an offset is taken
    as UTC, as the pipeline writes every time in UTC. None when it is not a time at all."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _coerce(value: Any, kind: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_timestamp(kind):
        return parse_timestamp(value)
    if pa.types.is_string(kind):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    if pa.types.is_boolean(kind):
        return value if isinstance(value, bool) else None
    if pa.types.is_integer(kind):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if pa.types.is_floating(kind):
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    if pa.types.is_list(kind):
        items = value if isinstance(value, list) else [value]
        return [_coerce(item, kind.value_type) for item in items]
    if pa.types.is_struct(kind):
        if not isinstance(value, dict):
            return None
        return {field.name: _coerce(value.get(field.name), field.type) for field in kind}
    return value


def article_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {
        field.name: _coerce(record.get(field.name), field.type)
        for field in ARTICLE_SCHEMA
        if field.name != "extra"
    }
    extra = {key: value for key, value in record.items() if key not in _KNOWN}
    for name in _TIME_COLUMNS:  # a time that does not parse keeps its text in `extra`
        if record.get(name) is not None and row[name] is None:
            extra[name] = record[name]
    row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    return row


def encode_parquet(records: list[dict[str, Any]]) -> bytes:
    table = pa.Table.from_pylist([article_row(record) for record in records], schema=ARTICLE_SCHEMA)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def decode_parquet(data: bytes) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(pa.BufferReader(data)).to_pylist()
    return rows

"""The Parquet copy of each article part: a column per field of the record type (crawler/storage/columns.py,
generated from it), so every part unions cleanly.

Fields the record type does not know travel as one JSON string column, `extra`; a value of the wrong
shape for its column is stored JSON-encoded rather than failing the run. Timestamps are
timestamp[us, UTC] columns (parts written before were strings: DuckDB's union_by_name reads both).
Parts written before `final_url`, `revision` and `page_type` had columns kept them in `extra`; they
are read back into their columns.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.storage.columns import ARTICLE_COLUMNS

ARTICLE_SCHEMA = ARTICLE_COLUMNS.append(pa.field("extra", pa.string()))
_TIME = pa.timestamp("us", tz="UTC")
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


Convert = Callable[[Any], Any]


@cache
def _converter(kind: pa.DataType) -> Convert:
    """The function that fits a value to a column of type `kind`, built once per type: deciding the
    type's shape for every value was most of the cost of a row."""
    if pa.types.is_timestamp(kind):
        return parse_timestamp
    if pa.types.is_string(kind):
        return _text
    if pa.types.is_boolean(kind):
        return lambda value: value if isinstance(value, bool) else None
    if pa.types.is_integer(kind):
        return lambda value: value if isinstance(value, int) and not isinstance(value, bool) else None
    if pa.types.is_floating(kind):
        return lambda value: (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )
    if pa.types.is_list(kind):
        return partial(_items, _converter(kind.value_type))
    if pa.types.is_struct(kind):
        return partial(_struct, tuple((field.name, _converter(field.type)) for field in kind))
    return lambda value: value


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _items(item: Convert, value: Any) -> list[Any] | None:
    if value is None:
        return None
    return [None if one is None else item(one) for one in (value if isinstance(value, list) else [value])]


def _struct(fields: tuple[tuple[str, Convert], ...], value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    return {name: None if value.get(name) is None else convert(value.get(name)) for name, convert in fields}


def _coerce(value: Any, kind: pa.DataType) -> Any:
    return None if value is None else _converter(kind)(value)


def _coerce_with(convert: Convert, value: Any) -> Any:
    return None if value is None else convert(value)


_COLUMNS = tuple((field.name, _converter(field.type)) for field in ARTICLE_COLUMNS)


def article_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {name: _coerce_with(convert, record.get(name)) for name, convert in _COLUMNS}
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
    table = pq.read_table(pa.BufferReader(data))
    rows: list[dict[str, Any]] = table.to_pylist()
    if set(ARTICLE_SCHEMA.names) - set(table.column_names):
        # A part from before some fields had columns: they were kept in `extra`.
        rows = [_from_extra(row) for row in rows]
    return rows


def _from_extra(row: dict[str, Any]) -> dict[str, Any]:
    """Fields of an older part kept in `extra` moved to their columns, where their values fit them; a
    time that does not parse stays in `extra`, as the writer keeps it."""
    extra = json.loads(row["extra"]) if row.get("extra") else {}
    for field in ARTICLE_COLUMNS:
        value = _coerce(extra.get(field.name), field.type)
        row.setdefault(field.name, None)
        if row[field.name] is None and value is not None:
            row[field.name] = value
            del extra[field.name]
    row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    return row

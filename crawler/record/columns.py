"""The record's Parquet columns, generated from `ArticleRecord`: an Arrow schema, and the source of
crawler/storage/columns.py, which the storage code imports (it may not import the rest of `crawler`)."""

from __future__ import annotations

import re
import typing

import pyarrow as pa

from crawler.record import article
from crawler.record.walk import Kind, is_record, keys, kind_of, members

_TIME = pa.timestamp("us", tz="UTC")
_SCALARS = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
_OVERRIDES = {"string": pa.string(), "int32": pa.int32(), "timestamp": _TIME}
MODULE_DOC = (
    '"""The Parquet columns of an article part, one per field of the record type.\n\n'
    "Generated from crawler/record/article.py by `python -m crawler.record --write`; do not edit.\n"
    '"""\n'
)


def article_columns() -> pa.Schema:
    return pa.schema([(key.name, _arrow(key.kind)) for key in keys(article.ArticleRecord)])


def _arrow(kind: Kind) -> pa.DataType:
    if kind.field.parquet:
        return _OVERRIDES[kind.field.parquet]
    (bare,), _ = members(kind.base)
    if typing.get_origin(bare) is typing.Literal:
        return pa.string()
    if is_record(bare):
        return pa.struct([(key.name, _arrow(key.kind)) for key in keys(bare)])
    if typing.get_origin(bare) is list:
        (item,) = typing.get_args(bare)
        return pa.list_(_arrow(kind_of(item)))
    return _SCALARS[bare]


def columns_module() -> str:
    """crawler/storage/columns.py: each struct a named constant, one field a line, as ruff formats it."""
    structs: dict[str, str] = {}
    columns = _listing(
        [(key.name, _source(key.kind, structs)) for key in keys(article.ArticleRecord)], "pa.schema"
    )
    body = "".join(f"{name} = {text}\n" for name, text in structs.items())
    return f"{MODULE_DOC}\nimport pyarrow as pa\n\n{body}ARTICLE_COLUMNS = {columns}"


def _source(kind: Kind, structs: dict[str, str]) -> str:
    if kind.field.parquet:
        return _type_source(_OVERRIDES[kind.field.parquet])
    (bare,), _ = members(kind.base)
    if is_record(bare):
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", bare.__name__).upper()
        if name not in structs:
            fields = [(key.name, _source(key.kind, structs)) for key in keys(bare)]
            structs[name] = _listing(fields, "pa.struct")
        return name
    if typing.get_origin(bare) is list:
        (item,) = typing.get_args(bare)
        return f"pa.list_({_source(kind_of(item), structs)})"
    return _type_source(_arrow(kind))


def _type_source(kind: pa.DataType) -> str:
    if kind == _TIME:
        return 'pa.timestamp("us", tz="UTC")'
    return {pa.string(): "pa.string()", pa.int64(): "pa.int64()", pa.int32(): "pa.int32()",
            pa.float64(): "pa.float64()", pa.bool_(): "pa.bool_()"}[kind]  # fmt: skip


def _listing(fields: list[tuple[str, str]], call: str) -> str:
    lines = "".join(f'        ("{name}", {text}),\n' for name, text in fields)
    return f"{call}(\n    [\n{lines}    ]\n)\n"

"""The README's table of record fields, generated from `ArticleRecord` between two marker comments."""

from __future__ import annotations

import typing
from typing import Any

from crawler.record import article
from crawler.record.walk import Kind, is_record, keys, kind_of, members

START = "<!-- record-fields:start (generated: python -m crawler.record --write) -->"
END = "<!-- record-fields:end -->"
_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def field_table() -> str:
    rows = ["| field | type | set by | description |", "|---|---|---|---|"]
    for key in keys(article.ArticleRecord):
        kind = key.kind
        absent = "" if key.required else ", may be absent"
        cells = (
            f"`{key.name}`",
            _type(kind) + absent,
            kind.field.filled_by or "",
            kind.field.description or "",
        )
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def with_table(readme: str) -> str:
    """`readme` with the text between the markers replaced by the current table."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md needs the lines {START!r} and {END!r} around the field table")
    return f"{head}{START}\n{field_table()}{END}{tail}"


def _type(kind: Kind) -> str:
    if kind.ref is not None and kind.ref.name == "utc_datetime":
        return "UTC time (ISO 8601) or null"
    others, nullable = members(kind.base)
    text = _bare(others[0])
    return f"{text} or null" if nullable else text


def _bare(bare: Any) -> str:
    if typing.get_origin(bare) is typing.Literal:
        return "one of " + ", ".join(f"`{value}`" for value in typing.get_args(bare) if value is not None)
    if is_record(bare):
        return "object (" + ", ".join(key.name for key in keys(bare)) + ")"
    if typing.get_origin(bare) is list:
        (item,) = typing.get_args(bare)
        return f"list of {_type(kind_of(item))}"
    return _SCALARS[bare]

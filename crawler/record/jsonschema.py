"""The record's JSON Schema (draft 2020-12), generated from `ArticleRecord`."""

from __future__ import annotations

import typing
from typing import Any

from crawler.record import article
from crawler.record.kinds import Field
from crawler.record.walk import Kind, is_record, keys, kind_of, members

SCHEMA_ID = "https://github.com/newscrawl/newscrawl/schemas/article/"
_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}
_CONSTRAINTS = {
    "pattern": "pattern",
    "min_length": "minLength",
    "max_length": "maxLength",
    "minimum": "minimum",
    "maximum": "maximum",
}


def article_schema() -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    body = _object(article.ArticleRecord, definitions, nullable=False)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID + article.SCHEMA_VERSION,
        "title": article.TITLE,
        "description": article.DESCRIPTION,
        "version": article.SCHEMA_VERSION,
        **body,
        "$defs": definitions,
    }


def _schema(kind: Kind, definitions: dict[str, Any]) -> dict[str, Any]:
    if kind.ref is not None:
        if kind.ref.name not in definitions:
            definitions[kind.ref.name] = {}  # claimed first, so a definition never recurses into itself
            inner = Kind(kind.base, None, kind.ref.field)
            definitions[kind.ref.name] = _schema(inner, definitions)
        return _described({"$ref": f"#/$defs/{kind.ref.name}"}, kind.field)
    return _described(_constrained(_shape(kind.base, definitions), kind.field), kind.field)


def _shape(hint: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    others, nullable = members(hint)
    if len(others) != 1:
        raise TypeError(f"{hint}: a record field has one type (or that type or None)")
    (bare,) = others
    if typing.get_origin(bare) is typing.Literal:
        return {"enum": list(typing.get_args(bare)) + ([None] if nullable else [])}
    if is_record(bare):
        return _object(bare, definitions, nullable)
    if typing.get_origin(bare) is list:
        (item,) = typing.get_args(bare)
        return {"type": _nullable("array", nullable), "items": _schema(kind_of(item), definitions)}
    if bare in _SCALARS:
        return {"type": _nullable(_SCALARS[bare], nullable)}
    raise TypeError(
        f"{hint}: no JSON Schema type for it; use str, int, float, bool, list, Literal or a TypedDict"
    )


def _object(typed_dict: type, definitions: dict[str, Any], nullable: bool) -> dict[str, Any]:
    fields = keys(typed_dict)
    schema: dict[str, Any] = {"type": _nullable("object", nullable)}
    if typed_dict not in article.OPEN_OBJECTS:
        schema["additionalProperties"] = False
    required = [key.name for key in fields if key.required]
    if required:
        schema["required"] = required
    schema["properties"] = {key.name: _schema(key.kind, definitions) for key in fields}
    return schema


def _nullable(name: str, nullable: bool) -> str | list[str]:
    return [name, "null"] if nullable else name


def _constrained(schema: dict[str, Any], field: Field) -> dict[str, Any]:
    for attribute, keyword in _CONSTRAINTS.items():
        value = getattr(field, attribute)
        if value is not None:
            schema[keyword] = value
    return schema


def _described(schema: dict[str, Any], field: Field) -> dict[str, Any]:
    return schema | {"description": field.description} if field.description else schema

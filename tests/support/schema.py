"""The article record's JSON Schema (crawler/schemas/article.schema.json), checked by jsonschema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "crawler" / "schemas" / "article.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate(record: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Every violation as '<JSON path>: <jsonschema message>'; an empty list means the record is valid.
    `schema`: another schema than the record's (a part of it, say)."""
    validator = _validator() if schema is None else Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(record), key=lambda error: error.json_path)
    return [f"{error.json_path}: {error.message}" for error in errors]

"""The record type is the one definition: the JSON Schema, the Parquet columns and the README's field
table are generated from it, and a stale or disagreeing copy fails here."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Annotated, NotRequired

import pytest

from crawler.extract.pagetype import PAGE_TYPES
from crawler.record import SCHEMA_VERSION, ArticleRecord, article
from crawler.record.__main__ import main
from crawler.record.columns import article_columns
from crawler.record.generate import COLUMNS, JSON_SCHEMA, README, ROOT, generated, stale, write
from crawler.record.jsonschema import article_schema
from crawler.record.kinds import Field
from crawler.record.readme import END, START, field_table, with_table
from crawler.storage.columns import ARTICLE_COLUMNS
from crawler.storage.parquet import ARTICLE_SCHEMA
from tests.support.schema import load_schema

FIELDS = list(ArticleRecord.__annotations__)


def test_the_generated_files_are_current() -> None:
    assert stale() == [], "run: python -m crawler.record --write"


def test_the_committed_json_schema_has_the_types_fields() -> None:
    schema = load_schema()
    assert list(schema["properties"]) == FIELDS
    assert schema["required"] == [name for name in FIELDS if name in ArticleRecord.__required_keys__]
    assert schema["version"] == SCHEMA_VERSION and schema["$id"].endswith("/" + SCHEMA_VERSION)


def test_the_parquet_part_has_a_column_per_field_and_extra() -> None:
    assert article_columns() == ARTICLE_COLUMNS
    assert ARTICLE_SCHEMA.names == [*FIELDS, "extra"]


def test_the_readme_table_has_a_row_per_field() -> None:
    section = (ROOT / README).read_text().split(START)[1].split(END)[0]
    assert re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE) == FIELDS


def _copy_generated(root: Path) -> None:
    for path in (JSON_SCHEMA, COLUMNS, README):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, root / path)


@pytest.mark.parametrize(
    ("path", "field"),
    [(JSON_SCHEMA, '"canonical_url"'), (COLUMNS, '"canonical_url"'), (README, "| `canonical_url` |")],
    ids=str,
)
def test_a_hand_edit_of_a_generated_file_is_stale_until_written_again(
    tmp_path: Path, path: Path, field: str
) -> None:
    _copy_generated(tmp_path)
    (tmp_path / path).write_text((tmp_path / path).read_text().replace(field, field.replace("_url", "")))
    assert stale(tmp_path) == [path]
    assert write(tmp_path) == [path]
    assert stale(tmp_path) == []
    assert (tmp_path / path).read_text() == (ROOT / path).read_text()


def test_check_exits_non_zero_and_names_the_stale_file(monkeypatch, capsys) -> None:
    monkeypatch.setattr("crawler.record.__main__.stale", lambda: [JSON_SCHEMA])
    assert main(["--check"]) == 1
    assert "crawler/schemas/article.schema.json is stale" in capsys.readouterr().err


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="record-fields:start"):
        with_table("# newscrawl\n")


class _WithTopic(ArticleRecord):
    topic: NotRequired[Annotated[str | None, Field("the desk that filed it", filled_by="pipeline")]]


def test_a_field_added_to_the_type_reaches_every_generated_file(monkeypatch) -> None:
    monkeypatch.setattr(article, "ArticleRecord", _WithTopic)
    schema = article_schema()
    assert schema["properties"]["topic"] == {
        "type": ["string", "null"],
        "description": "the desk that filed it",
    }
    assert "topic" not in schema["required"]
    assert article_columns().field("topic").type == ARTICLE_COLUMNS.field("title").type
    assert "| `topic` | string or null, may be absent | pipeline | the desk that filed it |" in field_table()
    assert '("topic", pa.string()),' in generated()[COLUMNS]


class _WithMapping(ArticleRecord):
    counts: dict[str, int]


def test_a_type_no_schema_can_hold_is_refused_with_what_to_use(monkeypatch) -> None:
    monkeypatch.setattr(article, "ArticleRecord", _WithMapping)
    with pytest.raises(TypeError, match="use str, int, float, bool, list, Literal or a TypedDict"):
        article_schema()


def test_times_are_timestamps_where_parts_always_had_them_and_text_where_they_did_not() -> None:
    kinds = {name: str(ARTICLE_COLUMNS.field(name).type) for name in ("published_at", "fetched_at", "rights")}
    assert kinds["published_at"] == kinds["fetched_at"] == "timestamp[us, tz=UTC]"
    assert "seen_at: string" in kinds["rights"]
    assert json.dumps(load_schema()["properties"]["rights"]["properties"]["seen_at"]) == (
        '{"$ref": "#/$defs/utc_datetime"}'
    )


def test_the_page_types_extraction_gives_are_the_ones_the_record_allows() -> None:
    assert list(PAGE_TYPES) == load_schema()["properties"]["page_type"]["enum"]

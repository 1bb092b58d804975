"""What storage writes validates against the JSON Schema files in crawler/schemas."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from crawler.storage import Reader, RunWriter, open_store
from tests.storage.factories import article, cluster, raw_for

SCHEMAS = Path(__file__).resolve().parents[2] / "crawler" / "schemas"
OWNED = ["manifest", "cluster", "warc-pointer"]


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.mark.parametrize("name", OWNED)
def test_schema_file_is_valid_json_schema(name):
    _validator(name)


def test_written_manifest_cluster_and_warc_pointer_validate(tmp_path):
    store = open_store(str(tmp_path))
    writer = RunWriter(store, batch_size=2)
    for n in range(3):
        writer.add_article(article(n), raw_for(article(n)))
    writer.add_cluster(cluster("c1", [article(0)["id"], article(1)["id"]], "2026-11-29T12:00:00Z"))
    writer.commit({"pages": 3})
    reader = Reader(store)
    _validator("manifest").validate(reader.runs()[0])
    _validator("cluster").validate(next(reader.clusters()))
    for record in reader.articles():
        _validator("warc-pointer").validate(record["warc"])


def test_manifest_schema_rejects_an_entry_without_checksum(tmp_path):
    store = open_store(str(tmp_path))
    writer = RunWriter(store)
    writer.add_article(article(1))
    manifest = writer.commit({})
    del manifest["objects"][0]["sha256"]
    assert list(_validator("manifest").iter_errors(manifest))

"""dedup.archive: the same clusters as the index on the same articles, from Parquet parts, out of core."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from crawler.storage.parquet import encode_parquet
from dedup import DedupConfig, compute_signature
from dedup.archive import ArchiveDedup
from dedup.archive import sql as archive_sql
from dedup.archive.grouping import components
from dedup.batch import cluster_jsonl, signature_of
from tests.dedup.stories import OTHER, STORY, eval_docs

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


def write_part(path: Path, records: list[dict[str, Any]]) -> str:
    path.write_bytes(encode_parquet(records))
    return str(path)


def signed(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "minhash": signature_of(record, DedupConfig()).to_record()}


def recluster(tmp_path: Path, parts: list[tuple[str, int]], agencies: dict[str, str] | None = None):
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    with ArchiveDedup(work, memory_limit="256MB", threads=1) as archive:
        archive.load(parts, agencies or {})
        clusters = list(archive.clusters())
        return clusters, archive.stats, list(archive.stale_copies())


def origins(clusters) -> dict[str, str]:
    return {member.id: cluster.origin for cluster in clusters for member in cluster.members}


def article(doc_id: str, text: str, hours: float = 0.0, **fields: Any) -> dict[str, Any]:
    published = (T0 + timedelta(hours=hours)).isoformat()
    return {
        "id": doc_id,
        "source": fields.pop("source", "outlet"),
        "text": text,
        "published_at": published,
        **fields,
    }


def test_archive_gives_the_batch_clusters_on_the_eval_set(tmp_path):
    docs = eval_docs()
    out = io.StringIO()
    cluster_jsonl(io.StringIO("".join(json.dumps(doc) + "\n" for doc in docs)), out)
    batch = {record["id"]: record["cluster_id"] for record in map(json.loads, out.getvalue().splitlines())}
    parts = [
        (write_part(tmp_path / f"part-{n}.parquet", [signed(doc) for doc in docs[n::3]]), n) for n in range(3)
    ]
    agencies = {doc["source"]: doc["agency"] for doc in docs if doc.get("agency")}
    clusters, stats, _stale = recluster(tmp_path, parts, agencies)
    found = origins(clusters)
    assert stats.documents == len(docs)
    assert {doc["id"]: found.get(doc["id"], doc["id"]) for doc in docs} == batch


def test_archive_agency_copy_is_the_origin_when_its_source_is_an_agency(tmp_path):
    records = [
        signed(article("early", STORY, 0)),
        signed(article("wire", STORY + " (Xinhua)", 2, source="xin")),
    ]
    part = write_part(tmp_path / "p.parquet", records)
    assert origins(recluster(tmp_path, [(part, 1)], {"xin": "xinhua"})[0]) == {
        "early": "wire",
        "wire": "wire",
    }


def test_archive_signs_again_what_has_no_usable_signature(tmp_path):
    good = signed(article("a", STORY, 0))
    records = [
        good,
        {**article("b", STORY, 1), "minhash": None},
        {**article("c", STORY, 2), "minhash": {**good["minhash"], "tag": "mh64-w3-v1"}},
        {**article("d", STORY, 3), "minhash": {**good["minhash"], "hashvalues": "!" * 1368}},
        signed(article("e", OTHER, 1)),
    ]
    clusters, stats, _stale = recluster(tmp_path, [(write_part(tmp_path / "p.parquet", records), 1)])
    assert stats.resigned == 3
    assert origins(clusters) == {"a": "a", "b": "a", "c": "a", "d": "a"}


def test_archive_uses_the_copy_of_an_id_from_the_newest_part(tmp_path):
    old = write_part(tmp_path / "old.parquet", [signed(article("b", OTHER, 1))])
    new = write_part(
        tmp_path / "new.parquet", [signed(article("a", STORY, 0)), signed(article("b", STORY, 1))]
    )
    clusters, stats, _stale = recluster(tmp_path, [(old, 1), (new, 2)])
    assert stats.documents == 2
    assert origins(clusters) == {"a": "a", "b": "a"}


def test_archive_never_pairs_articles_published_further_apart_than_the_window(tmp_path):
    records = [
        signed(article("a", STORY, 0)),
        signed(article("b", STORY, 24 * 40)),
        signed(article("c", STORY, 20)),
    ]
    clusters, stats, _stale = recluster(tmp_path, [(write_part(tmp_path / "p.parquet", records), 1)])
    assert origins(clusters) == {"a": "a", "c": "a"}
    assert stats.candidates == 1  # b is in the window of neither


def test_archive_keeps_texts_without_shingles_out_of_the_bands(tmp_path):
    records = [signed(article(f"empty-{n}", "...", n)) for n in range(4)]
    clusters, stats, _stale = recluster(tmp_path, [(write_part(tmp_path / "p.parquet", records), 1)])
    assert clusters == [] and stats.candidates == 0


def test_archive_names_stored_copies_it_leaves_alone(tmp_path):
    records = [
        signed(article("a", STORY, 0)),
        signed(article("b", OTHER, 1, duplicate_of="a")),
        signed(article("c", STORY, 2, duplicate_of="a")),
    ]
    _clusters, _stats, stale = recluster(tmp_path, [(write_part(tmp_path / "p.parquet", records), 1)])
    assert stale == ["b"]


def test_archive_retires_stored_clusters_it_does_not_reproduce(tmp_path):
    import pyarrow as pa

    from dedup.archive import STORED_SCHEMA

    records = [signed(article("a", STORY, 0)), signed(article("b", STORY, 1)), signed(article("c", OTHER, 0))]
    work = tmp_path / "work"
    work.mkdir()
    stored = pa.RecordBatch.from_pydict(
        {
            "cluster": ["b", "b", "c", "c", "gone", "elsewhere"],
            "version": [1, 1, 2, 2, 3, 4],
            "member": ["b", "a", "c", "x", None, "zzz"],
        },
        schema=STORED_SCHEMA,
    )
    with ArchiveDedup(work, memory_limit="256MB", threads=1) as archive:
        archive.load([(write_part(tmp_path / "p.parquet", records), 1)], {})
        assert [cluster.id for cluster in archive.clusters()] == ["a"]
        # b (now named a) and c (now alone) go; a retired one and one of other articles stay as they are.
        assert list(archive.retired([stored])) == ["b", "c"]


def test_components_join_chains_and_keep_apart_what_is_not_linked():
    table = components(np.array([1, 2, 7, 4]), np.array([2, 3, 8, 3]))
    assert dict(zip(table["doc"].to_pylist(), table["component"].to_pylist(), strict=True)) == {
        1: 1, 2: 1, 3: 1, 4: 1, 7: 7, 8: 7,
    }  # fmt: skip


# Functions both Spark SQL and DuckDB (with its shims) know by these names, with the same meaning.
SHARED_FUNCTIONS = {
    "row_number", "unix_micros", "length", "regexp_like", "count", "max", "substring", "hex", "unbase64", "abs",
}  # fmt: skip
# Keywords that precede a parenthesis: a subquery or a window.
_KEYWORDS = {"from", "join", "in", "over"}


def test_shared_sql_calls_only_functions_spark_and_duckdb_share():
    config = DedupConfig(lsh_bands=32, lsh_rows=2)
    statements = [
        archive_sql.documents(config, 0), archive_sql.unsigned(), archive_sql.band_keys(config),
        archive_sql.buckets(), archive_sql.candidates(config), archive_sql.to_verify(),
        archive_sql.candidate_pairs(), archive_sql.linked_entries(), archive_sql.component_links(),
        archive_sql.stale_copies(), archive_sql.retired(),
    ]  # fmt: skip
    called = {
        name.lower()
        for statement in statements
        for name in re.findall(r"([A-Za-z_]+)\s*\(", re.sub(r"'[^']*'", "''", statement.sql))
    }
    assert called - _KEYWORDS <= SHARED_FUNCTIONS


def test_band_keys_of_two_row_bands_join_both_values(tmp_path):
    config = DedupConfig(lsh_bands=32, lsh_rows=2)
    records = [
        {**article(name, text, hours), "minhash": compute_signature(text, config).to_record()}
        for name, text, hours in (("a", STORY, 0), ("b", STORY, 1), ("c", OTHER, 0))
    ]
    work = tmp_path / "work"
    work.mkdir()
    with ArchiveDedup(work, config, memory_limit="256MB", threads=1) as archive:
        archive.load([(write_part(tmp_path / "p.parquet", records), 1)], {})
        assert origins(archive.clusters()) == {"a": "a", "b": "a"}
        keys = archive.engine.connection.execute("SELECT DISTINCT length(key) FROM band_keys").fetchall()
    assert keys == [(16,)]


def test_archive_refuses_an_empty_part_list(tmp_path):
    with (
        ArchiveDedup(tmp_path, memory_limit="256MB", threads=1) as archive,
        pytest.raises(ValueError, match="no Parquet parts"),
    ):
        archive.load([], {})

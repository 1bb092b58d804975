"""`newscrawl dedup --store`: stored articles re-clustered as a committed run that readers follow."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.cli.main import main
from crawler.storage import Reader, RunWriter, open_store
from dedup import DedupConfig, Deduplicator
from dedup.batch import annotate, cluster_jsonl, document_of, signature_of
from tests.dedup.stories import OTHER, STORY, eval_docs


def registry(tmp_path: Path, docs: list[dict[str, Any]]) -> str:
    agencies = sorted({(doc["source"], doc["agency"]) for doc in docs if doc.get("agency")})
    path = tmp_path / "sources.toml"
    path.write_text(
        "".join(
            f'[[source]]\nid = "{source}"\nname = "{source}"\nhomepage = "https://{source}.example/"\n'
            f'agency = "{agency}"\n\n'
            for source, agency in agencies
        )
    )
    return str(path)


def crawl(uri: str, docs: list[dict[str, Any]], runs: int = 3) -> None:
    """Store `docs` as a crawl would, in `runs` runs: records annotated by the online index (in file
    order, clusters named by their first-arrived member), cluster records of each run's changes."""
    config = DedupConfig()
    dedup = Deduplicator(config, clock=lambda: datetime(2026, 4, 1, tzinfo=UTC).timestamp())
    store = open_store(uri, write=True)
    for run in range(runs):
        writer = RunWriter(store)
        for doc in docs[run::runs]:
            record = {**doc, "minhash": signature_of(doc, config).to_record()}
            writer.add_article(annotate(record, dedup.add(document_of(doc), signature_of(doc, config))))
        for cluster_id in sorted(dedup.changed_clusters()):
            writer.add_cluster(dedup.cluster_record(cluster_id))
        writer.commit({})


def batch_origins(docs: list[dict[str, Any]]) -> dict[str, str]:
    out = io.StringIO()
    cluster_jsonl(io.StringIO("".join(json.dumps(doc) + "\n" for doc in docs)), out)
    return {record["id"]: record["cluster_id"] for record in map(json.loads, out.getvalue().splitlines())}


def reader_origins(uri: str, ids: list[str]) -> dict[str, str]:
    origins = Reader(open_store(uri)).cluster_origins()
    return {doc_id: origins.get(doc_id, doc_id) for doc_id in ids}


def test_dedup_store_commits_the_batch_clusters_and_readers_follow_them(tmp_path, capsys):
    docs = eval_docs()
    uri = f"file://{tmp_path}/store"
    crawl(uri, docs)
    runs_before = len(Reader(open_store(uri)).runs())
    code = main(["dedup", "--store", uri, "--sources", registry(tmp_path, docs), "--workdir", str(tmp_path)])
    assert code == 0
    assert "346 articles: 55 clusters of two or more" in capsys.readouterr().err
    reader = Reader(open_store(uri))
    assert len(reader.runs()) == runs_before + 1
    assert reader.runs()[-1]["stats"]["dedup_archive"]["documents"] == len(docs)
    assert reader_origins(uri, [doc["id"] for doc in docs]) == batch_origins(docs)
    # Every cluster readers see is one the re-clustering wrote (named by its origin), or retired.
    for cluster in reader.clusters():
        assert cluster["origin"] in (cluster["id"], None)


def _article(doc_id: str, text: str, day: str, **fields: Any) -> dict[str, Any]:
    return {"id": doc_id, "source": "outlet", "text": text, "published_at": f"{day}T10:00:00+00:00", **fields}


def _store(tmp_path: Path, records: list[dict[str, Any]]) -> str:
    uri = f"file://{tmp_path}/store"
    writer = RunWriter(open_store(uri, write=True))
    for record in records:
        writer.add_article({**record, "minhash": signature_of(record, DedupConfig()).to_record()})
    writer.commit({})
    return uri


def test_dedup_store_since_until_re_clusters_only_those_dates(tmp_path, capsys):
    uri = _store(
        tmp_path,
        [
            _article("a", STORY, "2026-03-01"),
            _article("b", STORY, "2026-03-02"),
            _article("c", OTHER, "2026-03-05"),
            _article("d", OTHER, "2026-03-05"),
        ],
    )
    assert main(["dedup", "--store", uri, "--since", "2026-03-04", "--until", "2026-03-05"]) == 0
    assert "2 articles: 1 clusters of two or more" in capsys.readouterr().err
    assert reader_origins(uri, ["a", "b", "c", "d"]) == {"a": "a", "b": "b", "c": "c", "d": "c"}


def test_dedup_store_gives_a_stored_copy_left_alone_its_own_cluster(tmp_path):
    uri = _store(
        tmp_path,
        [_article("a", STORY, "2026-03-01"), _article("b", OTHER, "2026-03-01", duplicate_of="a")],
    )
    store = open_store(uri)
    assert [r["id"] for r in Reader(store).articles(include_duplicates=False)] == ["a"]
    assert main(["dedup", "--store", uri]) == 0
    assert sorted(r["id"] for r in Reader(store).articles(include_duplicates=False)) == ["a", "b"]


def test_dedup_store_that_fails_before_its_commit_leaves_the_clusters_as_they_were(tmp_path, monkeypatch):
    docs = eval_docs()[:60]
    uri = f"file://{tmp_path}/store"
    crawl(uri, docs)
    before = list(Reader(open_store(uri)).clusters())

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    # The clusters are written (flushed in parts) before the manifest: fail at the manifest.
    monkeypatch.setattr("crawler.storage.writer.commit_manifest", fail)
    with pytest.raises(OSError):
        main(["dedup", "--store", uri, "--workdir", str(tmp_path)])
    assert list(Reader(open_store(uri)).clusters()) == before


def test_dedup_store_under_a_memory_limit_too_small_for_duckdb_says_to_raise_it(tmp_path, capsys):
    uri = _store(tmp_path, [_article("a", STORY, "2026-03-01"), _article("b", STORY, "2026-03-02")])
    assert main(["dedup", "--store", uri, "--memory-limit", "1KB"]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "newscrawl dedup: error: --memory-limit 1KB is too little for DuckDB to re-cluster these "
        "articles; raise it (default 2GB)"
    ]
    assert len(Reader(open_store(uri)).runs()) == 1


def test_dedup_store_names_a_damaged_part_and_skips_it_when_asked(tmp_path, capsys):
    uri = _store(tmp_path, [_article("a", STORY, "2026-03-01"), _article("b", STORY, "2026-03-02")])
    part = sorted((tmp_path / "store" / "articles").rglob("*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:-10] + b"0123456789")
    assert main(["dedup", "--store", uri]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert main(["dedup", "--store", uri, "--skip-damaged"]) == 3
    assert "1 articles: 0 clusters" in capsys.readouterr().err


def test_dedup_store_with_nothing_stored_commits_nothing(tmp_path, capsys):
    uri = _store(tmp_path, [_article("a", STORY, "2026-03-01")])
    assert main(["dedup", "--store", uri, "--since", "2027-01-01"]) == 0
    assert "nothing to re-cluster" in capsys.readouterr().err
    assert len(Reader(open_store(uri)).runs()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["dedup"], "give INPUT.jsonl ('-' for standard input) or --store URI"),
        (["dedup", "in.jsonl", "--store", "file://x"], "give INPUT.jsonl (with --out) or --store, not both"),
        (["dedup", "in.jsonl", "--since", "2d"], "--since needs --store"),
        (["dedup", "in.jsonl", "--memory-limit", "1GB"], "--memory-limit needs --store"),
        (
            ["dedup", "--store", "file://{tmp}/s", "--since", "yesterday"],
            "--since: 'yesterday' is not a duration",
        ),
        (
            ["dedup", "--store", "file://{tmp}/s", "--since", "2026-03-05", "--until", "2026-03-01"],
            "--until 2026-03-01 is before --since 2026-03-05",
        ),
        (
            ["dedup", "--store", "file://{tmp}/s", "--memory-limit", "lots"],
            "--memory-limit 'lots' is not a size",
        ),
        (["dedup", "--store", "file://{tmp}/s", "--threads", "0"], "--threads 0 must be at least 1"),
        (["dedup", "--store", "file://{tmp}/s", "--threads", "100000"], "--threads 100000: at most"),
        (
            ["dedup", "--store", "file://{tmp}/s", "--workdir", "{tmp}/none"],
            "--workdir {tmp}/none is not a directory",
        ),
        (["dedup", "--store", "ftp://x"], "unknown scheme 'ftp'"),
    ],
)
def test_dedup_store_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, message):
    assert main([part.replace("{tmp}", str(tmp_path)) for part in argv]) == 2
    err = capsys.readouterr().err
    assert message.replace("{tmp}", str(tmp_path)) in err
    assert len(err.strip().splitlines()) == 1

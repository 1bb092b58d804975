"""Readers see each article's current dedup verdict, however later runs regrouped its cluster.

Runs store the verdict an article got when it was added and, at commit, new versions of the clusters
that changed; `Reader.articles()` overlays the versions on the records. Checked on random arrival
orders split over several runs: no record contradicts another, and the partition, origins and
matches are the index's last word.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.storage import Reader, open_store
from crawler.storage.shapes import cluster_problem
from crawler.storage.verdicts import Verdicts
from dedup import DedupConfig, Deduplicator, Document
from dedup.batch import annotate
from tests.dedup.test_order import _pieces
from tests.storage.factories import article, write_run

OWN = ("origin", "unique")


def record_of(document: Document, n: int) -> dict[str, Any]:
    record = article(n)
    record.update(id=document.id, text=document.text)
    record["content_sha256"] = hashlib.sha256(document.text.encode()).hexdigest()
    return record


def assert_consistent(records: dict[str, dict[str, Any]]) -> None:
    clusters: dict[str, set[str]] = {}
    for doc_id, record in records.items():
        clusters.setdefault(record["cluster_id"], set()).add(doc_id)
        if record["duplicate_of"] is None:
            assert record["match"] in OWN and record["similarity"] is None, record
        else:
            origin = records[record["duplicate_of"]]
            assert record["match"] not in OWN and record["similarity"] is not None, record
            assert origin["match"] == "origin" and origin["cluster_id"] == record["cluster_id"]
    for members in clusters.values():
        own = [records[i]["match"] for i in members if records[i]["match"] in OWN]
        assert own == (["unique"] if len(members) == 1 else ["origin"]), (members, own)


@settings(max_examples=15, deadline=None)
@given(st.permutations(_pieces()), st.integers(1, 12), st.integers(1, 12))
def test_stored_verdicts_follow_later_regrouping_in_any_order(tmp_path_factory, order, cut1, cut2) -> None:
    store = open_store(f"file://{tmp_path_factory.mktemp('store')}")
    dd = Deduplicator(DedupConfig())
    cuts = sorted({0, min(cut1, cut2), max(cut1, cut2), len(order)})
    for start, end in itertools.pairwise(cuts):
        records = []
        for n, document in enumerate(order[start:end], start):
            records.append(annotate(record_of(document, n), dd.add(document)))
        clusters = [dd.cluster_record(c) for c in sorted(dd.changed_clusters())]
        write_run(store, records, clusters, raws=False)
    stored = {r["id"]: r for r in Reader(store).articles()}
    assert_consistent(stored)
    for document in order:
        verdict = dd.current(document.id)
        assert verdict is not None
        got = stored[document.id]
        assert (got["cluster_id"], got["match"], got["duplicate_of"]) == (
            verdict.cluster_id, verdict.match, verdict.duplicate_of,
        )  # fmt: skip
    kept = {r["id"] for r in Reader(store).articles(include_duplicates=False)}
    assert kept == {i for i, r in stored.items() if r["duplicate_of"] is None}


def test_an_article_whose_cluster_was_rewritten_without_it_stands_alone() -> None:
    a = {"id": "a", "cluster_id": "c1", "match": "near", "duplicate_of": "b", "similarity": 0.7}
    versions = [
        {"id": "c1", "origin": "b", "members": [{"id": "a", "match": "near", "similarity": 0.7},
                                                 {"id": "b", "match": "origin", "similarity": None}]},
        {"id": "c1", "origin": "b", "members": [{"id": "b", "match": "unique", "similarity": None}]},
    ]  # fmt: skip
    got = Verdicts(versions).current(a)
    assert (got["cluster_id"], got["match"], got["duplicate_of"], got["similarity"]) == (
        "a",
        "unique",
        None,
        None,
    )


def test_the_newer_of_two_versions_listing_one_article_places_it() -> None:
    # Two workers committed at once: the retired cluster's version came last but is older.
    versions = [
        {"id": "c2", "origin": "x", "updated_at": "2026-12-07T10:00:05Z",
         "members": [{"id": "x", "match": "origin", "similarity": None},
                     {"id": "a", "match": "near", "similarity": 0.6}]},
        {"id": "c1", "origin": "a", "updated_at": "2026-12-07T10:00:01Z",
         "members": [{"id": "a", "match": "unique", "similarity": None}]},
    ]  # fmt: skip
    got = Verdicts(versions).current({"id": "a", "cluster_id": "c1", "match": "unique"})
    assert (got["cluster_id"], got["duplicate_of"], got["match"]) == ("c2", "x", "near")


def test_a_record_no_cluster_version_names_keeps_its_own_verdict() -> None:
    record = {"id": "a", "cluster_id": "a", "match": "unique", "duplicate_of": None}
    assert Verdicts([]).current(record) is record


def test_sql_over_the_parquet_parts_takes_the_current_verdicts_from_the_table(tmp_path) -> None:
    store = open_store(f"file://{tmp_path}")
    origin, copy, alone = article(1), article(2), article(3)
    # The copy arrived first and was stored alone; the earlier-published origin came in a later run.
    copy.update(cluster_id=copy["id"], match="unique")
    alone.update(cluster_id=alone["id"], match="unique")
    write_run(store, [copy, alone], raws=False)
    origin.update(cluster_id=copy["id"], match="origin")
    members = [{"id": origin["id"], "match": "origin", "similarity": None},
               {"id": copy["id"], "match": "near", "similarity": 0.8}]  # fmt: skip
    write_run(store, [origin], [{"id": copy["id"], "origin": origin["id"], "members": members}], raws=False)
    reader = Reader(store)
    urls = reader.parquet_urls()
    duckdb.register("verdicts", reader.verdicts().table())  # as the README's DuckDB example does
    originals = duckdb.sql(
        "SELECT a.id FROM read_parquet($urls, union_by_name = true) a LEFT JOIN verdicts v USING (id) "
        "WHERE coalesce(v.duplicate_of, CASE WHEN v.id IS NULL THEN a.duplicate_of END) IS NULL",
        params={"urls": urls},
    ).fetchall()
    assert sorted(row[0] for row in originals) == sorted([origin["id"], alone["id"]])
    assert sorted(originals) == sorted((r["id"],) for r in reader.articles(include_duplicates=False))
    assert Verdicts([]).table().num_rows == 0


@pytest.mark.parametrize(
    ("member", "why"),
    [
        ({"match": "near", "similarity": "high"}, "whose 'match' or 'similarity' is not one"),
        ({"match": 3, "similarity": None}, "whose 'match' or 'similarity' is not one"),
        ({"match": "near", "similarity": True}, "whose 'match' or 'similarity' is not one"),
    ],
)
def test_a_cluster_version_whose_members_carry_no_verdict_is_a_damaged_part(member, why) -> None:
    cluster = {"id": "c", "origin": "a", "members": [{"id": "a", **member}]}
    assert why in (cluster_problem(cluster) or "")
    assert cluster_problem({**cluster, "members": [{"id": "a", "match": "near", "similarity": 0.5}]}) is None


def test_reading_after_a_checkpoint_gives_the_verdicts_the_later_runs_left(tmp_path) -> None:
    store = open_store(f"file://{tmp_path}")
    write_run(store, [article(9)], raws=False)
    checkpoint = [c for c, _m in Reader(store).changes()][-1]
    origin, copy = article(1), article(2)
    copy.update(cluster_id=copy["id"], match="unique")
    write_run(store, [copy], raws=False)
    origin.update(cluster_id=copy["id"], match="origin")
    members = [{"id": origin["id"], "match": "origin", "similarity": None},
               {"id": copy["id"], "match": "near", "similarity": 0.8}]  # fmt: skip
    write_run(store, [origin], [{"id": copy["id"], "origin": origin["id"], "members": members}], raws=False)
    read = {r["id"]: r for r in Reader(store).articles(after=checkpoint)}
    assert set(read) == {origin["id"], copy["id"]}
    assert (read[copy["id"]]["match"], read[copy["id"]]["duplicate_of"]) == ("near", origin["id"])
    kept = [r["id"] for r in Reader(store).articles(after=checkpoint, include_duplicates=False)]
    assert kept == [origin["id"]]

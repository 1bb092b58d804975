"""The same records give the same clusters in any order: in batch, in the online index (memory and
Redis), and the verdicts never contradict each other."""

from __future__ import annotations

import io
import json
import random
from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import DedupConfig, Deduplicator, Document, Verdict
from dedup.batch import cluster_jsonl
from tests.dedup.conftest import REDIS_URL
from tests.dedup.stories import story, text

SET = Path(__file__).resolve().parents[2] / "eval" / "syndication" / "docs.jsonl"


def eval_docs(limit: int | None = None) -> list[dict]:
    docs = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return docs[:limit] if limit else docs


def partition(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc_id, cluster in assignment.items():
        groups.setdefault(cluster, set()).add(doc_id)
    return {frozenset(group) for group in groups.values()}


def batch_clusters(docs: list[dict]) -> dict[str, dict]:
    out = io.StringIO()
    cluster_jsonl(io.StringIO("".join(json.dumps(d) + "\n" for d in docs)), out)
    return {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}


def test_batch_gives_the_same_records_in_any_order() -> None:
    docs = eval_docs()
    expected = batch_clusters(docs)
    for seed in (1, 2):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        got = batch_clusters(shuffled)
        assert {i: (r["cluster_id"], r["duplicate_of"], r["match"]) for i, r in got.items()} == {
            i: (r["cluster_id"], r["duplicate_of"], r["match"]) for i, r in expected.items()
        }


def document(record: dict) -> Document:
    when = datetime.fromisoformat(record["published_at"])
    return Document(record["id"], record["text"], published_at=when, agency=record.get("agency"))


def online_partition(dd: Deduplicator, docs: list[dict]) -> set[frozenset[str]]:
    for record in docs:
        dd.add(document(record))
    found = {}
    for record in docs:
        verdict = dd.current(record["id"])
        assert verdict is not None
        found[record["id"]] = verdict.cluster_id
    return partition(found)


def test_memory_index_gives_the_same_clusters_in_any_order() -> None:
    docs = eval_docs()
    expected = online_partition(Deduplicator(), docs)
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    assert online_partition(Deduplicator(), shuffled) == expected


def test_redis_index_gives_the_same_clusters_in_any_order(redis_namespace: str) -> None:
    # Newest first, as a crawl backfilling a sitemap meets them, over the set's two months; every other
    # document keeps the test quick.
    docs = sorted(eval_docs(), key=lambda d: d["published_at"])[::2]
    expected = online_partition(Deduplicator(), docs)
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as dd:
        assert online_partition(dd, docs[::-1]) == expected


def _pieces() -> list[Document]:
    """Copies, truncations and sibling stories of three wire stories, with and without an agency."""
    docs = []
    for n in range(3):
        body = story(900 + n, paragraphs=10)
        docs += [
            Document(f"s{n}-full", text(body)),
            Document(f"s{n}-head", text(body[:3])),
            Document(f"s{n}-tail", text(body[6:])),
            Document(f"s{n}-mid", text(body[2:8] + story(950 + n, 2))),
        ]
    docs.append(Document("roundup", text(story(900, 10)[:3] + story(901, 10)[:3])))
    return docs


def check_invariants(dd: Deduplicator, ids: list[str]) -> None:
    verdicts: dict[str, Verdict] = {i: v for i in ids if (v := dd.current(i)) is not None}
    for doc_id, verdict in verdicts.items():
        if verdict.duplicate_of is None:
            assert verdict.origin == doc_id
            assert verdict.match in ("origin", "unique") and verdict.similarity is None
        else:
            assert verdict.duplicate_of == verdict.origin != doc_id
            assert verdict.match in ("exact", "near", "contained") and verdict.similarity is not None
            assert verdicts[verdict.origin].match == "origin"
            assert verdicts[verdict.origin].cluster_id == verdict.cluster_id
    for cluster_id in {v.cluster_id for v in verdicts.values()}:
        record = dd.cluster_record(cluster_id)
        members = {m["id"]: m for m in record["members"]}
        assert {i for i, v in verdicts.items() if v.cluster_id == cluster_id} == set(members)
        assert members[record["origin"]]["match"] in ("origin", "unique")
        alone = len(members) == 1
        assert [m["match"] in ("origin", "unique") for m in members.values()].count(True) == 1
        assert alone == (members[record["origin"]]["match"] == "unique")


@settings(max_examples=25, deadline=None)
@given(st.permutations(_pieces()))
def test_verdicts_never_contradict_and_do_not_depend_on_the_order(order: list[Document]) -> None:
    dd = Deduplicator(DedupConfig())
    for document_ in order:
        dd.add(document_)
        check_invariants(dd, [d.id for d in order])
    reference = Deduplicator(DedupConfig())
    for document_ in sorted(order, key=lambda d: d.id):
        reference.add(document_)
    ids = [d.id for d in order]

    def placements(index: Deduplicator) -> set[tuple[frozenset[str], str]]:
        # Cluster names follow arrival; the partition, origins and matches must not.
        found = {i: index.current(i) for i in ids}
        groups: dict[str, set[str]] = {}
        for i, verdict in found.items():
            assert verdict is not None
            groups.setdefault(verdict.cluster_id, set()).add(i)
        return {(frozenset(g), found[next(iter(g))].origin) for g in groups.values()}

    assert placements(dd) == placements(reference)
    assert {i: dd.current(i).match for i in ids} == {i: reference.current(i).match for i in ids}

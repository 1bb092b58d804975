"""The shared Redis index: same verdicts as in memory, survives restarts, and two workers racing on
copies of one story never both become its origin."""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from datasketch import MinHashLSH

from dedup import DedupConfig, Deduplicator, Document, compute_signature
from dedup.redis_state import key_prefix, lsh_storage_config
from tests.dedup.conftest import REDIS_URL
from tests.dedup.stories import story, text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ROUNDS = 12


@pytest.fixture(params=[False, True], ids=["datasketch-bands", "compact-bands"])
def compact(request: pytest.FixtureRequest) -> bool:
    """Both Redis layouts of the LSH bands keep every promise of the shared index."""
    return bool(request.param)


def documents() -> list[Document]:
    docs = []
    for n in range(4):
        body = story(200 + n, paragraphs=8)
        docs.append(Document(f"s{n}-wire", text(body), published_at=T0 + timedelta(hours=n), agency="ap"))
        docs.append(Document(f"s{n}-cut", text(body[:2]), published_at=T0 + timedelta(hours=n + 1)))
        docs.append(
            Document(
                f"s{n}-edit", text(body[2:] + story(300 + n, 2)), published_at=T0 + timedelta(hours=n + 2)
            )
        )
    return docs


def test_redis_index_gives_the_in_memory_verdicts(redis_namespace: str, compact: bool) -> None:
    memory = Deduplicator()
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=compact) as shared:
        for document in documents():
            assert shared.add(document) == memory.add(document)
        assert shared.cluster("s0-wire") == memory.cluster("s0-wire")


def test_redis_index_is_found_again_by_a_new_worker(redis_namespace: str, compact: bool) -> None:
    docs = documents()
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=compact) as first:
        first.add(docs[0])
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=compact) as second:
        assert second.add(docs[1]).duplicate_of == docs[0].id


def test_redis_eviction_forgets_old_documents(redis_namespace: str, compact: bool) -> None:
    config = DedupConfig(window=timedelta(days=1), retention_margin=timedelta(0))
    arrival = [T0.timestamp()]
    with Deduplicator(
        config, redis_url=REDIS_URL, namespace=redis_namespace, clock=lambda: arrival[0], compact=compact
    ) as dd:
        dd.add(Document("old", text(story(400)), published_at=T0))
        arrival[0] += 3 * 86400
        dd.add(Document("new", text(story(401)), published_at=T0 + timedelta(days=3)))
        assert len(dd) == 1 and dd.current("old") is None
        late = dd.add(Document("copy", text(story(400)), published_at=T0 + timedelta(days=3)))
        assert late.match == "unique"


def test_clear_deletes_every_key_of_the_namespace(redis_namespace: str, compact: bool) -> None:
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=compact) as dd:
        for document in documents()[:3]:
            dd.add(document)
        dd.clear()
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert list(client.scan_iter(match=f"{redis_namespace}:*")) == []
    finally:
        client.close()


def _worker(
    namespace: str, compact: bool, worker: int, barrier: multiprocessing.synchronize.Barrier, results
) -> None:
    with Deduplicator(redis_url=REDIS_URL, namespace=namespace, compact=compact) as dd:
        for n in range(ROUNDS):
            body = story(500 + n, paragraphs=10)
            # Two outlets' copies of one story: the same body under different ids, slightly edited.
            copy = text(body if worker == 0 else [*body[:-1], "Our reporter adds local colour."])
            barrier.wait()
            verdict = dd.add(Document(f"r{n}-w{worker}", copy, published_at=T0 + timedelta(days=n)))
            results.put((n, worker, verdict.cluster_id, verdict.duplicate_of))


def test_two_workers_racing_on_one_story_never_both_become_origin(
    redis_namespace: str, compact: bool
) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(redis_namespace, compact, w, barrier, results)) for w in (0, 1)
    ]
    for process in workers:
        process.start()
    [results.get(timeout=60) for _ in range(2 * ROUNDS)]
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    results.close()
    results.join_thread()
    # The verdict each worker got is the one at its add; the index's final word names one origin.
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=compact) as dd:
        for n in range(ROUNDS):
            pair = [dd.current(f"r{n}-w{worker}") for worker in (0, 1)]
            assert pair[0] is not None and pair[1] is not None
            assert pair[0].cluster_id == pair[1].cluster_id, (
                f"round {n}: copies landed in two clusters {pair}"
            )
            assert sum(v.duplicate_of is None for v in pair) == 1, f"round {n}: origins {pair}"


def test_an_id_another_worker_indexed_a_moment_ago_is_not_indexed_twice(
    redis_namespace: str, monkeypatch: pytest.MonkeyPatch, compact: bool
) -> None:
    doc = documents()[0]
    with (
        Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=compact) as first,
        Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=compact) as second,
    ):
        verdict = first.add(doc)
        # The race: the second worker checked for the id just before the first one reserved it.
        monkeypatch.setattr(type(second._state), "__contains__", lambda self, doc_id: False)
        assert second.add(doc) == verdict  # not an "exact" match with itself
    client = redis.Redis.from_url(REDIS_URL)
    assert int(client.get(key_prefix(redis_namespace, DedupConfig(), compact) + "seq")) == 1, "reserved once"
    client.close()


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_an_index_of_pickled_keys_is_dropped_unread_and_asks_for_a_restore(
    redis_namespace: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = DedupConfig()
    marker = tmp_path / "pwned"
    # The layout before: datasketch's default on Redis pickles every key it stores.
    old = MinHashLSH(
        num_perm=config.num_perm,
        params=(config.lsh_bands, config.lsh_rows),
        storage_config=lsh_storage_config(REDIS_URL, redis_namespace, config),
    )
    signature = compute_signature(text(story(600)), config)
    old.insert(_Exploit(marker), signature.lean_minhash())
    for storage in [*old.hashtables, old.keys]:
        storage._redis.close()
    with caplog.at_level(logging.WARNING, logger="dedup.redis_state"):
        dd = Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace)
    with dd:
        assert dd.needs_restore
        assert "held pickled keys" in caplog.text
        verdict = dd.add(Document("copy", text(story(600)), published_at=T0))
        assert verdict.match == "unique"
    assert not marker.exists()
    with Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace) as again:
        assert not again.needs_restore and len(again) == 1


def test_the_compact_layout_drops_the_datasketch_one_and_asks_for_a_restore(redis_namespace: str) -> None:
    docs = documents()
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as before:
        before.add(docs[0])
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=True) as after:
        assert after.needs_restore and len(after) == 0
        after.restore(docs[0])
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=True) as again:
        assert not again.needs_restore and len(again) == 1
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert not list(client.scan_iter(match=key_prefix(redis_namespace, DedupConfig()) + "*"))
    finally:
        client.close()


def test_bytes_written_into_the_compact_bands_are_never_run(redis_namespace: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    body = text(story(700, paragraphs=8))
    client = redis.Redis.from_url(REDIS_URL)
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace, compact=True) as dd:
        dd.add(Document("a", body, published_at=T0))
        prefix = key_prefix(redis_namespace, DedupConfig(), compact=True)
        bands = list(client.scan_iter(match=prefix + "band:*"))
        assert len(bands) == DedupConfig().lsh_bands
        for key in bands:
            for field, held in client.hgetall(key).items():
                client.hset(key, field, held + pickle.dumps(_Exploit(marker)))
        verdict = dd.add(Document("b", body + " A syndicated copy.", published_at=T0))
    client.close()
    assert not marker.exists()
    assert verdict.cluster_id == "a"  # the planted bytes are read as (unknown) document numbers


def test_eviction_takes_a_document_out_of_the_compact_band_tables(redis_namespace: str) -> None:
    config = DedupConfig(window=timedelta(days=1), retention_margin=timedelta(0))
    arrival = [T0.timestamp()]
    client = redis.Redis.from_url(REDIS_URL)
    prefix = key_prefix(redis_namespace, config, compact=True)
    with Deduplicator(
        config, redis_url=REDIS_URL, namespace=redis_namespace, clock=lambda: arrival[0], compact=True
    ) as dd:
        dd.add(Document("old", text(story(410)), published_at=T0))
        arrival[0] += 3 * 86400
        dd.add(Document("new", text(story(411)), published_at=T0 + timedelta(days=3)))
    entries = [value for key in client.scan_iter(match=prefix + "band:*") for value in client.hvals(key)]
    client.close()
    assert len(entries) == config.lsh_bands and all(len(value) == 4 for value in entries), "only new's"

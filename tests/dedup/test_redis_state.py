"""The shared Redis index: same verdicts as in memory, survives restarts, and two workers racing on
copies of one story never both become its origin."""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from datasketch import MinHashLSH
from redis.connection import parse_url

from dedup import DedupConfig, Deduplicator, Document, compute_signature
from dedup.redis_client import key_prefix, older_prefixes
from tests.dedup.conftest import REDIS_URL
from tests.dedup.stories import story, text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ROUNDS = 12


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


def test_redis_index_gives_the_in_memory_verdicts(redis_namespace: str) -> None:
    memory = Deduplicator()
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as shared:
        for document in documents():
            assert shared.add(document) == memory.add(document)
        assert shared.cluster("s0-wire") == memory.cluster("s0-wire")


def test_a_batch_gives_the_verdicts_of_adding_its_documents_one_at_a_time(redis_namespace: str) -> None:
    # The batch holds copies of each other and an id twice, and meets a document indexed before it.
    docs = documents()
    batch = [*docs[1:7], docs[3], *docs[7:]]
    one_at_a_time = Deduplicator()
    expected = [one_at_a_time.add(document) for document in [docs[0], *batch]]
    in_memory = Deduplicator()
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as shared:
        for dd in (in_memory, shared):
            assert [dd.add(docs[0]), *dd.add_many(batch)] == expected
            assert dd.cluster("s0-wire") == one_at_a_time.cluster("s0-wire")
            assert len(dd) == len(docs)


def test_redis_index_is_found_again_by_a_new_worker(redis_namespace: str) -> None:
    docs = documents()
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as first:
        first.add(docs[0])
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as second:
        assert second.add(docs[1]).duplicate_of == docs[0].id


def test_redis_eviction_forgets_old_documents(redis_namespace: str) -> None:
    config = DedupConfig(window=timedelta(days=1), retention_margin=timedelta(0))
    arrival = [T0.timestamp()]
    with Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace, clock=lambda: arrival[0]) as dd:
        dd.add(Document("old", text(story(400)), published_at=T0))
        arrival[0] += 3 * 86400
        dd.add(Document("new", text(story(401)), published_at=T0 + timedelta(days=3)))
        assert len(dd) == 1 and dd.current("old") is None
        late = dd.add(Document("copy", text(story(400)), published_at=T0 + timedelta(days=3)))
        assert late.match == "unique"


def test_clear_deletes_every_key_of_the_namespace(redis_namespace: str) -> None:
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as dd:
        for document in documents()[:3]:
            dd.add(document)
        dd.clear()
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert list(client.scan_iter(match=f"{redis_namespace}:*")) == []
    finally:
        client.close()


def _worker(
    namespace: str, worker: int, batch: int, barrier: multiprocessing.synchronize.Barrier, results
) -> None:
    """Adds its copy of each round's story, `batch` rounds per call (1: `add`, else `add_many`)."""
    with Deduplicator(redis_url=REDIS_URL, namespace=namespace) as dd:
        for first in range(0, ROUNDS, batch):
            docs = []
            for n in range(first, first + batch):
                body = story(500 + n, paragraphs=10)
                # Two outlets' copies of one story: the same body under different ids, slightly edited.
                copy = text(body if worker == 0 else [*body[:-1], "Our reporter adds local colour."])
                docs.append(Document(f"r{n}-w{worker}", copy, published_at=T0 + timedelta(days=n)))
            barrier.wait()
            verdicts = [dd.add(docs[0])] if batch == 1 else dd.add_many(docs)
            for n, verdict in enumerate(verdicts, start=first):
                results.put((n, worker, verdict.cluster_id, verdict.duplicate_of))


@pytest.mark.parametrize("batch", [1, 4])
def test_two_workers_racing_on_one_story_never_both_become_origin(redis_namespace: str, batch: int) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(redis_namespace, w, batch, barrier, results)) for w in (0, 1)
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
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as dd:
        for n in range(ROUNDS):
            pair = [dd.current(f"r{n}-w{worker}") for worker in (0, 1)]
            assert pair[0] is not None and pair[1] is not None
            assert pair[0].cluster_id == pair[1].cluster_id, (
                f"round {n}: copies landed in two clusters {pair}"
            )
            assert sum(v.duplicate_of is None for v in pair) == 1, f"round {n}: origins {pair}"


def test_an_id_another_worker_indexed_a_moment_ago_is_not_indexed_twice(
    redis_namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = documents()[0]
    with (
        Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as first,
        Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as second,
    ):
        verdict = first.add(doc)
        # The race: the second worker checked for the id just before the first one reserved it.
        monkeypatch.setattr(type(second._state), "__contains__", lambda self, doc_id: False)
        assert second.add(doc) == verdict  # not an "exact" match with itself
    client = redis.Redis.from_url(REDIS_URL)
    assert int(client.get(key_prefix(redis_namespace, DedupConfig()) + "seq")) == 1, "reserved once"
    client.close()


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_an_index_of_an_older_layout_is_dropped_unread_and_asks_for_a_restore(
    redis_namespace: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = DedupConfig()
    marker = tmp_path / "pwned"
    # datasketch's Redis storage, as the index kept its bands before; it pickles every key it stores.
    legacy = older_prefixes(redis_namespace, config)[0]
    old = MinHashLSH(
        num_perm=config.num_perm,
        params=(config.lsh_bands, config.lsh_rows),
        storage_config={"type": "redis", "basename": (legacy + "lsh").encode(), "redis": redis_params()},
    )
    signature = compute_signature(text(story(600)), config)
    old.insert(_Exploit(marker), signature.lean_minhash())
    for storage in [*old.hashtables, old.keys]:
        storage._redis.close()
    client = redis.Redis.from_url(REDIS_URL)
    client.set(legacy + "seq", 1)
    with caplog.at_level(logging.WARNING, logger="dedup.redis_state"):
        dd = Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace)
    with dd:
        assert dd.needs_restore
        assert "older layout" in caplog.text
        verdict = dd.add(Document("copy", text(story(600)), published_at=T0))
        assert verdict.match == "unique"
    assert not marker.exists()
    assert not list(client.scan_iter(match=legacy + "*"))
    client.close()
    with Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace) as again:
        assert not again.needs_restore and len(again) == 1


def test_an_index_whose_band_keys_the_script_named_in_decimal_is_rebuilt(redis_namespace: str) -> None:
    config = DedupConfig()
    layout_1 = f"{redis_namespace}:{{{redis_namespace}:{config.tag}}}:"  # before band keys were named in hex
    client = redis.Redis.from_url(REDIS_URL)
    client.set(layout_1 + "seq", 1)
    client.set(layout_1 + "b:3:412", b"\x00\x01\x00\x00\x00\x01")
    with Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace) as dd:
        assert dd.needs_restore and len(dd) == 0
    assert not list(client.scan_iter(match=layout_1.replace("{", "\\{").replace("}", "\\}") + "*"))
    client.close()


def redis_params() -> dict[str, Any]:
    parsed = parse_url(REDIS_URL)
    return {key: parsed[key] for key in ("host", "port", "db", "password") if key in parsed}


def test_bytes_written_into_the_band_tables_are_never_run(redis_namespace: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    body = text(story(700, paragraphs=8))
    client = redis.Redis.from_url(REDIS_URL)
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as dd:
        dd.add(Document("a", body, published_at=T0))
        bands = list(client.scan_iter(match=band_pattern(redis_namespace)))
        assert len(bands) == DedupConfig().lsh_bands + 1  # and the exact hash's
        for key in bands:
            client.append(key, pickle.dumps(_Exploit(marker)))
        verdict = dd.add(Document("b", body + " A syndicated copy.", published_at=T0))
    client.close()
    assert not marker.exists()
    assert verdict.cluster_id == "a"  # the planted bytes are read as (unknown) document numbers


def band_pattern(namespace: str) -> str:
    return key_prefix(namespace, DedupConfig()).replace("{", "\\{").replace("}", "\\}") + "b:*"


def test_eviction_cuts_a_document_out_of_the_band_tables(redis_namespace: str) -> None:
    config = DedupConfig(window=timedelta(days=1), retention_margin=timedelta(0))
    arrival = [T0.timestamp()]
    client = redis.Redis.from_url(REDIS_URL)
    body = text(story(410))
    with Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace, clock=lambda: arrival[0]) as dd:
        dd.add(Document("old", body, published_at=T0))
        arrival[0] += 3 * 86400
        dd.add(Document("new", text(story(411)), published_at=T0 + timedelta(days=3)))
        # A copy of the evicted one: writing to its band tables cuts the old record off.
        dd.add(Document("copy", body, published_at=T0 + timedelta(days=3)))
    held = [client.get(key) for key in client.scan_iter(match=band_pattern(redis_namespace))]
    client.close()
    assert held and all(len(value) % 6 == 0 and len(value) <= 12 for value in held)
    records = {value[i + 2 : i + 6] for value in held for i in range(0, len(value), 6)}
    assert records <= {(2).to_bytes(4, "big"), (3).to_bytes(4, "big")}, "only new's and copy's"


def test_every_key_of_an_index_shares_one_hash_tag(redis_namespace: str) -> None:
    """Redis Cluster runs a script only on keys of one slot: the index's keys must all hash alike."""
    with Deduplicator(redis_url=REDIS_URL, namespace=redis_namespace) as dd:
        for document in documents():
            dd.add(document)
    client = redis.Redis.from_url(REDIS_URL)
    keys = [key.decode() for key in client.scan_iter(match=f"{redis_namespace}:*")]
    client.close()
    tags = {key[key.index("{") + 1 : key.index("}")] for key in keys if "{" in key}
    assert len(keys) > 70 and all("{" in key for key in keys) and len(tags) == 1


def test_documents_reserved_in_a_pipeline_are_indexed_as_add_leaves_them(redis_namespace: str) -> None:
    from dedup.bands import index_bands
    from dedup.model import Entry
    from dedup.redis_state import RedisState

    config = DedupConfig()
    body = text(story(720, paragraphs=8))
    signature = compute_signature(body, config)
    assert signature.shingles is not None and signature.numbers is not None
    entry = Entry("bulk", signature.shingles.tobytes(), signature.numbers.tobytes(), signature.exact,
                  T0.timestamp(), None, time.time(), "")  # fmt: skip
    state = RedisState(REDIS_URL, redis_namespace, config)
    pipe = state.pipeline()
    state.queue_reserve(pipe, entry, index_bands(signature, config))
    pipe.execute()
    state.close()
    with Deduplicator(config, redis_url=REDIS_URL, namespace=redis_namespace) as dd:
        assert len(dd) == 1 and dd.current("bulk") is not None
        assert dd.add(Document("copy", body + " More.", published_at=T0)).cluster_id == "bulk"

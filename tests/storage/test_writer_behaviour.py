"""RunWriter: what it refuses, what it turns into JSON, and how it behaves under threads and failed puts."""

import pytest

from crawler.storage import Reader, RunWriter, StorageError
from tests.storage.factories import article, raw_for, write_run


def test_writer_rejects_record_without_id_or_unsafe_source(store):
    writer = RunWriter(store)
    with pytest.raises(StorageError, match="'id'"):
        writer.add_article({"source": "x"})
    with pytest.raises(StorageError, match="source id"):
        writer.add_article(article(1, source="../etc"))


def test_writer_rejects_unsafe_run_id(store):
    with pytest.raises(StorageError, match="run id"):
        RunWriter(store, run_id="../escape")


def test_writer_turns_dates_sets_and_dataclasses_into_json_and_rejects_other_objects(store):
    from dataclasses import dataclass
    from datetime import UTC, datetime

    @dataclass(frozen=True)
    class Member:
        id: str
        match: str

    writer = RunWriter(store)
    updated = datetime(2026, 11, 29, tzinfo=UTC)
    writer.add_cluster(
        {"id": "c1", "members": {"b", "a"}, "updated_at": updated, "lead": Member("a", "unique")}
    )
    with pytest.raises(StorageError, match="not JSON-serialisable"):
        writer.add_cluster({"id": "c2", "origin": object()})
    manifest = writer.commit({})
    assert manifest["key"] == f"manifests/{manifest['checkpoint']}.json"
    assert next(Reader(store).clusters())["members"] == ["a", "b"]
    assert next(Reader(store).clusters())["updated_at"] == "2026-11-29T00:00:00+00:00"
    assert next(Reader(store).clusters())["lead"] == {"id": "a", "match": "unique"}


def test_lone_surrogate_from_truncated_json_ld_is_stored_as_a_replacement_character(store):
    # JSON-LD cut in the middle of an emoji ("headline": "Breaking \\ud83d") decodes to a lone
    # surrogate, which no UTF-8 part can hold: the run must still commit, with U+FFFD in its place.
    record = article(1)
    record["title"] = "Breaking \ud83d"
    record["authors"] = ["Jane \udc00Doe"]
    write_run(store, [record, article(2)])
    stored = {r["id"]: r for r in Reader(store).articles()}
    assert stored[record["id"]]["title"] == "Breaking \ufffd"
    assert stored[record["id"]]["authors"] == ["Jane \ufffdDoe"]
    assert len(stored) == 2


def test_line_and_paragraph_separators_inside_values_read_back(store):
    # JSON keeps U+2028, U+2029 and U+0085 unescaped, and JSON-LD image captions carry them
    # through extraction; JSON Lines ends a record at "\\n" only.
    record = article(1)
    record["image"]["caption"] = "First line\u2028second line"
    record["image"]["credit"] = "Photo\u2029Agency\x85"
    write_run(store, [record, article(2)])
    stored = {r["id"]: r for r in Reader(store).articles()}
    assert stored[record["id"]]["image"] == record["image"]
    assert len(stored) == 2


def test_writer_accepts_articles_from_several_threads(store):
    from concurrent.futures import ThreadPoolExecutor

    writer = RunWriter(store, batch_size=7)
    records = [article(n) for n in range(60)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda r: writer.add_article(r, raw_for(r)), records))
    manifest = writer.commit({})
    stored = list(Reader(store).articles())
    assert len(stored) == manifest["counts"]["articles"] == 60
    reader = Reader(store)
    assert all(reader.raw(record).url == record["url"] for record in stored)


def test_flush_retried_after_a_failed_put_lists_each_object_once(store, monkeypatch):
    writer = RunWriter(store, batch_size=100)
    for n in range(3):
        writer.add_article(article(n), raw_for(article(n)))
    original = type(store)._put
    failures = []

    def flaky_put(self, key, data, sha256):
        if key.endswith(".parquet") and not failures:
            failures.append(key)
            raise StorageError("simulated outage")
        return original(self, key, data, sha256)

    monkeypatch.setattr(type(store), "_put", flaky_put)
    with pytest.raises(StorageError, match="simulated outage"):
        writer.flush()
    writer.flush()  # the caller retries: the WARC and JSONL part are already there, byte for byte
    manifest = writer.commit({})
    keys = [entry["key"] for entry in manifest["objects"]]
    assert len(keys) == len(set(keys)) == 3
    assert len(list(Reader(store).articles())) == 3


def test_articles_queue_while_a_full_batch_is_written_from_a_thread(store, monkeypatch):
    import threading

    writer = RunWriter(store, batch_size=2)
    original = type(store)._put
    writing, release = threading.Event(), threading.Event()

    def slow_put(self, key, data, sha256):
        writing.set()
        assert release.wait(10)
        return original(self, key, data, sha256)

    monkeypatch.setattr(type(store), "_put", slow_put)
    assert not writer.queue_article(article(0), raw_for(article(0)))
    assert writer.queue_article(article(1), raw_for(article(1)))
    flushing = threading.Thread(target=writer.flush)
    flushing.start()
    assert writing.wait(10)
    # The first batch is stuck in the store; the next articles still queue, into batch 2.
    for n in (2, 3, 4):
        writer.queue_article(article(n), raw_for(article(n)))
    release.set()
    flushing.join(10)
    manifest = writer.commit({})
    stored = list(Reader(store).articles())
    assert len(stored) == manifest["counts"]["articles"] == 5
    assert {record["warc"]["file"].split("/")[-1] for record in stored} == {
        name.split("/")[-1]
        for name in (entry["key"] for entry in manifest["objects"])
        if name.endswith(".warc.gz")
    }
    reader = Reader(store)
    assert all(reader.raw(record).url == record["url"] for record in stored)


def test_a_failed_commit_can_be_retried_but_takes_no_more_articles(store, monkeypatch):
    writer = RunWriter(store, batch_size=100)
    writer.add_article(article(0), raw_for(article(0)))
    original = type(store)._put
    failures = []

    def flaky_put(self, key, data, sha256):
        if not failures:
            failures.append(key)
            raise StorageError("simulated outage")
        return original(self, key, data, sha256)

    monkeypatch.setattr(type(store), "_put", flaky_put)
    with pytest.raises(StorageError, match="simulated outage"):
        writer.commit({})
    # The manifest could no longer list a late article, so none is taken.
    with pytest.raises(StorageError, match="being committed"):
        writer.queue_article(article(1))
    manifest = writer.commit({})
    assert manifest["counts"]["articles"] == 1
    assert [record["id"] for record in Reader(store).articles()] == [article(0)["id"]]

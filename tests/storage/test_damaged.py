"""Damaged objects in a store: manifests of the wrong shape, parts with a flipped bit or the wrong
shape inside. The Reader names them (DamagedObject) or skips them whole; `read` and `stats` give one
line without --skip-damaged and go on past them with it (exit code 3)."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from crawler.storage import ChecksumMismatch, DamagedObject, Reader, RunWriter
from crawler.storage.manifest import manifest_keys
from crawler.storage.records import encode_jsonl
from tests.storage.factories import article, cluster, flip_bit, overwrite
from tests.storage.test_cli import newscrawl

RECORDS, BATCH = 300, 20


def _run(store, records, batch_size=BATCH, clusters=()):
    writer = RunWriter(store, batch_size=batch_size)
    for record in records:
        writer.add_article(record)
    for item in clusters:
        writer.add_cluster(item)
    return writer.commit({})


def _articles(store, **kwargs):
    return [r["id"] for r in Reader(store, **kwargs).articles()]


WRONG_MANIFESTS = {
    "array": b"[1, 2, 3]",
    "truncated": b'{"schema_version": 1, "run_id": "x", "obj',
    "objects-not-a-list": json.dumps({"schema_version": 1, "objects": "all of them"}).encode(),
    "entry-without-sha256": None,  # built from the real manifest below
    "not-utf8": b"\xff\xfe{}",
}


@pytest.mark.parametrize("damage", sorted(WRONG_MANIFESTS))
def test_a_manifest_of_the_wrong_shape_is_named_or_skipped_whole(store, damage):
    first = _run(store, [article(1)])
    second = _run(store, [article(2)])
    data = WRONG_MANIFESTS[damage]
    if data is None:
        broken = {**second, "objects": [{**entry, "sha256": 7} for entry in second["objects"]]}
        data = json.dumps(broken).encode()
    overwrite(store, second["key"], data)
    with pytest.raises(DamagedObject, match=second["key"]) as raised:
        _articles(store)
    assert raised.value.key == second["key"]
    skipped = []
    assert _articles(store, on_damaged=skipped.append) == [article(1)["id"]]
    assert [e.key for e in skipped] == [second["key"]]
    assert [m["key"] for m in Reader(store, on_damaged=skipped.append).runs()] == [first["key"]]


def test_a_manifest_claiming_another_checkpoint_is_damaged(store):
    _run(store, [article(1)])
    second = _run(store, [article(2)])
    overwrite(
        store, second["key"], json.dumps({**second, "sequence": 1, "checkpoint": "000000000001"}).encode()
    )
    with pytest.raises(DamagedObject, match="checkpoint"):
        Reader(store).runs()


def test_a_flipped_bit_names_the_part_and_says_how_its_size_matched(store):
    manifest = _run(store, [article(n) for n in range(RECORDS)])
    part = Reader.article_entries(manifest)[1]
    flip_bit(store, part["key"])
    with pytest.raises(ChecksumMismatch, match="sha256 differs") as raised:
        _articles(store)
    assert raised.value.key == part["key"] and "vs" not in str(raised.value)


def test_skipping_a_flipped_part_returns_every_other_record(store):
    manifest = _run(store, [article(n) for n in range(RECORDS)])
    part = Reader.article_entries(manifest)[1]
    flip_bit(store, part["key"])
    skipped = []
    ids = _articles(store, on_damaged=skipped.append)
    assert len(ids) == RECORDS - part["records"] and [e.key for e in skipped] == [part["key"]]


@pytest.mark.parametrize(
    "payload",
    [
        b"garbage",
        gzip.compress(b"[1,2,3]\n"),
        gzip.compress(b'{"id": 5, "source": "x"}\n'),
        gzip.compress(b"{"),
    ],
    ids=["not-gzip", "array", "id-not-a-string", "truncated-json"],
)
def test_a_part_that_matches_no_checksum_is_still_checked_for_shape(store, payload):
    # verify=False reads what is there; a part of the wrong shape must still not reach the caller.
    manifest = _run(store, [article(1), article(2)], batch_size=1)
    part = Reader.article_entries(manifest)[0]
    overwrite(store, part["key"], payload)
    with pytest.raises(DamagedObject, match=part["key"]):
        list(Reader(store).articles(verify=False))
    skipped = []
    assert len(list(Reader(store, on_damaged=skipped.append).articles(verify=False))) == 1
    assert [e.key for e in skipped] == [part["key"]]


def test_a_cluster_part_of_the_wrong_shape_is_damaged(store):
    manifest = _run(store, [article(1)], clusters=[cluster("c1", ["a"], "t")])
    entry = next(e for e in manifest["objects"] if e["kind"] == "clusters")
    forged = encode_jsonl([{"id": "c1", "members": "a"}])
    overwrite(store, entry["key"], forged)
    with pytest.raises(DamagedObject, match="members"):
        list(Reader(store).clusters(verify=False))


def _flip_a_part(store):
    manifest = _run(store, [article(n) for n in range(RECORDS)])
    part = Reader.article_entries(manifest)[1]
    flip_bit(store, part["key"])
    return part


def test_read_names_the_damaged_part_and_the_flag_without_a_traceback(store, store_uri, child_env):
    part = _flip_a_part(store)
    result = newscrawl("read", "--store", store_uri, env=child_env)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and part["key"] in stderr and "--skip-damaged" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_read_skip_damaged_goes_on_reports_and_exits_3(store, store_uri, child_env):
    part = _flip_a_part(store)
    result = newscrawl("read", "--store", store_uri, "--skip-damaged", env=child_env)
    stderr = result.stderr.decode()
    assert result.returncode == 3, stderr
    assert len(result.stdout.decode().splitlines()) == RECORDS - part["records"]
    assert f"skipped damaged {part['key']}" in stderr
    assert "skipped 1 damaged object" in stderr and "Traceback" not in stderr


def test_stats_handles_a_damaged_manifest_the_same_way(store, store_uri, child_env):
    _run(store, [article(1)])
    second = _run(store, [article(2)])
    overwrite(store, second["key"], b"[1, 2, 3]")
    plain = newscrawl("stats", "--store", store_uri, "--json", env=child_env)
    stderr = plain.stderr.decode()
    assert plain.returncode == 1 and "Traceback" not in stderr
    assert second["key"] in stderr and "--skip-damaged" in stderr
    skipping = newscrawl("stats", "--store", store_uri, "--json", "--skip-damaged", env=child_env)
    assert skipping.returncode == 3, skipping.stderr.decode()
    assert json.loads(skipping.stdout)["articles"] == 1
    assert skipping.stderr.decode().count(f"skipped damaged {second['key']}") == 1
    assert manifest_keys(store)[-1] == second["key"]  # left where it is, for a person to look at


def test_a_part_its_manifest_lists_but_the_store_lost_is_damaged(store, store_uri):
    manifest = _run(store, [article(1), article(2)], batch_size=1)
    part = Reader.article_entries(manifest)[0]
    if store_uri.startswith("file://"):
        os.unlink(store.url(part["key"]))
    else:
        store.client.delete_object(Bucket=store.bucket, Key=store.prefix + part["key"])
    with pytest.raises(DamagedObject, match="missing"):
        _articles(store)
    assert len(_articles(store, on_damaged=lambda error: None)) == 1

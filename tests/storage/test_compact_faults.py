"""`compact` killed mid-run, meeting damage, or read while it runs: it changes nothing readers see."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from typing import Any

from crawler.storage import Reader, Store, open_store
from crawler.storage.compaction import compact
from tests.storage.compaction_days import (
    DAY,
    commit_run,
    hourly_day,
    newscrawl,
    read_records,
)
from tests.storage.factories import article, flip_bit
from tests.storage.stepped_child import start_child, step


def _compact_child(store_uri: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """A compaction in a child process that stops before each write until told to go on."""
    return start_child("tests.storage.compact_child", store_uri, env)


def test_kill_9_mid_compaction_changes_nothing_readers_see(store, store_uri, child_env):
    hourly_day(store, sources=3, runs=4)
    before, urls = read_records(store), Reader(store).parquet_urls()
    child = _compact_child(store_uri, child_env)
    assert step(child).startswith("put articles/")
    assert step(child).startswith("put articles/")
    child.stdin.write("go\n")  # the third part's write starts; the kill lands during or after it
    child.stdin.flush()
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL

    assert read_records(store) == before and Reader(store).parquet_urls() == urls
    assert len(Reader(store).runs()) == 4
    assert compact(store).written == 3  # a later compaction finishes the job
    assert read_records(store) == before


def test_a_damaged_part_is_left_in_place_and_reported(store):
    hourly_day(store, sources=2, runs=3)
    reader = Reader(store)
    entries = reader.current_entries(reader.runs())
    damaged = next(e for e in entries if e["source"] == "outlet-000")
    twin = next(e for e in entries if e["source"] == "outlet-001")
    twin_parquet = twin["key"].replace(".jsonl.gz", ".parquet")
    flip_bit(store, damaged["key"])
    flip_bit(store, twin_parquet)  # the JSON Lines part is fine; its Parquet copy is not
    before = _records_skipping(store)

    result = compact(store)

    assert sorted(error.key for error in result.damaged) == sorted([damaged["key"], twin_parquet])
    assert (result.partitions, result.superseded) == (2, 4)
    left = {e["key"] for e in reader.current_entries(reader.runs())}
    assert {damaged["key"], twin["key"]} <= left
    assert any(url.endswith(twin_parquet) for url in Reader(store).parquet_urls())
    assert _records_skipping(store) == before


def _records_skipping(store: Store) -> list[str]:
    reader = Reader(store, on_damaged=lambda error: None)
    return sorted(json.dumps(r, sort_keys=True) for r in reader.articles())


def test_a_compaction_manifest_validates_and_a_bad_supersedes_is_damage(tmp_path):
    from tests.storage.test_schemas import _validator

    store = open_store(str(tmp_path))
    hourly_day(store, sources=1, runs=2)
    compact(store)
    manifest = Reader(store).runs()[-1]
    _validator("manifest").validate(manifest)
    assert manifest["supersedes"] and {e["rank"] for e in manifest["objects"]} == {2}


def test_readers_during_a_compaction_and_a_crawl_committed_meanwhile(store, store_uri, child_env):
    """Reads between the compaction's writes equal those before; a run committed while it worked,
    with a newer copy of an article it is compacting, still wins after."""
    hourly_day(store, sources=2, runs=3)
    before = read_records(store)
    child = _compact_child(store_uri, child_env)
    assert step(child).startswith("put articles/")
    assert read_records(store) == before
    newer = article(1, source="outlet-000", day=DAY, run_tag=" newer")
    newer["fetched_at"] = "2026-12-01T00:00:00Z"
    commit_run(store, [newer])
    latest = {json.loads(r)["id"]: r for r in before} | {newer["id"]: _json(newer)}
    expected = sorted(latest.values())
    for _ in range(3):  # the remaining parts
        assert step(child).startswith("put articles/")
        assert read_records(store) == expected
    child.stdin.write("go\n")  # the manifest
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.splitlines()[-1].startswith("done 0")
    assert read_records(store) == expected
    assert [r["text"] for r in Reader(store).articles() if r["id"] == newer["id"]] == [newer["text"]]


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True)


def test_compact_names_a_damaged_part_and_exits_3(tmp_path):
    uri = f"file://{tmp_path / 'store'}"
    with open_store(uri) as store:
        hourly_day(store, sources=1, runs=3)
        reader = Reader(store)
        damaged = reader.current_entries(reader.runs())[0]["key"]
        flip_bit(store, damaged)
    result = newscrawl("compact", "--store", uri, env=dict(os.environ))
    assert result.returncode == 3, result.stderr
    assert "compacted 2 parts of 1 partition into 1 (2 articles)" in result.stderr
    assert f"newscrawl compact: left damaged {damaged} in" in result.stderr
    assert "Traceback" not in result.stderr

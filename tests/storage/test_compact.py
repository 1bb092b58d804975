"""`compact`: a day of many small parts read back as one part per source, with the same records,
on both backends; killed, repeated, or meeting damage, it changes nothing readers see."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crawler.storage import Reader, RunWriter, Store, open_store
from crawler.storage.compaction import compact
from tests.storage.factories import article, flip_bit

ROOT = Path(__file__).resolve().parents[2]
DAY = "2016-08-27"
SOURCES, RUNS = 200, 24


def _run(store: Store, records: list[dict[str, Any]]) -> dict[str, Any]:
    writer = RunWriter(store, batch_size=len(records) + 1)
    for record in records:
        writer.add_article(record)
    return writer.commit({})


def _hourly_day(store: Store, sources: int = SOURCES, runs: int = RUNS) -> None:
    """`runs` crawls of `sources` outlets, one tiny article each per run; the last run re-fetches
    every outlet's first article with new text, so which copy wins is tested too."""
    for hour in range(runs):
        records = [article(hour, source=f"outlet-{s:03d}", day=DAY) for s in range(sources)]
        if hour == runs - 1:
            for s in range(sources):
                updated = article(0, source=f"outlet-{s:03d}", day=DAY, run_tag=" updated")
                updated["fetched_at"] = "2026-11-30T00:00:00Z"
                records.append(updated)
        _run(store, records)


def _records(store: Store, **filters: Any) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in Reader(store).articles(**filters))


def _files_per_source(store: Store, kind: str) -> Counter[str]:
    reader = Reader(store)
    return Counter(entry["source"] for entry in reader.current_entries(reader.runs(), kind=kind))


def test_a_day_of_200_sources_by_24_runs_reads_back_as_one_file_per_source(store):
    _hourly_day(store)
    before = _records(store)
    assert _files_per_source(store, "articles-parquet") == Counter(
        {f"outlet-{s:03d}": RUNS for s in range(SOURCES)}
    )

    result = compact(store, day=date.fromisoformat(DAY))

    assert (result.partitions, result.superseded, result.written) == (SOURCES, SOURCES * RUNS, SOURCES)
    for kind in ("articles", "articles-parquet"):
        assert set(_files_per_source(store, kind).values()) == {1}
    after = _records(store)
    assert len(after) == SOURCES * RUNS and after == before
    assert all("updated" in r["text"] for r in Reader(store).articles() if r["title"] == "Story 0")
    assert compact(store).checkpoint is None  # nothing left to do


def _duckdb_latest(store: Store) -> set[tuple[str, str]]:
    """The README recipe: the manifests' Parquet list, latest fetched_at per id."""
    with duckdb.connect() as con:
        return set(
            con.execute(
                "SELECT id, arg_max(text, fetched_at) FROM read_parquet(?, hive_partitioning = true) "
                "GROUP BY id",
                [Reader(store).parquet_urls()],
            ).fetchall()
        )


def newscrawl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, env=env, text=True
    )


def test_read_and_duckdb_give_the_same_records_before_and_after(tmp_path):
    child_env = dict(os.environ)
    uri = f"file://{tmp_path / 'store'}"
    with open_store(uri) as store:
        _hourly_day(store, sources=5, runs=6)
        duck_before = _duckdb_latest(store)
        urls_before = len(Reader(store).parquet_urls())
    read_before = newscrawl("read", "--store", uri, env=child_env)
    stats_before = json.loads(newscrawl("stats", "--store", uri, "--json", env=child_env).stdout)

    compacted = newscrawl("compact", "--store", uri, "--date", DAY, env=child_env)
    assert compacted.returncode == 0, compacted.stderr
    assert "compacted 30 parts of 5 partitions into 5 (30 articles)" in compacted.stderr
    read_after = newscrawl("read", "--store", uri, env=child_env)

    assert sorted(read_after.stdout.splitlines()) == sorted(read_before.stdout.splitlines())
    stats_after = json.loads(newscrawl("stats", "--store", uri, "--json", env=child_env).stdout)
    for field in ("articles", "duplicates", "per_day", "per_source"):
        assert stats_after[field] == stats_before[field]
    assert len(read_after.stdout.splitlines()) == 30
    with open_store(uri) as store:
        assert _duckdb_latest(store) == duck_before and len(duck_before) == 30
        assert (urls_before, len(Reader(store).parquet_urls())) == (30, 5)
    again = newscrawl("compact", "--store", uri, env=child_env)
    assert again.returncode == 0 and "nothing to compact" in again.stderr


def test_source_and_date_choose_the_partitions(store):
    _hourly_day(store, sources=2, runs=2)
    assert compact(store, day=date(2016, 8, 28)).checkpoint is None
    assert compact(store, source="outlet-001").partitions == 1
    assert _files_per_source(store, "articles") == Counter({"outlet-000": 2, "outlet-001": 1})


def test_target_bytes_splits_a_partition_into_a_few_parts(store):
    _hourly_day(store, sources=1, runs=8)
    result = compact(store, target_bytes=1)  # every input is over the target: as many outputs as inputs
    assert result.written == 8 and result.articles == 8


def _step(process: subprocess.Popen[str]) -> str:
    process.stdin.write("go\n")
    process.stdin.flush()
    return process.stdout.readline().strip()


def _compact_child(store_uri: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """A compaction in a child process that stops before each write until told to go on."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage.compact_child", store_uri],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_mid_compaction_changes_nothing_readers_see(store, store_uri, child_env):
    _hourly_day(store, sources=3, runs=4)
    before, urls = _records(store), Reader(store).parquet_urls()
    child = _compact_child(store_uri, child_env)
    assert _step(child).startswith("put articles/")
    assert _step(child).startswith("put articles/")
    child.stdin.write("go\n")  # the third part's write starts; the kill lands during or after it
    child.stdin.flush()
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL

    assert _records(store) == before and Reader(store).parquet_urls() == urls
    assert len(Reader(store).runs()) == 4
    assert compact(store).written == 3  # a later compaction finishes the job
    assert _records(store) == before


def test_a_damaged_part_is_left_in_place_and_reported(store):
    _hourly_day(store, sources=2, runs=3)
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


def test_a_later_copy_filed_elsewhere_still_wins(store):
    """Run 3 re-files article 0 under another date; the compacted day ranks as run 2, so it loses."""
    _run(store, [article(0, day=DAY)])
    _run(store, [article(1, day=DAY)])
    moved = article(0, day=DAY, run_tag=" moved")
    moved["published_at"] = "2016-08-28T09:00:00Z"
    _run(store, [moved])
    before = _records(store)
    assert compact(store).partitions == 1
    assert _records(store) == before
    assert [r["text"] for r in Reader(store).articles() if r["id"] == moved["id"]] == [moved["text"]]


def test_a_part_whose_article_a_newer_run_filed_elsewhere_is_held_back(store):
    _run(store, [article(0, day=DAY)])
    moved = article(0, day=DAY, run_tag=" moved")
    moved["published_at"] = "2016-08-28T09:00:00Z"
    _run(store, [moved])
    _run(store, [article(1, day=DAY)])
    _run(store, [article(2, day=DAY)])
    before, day_before = _records(store), _records(store, since=date(2016, 8, 27), until=date(2016, 8, 27))

    result = compact(store)

    assert (result.partitions, result.superseded, len(result.held_back)) == (1, 2, 1)
    assert _records(store) == before
    assert _records(store, since=date(2016, 8, 27), until=date(2016, 8, 27)) == day_before


def test_the_change_feed_is_the_same_after_compaction(store):
    first = _run(store, [article(0, day=DAY)])
    _run(store, [article(1, day=DAY)])
    _run(store, [article(2, day=DAY)])
    feed = _records(store, after=first["checkpoint"])
    compact(store)
    assert _records(store, after=first["checkpoint"]) == feed
    compaction = Reader(store).runs()[-1]
    assert "supersedes" in compaction and list(Reader(store).run_articles(compaction)) == []


@pytest.mark.parametrize("bad", [["--target-bytes", "0"], ["--date", "yesterday"]])
def test_compact_refuses_bad_input_with_one_line(tmp_path, bad):
    result = newscrawl("compact", "--store", f"file://{tmp_path}", *bad, env=dict(os.environ))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_compaction_manifest_validates_and_a_bad_supersedes_is_damage(tmp_path):
    from tests.storage.test_schemas import _validator

    store = open_store(str(tmp_path))
    _hourly_day(store, sources=1, runs=2)
    compact(store)
    manifest = Reader(store).runs()[-1]
    _validator("manifest").validate(manifest)
    assert manifest["supersedes"] and {e["rank"] for e in manifest["objects"]} == {2}


def test_readers_during_a_compaction_and_a_crawl_committed_meanwhile(store, store_uri, child_env):
    """Reads between the compaction's writes equal those before; a run committed while it worked,
    with a newer copy of an article it is compacting, still wins after."""
    _hourly_day(store, sources=2, runs=3)
    before = _records(store)
    child = _compact_child(store_uri, child_env)
    assert _step(child).startswith("put articles/")
    assert _records(store) == before
    newer = article(1, source="outlet-000", day=DAY, run_tag=" newer")
    newer["fetched_at"] = "2026-12-01T00:00:00Z"
    _run(store, [newer])
    latest = {json.loads(r)["id"]: r for r in before} | {newer["id"]: _json(newer)}
    expected = sorted(latest.values())
    for _ in range(3):  # the remaining parts
        assert _step(child).startswith("put articles/")
        assert _records(store) == expected
    child.stdin.write("go\n")  # the manifest
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.splitlines()[-1].startswith("done 0")
    assert _records(store) == expected
    assert [r["text"] for r in Reader(store).articles() if r["id"] == newer["id"]] == [newer["text"]]


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True)


def test_compact_names_a_damaged_part_and_exits_3(tmp_path):
    uri = f"file://{tmp_path / 'store'}"
    with open_store(uri) as store:
        _hourly_day(store, sources=1, runs=3)
        reader = Reader(store)
        damaged = reader.current_entries(reader.runs())[0]["key"]
        flip_bit(store, damaged)
    result = newscrawl("compact", "--store", uri, env=dict(os.environ))
    assert result.returncode == 3, result.stderr
    assert "compacted 2 parts of 1 partition into 1 (2 articles)" in result.stderr
    assert f"newscrawl compact: left damaged {damaged} in" in result.stderr
    assert "Traceback" not in result.stderr

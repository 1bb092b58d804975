"""`compact`: a day of many small parts read back as one part per source, with the same records,
on both backends; killed, repeated, or meeting damage, it changes nothing readers see."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date

import duckdb
import pytest

from crawler.storage import Reader, Store, open_store
from crawler.storage.compaction import compact
from tests.storage.compaction_days import (
    DAY,
    RUNS,
    SOURCES,
    commit_run,
    files_per_source,
    hourly_day,
    newscrawl,
    read_records,
)
from tests.storage.factories import article


def test_a_day_of_200_sources_by_24_runs_reads_back_as_one_file_per_source(store):
    hourly_day(store)
    before = read_records(store)
    assert files_per_source(store, "articles-parquet") == Counter(
        {f"outlet-{s:03d}": RUNS for s in range(SOURCES)}
    )

    result = compact(store, day=date.fromisoformat(DAY))

    assert (result.partitions, result.superseded, result.written) == (SOURCES, SOURCES * RUNS, SOURCES)
    for kind in ("articles", "articles-parquet"):
        assert set(files_per_source(store, kind).values()) == {1}
    after = read_records(store)
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


def test_read_and_duckdb_give_the_same_records_before_and_after(tmp_path):
    child_env = dict(os.environ)
    uri = f"file://{tmp_path / 'store'}"
    with open_store(uri) as store:
        hourly_day(store, sources=5, runs=6)
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
    hourly_day(store, sources=2, runs=2)
    assert compact(store, day=date(2016, 8, 28)).checkpoint is None
    assert compact(store, source="outlet-001").partitions == 1
    assert files_per_source(store, "articles") == Counter({"outlet-000": 2, "outlet-001": 1})


def test_target_bytes_splits_a_partition_into_a_few_parts(store):
    hourly_day(store, sources=1, runs=8)
    result = compact(store, target_bytes=1)  # every input is over the target: as many outputs as inputs
    assert result.written == 8 and result.articles == 8


def test_a_later_copy_filed_elsewhere_still_wins(store):
    """Run 3 re-files article 0 under another date; the compacted day ranks as run 2, so it loses."""
    commit_run(store, [article(0, day=DAY)])
    commit_run(store, [article(1, day=DAY)])
    moved = article(0, day=DAY, run_tag=" moved")
    moved["published_at"] = "2016-08-28T09:00:00Z"
    commit_run(store, [moved])
    before = read_records(store)
    assert compact(store).partitions == 1
    assert read_records(store) == before
    assert [r["text"] for r in Reader(store).articles() if r["id"] == moved["id"]] == [moved["text"]]


def test_a_part_whose_article_a_newer_run_filed_elsewhere_is_held_back(store):
    commit_run(store, [article(0, day=DAY)])
    moved = article(0, day=DAY, run_tag=" moved")
    moved["published_at"] = "2016-08-28T09:00:00Z"
    commit_run(store, [moved])
    commit_run(store, [article(1, day=DAY)])
    commit_run(store, [article(2, day=DAY)])
    before, day_before = (
        read_records(store),
        read_records(store, since=date(2016, 8, 27), until=date(2016, 8, 27)),
    )

    result = compact(store)

    assert (result.partitions, result.superseded, len(result.held_back)) == (1, 2, 1)
    assert read_records(store) == before
    assert read_records(store, since=date(2016, 8, 27), until=date(2016, 8, 27)) == day_before


def test_the_change_feed_is_the_same_after_compaction(store):
    first = commit_run(store, [article(0, day=DAY)])
    commit_run(store, [article(1, day=DAY)])
    commit_run(store, [article(2, day=DAY)])
    feed = read_records(store, after=first["checkpoint"])
    compact(store)
    assert read_records(store, after=first["checkpoint"]) == feed
    compaction = Reader(store).runs()[-1]
    assert "supersedes" in compaction and list(Reader(store).run_articles(compaction)) == []


@pytest.mark.parametrize("bad", [["--target-bytes", "0"], ["--date", "yesterday"]])
def test_compact_refuses_bad_input_with_one_line(tmp_path, bad):
    result = newscrawl("compact", "--store", f"file://{tmp_path}", *bad, env=dict(os.environ))
    assert result.returncode == 2 and "Traceback" not in result.stderr

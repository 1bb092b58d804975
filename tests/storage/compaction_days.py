"""A day of hourly runs for the compaction tests, and the CLI they run it through."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from crawler.storage import Reader, RunWriter, Store
from tests.storage.factories import article

ROOT = Path(__file__).resolve().parents[2]
DAY = "2016-08-27"
SOURCES, RUNS = 200, 24


def commit_run(store: Store, records: list[dict[str, Any]]) -> dict[str, Any]:
    writer = RunWriter(store, batch_size=len(records) + 1)
    for record in records:
        writer.add_article(record)
    return writer.commit({})


def hourly_day(store: Store, sources: int = SOURCES, runs: int = RUNS) -> None:
    """`runs` crawls of `sources` outlets, one tiny article each per run; the last run re-fetches
    every outlet's first article with new text, so which copy wins is tested too."""
    for hour in range(runs):
        records = [article(hour, source=f"outlet-{s:03d}", day=DAY) for s in range(sources)]
        if hour == runs - 1:
            for s in range(sources):
                updated = article(0, source=f"outlet-{s:03d}", day=DAY, run_tag=" updated")
                updated["fetched_at"] = "2026-11-30T00:00:00Z"
                records.append(updated)
        commit_run(store, records)


def read_records(store: Store, **filters: Any) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in Reader(store).articles(**filters))


def files_per_source(store: Store, kind: str) -> Counter[str]:
    reader = Reader(store)
    return Counter(entry["source"] for entry in reader.current_entries(reader.runs(), kind=kind))


def newscrawl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, env=env, text=True
    )

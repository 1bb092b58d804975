"""How much faster a compacted day reads: 200 sources x 24 hourly runs of tiny articles written
through the writer API, read before and after `compact`, in one process run. Prints a table.

Reads timed: the Reader (`newscrawl read`'s path, JSON Lines parts) and DuckDB over the manifests'
Parquet list (the README recipe). Each is the best of `--repeat` reads.

    python bench/compact.py [--s3] [--sources 200] [--runs 24] [--repeat 3]

`--s3` also runs it on a private SeaweedFS; the ratio is before/after read time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from crawler.storage import Reader, RunWriter, Store, open_store  # noqa: E402
from crawler.storage.compaction import compact  # noqa: E402
from tests.storage.factories import article  # noqa: E402
from tests.support.seaweed import running_seaweed  # noqa: E402

DAY = "2016-08-27"


def fill(store: Store, sources: int, runs: int) -> None:
    for hour in range(runs):
        writer = RunWriter(store, batch_size=sources + 1)
        for s in range(sources):
            writer.add_article(article(hour, source=f"outlet-{s:03d}", day=DAY))
        writer.commit({})


def best(repeat: int, read: Callable[[], int]) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = read()
        times.append(time.perf_counter() - start)
    return min(times), count


def reader_read(store: Store) -> int:
    return sum(
        1 for _ in Reader(store).articles(since=date.fromisoformat(DAY), until=date.fromisoformat(DAY))
    )


def duckdb_read(store: Store) -> int:
    urls = Reader(store).parquet_urls(since=date.fromisoformat(DAY), until=date.fromisoformat(DAY))
    with duckdb.connect() as con:
        row = con.execute("SELECT count(DISTINCT id) FROM read_parquet(?)", [urls]).fetchone()
    return int(row[0]) if row else 0


def measure(uri: str, sources: int, runs: int, repeat: int) -> list[str]:
    """Fill a fresh store at `uri`, compact it, and return the table rows of its reads."""
    store = open_store(uri)
    start = time.perf_counter()
    fill(store, sources, runs)
    print(f"{uri}: wrote {sources} sources x {runs} runs in {time.perf_counter() - start:.1f} s")
    readers = {"Reader (newscrawl read)": reader_read}
    if uri.startswith("file://"):  # DuckDB's S3 support is an extension download
        readers["DuckDB over parquet_urls"] = duckdb_read
    before = {name: best(repeat, lambda r=read: r(store)) for name, read in readers.items()}
    files_before = len(Reader(store).parquet_urls())
    start = time.perf_counter()
    result = compact(store, day=date.fromisoformat(DAY))
    took = time.perf_counter() - start
    files_after = len(Reader(store).parquet_urls())
    after = {name: best(repeat, lambda r=read: r(store)) for name, read in readers.items()}
    store.close()
    print(f"  compact: {result.superseded} parts -> {result.written} in {took:.1f} s")
    backend = uri.split("://", 1)[0]
    rows = []
    for name in readers:
        (t0, n0), (t1, n1) = before[name], after[name]
        assert n0 == n1, f"{name}: {n0} records before, {n1} after"
        rows.append(
            f"{backend:<5} {name:<26} {files_before:>6} {files_after:>6} {t0:>9.3f} {t1:>9.3f} "
            f"{t0 / t1:>8.1f}x {n1:>8}"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--runs", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--s3", action="store_true", help="also on a private SeaweedFS (weed mini)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        rows += measure(f"file://{scratch}/store", args.sources, args.runs, args.repeat)
        if args.s3:
            with running_seaweed("newscrawl-bench") as server:
                os.environ.update(server.env())
                rows += measure(f"s3://{server.bucket}/bench", args.sources, args.runs, args.repeat)
    print(
        f"\n{'store':<5} {'read of the day':<26} {'files':>6} {'after':>6} {'before s':>9} {'after s':>9} "
        f"{'ratio':>9} {'records':>8}"
    )
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

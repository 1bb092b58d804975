"""The shared dedup index alone, on synthetic signatures of 600-word articles: Redis bytes per article
(INFO used_memory, MEMORY USAGE by key role) at growing sizes, insert+query throughput with 1, 2 and 4
worker processes, `add` beside `add_many`, and the rate at each size against the first. Baseline in the
same run: plain datasketch MinHashLSH on Redis (bands alone). Used by `bench/redis_memory.py --index`.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from datasketch import MinHashLSH
from redis.connection import parse_url

from dedup import DedupConfig, Deduplicator, Document
from dedup.bands import index_bands
from dedup.entries import complete_signature, make_entry
from dedup.model import Entry
from dedup.redis_client import drop_keys
from dedup.redis_state import RedisState

T0 = datetime(2026, 3, 1, tzinfo=UTC)
BATCH = 500
# The window is what bounds a real index; the bench keeps everything it adds.
CONFIG = DedupConfig(window=timedelta(days=3650))
ROLES = (
    ("b:", "band tables"),
    ("d:", "documents (encoded entries)"),
    ("i:", "id → sequence number"),
    ("p:", "placements (linked documents)"),
    ("m:", "cluster members"),
    ("adj:", "verified links"),
)


def batches(seed: int, start: int, count: int) -> Any:
    """`BATCH` (document, signature, is a copy) at a time: `dedup_speed.synthetic_signatures`."""
    from dedup_speed import synthetic_signatures  # bench/ is on sys.path when run as a script

    return synthetic_signatures(seed, start, count)


def _fill(dd: Deduplicator, state: RedisState, batch: list[tuple[Document, Any, bool]], link: bool) -> None:
    """What `add` leaves in Redis: documents that match nothing through the reserve script, pipelined
    (their verdict is "alone" as reserved), then the copies through `add`, which links them; without
    `link` the copies too are only reserved (regrouping under the lock is what a loaded machine runs
    slowest)."""
    pipe = state.pipeline()
    for document, signature, copy in batch:
        if not copy or not link:
            assert document.published_at is not None and signature.shingles is not None
            entry = Entry(document.id, signature.shingles.tobytes(), signature.numbers.tobytes(), signature.exact,
                          document.published_at.timestamp(), None, time.time(), "")  # fmt: skip
            state.queue_reserve(pipe, entry, index_bands(signature, CONFIG))
    pipe.execute()
    for document, signature, copy in batch:
        if copy and link:
            dd.add(document, signature)


def _worker(
    url: str, namespace: str, seed: int, count: int, timed: bool, link: bool, barrier: Any, results: Any,
    batch: int = 1,
) -> None:  # fmt: skip
    # Timed rows compute every signature before the clock starts; fills stream batches untimed. A
    # `batch` of 1 adds one document at a time (`add`), more reserves them together (`add_many`).
    ready = [item for batch in batches(seed, 0, count) for item in batch] if timed else []
    if ready:
        # Builds the text tables a process builds once (Unicode digits, ~0.1 s) before the clock starts.
        make_entry(ready[0][0], complete_signature(ready[0][0], ready[0][1], CONFIG), CONFIG, 0.0)
    state = RedisState(url, namespace, CONFIG)
    with Deduplicator(CONFIG, redis_url=url, namespace=namespace) as dd:
        barrier.wait()
        start, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(ready), batch):
            part = ready[first : first + batch]
            if batch == 1:
                dd.add(part[0][0], part[0][1])
            else:
                dd.add_many([document for document, _, _ in part], [signature for _, signature, _ in part])
        for batch in [] if timed else batches(seed, 0, count):
            _fill(dd, state, batch, link)
        results.put((time.perf_counter() - start, time.process_time() - cpu))
    state.close()


def run_workers(
    url: str, namespace: str, workers: int, per_worker: int, seed0: int, timed: bool = True, link: bool = True,
    batch: int = 1,
) -> float:  # fmt: skip
    """Articles per second over all workers."""
    return run_measured(url, namespace, workers, per_worker, seed0, timed, link, batch)[0]


def run_measured(
    url: str, namespace: str, workers: int, per_worker: int, seed0: int, timed: bool = True, link: bool = True,
    batch: int = 1,
) -> tuple[float, float, float]:  # fmt: skip
    """Articles per second over all workers; client CPU µs per article; Redis CPU µs per article
    (the server process's, INFO cpu: it counts whatever else the server ran meanwhile, so give the
    bench a Redis of its own)."""
    client = redis.Redis.from_url(url)
    before = _server_usec(client)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers + 1), context.Queue()
    processes = [
        context.Process(
            target=_worker, args=(url, namespace, seed0 + w, per_worker, timed, link, barrier, results, batch)
        )
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=3600)
    start = time.perf_counter()
    cpu = sum(results.get(timeout=36000)[1] for _ in processes)
    elapsed = time.perf_counter() - start
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise SystemExit(f"a bench worker failed (exit {process.exitcode})")
    articles = workers * per_worker
    server = (_server_usec(client) - before) / articles
    client.close()
    return articles / elapsed, cpu / articles * 1e6, server


def _server_usec(client: redis.Redis) -> float:
    # Not INFO commandstats: a command a script runs is counted there and again in the script's time.
    cpu = client.info("cpu")
    return (float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])) * 1e6


def usage_by_role(client: redis.Redis, namespace: str) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    batch: list[bytes] = []

    def flush() -> None:
        pipe = client.pipeline(transaction=False)
        for key in batch:
            pipe.memory_usage(key, samples=0)
        for key, used in zip(batch, pipe.execute(), strict=True):
            totals[_role(key.decode("latin-1"))] += used or 0
        batch.clear()

    for key in client.scan_iter(match=f"{namespace}:*", count=5000):
        batch.append(key)
        if len(batch) >= 5000:
            flush()
    flush()
    return totals


def _role(key: str) -> str:
    tail = key.rsplit("}:", 1)[-1]
    for marker, role in ROLES:
        if tail.startswith(marker):
            return role
    return "counters, lock"


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def datasketch_baseline(url: str, count: int) -> float:
    """Bytes per article (INFO used_memory) of plain datasketch MinHashLSH on Redis storage."""
    client = redis.Redis.from_url(url)
    basename = f"newscrawl-bench-{uuid.uuid4().hex[:8]}:lsh".encode()
    parsed = parse_url(url)
    params = {key: parsed[key] for key in ("host", "port", "db", "password") if key in parsed}
    lsh = MinHashLSH(num_perm=CONFIG.num_perm, params=(CONFIG.lsh_bands, CONFIG.lsh_rows), prepickle=False,
                     storage_config={"type": "redis", "basename": basename, "redis": params})  # fmt: skip
    before = used_memory(client)
    try:
        for batch in batches(7, 0, count):
            with lsh.insertion_session() as session:
                for document, signature, _ in batch:
                    session.insert(document.id.encode(), signature.lean_minhash(), check_duplication=False)
        return (used_memory(client) - before) / count
    finally:
        drop_keys(client, basename.decode())
        for storage in [*lsh.hashtables, lsh.keys]:
            storage._redis.close()
        client.close()


def memory_table(url: str, sizes: list[int], workers: int, probe: int, linked_until: int, batch: int) -> None:
    """Fill one namespace to each size with `workers` processes; print bytes per article by role, then
    time `probe` articles per worker from 4 workers at that size, added one at a time and in batches
    of `batch`. Copies are linked (added) up to `linked_until` articles, only reserved beyond."""
    client = redis.Redis.from_url(url)
    namespace = f"newscrawl-bench-{uuid.uuid4().hex[:8]}"
    baseline = datasketch_baseline(url, min(sizes[0], 2_000))
    print(f"\nbaseline: plain datasketch MinHashLSH on Redis (bands only): {baseline:,.0f} bytes/article")
    rows: list[tuple[int, float, float, float, float]] = []
    before = used_memory(client)
    try:
        count = 0
        for size in sizes:
            per_worker = (size - count) // workers
            link = count + per_worker * workers <= linked_until
            run_workers(url, namespace, workers, per_worker, seed0=100 + count, timed=False, link=link)
            count += per_worker * workers
            grown = used_memory(client) - before
            usage = usage_by_role(client, namespace)
            total = sum(usage.values())
            print(
                f"\n{count:,} articles: INFO used_memory grew {grown:,} bytes, {grown / count:,.0f} per article"
            )
            print(f"{'key role (MEMORY USAGE)':<40}{'bytes':>14}{'per article':>13}")
            for role, used in sorted(usage.items(), key=lambda item: -item[1]):
                print(f"{role:<40}{used:>14,}{used / count:>13,.0f}")
            print(f"{'total':<40}{total:>14,}{total / count:>13,.0f}", flush=True)
            rates = []
            for size_of_batch in (1, batch):
                rates.append(run_workers(url, namespace, 4, probe, seed0=10_000 + count, batch=size_of_batch))
                count += 4 * probe
            rows.append((size, total / size, grown / size, *rates))
            print(f"insert+query at {size:,}, 4 workers: {rates[0]:,.0f}/s one at a time, "
                  f"{rates[1]:,.0f}/s in batches of {batch}", flush=True)  # fmt: skip
    finally:
        drop_keys(client, namespace)
        client.close()
    print(f"\n{'index size':>12}{'MEMORY USAGE B/art':>20}{'used_memory B/art':>19}{'vs datasketch':>15}"
          f"{'add/s (4w)':>12}{'vs first':>10}{'batch/s (4w)':>14}{'vs first':>10}")  # fmt: skip
    for size, per_key, per_info, one, many in rows:
        print(f"{size:>12,}{per_key:>20,.0f}{per_info:>19,.0f}{per_info / baseline:>15.2f}{one:>12,.0f}"
              f"{one / rows[0][3]:>10.2f}{many:>14,.0f}{many / rows[0][4]:>10.2f}")  # fmt: skip


def throughput_table(url: str, per_worker: int, batch: int) -> None:
    """Insert+query with 1, 2 and 4 workers on a fresh index each row: documents added one at a time
    (`add`, two round trips each) beside the same documents in batches (`add_many`)."""
    client = redis.Redis.from_url(url)
    print(f"\ninsert+query, {per_worker} articles per worker, fresh index each row")
    print(
        f"{'workers':>8}{'path':>12}{'articles/s':>12}{'vs add':>8}{'client CPU µs/art':>19}{'Redis µs/art':>14}"
    )
    for workers in (1, 2, 4):
        first = None
        for size_of_batch in (1, batch):
            namespace = f"newscrawl-bench-{uuid.uuid4().hex[:8]}"
            try:
                rate, cpu, server = run_measured(url, namespace, workers, per_worker, 0, batch=size_of_batch)
            finally:
                drop_keys(client, namespace)
            first = first or rate
            path = "add" if size_of_batch == 1 else f"add_many {size_of_batch}"
            print(f"{workers:>8}{path:>12}{rate:>12,.0f}{rate / first:>8.2f}{cpu:>19,.0f}{server:>14,.0f}",
                  flush=True)  # fmt: skip
    client.close()

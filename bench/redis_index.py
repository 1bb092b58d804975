"""The shared dedup index alone, without a crawl: Redis bytes per indexed article by key role, and
insert+query throughput with several worker processes, for the compact band tables and datasketch's
Redis storage. Used by `bench/redis_memory.py --index`.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import redis

from dedup import DedupConfig, Deduplicator, Document
from dedup.bulk import compute_signatures

T0 = datetime(2026, 3, 1, tzinfo=UTC)
BATCH = 500
# The window is what bounds a real index; the bench keeps everything it adds.
CONFIG = DedupConfig(window=timedelta(days=3650))
ROLES = (
    ("band:", "band tables"),
    ("lsh", "band tables"),
    ("claim:", "band claims"),
    ("doc:", "documents (shingles, figures, place)"),
    ("id:", "sequence → id"),
    ("mem:", "cluster members"),
    ("adj:", "verified links"),
    ("timeline", "arrival timeline"),
)


def _documents(seed: int, start: int, count: int) -> list[tuple[Document, Any]]:
    """`count` synthetic 600-word articles with signatures; every tenth an edited copy of an earlier one."""
    from dedup_speed import Articles  # bench/ is on sys.path when run as a script

    articles = Articles(seed)
    out: list[tuple[Document, Any]] = []
    earlier: list[str] = []
    for low in range(0, count, BATCH):
        texts = articles.texts(min(BATCH, count - low))
        for n, text in enumerate(texts):
            if n % 10 == 5 and earlier:
                copied = earlier[n % len(earlier)]
                texts[n] = copied[: len(copied) // 2] + " " + text[:1500]
            elif n % 50 == 0:
                earlier = [*earlier[-20:], text]
        for n, (text, signature) in enumerate(zip(texts, compute_signatures(texts, CONFIG), strict=True)):
            number = start + low + n
            document = Document(f"w{seed}-{number}", text, published_at=T0 + timedelta(seconds=number))
            out.append((document, signature))
    return out


def _worker(
    url: str, namespace: str, compact: bool, seed: int, count: int, barrier: Any, results: Any
) -> None:
    documents = _documents(seed, 0, count)
    with Deduplicator(CONFIG, redis_url=url, namespace=namespace, compact=compact) as dd:
        barrier.wait()
        start = time.perf_counter()
        for document, signature in documents:
            dd.add(document, signature)
        results.put(time.perf_counter() - start)


def run_workers(
    url: str, namespace: str, compact: bool, workers: int, per_worker: int, seed0: int = 0
) -> float:
    """Articles per second over all workers (signatures computed before the clock starts)."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers + 1), context.Queue()
    processes = [
        context.Process(
            target=_worker, args=(url, namespace, compact, seed0 + w, per_worker, barrier, results)
        )
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=3600)
    start = time.perf_counter()
    for _ in processes:
        results.get(timeout=36000)
    elapsed = time.perf_counter() - start
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise SystemExit(f"a bench worker failed (exit {process.exitcode})")
    return workers * per_worker / elapsed


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
    tail = key.rsplit("}:", 1)[-1].rsplit(":dedup:", 1)[-1]
    for marker, role in ROLES:
        if marker in tail:
            return role
    return "other state"


def drop(client: redis.Redis, namespace: str) -> None:
    batch = []
    for key in client.scan_iter(match=f"{namespace}:*", count=5000):
        batch.append(key)
        if len(batch) >= 5000:
            client.delete(*batch)
            batch = []
    if batch:
        client.delete(*batch)


def memory_table(url: str, sizes: list[int], compact: bool, workers: int) -> None:
    """Fill one namespace to each size with `workers` processes; print bytes per article by role."""
    client = redis.Redis.from_url(url)
    namespace = f"newscrawl-bench-{uuid.uuid4().hex[:8]}"
    layout = "compact" if compact else "datasketch"
    try:
        count = 0
        for size in sizes:
            per_worker = (size - count) // workers
            rate = run_workers(url, namespace, compact, workers, per_worker, seed0=100 + count)
            count += per_worker * workers
            usage = usage_by_role(client, namespace)
            total = sum(usage.values())
            print(f"\n{layout} layout, {count:,} articles ({workers} workers filling at {rate:,.0f}/s)")
            print(f"{'key role':<40}{'bytes':>14}{'per article':>13}")
            for role, used in sorted(usage.items(), key=lambda item: -item[1]):
                print(f"{role:<40}{used:>14,}{used / count:>13,.0f}")
            print(f"{'total':<40}{total:>14,}{total / count:>13,.0f}", flush=True)
    finally:
        drop(client, namespace)
        client.close()


def throughput_table(url: str, per_worker: int, compact: bool) -> None:
    layout = "compact" if compact else "datasketch"
    client = redis.Redis.from_url(url)
    print(f"\ninsert+query, {layout} layout, {per_worker} articles per worker, fresh index each row")
    print(f"{'workers':>8}{'articles/s':>12}{'vs 1':>8}")
    first = None
    for workers in (1, 2, 4):
        namespace = f"newscrawl-bench-{uuid.uuid4().hex[:8]}"
        try:
            rate = run_workers(url, namespace, compact, workers, per_worker)
        finally:
            drop(client, namespace)
        first = first or rate
        print(f"{workers:>8}{rate:>12,.0f}{rate / first:>8.2f}", flush=True)
    client.close()

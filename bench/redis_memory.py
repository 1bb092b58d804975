"""What the Redis frontier costs in Redis memory: per URL in the seen-set, per queued request, and
per article in the shared dedup index. Crawls N synthetic pages with `--frontier` on a private key
prefix, measures `MEMORY USAGE` by key role, then deletes its keys.

    python bench/redis_memory.py [--n 1000] [--redis redis://127.0.0.1:6379/0]

`--index SIZE ...` measures the dedup index alone (no crawl): bytes per article by key role at each
size and the 4-worker insert+query rate there (`--probe` articles per worker), then throughput with 1,
2 and 4 worker processes on a fresh index, beside plain datasketch MinHashLSH on Redis; each rate one
document at a time (`add`) beside batches of `--batch` (`add_many`).

    python bench/redis_memory.py --index 10000 100000 1000000 --fill-workers 2 --per-worker 3000
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from scrapy import Request  # noqa: E402
from throughput_pages import synthetic_network  # noqa: E402

from crawler.demo.server import DemoNetwork  # noqa: E402
from crawler.discovery.announce import Announcement  # noqa: E402
from crawler.spiders.news import NewsSpider  # noqa: E402


def role(key: bytes, prefix: str) -> str:
    text = key.decode("latin-1")
    if text.endswith(":news:seen"):
        return "seen-set"
    if text.startswith(f"{prefix}:dedup"):
        return "dedup index"
    return "other"


def usage_by_role(client: redis.Redis, prefix: str) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        totals[role(key, prefix)] += client.memory_usage(key, samples=0) or 0
    return totals


def queued_request_bytes(client: redis.Redis, prefix: str, count: int = 1000) -> float:
    """Push `count` typical article requests into a sorted set, as the frontier queue does."""
    spider = NewsSpider()
    key = f"{prefix}:bench-queue"
    for i in range(count):
        url = f"https://example.com/2026/11/29/a-typical-article-slug-of-some-length-{i}/"
        announcement = Announcement(url=url, via="feed", title="A typical headline of a news article")
        request = Request(url, callback=spider.parse_article, errback=spider.article_failed,
                          meta={"source_id": "example-news", "newscrawl_kind": "article", "announcement": announcement})  # fmt: skip
        data = pickle.dumps(request.to_dict(spider=spider), protocol=-1)
        client.zadd(key, {data: 0})
    size = client.memory_usage(key, samples=0) or 0
    client.delete(key)
    return size / count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--index", type=int, nargs="*", help="index sizes to measure (no crawl)")
    parser.add_argument("--linked-until", type=int, default=10**9, help="link copies up to this size")
    parser.add_argument("--probe", type=int, default=2500, help="articles per worker, rate at each size")
    parser.add_argument("--fill-workers", type=int, default=2)
    parser.add_argument("--per-worker", type=int, default=3000, help="articles per worker, throughput rows")
    parser.add_argument("--batch", type=int, default=100, help="documents per add_many, beside add")
    args = parser.parse_args()
    if args.index is not None:
        from redis_index import memory_table, throughput_table

        if args.per_worker:
            throughput_table(args.redis, args.per_worker, args.batch)
        if args.index:
            memory_table(
                args.redis, sorted(args.index), args.fill_workers, args.probe, args.linked_until, args.batch
            )
        return
    client = redis.Redis.from_url(args.redis)
    prefix = f"newscrawl-bench-{uuid.uuid4().hex[:8]}"
    try:
        with DemoNetwork(synthetic_network(args.n)) as network, tempfile.TemporaryDirectory() as tmp:
            registry = Path(tmp) / "sources.toml"
            registry.write_text(network.registry_toml())
            command = [sys.executable, "-m", "crawler", "crawl", "--sources", str(registry), "--store",
                       f"file://{tmp}/store", "--allow-private", "--frontier", args.redis, "--frontier-prefix",
                       prefix, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                       "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=ERROR"]  # fmt: skip
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        seen_urls = client.scard(f"{prefix}:news:seen")
        usage = usage_by_role(client, prefix)
        per_request = queued_request_bytes(client, prefix)
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    print(f"N={args.n} articles; {seen_urls} URLs in the seen-set")
    print(f"{'what':<34} {'bytes':>12} {'per item':>10}")
    print(
        f"{'seen-set (request fingerprints)':<34} {usage['seen-set']:>12} {usage['seen-set'] / max(seen_urls, 1):>10.0f}"
    )
    print(
        f"{'dedup index (LSH bands + state)':<34} {usage['dedup index']:>12} {usage['dedup index'] / args.n:>10.0f}"
    )
    print(f"{'queued request (while waiting)':<34} {'':>12} {per_request:>10.0f}")
    print(f"{'other (host delays, leases)':<34} {usage['other']:>12}")


if __name__ == "__main__":
    main()

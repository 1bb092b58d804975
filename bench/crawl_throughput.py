"""Crawl throughput against the extraction-only limit, and peak memory, for N article pages.

Serves N realistic article pages (three outlet templates, feeds and sitemaps) on 127.0.0.1, crawls
them end to end with `newscrawl crawl` into a file:// store with politeness delays off, and runs
the same pages through the same extraction in the same number of processes without crawling.

    python bench/crawl_throughput.py --n 2000 --n 10000 [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.demo.network import DemoArticle, NetworkData, Outlet  # noqa: E402
from crawler.demo.server import DemoNetwork  # noqa: E402
from crawler.extract import ExtractionDrop, ExtractOptions  # noqa: E402
from crawler.processing import process_page  # noqa: E402
from dedup import DedupConfig  # noqa: E402

WORDS = [
    "government",
    "minister",
    "said",
    "officials",
    "talks",
    "agreement",
    "trade",
    "market",
    "prices",
    "report",
    "week",
    "year",
    "city",
    "council",
    "police",
    "court",
    "region",
    "company",
    "workers",
    "union",
    "energy",
    "oil",
    "gas",
    "power",
    "water",
    "rain",
    "flood",
    "school",
    "hospital",
    "election",
    "party",
    "vote",
    "leader",
    "president",
    "border",
    "security",
    "army",
    "ship",
    "port",
    "bank",
    "rate",
    "growth",
    "farmers",
    "crops",
    "export",
    "import",
    "tax",
    "budget",
    "plan",
    "project",
    "road",
    "rail",
    "bridge",
    "airport",
    "tourism",
    "climate",
    "research",
    "study",
    "scientists",
    "data",
    "health",
    "vaccine",
    "patients",
    "doctors",
    "children",
    "families",
    "residents",
]


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def synthetic_network(n: int, seed: int = 7) -> NetworkData:
    rng = random.Random(seed)
    outlets = (Outlet("bench-wp", "Bench Post", "wordpress"), Outlet("bench-ld", "Bench Ledger", "jsonld"),
               Outlet("bench-plain", "Bench Times", "plain"))  # fmt: skip
    now = datetime.now(UTC).replace(microsecond=0)
    articles = []
    for i in range(n):
        articles.append(DemoArticle(
            outlet=outlets[i % 3].id, slug=f"story-{i}", story=f"s{i}", title=f"Story number {i}: " + paragraph(rng)[:60],
            author="Bench Writer", category="News", published=now - timedelta(minutes=i),
            paragraphs=tuple(paragraph(rng) for _ in range(rng.randint(6, 9))), dateline=None,
            credit=None, caption=None, agency=None,
        ))  # fmt: skip
    return NetworkData(outlets, tuple(articles))


class TreeMemory:
    """Peak of the summed resident memory of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kib, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, frontier = [self.pid], [self.pid]
        while frontier:
            pid = frontier.pop()
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            pids += [int(c) for c in children]
            frontier += [int(c) for c in children]
        return pids

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    pass
            self.peak_kib = max(self.peak_kib, total)
            time.sleep(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


def crawl(network: DemoNetwork, workers: int, workdir: Path) -> tuple[float, float, str]:
    registry = workdir / "sources.toml"
    registry.write_text(network.registry_toml())
    args = [sys.executable, "-m", "crawler", "crawl", "--sources", str(registry), "--store",
            f"file://{workdir / 'store'}", "--allow-private", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
            "-s", f"EXTRACT_WORKERS={workers}", "-s", "LOG_LEVEL=ERROR"]  # fmt: skip
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"crawl failed:\n{err[-2000:]}")
    return elapsed, peak, out


def _one(args: tuple[bytes, str]) -> int:
    body, url = args
    try:
        process_page(body, url, "text/html; charset=utf-8", 200, ExtractOptions(), DedupConfig())
    except ExtractionDrop:
        return 0
    return 1


def extraction_limit(network: DemoNetwork, workers: int) -> float:
    pages = [(site.pages[a.path][1], site.base_url + a.path)
             for site in network.sites.values() for a in network.data.articles_of(site.outlet.id)]  # fmt: skip
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_one, pages[: workers * 4]))  # warm the workers up, as a crawl's would be
        start = time.perf_counter()
        done = sum(pool.map(_one, pages, chunksize=8))
        elapsed = time.perf_counter() - start
    assert done == len(pages), f"only {done} of {len(pages)} pages extracted"
    return len(pages) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, action="append", help="pages to serve (repeatable)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    rows = []
    for n in args.n or [2000]:
        with DemoNetwork(synthetic_network(n)) as network, tempfile.TemporaryDirectory() as tmp:
            limit = extraction_limit(network, args.workers)
            elapsed, peak_mib, summary = crawl(network, args.workers, Path(tmp))
            stored = next(int(line.split()[-1]) for line in summary.splitlines() if "articles stored" in line)
            rows.append((n, stored, stored / elapsed, limit, peak_mib))
    print(f"workers={args.workers}  cores={os.cpu_count()}")
    print(
        f"{'N':>7} {'stored':>7} {'crawl p/s':>10} {'extract-only p/s':>17} {'ratio':>6} {'peak RSS MiB':>13}"
    )
    for n, stored, rate, limit, peak in rows:
        print(f"{n:>7} {stored:>7} {rate:>10.1f} {limit:>17.1f} {rate / limit:>6.2f} {peak:>13.0f}")


if __name__ == "__main__":
    main()

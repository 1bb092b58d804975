"""Crawl throughput against the extraction-only limit, and peak memory, for N article pages.

Serves N realistic article pages (three outlet templates, feeds and sitemaps) on 127.0.0.1, crawls
them end to end with `newscrawl crawl` into a file:// store with politeness delays off, and runs
the same pages through the same extraction in the same number of processes without crawling.

    python bench/crawl_throughput.py --n 2000 --n 10000 [--workers 2] [--repeat 3]
    python bench/crawl_throughput.py --n 2000 --pages ../shared/eval/aeb/html   # real pages

With --repeat K the limit and the crawl run K times each, alternately, and the table gives medians
and the range of the ratio: this host's speed drifts by ±10% over minutes, and alternating puts the
drift into both sides.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from throughput_pages import add_clutter, extracts, synthetic_network, use_real_pages  # noqa: E402

from crawler.demo.server import DemoNetwork  # noqa: E402


class TreeMemory:
    """Peak of the summed resident memory of a process and its descendants, and the CPU seconds each
    used (the last sample before it exited), sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kib, self._stop = pid, 0, threading.Event()
        self.cpu_seconds: dict[int, float] = {}
        self._ticks = os.sysconf("SC_CLK_TCK")
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
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self.cpu_seconds[pid] = (int(fields[11]) + int(fields[12])) / self._ticks
                except OSError:
                    pass
            self.peak_kib = max(self.peak_kib, total)
            time.sleep(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


def crawl(network: DemoNetwork, workers: int, workdir: Path) -> tuple[float, float, float, float, str]:
    """Run the crawl; returns (seconds, peak RSS MiB, crawl-process CPU s, worker CPU s, summary)."""
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
    own = memory.cpu_seconds.pop(process.pid, 0.0)
    return elapsed, peak, own, sum(memory.cpu_seconds.values()), out


def article_pages(network: DemoNetwork) -> list[tuple[bytes, str]]:
    """(body, url) of every article page the network serves."""
    return [(site.pages[a.path][1], site.base_url + a.path)
            for site in network.sites.values() for a in network.data.articles_of(site.outlet.id)]  # fmt: skip


def extraction_limit(network: DemoNetwork, workers: int) -> float:
    pages = article_pages(network)
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(extracts, pages[: workers * 4]))  # warm the workers up, as a crawl's would be
        start = time.perf_counter()
        done = sum(pool.map(extracts, pages, chunksize=8))
        elapsed = time.perf_counter() - start
    assert done == len(pages), f"only {done} of {len(pages)} pages extracted"
    return len(pages) / elapsed


def bare_fetch_cpu(network: DemoNetwork, workdir: Path) -> float:
    """CPU seconds a bare Scrapy process spends fetching the article pages and nothing else: the floor
    under the crawl process's own cost (no robots.txt, discovery, extraction, dedup or storage)."""
    urls = workdir / "urls.txt"
    urls.write_text("\n".join(url for _, url in article_pages(network)))
    done = subprocess.run([sys.executable, __file__, "--bare-fetch", str(urls)],
                          cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    return float(done.stdout.split()[-1])


def bare_fetch(urls_file: str) -> None:
    """Child side of `bare_fetch_cpu`: fetch every URL with the crawl's concurrency, print CPU seconds."""
    import resource

    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = Path(urls_file).read_text().split()

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):  # type: ignore[override]
            for url in urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):  # type: ignore[override]
            return []

    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                              "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "COOKIES_ENABLED": False,
                              "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False})  # fmt: skip
    process.crawl(BareSpider)
    process.start()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(usage.ru_utime + usage.ru_stime)


@dataclass
class Run:
    """One alternation: the extraction limit, then the crawl, then the bare fetch, on the same pages."""

    limit: float  # extract-only pages/s
    rate: float  # crawl: stored articles/s, end to end
    stored: int
    peak_mib: float
    own_cpu: float  # crawl process, s
    worker_cpu: float  # its workers, s
    bare_cpu: float  # bare Scrapy fetch, s


def measure(network: DemoNetwork, workers: int, workdir: Path) -> Run:
    workdir.mkdir()
    limit = extraction_limit(network, workers)
    elapsed, peak_mib, own_cpu, worker_cpu, summary = crawl(network, workers, workdir)
    stored = next(int(line.split()[-1]) for line in summary.splitlines() if "articles stored" in line)
    bare_cpu = bare_fetch_cpu(network, workdir)
    return Run(limit, stored / elapsed, stored, peak_mib, own_cpu, worker_cpu, bare_cpu)


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, action="append", help="pages to serve (repeatable)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per N, alternating limit and crawl")
    parser.add_argument("--pages", type=Path, metavar="DIR",
                        help="serve these real article pages (*.html[.gz], e.g. ../shared/eval/aeb/html) instead")  # fmt: skip
    parser.add_argument("--bare-fetch", metavar="URLS_FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_fetch:
        bare_fetch(args.bare_fetch)
        return
    rows, cpu_rows = [], []
    for n in args.n or [2000]:
        with DemoNetwork(synthetic_network(n)) as network, tempfile.TemporaryDirectory() as tmp:
            page_bytes = use_real_pages(network, args.pages) if args.pages else add_clutter(network)
            runs = [measure(network, args.workers, Path(tmp) / f"run{k}") for k in range(args.repeat)]
        ratios = [run.rate / run.limit for run in runs]
        rows.append((n, f"{page_bytes / 1024:.0f}", min(run.stored for run in runs),
                     f"{median(run.rate for run in runs):.1f}",
                     f"{median(run.limit for run in runs):.1f}", f"{median(ratios):.2f}",
                     f"{min(ratios):.2f}-{max(ratios):.2f}", f"{max(run.peak_mib for run in runs):.0f}"))  # fmt: skip
        extract_ms = median(1e3 * args.workers / run.limit for run in runs)
        bare_ms = median(1e3 * run.bare_cpu / n for run in runs)
        cpu_rows.append((n, f"{median(1e3 * run.own_cpu / run.stored for run in runs):.1f}", f"{bare_ms:.1f}",
                         f"{median(1e3 * run.worker_cpu / run.stored for run in runs):.1f}", f"{extract_ms:.1f}",
                         f"{extract_ms / (extract_ms + bare_ms):.2f}"))  # fmt: skip
    print(f"workers={args.workers}  cores={os.cpu_count()}")
    print(f"medians of {args.repeat} run(s) per N; ratio range: lowest-highest of the runs")
    line = "{:>7} {:>8} {:>7} {:>10} {:>17} {:>6} {:>12} {:>13}"
    print(
        line.format(
            "N", "page KB", "stored", "crawl p/s", "extract-only p/s", "ratio", "ratio range", "peak RSS MiB"
        )
    )
    for row in rows:
        print(line.format(*row))
    # With every core busy, pages/s = cores / CPU per page, so the ratio cannot exceed
    # extract-only / (extract-only + the crawl process's own CPU per page); Scrapy alone sets a floor
    # under the latter, whatever newscrawl does.
    print("\nCPU ms per page (sampled from /proc)")
    line = "{:>7} {:>11} {:>11} {:>9} {:>13} {:>23}"
    print(
        line.format("N", "crawl proc", "bare Scrapy", "workers", "extract-only", "ratio bound, bare Scrapy")
    )
    for row in cpu_rows:
        print(line.format(*row))
    print("crawl proc: Scrapy, guards, dedup, storage; bare Scrapy: the same pages fetched by a spider that")
    print("does nothing else; workers: extraction + signatures during the crawl. With all cores busy the")
    print("ratio is at most extract-only / (extract-only + crawl proc), and never above the last column.")


if __name__ == "__main__":
    main()

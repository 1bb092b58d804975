"""Dedup speed and memory: signatures/s on 600-word articles (newscrawl vs datasketch's per-shingle
MinHash.update loop), insert+query time per document at growing index sizes, resident memory per doc.

Run: python bench/dedup_speed.py [--sizes 10000 100000] [--probe 1000]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from datasketch import MinHash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dedup import DedupConfig, Deduplicator, Document, compute_signature
from dedup.bulk import compute_signatures

WORDS = 600
VOCABULARY = 30_000
T0 = datetime(2026, 3, 1, tzinfo=UTC)


class Articles:
    """Synthetic 600-word articles: Zipf-distributed words, so unrelated texts share few 5-grams."""

    def __init__(self, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        lengths = rng.integers(2, 10, VOCABULARY)
        self.vocab = ["".join(rng.choice(letters, n)) for n in lengths]
        ranks = np.arange(1, VOCABULARY + 1)
        self.p = (1 / ranks) / (1 / ranks).sum()
        self.rng = rng

    def text(self) -> str:
        picks = self.rng.choice(VOCABULARY, WORDS, p=self.p)
        words = [self.vocab[i] for i in picks]
        return "\n\n".join(" ".join(words[i : i + 100]) + "." for i in range(0, WORDS, 100))


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def datasketch_signature(text: str) -> MinHash:
    """datasketch's documented way: one SHA-1 update per shingle."""
    words = text.lower().split()
    minhash = MinHash(num_perm=128)
    for i in range(len(words) - 4):
        minhash.update(" ".join(words[i : i + 5]).encode("utf-8"))
    return minhash


def signature_table(articles: Articles, count: int) -> None:
    texts = [articles.text() for _ in range(count)]
    config = DedupConfig()
    start = time.perf_counter()
    for text in texts:
        compute_signature(text, config)
    ours = count / (time.perf_counter() - start)
    compute_signatures(texts[:500], config)  # grow the cached power tables outside the timing
    start = time.perf_counter()
    for i in range(0, count, 500):
        compute_signatures(texts[i : i + 500], config)
    bulk = count / (time.perf_counter() - start)
    sample = texts[: max(1, count // 5)]
    start = time.perf_counter()
    for text in sample:
        datasketch_signature(text)
    theirs = len(sample) / (time.perf_counter() - start)
    print(f"signatures of {WORDS}-word articles, one core ({count} texts)")
    print(f"{'method':<44}{'sig/s':>10}{'ratio':>8}")
    print(f"{'datasketch MinHash.update per shingle':<44}{theirs:>10.0f}{1.0:>8.2f}")
    print(f"{'newscrawl compute_signature (numpy, OPH)':<44}{ours:>10.0f}{ours / theirs:>8.2f}")
    print(f"{'newscrawl bulk.compute_signatures (500/call)':<44}{bulk:>10.0f}{bulk / theirs:>8.2f}\n")


def index_table(articles: Articles, sizes: list[int], probe: int) -> None:
    """Grow one index; at each size, time `probe` new documents (query + verify + insert)."""
    config = DedupConfig(window=timedelta(days=3650))
    dd = Deduplicator(config)
    gc.collect()
    base_rss = rss_bytes()
    print(f"insert + query per document (probe of {probe}; 10% of probes are edited copies)")
    print(f"{'index size':>12}{'µs/doc':>10}{'vs first':>10}{'RSS MB':>10}{'KB/doc':>9}")
    first = None
    count = 0
    measured: list[tuple[int, float, float]] = []
    recent: list[str] = []
    for size in sizes:
        while count < size:
            text = articles.text()
            dd.add(Document(f"d{count}", text, published_at=T0 + timedelta(seconds=count)))
            if count % 97 == 0:
                recent = [*recent[-50:], text]
            count += 1
        docs = []
        for n in range(probe):
            if n % 10 == 0 and recent:
                text = recent[n % len(recent)]
                text = text[: len(text) // 2] + " " + articles.text()[:1500]
            else:
                text = articles.text()
            docs.append(Document(f"p{size}-{n}", text, published_at=T0 + timedelta(seconds=count + n)))
        signatures = [compute_signature(d.text, config) for d in docs]
        start = time.perf_counter()
        for document, signature in zip(docs, signatures, strict=True):
            dd.add(document, signature)
        per_doc = (time.perf_counter() - start) / probe * 1e6
        count += probe
        first = first or per_doc
        gc.collect()
        used = rss_bytes() - base_rss
        ratio, megabytes, per_kb = per_doc / first, used / 2**20, used / count / 1024
        print(f"{size:>12,}{per_doc:>10.0f}{ratio:>10.2f}{megabytes:>10.0f}{per_kb:>9.1f}")
        measured.append((size, per_doc, per_kb))
    if len(measured) >= 2 and measured[-1][0] < 1_000_000:
        # 1M in memory needs ~25 GB here; extrapolate time linearly in log(size) from the measured
        # points (hash-table lookups are O(1); candidates per query do not grow with unrelated docs).
        slope, intercept = np.polyfit(np.log10([m[0] for m in measured]), [m[1] for m in measured], 1)
        estimate = slope * 6 + intercept
        per_kb = measured[-1][2]
        megabytes = per_kb * 1e6 / 1024
        print(f"{'1,000,000*':>12}{estimate:>10.0f}{estimate / first:>10.2f}{megabytes:>10.0f}{per_kb:>9.1f}")
        print("* extrapolated from the rows above (log-linear fit of time; memory at the last row's KB/doc)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--probe", type=int, default=1000)
    parser.add_argument("--signatures", type=int, default=3000)
    args = parser.parse_args()
    articles = Articles()
    signature_table(articles, args.signatures)
    index_table(articles, sorted(args.sizes), args.probe)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Dedup speed and memory: signatures/s on 600-word articles (newscrawl vs datasketch's per-shingle
MinHash.update loop), insert+query time per document at growing index sizes, resident memory per doc,
beside plain datasketch MinHashLSH (in-memory dict storage, bands only) measured in the same run.

Run: python bench/dedup_speed.py [--sizes 10000 100000 1000000] [--probe 1000] [--fill-only]
The default run fills one in-memory index to 1M documents; `--sizes 10000 50000` is a quick check.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dedup import DedupConfig, Deduplicator, Document, compute_signature
from dedup.bulk import compute_signatures
from dedup.signature import SHINGLE_BITS, Signature

WORDS = 600
VOCABULARY = 30_000
T0 = datetime(2026, 3, 1, tzinfo=UTC)
FILL_BATCH = 500
_LIBC = ctypes.CDLL(ctypes.util.find_library("c"))


class Articles:
    """Synthetic 600-word articles: Zipf-distributed words, so unrelated texts share few 5-grams."""

    def __init__(self, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        lengths = rng.integers(2, 10, VOCABULARY)
        self.vocab = np.array(["".join(rng.choice(letters, n)) for n in lengths], dtype=object)
        ranks = np.arange(1, VOCABULARY + 1)
        self.p = (1 / ranks) / (1 / ranks).sum()
        self.rng = rng

    def texts(self, count: int) -> list[str]:
        """`count` articles from one draw: `choice` with `p` builds its cumulative table per call, which
        cost more than the rest of a document when it was called once per article."""
        picks = self.rng.choice(VOCABULARY, (count, WORDS), p=self.p)
        return [_paragraphs(words) for words in self.vocab[picks].tolist()]


def synthetic_signatures(
    seed: int, start: int, count: int
) -> Iterator[list[tuple[Document, Signature, bool]]]:
    """Signatures drawn directly, as a 600-word article's would be: ~600 shingle fingerprints uniform
    over SHINGLE_BITS, 128 MinHash values, an exact hash; every tenth an edited copy of an earlier one
    (half its shingles, a third of its MinHash values), flagged. An index's cost depends on the
    signatures alone, and signing a million texts would take most of an hour on a shared machine."""
    # Seeded by (seed, start): a fill resumed at `start` draws new articles, not the first ones again
    # (which made every later article an exact copy of an earlier one, linked into ever larger groups).
    rng = np.random.default_rng((seed, start))
    earlier: list[Signature] = []
    config = DedupConfig()
    for low in range(start, start + count, FILL_BATCH):
        out = []
        for number in range(low, min(low + FILL_BATCH, start + count)):
            shingles = np.unique(rng.integers(0, 2**SHINGLE_BITS, WORDS)).astype(np.uint32)
            hashvalues = rng.integers(0, 2**32, config.num_perm, dtype=np.uint64)
            copy = number % 10 == 5 and bool(earlier)
            if copy:
                base = earlier[number % len(earlier)]
                assert base.shingles is not None
                half = base.shingles[: len(base.shingles) // 2]
                shingles = np.union1d(half, shingles[: len(shingles) // 2]).astype(np.uint32)
                hashvalues = np.where(rng.random(config.num_perm) < 1 / 3, base.hashvalues, hashvalues)
            signature = Signature(
                config.tag, hashvalues, shingles, rng.bytes(16).hex(), np.zeros(0, np.uint32)
            )
            if number % 50 == 0:
                earlier = [*earlier[-20:], signature]
            document = Document(f"w{seed}-{number}", "", published_at=T0 + timedelta(seconds=number))
            out.append((document, signature, copy))
        yield out


def _paragraphs(words: list[str]) -> str:
    return "\n\n".join(" ".join(words[i : i + 100]) + "." for i in range(0, WORDS, 100))


def rss_bytes() -> int:
    """Resident memory once garbage and the allocator's free pages are given back: glibc keeps freed
    heap mapped, so without the trim a fill batch's temporaries would count as index memory."""
    gc.collect()
    if hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)
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
    texts = articles.texts(count)
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


def datasketch_baseline(articles: Articles, count: int) -> float:
    """Bytes per document (RSS) of plain datasketch MinHashLSH holding `count` documents' bands."""
    config = DedupConfig()
    signatures = [s.lean_minhash() for s in compute_signatures(articles.texts(count), config)]
    before = rss_bytes()
    lsh = MinHashLSH(num_perm=config.num_perm, params=(config.lsh_bands, config.lsh_rows))
    for n, signature in enumerate(signatures):
        lsh.insert(f"d{n}", signature, check_duplication=False)
    used = rss_bytes() - before
    del lsh
    return used / count


def index_table(articles: Articles, sizes: list[int], probe: int) -> None:
    """Grow one index; at each size, time `probe` new documents (query + verify + insert)."""
    config = DedupConfig(window=timedelta(days=3650))
    dd = Deduplicator(config)
    # One fill batch before the baseline, so the heap a batch's temporaries need is already counted
    # there and the growth below is the index's.
    compute_signatures(articles.texts(FILL_BATCH), config)
    baseline = datasketch_baseline(articles, min(sizes[0], 20_000)) / 1024
    print(f"baseline: plain datasketch MinHashLSH in memory (bands only): {baseline:.2f} KB/doc")
    base_rss = rss_bytes()
    print(f"insert + query per document (probe of {probe}; 10% of probes are edited copies)")
    print(f"{'index size':>12}{'µs/doc':>10}{'vs first':>10}{'RSS MB':>10}{'KB/doc':>9}{'vs datasketch':>15}")
    first = None
    count = 0
    recent: list[str] = []
    for size in sizes:
        recent = fill(dd, articles, count, size, config, recent)
        count = max(count, size)
        per_doc = timed_adds(dd, probe_documents(articles, recent, probe, size, count), config)
        count += probe
        first = first or per_doc
        used = rss_bytes() - base_rss
        ratio, megabytes, per_kb = per_doc / first, used / 2**20, used / count / 1024
        print(f"{size:>12,}{per_doc:>10.0f}{ratio:>10.2f}{megabytes:>10.0f}{per_kb:>9.2f}{per_kb / baseline:>15.2f}",
              flush=True)  # fmt: skip


def fill(
    dd: Deduplicator, articles: Articles, start: int, stop: int, config: DedupConfig, recent: list[str]
) -> list[str]:
    """Add documents `start`..`stop` (untimed): synthetic signatures (`synthetic_signatures`) beyond
    the first batch of texts, which the probes copy from (every 97th, the last 51)."""
    if not recent:
        texts = articles.texts(FILL_BATCH)
        for n, (text, signature) in enumerate(zip(texts, compute_signatures(texts, config), strict=True)):
            dd.add(Document(f"t{n}", text, published_at=T0), signature)
            if n % 97 == 0:
                recent = [*recent[-50:], text]
    for batch in synthetic_signatures(1, start, stop - start):
        for document, signature, _ in batch:
            dd.add(document, signature)
    return recent


def timed_adds(dd: Deduplicator, docs: list[Document], config: DedupConfig) -> float:
    """µs per `add` (query + verify + insert), signatures computed beforehand."""
    signatures = [compute_signature(d.text, config) for d in docs]
    start = time.perf_counter()
    for document, signature in zip(docs, signatures, strict=True):
        dd.add(document, signature)
    return (time.perf_counter() - start) / len(docs) * 1e6


def probe_documents(
    articles: Articles, recent: list[str], probe: int, size: int, count: int
) -> list[Document]:
    """New articles, every tenth an edited copy of a recent one (its first half plus new text)."""
    docs = []
    for n, text in enumerate(articles.texts(probe)):
        if n % 10 == 0 and recent:
            copied = recent[n % len(recent)]
            text = copied[: len(copied) // 2] + " " + text[:1500]
        docs.append(Document(f"p{size}-{n}", text, published_at=T0 + timedelta(seconds=count + n)))
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--probe", type=int, default=1000)
    parser.add_argument("--signatures", type=int, default=3000)
    parser.add_argument("--fill-only", action="store_true", help="memory per document only (synthetic fill)")
    args = parser.parse_args()
    if args.fill_only:
        from dedup_memory import memory_table

        memory_table(args.sizes)
        return 0
    articles = Articles()
    signature_table(articles, args.signatures)
    index_table(articles, sorted(args.sizes), args.probe)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

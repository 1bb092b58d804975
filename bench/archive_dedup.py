"""Archive re-clustering against the online index, in one process run: a synthetic archive crawled day
by day through the in-memory index (the crawl's path: records annotated, cluster records committed
per run) into a file:// store, then `newscrawl dedup --store` over it. Prints wall time and peak RSS
of each (each in a child process, measured by wait4) and the ARI between their clusters; then the
same comparison on eval/syndication/docs.jsonl against `dedup.batch`.

    python bench/archive_dedup.py [--articles 1000000] [--days 45] [--memory-limit 2GB] [--dir DIR]

The synthetic stories: Zipf words, 60-200 of them, with figures; 45% are syndicated 2-12 times as exact,
edited, truncated and extended copies from 30 outlets (3 of them agencies), published hours apart.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from math import comb
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from crawler.storage import (  # noqa: E402
    Reader,
    RunWriter,
    Store,
    keys,
    open_store,
)
from crawler.storage.base import sha256_hex  # noqa: E402
from crawler.storage.manifest import commit_manifest, now_iso  # noqa: E402
from crawler.storage.parquet import ARTICLE_SCHEMA  # noqa: E402
from crawler.storage.records import MANIFEST_SCHEMA_VERSION  # noqa: E402
from crawler.storage.writer import new_run_id  # noqa: E402
from dedup import DedupConfig, Deduplicator, Document  # noqa: E402
from dedup.batch import annotate, cluster_jsonl, signature_of  # noqa: E402
from dedup.bulk import compute_signatures  # noqa: E402

T0 = datetime(2026, 3, 1, tzinfo=UTC)
OUTLETS = [f"outlet-{n:02d}" for n in range(30)]
AGENCIES = {"outlet-00": "xinhua", "outlet-01": "reuters", "outlet-02": "afp"}
EVAL_SET = ROOT / "eval" / "syndication" / "docs.jsonl"


def adjusted_rand_index(truth: list[str], predicted: list[str]) -> float:
    """Hubert-Arabie ARI from the contingency table of two labelings of the same items."""
    pairs = Counter(zip(truth, predicted, strict=True))
    index = sum(comb(n, 2) for n in pairs.values())
    rows = sum(comb(n, 2) for n in Counter(truth).values())
    cols = sum(comb(n, 2) for n in Counter(predicted).values())
    expected = rows * cols / comb(len(truth), 2)
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


class Stories:
    """Story s's copies are rebuilt from seeds, so no text is held longer than its run."""

    def __init__(self, articles: int, days: int, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.seed = seed
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        lengths = rng.integers(3, 10, 30_000)
        self.words = np.array(["".join(rng.choice(letters, n)) for n in lengths])
        weights = 1.0 / np.arange(1, len(self.words) + 1) ** 1.05
        self.cumulative = np.cumsum(weights / weights.sum())
        sizes = np.where(rng.random(articles) < 0.55, 1, np.minimum(2 + rng.geometric(0.35, articles), 12))
        ends = np.cumsum(sizes)
        sizes = sizes[: np.searchsorted(ends, articles) + 1]
        sizes[-1] -= ends[len(sizes) - 1] - articles
        self.story = np.repeat(np.arange(len(sizes)), sizes)[:articles]
        self.copy = (
            np.arange(articles) - np.repeat(np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)[:articles]
        )
        base_time = rng.random(len(sizes)) * days * 86400
        lag = np.where(self.copy == 0, 0.0, np.minimum(rng.exponential(4 * 3600, articles), 2 * 86400))
        self.published = base_time[self.story] + lag
        # Fetched minutes to hours after publication; 2% met days later (a sitemap backfill).
        delay = rng.exponential(1800, articles) + np.where(rng.random(articles) < 0.02, 5 * 86400, 0)
        self.arrival = self.published + delay
        self.source = rng.integers(0, len(OUTLETS), articles)

    def record(self, n: int) -> dict[str, object]:
        story, copy = int(self.story[n]), int(self.copy[n])
        rng = np.random.default_rng([self.seed, story])
        length = int(rng.integers(60, 200))
        words = self.words[np.searchsorted(self.cumulative, rng.random(length))]
        figures = [str(v) for v in rng.integers(10, 99_999, 4)]
        words = np.insert(words, rng.integers(0, length, 4), figures)
        title = " ".join(self.words[np.searchsorted(self.cumulative, rng.random(7))])
        if copy:
            own = np.random.default_rng([self.seed, story, copy])
            kind = own.random()
            if kind < 0.4:  # edited: a few words replaced
                at = own.integers(0, len(words), max(1, len(words) // 15))
                words = words.copy()
                words[at] = self.words[np.searchsorted(self.cumulative, own.random(len(at)))]
            elif kind < 0.65:  # truncated lead
                words = words[: int(len(words) * own.uniform(0.4, 0.7))]
            elif kind < 0.8:  # extended with a paragraph of its own
                extra = self.words[np.searchsorted(self.cumulative, own.random(int(own.integers(20, 60))))]
                words = np.concatenate([words, extra])
            if own.random() < 0.5:
                title = " ".join(self.words[np.searchsorted(self.cumulative, own.random(7))])
        source = OUTLETS[int(self.source[n])]
        published = T0 + timedelta(seconds=float(self.published[n]))
        return {
            "id": f"a{n:07d}", "source": source, "url": f"https://{source}.example/{n}", "title": title,
            "text": " ".join(words), "published_at": published.isoformat(),
            "fetched_at": (T0 + timedelta(seconds=float(self.arrival[n]))).isoformat(), "label": f"s{story}",
        }  # fmt: skip


def build(store_uri: str, articles: int, days: int, labels_path: Path) -> None:
    """Crawl the stories day by day (by arrival) through the in-memory index, storing each day as a run."""
    stories = Stories(articles, days)
    config = DedupConfig()
    clock = [0.0]
    final: dict[str, str] = {}
    dedup = Deduplicator(config, clock=lambda: clock[0], on_evict=lambda i, v: final.__setitem__(i, v.origin))
    store = open_store(store_uri, write=True)
    order = np.argsort(stories.arrival, kind="stable")
    days_of = (stories.arrival[order] // 86400).astype(int)
    with labels_path.open("w") as labels:
        for day in np.unique(days_of):
            writer = RunWriter(store, batch_size=200_000)
            chosen = order[days_of == day]
            records = [stories.record(int(n)) for n in chosen]
            signatures = compute_signatures([r["text"] for r in records], config)
            for n, record, signature in zip(chosen, records, signatures, strict=True):
                clock[0] = (T0 + timedelta(seconds=float(stories.arrival[n]))).timestamp()
                document = Document(
                    id=str(record["id"]), text=str(record["text"]), title=str(record["title"]),
                    source=str(record["source"]), published_at=datetime.fromisoformat(str(record["published_at"])),
                    agency=AGENCIES.get(str(record["source"])),
                )  # fmt: skip
                annotate(record, dedup.add(document, signature))
                record["minhash"] = signature.to_record()
                labels.write(f"{record['id']}\t{record.pop('label')}\n")
                writer.queue_article(record)
            for cluster_id in sorted(dedup.changed_clusters()):
                writer.add_cluster(dedup.cluster_record(cluster_id))
            writer.commit({})
    with labels_path.with_suffix(".online").open("w") as online:
        for n in range(articles):
            doc_id = f"a{n:07d}"
            verdict = dedup.current(doc_id)
            online.write(f"{doc_id}\t{verdict.origin if verdict is not None else final[doc_id]}\n")


def build_direct(store_uri: str, articles: int, days: int, labels_path: Path) -> None:
    """Store the stories without an index (records carry their signatures, as every stored record
    does), one run per day of arrival, on two processes: the archive at scale, quickly."""
    stories = Stories(articles, days)
    arrival_days = (stories.arrival // 86400).astype(int)
    with multiprocessing.get_context("fork").Pool(2, _start_worker, (stories, store_uri)) as pool:
        pool.map(_store_day, [np.flatnonzero(arrival_days == day) for day in np.unique(arrival_days)])
    with labels_path.open("w") as labels:
        labels.writelines(f"a{n:07d}\ts{story}\n" for n, story in enumerate(stories.story))


_WORKER: dict[str, object] = {}


def _start_worker(stories: Stories, store_uri: str) -> None:
    _WORKER.update(stories=stories, store=open_store(store_uri, write=True))


def _store_day(chosen: np.ndarray) -> None:
    """One run: a Parquet part per (date, source), then its manifest, as the writer lays them out."""
    stories, store = _WORKER["stories"], _WORKER["store"]
    assert isinstance(stories, Stories) and isinstance(store, Store)
    records = [stories.record(int(n)) for n in chosen]
    signatures = compute_signatures([str(r["text"]) for r in records], DedupConfig())
    groups: dict[tuple[str, str], list[dict[str, object]]] = {}
    for record, signature in zip(records, signatures, strict=True):
        record.pop("label")
        record["minhash"] = signature.to_record()
        groups.setdefault((str(record["published_at"])[:10], str(record["source"])), []).append(record)
    run_id = new_run_id()
    objects = []
    for number, ((day, source), rows) in enumerate(sorted(groups.items()), start=1):
        key = keys.article_part(date.fromisoformat(day), source, run_id, number, "parquet")
        data = _parquet(rows)
        store.put_bytes(key, data)
        objects.append({"key": key, "kind": "articles-parquet", "size": len(data), "sha256": sha256_hex(data),
                        "records": len(rows), "date": day, "source": source})  # fmt: skip
    manifest = {"schema_version": MANIFEST_SCHEMA_VERSION, "run_id": run_id, "started_at": now_iso(),
                "committed_at": now_iso(), "conditional_writes": True,
                "counts": {"articles": len(records), "clusters": 0, "warc_records": 0}, "stats": {},
                "objects": objects}  # fmt: skip
    commit_manifest(store, manifest)


def _parquet(rows: list[dict[str, object]]) -> bytes:
    """The writer's Parquet schema, built from columns (what the bench stores fills six of them)."""
    given = {name: [row[name] for row in rows] for name in ("id", "source", "url", "title", "text")}
    for name in ("published_at", "fetched_at"):
        given[name] = [datetime.fromisoformat(str(row[name])) for row in rows]
    given["minhash"] = [row["minhash"] for row in rows]
    columns = [
        pa.array(given[field.name], field.type) if field.name in given else pa.nulls(len(rows), field.type)
        for field in ARTICLE_SCHEMA
    ]
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(columns, schema=ARTICLE_SCHEMA), sink, compression="zstd")
    return sink.getvalue()


def timed_child(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (GiB) of a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:4]} failed with {os.waitstatus_to_exitcode(status)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024**2


def archive_labels(store_uri: str, ids: list[str]) -> list[str]:
    origins = Reader(open_store(store_uri)).cluster_origins()
    return [origins.get(doc_id, doc_id) for doc_id in ids]


def read_labels(path: Path) -> dict[str, str]:
    with path.open() as lines:
        return dict(line.rstrip("\n").split("\t") for line in lines)


def run_archive(store: str, work: Path, memory_limit: str) -> tuple[float, float]:
    registry = work / "outlets.toml"
    registry.write_text(_registry(AGENCIES.items()))
    argv = [sys.executable, "-m", "crawler", "dedup", "--store", store, "--sources", str(registry)]
    return timed_child([*argv, "--memory-limit", memory_limit, "--workdir", str(work)])


ROW = "| {} | {:,} | {:,.0f} s | {:.2f} GiB | {} | {} |"


def online_comparison(args: argparse.Namespace, work: Path) -> None:
    """The crawl's online index and the archive path on the same synthetic articles."""
    store, labels = f"file://{work}/online-store", work / "online-labels.tsv"
    argv = [
        sys.executable,
        __file__,
        "--build",
        store,
        str(args.online_articles),
        str(args.days),
        str(labels),
    ]
    online_s, online_gb = timed_child(argv)
    archive_s, archive_gb = run_archive(store, work, args.memory_limit)
    online, truth = read_labels(labels.with_suffix(".online")), read_labels(labels)
    ids = sorted(online)
    archive = archive_labels(store, ids)
    stories = [truth[i] for i in ids]
    agree = adjusted_rand_index([online[i] for i in ids], archive)
    differ = sum(1 for i, label in zip(ids, archive, strict=True) if online[i] != label)
    online_ari = adjusted_rand_index(stories, [online[i] for i in ids])
    n = len(ids)
    print(
        ROW.format("online index (crawl: add, store runs)", n, online_s, online_gb, f"{online_ari:.4f}", "-")
    )
    print(ROW.format("archive (`dedup --store`)", n, archive_s, archive_gb,
                     f"{adjusted_rand_index(stories, archive):.4f}", f"{agree:.4f} ({differ} differ)"))  # fmt: skip


def scale(args: argparse.Namespace, work: Path) -> None:
    """The archive path alone on a large archive stored without an index (building the online
    index's verdicts for it is the online path's own cost, measured above at a smaller size)."""
    store, labels = f"file://{work}/store", work / "labels.tsv"
    timed_child(
        [sys.executable, __file__, "--build-direct", store, str(args.articles), str(args.days), str(labels)]
    )
    archive_s, archive_gb = run_archive(store, work, args.memory_limit)
    truth = read_labels(labels)
    ids = sorted(truth)
    archive = archive_labels(store, ids)
    ari = adjusted_rand_index([truth[i] for i in ids], archive)
    print(ROW.format("archive (`dedup --store`)", len(ids), archive_s, archive_gb, f"{ari:.4f}", "not built"))


def eval_set(work: Path) -> None:
    docs = [json.loads(line) for line in EVAL_SET.read_text().splitlines()]
    out = io.StringIO()
    cluster_jsonl(io.StringIO("".join(json.dumps(doc) + "\n" for doc in docs)), out)
    batch = {record["id"]: record["cluster_id"] for record in map(json.loads, out.getvalue().splitlines())}
    uri = f"file://{work}/eval-store"
    writer = RunWriter(open_store(uri, write=True))
    config = DedupConfig()
    for doc in docs:
        writer.add_article({**doc, "minhash": signature_of(doc, config).to_record()})
    writer.commit({})
    registry = work / "agencies.toml"
    registry.write_text(
        _registry({str(doc["source"]): str(doc["agency"]) for doc in docs if doc.get("agency")}.items())
    )
    argv = [sys.executable, "-m", "crawler", "dedup", "--store", uri, "--sources", str(registry)]
    timed_child([*argv, "--workdir", str(work)])
    ids = [doc["id"] for doc in docs]
    archive = archive_labels(uri, ids)
    truth = [doc["label"] for doc in docs]
    print(f"\n{EVAL_SET.relative_to(ROOT)} ({len(docs)} articles)")
    print("| path | ARI vs labels |")
    print("|---|---|")
    print(f"| dedup.batch | {adjusted_rand_index(truth, [batch[i] for i in ids]):.4f} |")
    print(f"| archive (`dedup --store`) | {adjusted_rand_index(truth, archive):.4f} |")
    same = adjusted_rand_index([batch[i] for i in ids], archive)
    differ = sum(1 for i, label in zip(ids, archive, strict=True) if batch[i] != label)
    print(f"ARI archive vs dedup.batch: {same:.4f} ({differ} articles with another origin)")


def _registry(agencies: Iterable[tuple[str, str]]) -> str:
    """A source registry naming the agency outlets (source id, agency), as the crawl's would."""
    return "".join(
        f'[[source]]\nid = "{source}"\nname = "{source}"\nhomepage = "https://{source}.example/"\n'
        f'agency = "{agency}"\n\n'
        for source, agency in sorted(agencies)
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--build", "--build-direct"):
        builder = build if sys.argv[1] == "--build" else build_direct
        builder(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1_000_000, help="archive size for the scale run")
    parser.add_argument("--online-articles", type=int, default=50_000, help="size of the online comparison")
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one, removed after)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-", dir=args.dir) as work:
        eval_set(Path(work))
        print(
            f"\nsynthetic archives over {args.days} days, file:// store, DuckDB memory limit {args.memory_limit}"
        )
        print("| path | articles | wall time | peak RSS | ARI vs stories | ARI vs online |")
        print("|---|---|---|---|---|---|", flush=True)
        scale(args, Path(work))
        online_comparison(args, Path(work))


if __name__ == "__main__":
    main()

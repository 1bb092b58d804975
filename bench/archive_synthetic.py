"""The synthetic archive of bench/archive_dedup.py: stories syndicated as exact, edited, truncated and
extended copies, stored day by day either through the online index (the crawl's path) or directly.

    python bench/archive_synthetic.py --build|--build-direct|--online-only STORE_URI ARTICLES DAYS LABELS.tsv
"""

from __future__ import annotations

import io
import multiprocessing
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from crawler.storage import RunWriter, Store, keys, open_store  # noqa: E402
from crawler.storage.base import sha256_hex  # noqa: E402
from crawler.storage.manifest import commit_manifest, now_iso  # noqa: E402
from crawler.storage.parquet import ARTICLE_SCHEMA  # noqa: E402
from crawler.storage.records import MANIFEST_SCHEMA_VERSION  # noqa: E402
from crawler.storage.writer import new_run_id  # noqa: E402
from dedup import DedupConfig, Deduplicator, Document  # noqa: E402
from dedup.batch import annotate  # noqa: E402
from dedup.bulk import compute_signatures  # noqa: E402

T0 = datetime(2026, 3, 1, tzinfo=UTC)
OUTLETS = [f"outlet-{n:02d}" for n in range(30)]
AGENCIES = {"outlet-00": "xinhua", "outlet-01": "reuters", "outlet-02": "afp"}


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
    store = open_store(store_uri, write=True)
    with labels_path.open("w") as labels:
        for dedup, records, signatures in _online_days(Stories(articles, days), labels_path):
            writer = RunWriter(store, batch_size=200_000)
            for record, signature in zip(records, signatures, strict=True):
                record["minhash"] = signature.to_record()
                labels.write(f"{record['id']}\t{record.pop('label')}\n")
                writer.queue_article(record)
            for cluster_id in sorted(dedup.changed_clusters()):
                writer.add_cluster(dedup.cluster_record(cluster_id))
            writer.commit({})


def online_only(_store_uri: str, articles: int, days: int, labels_path: Path) -> None:
    """The online index's verdicts on the stories `build_direct` stores, without storing anything:
    what a crawl would have said about the same archive, to compare the archive path with at scale."""
    for _day in _online_days(Stories(articles, days), labels_path):
        pass


def _online_days(stories: Stories, labels_path: Path) -> Iterator[tuple[Deduplicator, list[dict], list]]:
    """Add the stories to the in-memory index day by day, by arrival, with the index's clock on their
    arrival times; yields (index, the day's annotated records, their signatures) and finally writes
    each article's current origin to LABELS.online."""
    config = DedupConfig()
    clock = [0.0]
    final: dict[str, str] = {}
    dedup = Deduplicator(config, clock=lambda: clock[0], on_evict=lambda i, v: final.__setitem__(i, v.origin))
    order = np.argsort(stories.arrival, kind="stable")
    days_of = (stories.arrival[order] // 86400).astype(int)
    for day in np.unique(days_of):
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
        yield dedup, records, signatures
    with labels_path.with_suffix(".online").open("w") as online:
        for n in range(len(stories.story)):
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


if __name__ == "__main__":
    builder = {"--build": build, "--build-direct": build_direct, "--online-only": online_only}[sys.argv[1]]
    builder(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))

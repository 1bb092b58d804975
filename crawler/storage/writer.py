"""RunWriter: buffers one crawl run's articles, raw responses and clusters, writes them in batches,
and commits the run by writing its manifest last. Until then nothing of the run is visible.

A killed run leaves only unreferenced objects; every key holds the run id, so a rerun writes
fresh keys and readers, which see only manifests, keep the latest copy of each article id.
"""

from __future__ import annotations

import secrets
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from crawler.storage import keys
from crawler.storage.base import Store
from crawler.storage.errors import BadRecord, StorageError, UnsafeKeyError
from crawler.storage.manifest import commit_manifest, now_iso, object_entry, run_manifest
from crawler.storage.parquet import encode_parquet
from crawler.storage.records import (
    ARTICLE_SCHEMA_VERSION,
    CLUSTER_SCHEMA_VERSION,
    RawResponse,
    encode_jsonl,
    partition_date,
    snapshot,
)
from crawler.storage.warc import WarcBatch


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique across machines: UTC start time plus random bits."""
    moment = now or datetime.now(UTC)
    return f"{moment.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(4)}"


@dataclass
class _Batch:
    """What one flush writes: numbered, so every key of the batch names it."""

    number: int
    articles: list[dict[str, Any]] = field(default_factory=list)
    warc: WarcBatch = field(default_factory=WarcBatch)
    clusters: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.articles or self.clusters or self.warc.count)


class RunWriter:
    def __init__(self, store: Store, run_id: str | None = None, batch_size: int = 500) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.store = store
        self.run_id = keys.validate_run_id(run_id) if run_id is not None else new_run_id()
        self.batch_size = batch_size
        self.started_at = now_iso()
        self.conditional_writes = store.conditional_writes  # the start-up probe
        self._today = datetime.now(UTC).date()
        self._open = _Batch(1)
        # Closed batches not yet written; a failed write leaves its batch here for the next flush.
        self._pending: list[_Batch] = []
        self._objects: dict[str, dict[str, Any]] = {}
        self._counts = {"articles": 0, "clusters": 0, "warc_records": 0}
        self._closed = False
        self._committing = False
        # Two locks, so a crawl can keep queueing articles (briefly, under the buffer lock) while a
        # thread writes the previous batch (under the write lock, which keeps batches in order).
        self._buffer_lock = threading.Lock()
        self._write_lock = threading.RLock()

    def add_article(self, record: dict[str, Any], raw: RawResponse | None = None) -> None:
        """Queue one article (see `queue_article`) and write the batch when it is full."""
        if self.queue_article(record, raw):
            self.flush()

    def queue_article(self, record: dict[str, Any], raw: RawResponse | None = None) -> bool:
        """Queue one article; with `raw`, archive the response and set record["warc"] to its place.

        Returns True when the batch is full: the caller should `flush()` (from a thread, if it must
        not block), and may go on queueing meanwhile. Raises `BadRecord` for a record that cannot be
        stored; nothing of it is queued.
        """
        with self._buffer_lock:
            self._check_accepting()
            for field in ("id", "source"):
                if not isinstance(record.get(field), str) or not record[field]:
                    raise BadRecord(
                        f"article record needs a non-empty string {field!r}; got {record.get(field)!r}"
                    )
            try:
                keys.validate_part(record["source"], "source id")
            except UnsafeKeyError as error:
                raise BadRecord(str(error)) from None
            record.setdefault("schema_version", ARTICLE_SCHEMA_VERSION)
            copy = snapshot(record, f"article {record['id']}")  # first: a bad record archives nothing
            batch = self._open
            if raw is not None:
                offset, length = batch.warc.add(raw)
                where = {
                    "file": keys.warc_file(self.run_id, batch.number),
                    "offset": offset,
                    "length": length,
                }
                record["warc"], copy["warc"] = where, dict(where)
            batch.articles.append(copy)
            return len(batch.articles) >= self.batch_size

    def add_cluster(self, cluster: dict[str, Any]) -> None:
        """Queue a cluster record (id, origin, members, agencies, updated_at); the last one per id wins."""
        with self._buffer_lock:
            self._check_accepting()
            if not isinstance(cluster.get("id"), str) or not cluster["id"]:
                raise StorageError(f"cluster record needs a non-empty string 'id'; got {cluster.get('id')!r}")
            cluster.setdefault("schema_version", CLUSTER_SCHEMA_VERSION)
            cluster.setdefault("updated_at", now_iso())
            self._open.clusters[cluster["id"]] = snapshot(cluster, f"cluster {cluster['id']}")

    def flush(self) -> None:
        """Close the open batch and write every pending one, in order."""
        with self._write_lock:
            with self._buffer_lock:
                self._check_open()
                if self._open:
                    self._pending.append(self._open)
                    self._open = _Batch(self._open.number + 1)
            while self._pending:
                self._write_batch(self._pending[0])
                self._pending.pop(0)

    def _write_batch(self, batch: _Batch) -> None:
        """The WARC first, then article parts, then cluster records; counted once all are stored."""
        if batch.warc.count:
            warc = keys.warc_file(self.run_id, batch.number)
            self._write(warc, batch.warc.getvalue(), "warc", records=batch.warc.count)
        groups: dict[tuple[date, str], list[dict[str, Any]]] = defaultdict(list)
        for record in batch.articles:
            groups[(partition_date(record, self._today), record["source"])].append(record)
        for (day, source), records in sorted(groups.items()):
            where = {"date": day.isoformat(), "source": source}
            jsonl = keys.article_part(day, source, self.run_id, batch.number, "jsonl.gz")
            self._write(jsonl, encode_jsonl(records), "articles", records=len(records), **where)
            parquet = keys.article_part(day, source, self.run_id, batch.number, "parquet")
            self._write(parquet, encode_parquet(records), "articles-parquet", records=len(records), **where)
        if batch.clusters:
            clusters = [batch.clusters[cid] for cid in sorted(batch.clusters)]
            part = keys.cluster_part(self.run_id, batch.number)
            self._write(part, encode_jsonl(clusters), "clusters", records=len(clusters))
        self._counts["articles"] += len(batch.articles)
        self._counts["clusters"] += len(batch.clusters)
        self._counts["warc_records"] += batch.warc.count

    def _write(self, key: str, data: bytes, kind: str, **facts: Any) -> None:
        self.store.put_bytes(key, data)
        # Keyed, so a flush retried after a failed put lists each object once.
        self._objects[key] = object_entry(key, kind, data, **facts)

    def commit(self, stats: dict[str, Any]) -> dict[str, Any]:
        """Flush what is left, then write the manifest: from here on readers see the whole run."""
        with self._write_lock:
            with self._buffer_lock:
                self._check_open()
                # Nothing queued from here on could be in the manifest, so nothing may be queued.
                self._committing = True
            self.flush()
            manifest = run_manifest(
                self.run_id,
                self.started_at,
                self.conditional_writes,
                dict(self._counts),
                snapshot(stats, "run stats"),
                list(self._objects.values()),
            )
            manifest = commit_manifest(self.store, manifest)
            self._closed = True
            return manifest

    def abort(self) -> None:
        """Drop what is buffered; objects already written stay unreferenced and invisible."""
        with self._buffer_lock:
            self._open, self._pending = _Batch(self._open.number), []
            self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError(f"run {self.run_id} is already committed or aborted; start a new RunWriter")

    def _check_accepting(self) -> None:
        self._check_open()
        if self._committing:
            raise StorageError(f"run {self.run_id} is being committed; queue records before commit()")

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._closed:
            self.abort()

"""RunWriter: buffers one crawl run's articles, raw responses and clusters, writes them in batches,
and commits the run by writing its manifest last. Until then nothing of the run is visible.

A killed run leaves only unreferenced objects; every key holds the run id, so a rerun writes
fresh keys and readers, which see only manifests, keep the latest copy of each article id.
"""

from __future__ import annotations

import secrets
import threading
from collections import defaultdict
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from crawler.storage import keys
from crawler.storage.base import Store, sha256_hex
from crawler.storage.errors import StorageError
from crawler.storage.manifest import commit_manifest, now_iso, software_versions
from crawler.storage.parquet import encode_parquet
from crawler.storage.records import (
    ARTICLE_SCHEMA_VERSION,
    CLUSTER_SCHEMA_VERSION,
    MANIFEST_SCHEMA_VERSION,
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
        self._batch = 1
        self._articles: list[dict[str, Any]] = []
        self._warc = WarcBatch()
        self._clusters: dict[str, dict[str, Any]] = {}
        self._objects: dict[str, dict[str, Any]] = {}
        self._counts = {"articles": 0, "clusters": 0, "warc_records": 0}
        self._closed = False
        # Pipelines may hand records over from worker threads; batches must not interleave.
        self._lock = threading.RLock()

    def add_article(self, record: dict[str, Any], raw: RawResponse | None = None) -> None:
        """Queue one article; with `raw`, archive the response and set record["warc"] to its place."""
        with self._lock:
            self._check_open()
            for field in ("id", "source"):
                if not isinstance(record.get(field), str) or not record[field]:
                    raise StorageError(
                        f"article record needs a non-empty string {field!r}; got {record.get(field)!r}"
                    )
            keys.validate_part(record["source"], "source id")
            record.setdefault("schema_version", ARTICLE_SCHEMA_VERSION)
            copy = snapshot(record, f"article {record['id']}")  # first: a bad record archives nothing
            if raw is not None:
                offset, length = self._warc.add(raw)
                where = {"file": keys.warc_file(self.run_id, self._batch), "offset": offset, "length": length}
                record["warc"], copy["warc"] = where, dict(where)
            self._articles.append(copy)
            if len(self._articles) >= self.batch_size:
                self.flush()

    def add_cluster(self, cluster: dict[str, Any]) -> None:
        """Queue a cluster record (id, origin, members, agencies, updated_at); the last one per id wins."""
        with self._lock:
            self._check_open()
            if not isinstance(cluster.get("id"), str) or not cluster["id"]:
                raise StorageError(f"cluster record needs a non-empty string 'id'; got {cluster.get('id')!r}")
            cluster.setdefault("schema_version", CLUSTER_SCHEMA_VERSION)
            cluster.setdefault("updated_at", now_iso())
            self._clusters[cluster["id"]] = snapshot(cluster, f"cluster {cluster['id']}")

    def flush(self) -> None:
        """Write the current batch: the WARC first, then article parts, then cluster records."""
        with self._lock:
            self._check_open()
            if not (self._articles or self._clusters or self._warc.count):
                return
            if self._warc.count:
                warc = keys.warc_file(self.run_id, self._batch)
                self._write(warc, self._warc.getvalue(), "warc", records=self._warc.count)
            groups: dict[tuple[date, str], list[dict[str, Any]]] = defaultdict(list)
            for record in self._articles:
                groups[(partition_date(record, self._today), record["source"])].append(record)
            for (day, source), records in sorted(groups.items()):
                where = {"date": day.isoformat(), "source": source}
                jsonl = keys.article_part(day, source, self.run_id, self._batch, "jsonl.gz")
                self._write(jsonl, encode_jsonl(records), "articles", records=len(records), **where)
                parquet = keys.article_part(day, source, self.run_id, self._batch, "parquet")
                self._write(
                    parquet, encode_parquet(records), "articles-parquet", records=len(records), **where
                )
            if self._clusters:
                clusters = [self._clusters[cid] for cid in sorted(self._clusters)]
                part = keys.cluster_part(self.run_id, self._batch)
                self._write(part, encode_jsonl(clusters), "clusters", records=len(clusters))
            self._counts["articles"] += len(self._articles)
            self._counts["clusters"] += len(self._clusters)
            self._counts["warc_records"] += self._warc.count
            self._articles, self._clusters, self._warc = [], {}, WarcBatch()
            self._batch += 1

    def _write(self, key: str, data: bytes, kind: str, **facts: Any) -> None:
        self.store.put_bytes(key, data)
        # Keyed, so a flush retried after a failed put lists each object once.
        self._objects[key] = {
            "key": key,
            "kind": kind,
            "size": len(data),
            "sha256": sha256_hex(data),
            **facts,
        }

    def commit(self, stats: dict[str, Any]) -> dict[str, Any]:
        """Flush what is left, then write the manifest: from here on readers see the whole run."""
        with self._lock:
            self.flush()
            manifest = {
                "schema_version": MANIFEST_SCHEMA_VERSION,
                "run_id": self.run_id,
                "started_at": self.started_at,
                "committed_at": now_iso(),
                "conditional_writes": self.conditional_writes,
                "counts": dict(self._counts),
                "stats": snapshot(stats, "run stats"),
                "software": software_versions(),
                "objects": list(self._objects.values()),
            }
            manifest = commit_manifest(self.store, manifest)
            self._closed = True
            return manifest

    def abort(self) -> None:
        """Drop what is buffered; objects already written stay unreferenced and invisible."""
        with self._lock:
            self._articles, self._clusters, self._warc = [], {}, WarcBatch()
            self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError(f"run {self.run_id} is already committed or aborted; start a new RunWriter")

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._closed:
            self.abort()

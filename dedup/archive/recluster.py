"""Archive re-clustering: band keys → candidate pairs → verification → clusters, out of core.

The SQL steps (`dedup.archive.sql`) run on DuckDB with a memory cap, spilling to the work
directory; the Python steps stream their input and write Parquet, so memory holds one batch of rows
and one linked component at a time, whatever the archive's size.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dedup.archive import sql
from dedup.archive.engine import DuckEngine
from dedup.archive.grouping import clusters_of, components, grouped
from dedup.archive.verifying import (
    ENTRY_SCHEMA,
    LINK_SCHEMA,
    RESIGNED_SCHEMA,
    ParquetSink,
    build_entries,
    resign,
    verify,
)
from dedup.config import DedupConfig
from dedup.model import Cluster

BATCH_ROWS = 2048
STORED_SCHEMA = pa.schema([("cluster", pa.string()), ("version", pa.int64()), ("member", pa.string())])
_CLUSTERED_SCHEMA = pa.schema([("doc", pa.int64()), ("cluster", pa.string())])
# A Python step: a query's record batches in, rows written to a Parquet sink.
Step = Callable[[Iterable[pa.RecordBatch], DedupConfig, ParquetSink], None]


@dataclass
class ArchiveStats:
    documents: int = 0
    resigned: int = 0  # documents whose stored signature could not be used
    candidates: int = 0
    links: int = 0
    clusters: int = 0  # of two or more documents
    clustered: int = 0  # documents in them


class ArchiveDedup:
    """Re-clusters the articles of Parquet parts; `workdir` holds the database and spill files."""

    def __init__(
        self,
        workdir: Path,
        config: DedupConfig | None = None,
        memory_limit: str = "1GB",
        threads: int = 2,
        now: float | None = None,
    ) -> None:
        self.workdir = workdir
        self.config = config or DedupConfig()
        self.engine = DuckEngine(workdir, memory_limit, threads)
        self.stats = ArchiveStats()
        # As the index: a publication time beyond the clock plus max_future is a misdated page.
        clock = time.time() if now is None else now
        self._latest_us = int((clock + self.config.max_future.total_seconds()) * 1_000_000)

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> ArchiveDedup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self, parts: Sequence[tuple[str, int]], agencies: Mapping[str, str]) -> None:
        """Parquet parts as (path, order: higher for the copy readers return) and the sources that
        are news agencies (source id → agency), whose copies rank first as origins."""
        if not parts:
            raise ValueError("no Parquet parts to re-cluster; give at least one (path, order)")
        self.engine.load_articles(parts)
        self.engine.load_mapping("agencies", ("source", "agency"), agencies)
        bands = pa.table({"band": pa.array(range(self.config.lsh_bands), pa.int32())})
        self.engine.load_arrow("bands", bands)

    def clusters(self) -> Iterator[Cluster]:
        """Every cluster of two or more documents, component by component."""
        engine, config = self.engine, self.config
        self.stats.documents = engine.create(sql.documents(config, self._latest_us))
        self.stats.resigned = self._write(RESIGNED_SCHEMA, "resigned", sql.unsigned(), resign)
        engine.create(sql.band_keys(config))
        engine.create(sql.buckets())
        self.stats.candidates = engine.create(sql.candidates(config))
        self._write(ENTRY_SCHEMA, "entries", sql.to_verify(), build_entries)
        self.stats.links = self._write(LINK_SCHEMA, "links", sql.candidate_pairs(), verify)
        engine.load_arrow("components", self._components())
        clustered = ParquetSink(self.workdir / "clustered.parquet", _CLUSTERED_SCHEMA)
        try:
            for entry_rows, link_rows in grouped(
                engine.stream(sql.linked_entries(), BATCH_ROWS),
                engine.stream(sql.component_links(), BATCH_ROWS),
            ):
                docs = {row["id"]: row["doc"] for row in entry_rows}
                for cluster in clusters_of(entry_rows, link_rows, config):
                    ids = [member.id for member in cluster.members]
                    clustered.write({"doc": [docs[i] for i in ids], "cluster": [cluster.id] * len(ids)})
                    self.stats.clusters += 1
                    yield cluster
        finally:
            clustered.close()
        self.stats.clustered = clustered.rows
        engine.load_parquet("clustered", clustered.path, _CLUSTERED_SCHEMA)

    def stale_copies(self) -> Iterator[str]:
        """Ids stored as a copy that the re-clustering left alone (after `clusters()`)."""
        for batch in self.engine.stream(sql.stale_copies(), BATCH_ROWS):
            yield from batch.column("id").to_pylist()

    def retired(self, stored: Iterable[pa.RecordBatch]) -> Iterator[str]:
        """Stored cluster ids to retire (after `clusters()`): `stored` holds the stored cluster
        versions as (cluster, version, member) rows, a NULL member for a version without members."""
        sink = ParquetSink(self.workdir / "stored.parquet", STORED_SCHEMA)
        for batch in stored:
            sink.write(batch.to_pydict())
        sink.close()
        self.engine.load_parquet("stored_members", sink.path, STORED_SCHEMA)
        for batch in self.engine.stream(sql.retired(), BATCH_ROWS):
            yield from batch.column("cluster").to_pylist()

    def _write(self, schema: pa.Schema, name: str, query: sql.Statement, step: Step) -> int:
        """Run a Python step over a query's rows into `name`.parquet, and make it table `name`."""
        sink = ParquetSink(self.workdir / f"{name}.parquet", schema)
        try:
            step(self.engine.stream(query, BATCH_ROWS), self.config, sink)
        finally:
            sink.close()
        self.engine.load_parquet(name, sink.path, schema)
        return sink.rows

    def _components(self) -> pa.Table:
        path = self.workdir / "links.parquet"
        if not path.exists():
            return pa.table({"doc": pa.array([], pa.int64()), "component": pa.array([], pa.int64())})
        links = pq.read_table(path, columns=["left_doc", "right_doc"])
        left = links.column("left_doc").to_numpy().astype(np.int64)
        right = links.column("right_doc").to_numpy().astype(np.int64)
        return components(left, right)

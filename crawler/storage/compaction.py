"""Compaction: a partition's many small committed article parts rewritten into a few, as a new run.

Every crawl run writes one part per (date, source) and batch, so an hourly crawl leaves dozens of
small parts per partition a day. `compact` reads the current parts of each partition, keeps the copy
of each article id readers would return, and writes them as one part (or a few, by target size) in
a run whose manifest, written last as every run's, lists the parts it supersedes. Readers of the
whole store then skip those; until the manifest exists they see the old parts, and a compaction
killed before it leaves only unreferenced objects. Superseded parts are never deleted: readers in
flight and change-feed readers (`after=`) keep using them.

A compacted part ranks as the newest run it holds (`rank` in its manifest entry), so a run committed
after the compaction's inputs, or during the compaction, still wins; `compaction_plan` decides which
parts may be merged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crawler.storage import keys
from crawler.storage.base import Store
from crawler.storage.compaction_plan import (
    Part,
    copies_of,
    current_parts,
    load,
    partitions_to_compact,
    plan,
)
from crawler.storage.errors import DamagedObject
from crawler.storage.manifest import commit_manifest, now_iso, object_entry, run_manifest
from crawler.storage.parquet import encode_parquet
from crawler.storage.reader import Reader
from crawler.storage.records import encode_jsonl
from crawler.storage.writer import new_run_id

DEFAULT_TARGET_BYTES = 128 * 1024 * 1024  # of Parquet per compacted part: large enough to scan fast


@dataclass
class CompactionResult:
    checkpoint: str | None = None  # of the compaction run; None when nothing was compacted
    partitions: int = 0  # partitions rewritten
    superseded: int = 0  # parts (JSON Lines with their Parquet twins) replaced
    written: int = 0  # parts written
    articles: int = 0
    damaged: list[DamagedObject] = field(default_factory=list)  # left in place
    held_back: list[str] = field(default_factory=list)  # keys left in place, see the module doc


def compact(
    store: Store,
    day: date | None = None,
    source: str | None = None,
    target_bytes: int = DEFAULT_TARGET_BYTES,
) -> CompactionResult:
    """Compact the partitions matching `day` and `source` (all by default) that hold several parts."""
    if target_bytes < 1:
        raise ValueError(f"target_bytes must be at least 1, got {target_bytes}")
    result = CompactionResult()
    reader = Reader(store, on_damaged=result.damaged.append)
    manifests = reader.runs()
    parts = current_parts(manifests)
    wanted = partitions_to_compact(parts, day, source)
    if not wanted:
        return result
    copies = copies_of(parts, reader)
    run_id = new_run_id()
    started_at = now_iso()
    objects: list[dict[str, Any]] = []
    supersedes: list[str] = []
    for where, group in wanted.items():
        usable = [part for part in group if load(reader, part, result.damaged)]
        included, held = plan(usable, copies)
        result.held_back += [part.jsonl["key"] for part in held]
        if len(included) > 1:
            written = _write_partition(store, run_id, where, included, target_bytes, len(objects))
            objects += written
            supersedes += [entry["key"] for part in included for entry in (part.jsonl, part.parquet) if entry]
            result.partitions += 1
            result.superseded += len(included)
            result.written += len(written) // 2
            result.articles += sum(entry["records"] for entry in written if entry["kind"] == "articles")
        for part in group:
            part.records = []  # one partition's records in memory at a time
    if objects:
        result.checkpoint = _commit(store, run_id, started_at, objects, supersedes, result)
    return result


def _commit(
    store: Store,
    run_id: str,
    started_at: str,
    objects: list[dict[str, Any]],
    supersedes: list[str],
    result: CompactionResult,
) -> str:
    """Write the compaction run's manifest, last: from here on readers use the compacted parts."""
    manifest = run_manifest(
        run_id,
        started_at,
        store.conditional_writes,
        {"articles": result.articles, "clusters": 0, "warc_records": 0},
        {"compaction": {"partitions": result.partitions, "superseded_parts": result.superseded}},
        objects,
        supersedes=supersedes,
    )
    checkpoint: str = commit_manifest(store, manifest)["checkpoint"]
    return checkpoint


def _write_partition(
    store: Store,
    run_id: str,
    where: tuple[str, str],
    parts: list[Part],
    target_bytes: int,
    written_before: int,
) -> list[dict[str, Any]]:
    """Write the current copy of each article of `parts` as few parts; returns their manifest entries."""
    seen: set[str] = set()
    records = []
    for part in sorted(parts, key=lambda part: part.order, reverse=True):
        for record in part.records:
            if record["id"] not in seen:
                seen.add(record["id"])
                records.append(record)
    count = max(1, math.ceil(sum(part.size for part in parts) / target_bytes))
    size = math.ceil(len(records) / count)
    rank = max(part.rank for part in parts)
    day, source = date.fromisoformat(where[0]), where[1]
    entries = []
    for number, start in enumerate(range(0, len(records), size), start=written_before // 2 + 1):
        chunk = records[start : start + size]
        for ext, kind, encode in (
            ("jsonl.gz", "articles", encode_jsonl),
            ("parquet", "articles-parquet", encode_parquet),
        ):
            key = keys.article_part(day, source, run_id, number, ext)
            data: bytes = encode(chunk)
            store.put_bytes(key, data)
            entries.append(
                object_entry(key, kind, data, records=len(chunk), date=where[0], source=source, rank=rank)
            )
    return entries

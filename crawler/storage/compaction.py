"""Compaction: a partition's many small committed article parts rewritten into a few, as a new run.

Every crawl run writes one part per (date, source) and batch, so an hourly crawl leaves dozens of
small parts per partition a day. `compact` reads the current parts of each partition, keeps the copy
of each article id readers would return, and writes them as one part (or a few, by target size) in
a run whose manifest, written last as every run's, lists the parts it supersedes. Readers of the
whole store then skip those; until the manifest exists they see the old parts, and a compaction
killed before it leaves only unreferenced objects. Superseded parts are never deleted: readers in
flight and change-feed readers (`after=`) keep using them.

A compacted part ranks as the newest run it holds (`rank` in its manifest entry), so a run committed
after the compaction's inputs, or during the compaction, still wins. A part is held back (left as it
is) when one of its articles has a copy filed under another partition whose rank lies between its
own copy's and the compacted part's: compacting it would change which copy readers return.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.storage import keys
from crawler.storage.base import Store, sha256_hex
from crawler.storage.errors import DamagedObject, ObjectNotFound
from crawler.storage.manifest import (
    commit_manifest,
    entry_rank,
    now_iso,
    software_versions,
    superseded_keys,
)
from crawler.storage.parquet import encode_parquet
from crawler.storage.reader import Reader
from crawler.storage.records import MANIFEST_SCHEMA_VERSION, encode_jsonl
from crawler.storage.shapes import article_problem
from crawler.storage.writer import new_run_id

DEFAULT_TARGET_BYTES = 128 * 1024 * 1024  # of Parquet per compacted part: large enough to scan fast
_JSONL, _PARQUET = ".jsonl.gz", ".parquet"


@dataclass(eq=False)
class _Part:
    """One committed part as readers see it: its JSON Lines entry, the Parquet twin, its place."""

    jsonl: dict[str, Any]
    order: tuple[int, int, int]  # (rank, sequence, -position): higher is newer, as the Reader orders
    parquet: dict[str, Any] | None = None
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return self.order[0]

    @property
    def size(self) -> int:
        return int((self.parquet or self.jsonl)["size"])


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
    parts = _current_parts(manifests)
    groups: dict[tuple[str, str], list[_Part]] = defaultdict(list)
    for part in parts:
        groups[(part.jsonl["date"], part.jsonl["source"])].append(part)
    wanted = {
        where: group
        for where, group in sorted(groups.items())
        if len(group) > 1
        and (day is None or where[0] == day.isoformat())
        and (source is None or where[1] == source)
    }
    if not wanted:
        return result
    targets = {part.jsonl["key"]: part for group in wanted.values() for part in group}
    readable = [part for part in targets.values() if _load(reader, part, result.damaged)]
    readable_keys = {part.jsonl["key"] for part in readable}
    others = [part for part in parts if part.jsonl["key"] not in targets]
    copies = _copies(readable, others, reader)
    run_id = new_run_id()
    started_at = now_iso()
    objects: list[dict[str, Any]] = []
    supersedes: list[str] = []
    for (day_text, source_id), group in wanted.items():
        usable = [part for part in group if part.jsonl["key"] in readable_keys]
        included, held = _plan(usable, copies)
        result.held_back += [part.jsonl["key"] for part in held]
        if len(included) < 2:
            continue
        written = _write_partition(store, run_id, (day_text, source_id), included, target_bytes, len(objects))
        objects += written
        supersedes += [entry["key"] for part in included for entry in (part.jsonl, part.parquet) if entry]
        result.partitions += 1
        result.superseded += len(included)
        result.written += len(written) // 2
        result.articles += sum(entry["records"] for entry in written if entry["kind"] == "articles")
    if not objects:
        return result
    manifest = {
        "schema_version": MANIFEST_SCHEMA_VERSION,
        "run_id": run_id,
        "started_at": started_at,
        "committed_at": now_iso(),
        "conditional_writes": store.conditional_writes,
        "counts": {"articles": result.articles, "clusters": 0, "warc_records": 0},
        "stats": {"compaction": {"partitions": result.partitions, "superseded_parts": result.superseded}},
        "software": software_versions(),
        "objects": objects,
        "supersedes": supersedes,
    }
    result.checkpoint = commit_manifest(store, manifest)["checkpoint"]
    return result


def _stem(key: str) -> str:
    return key.removesuffix(_JSONL).removesuffix(_PARQUET)


def _current_parts(manifests: list[dict[str, Any]]) -> list[_Part]:
    """The article parts readers of the whole store use, each with its Parquet twin."""
    skip = superseded_keys(manifests)
    parts: list[_Part] = []
    twins: dict[str, dict[str, Any]] = {}
    for manifest in manifests:
        for entry in manifest["objects"]:
            if entry["key"] in skip:
                continue
            if entry["kind"] == "articles":
                order = (entry_rank(manifest, entry), manifest["sequence"], -len(parts))
                parts.append(_Part(entry, order))
            elif entry["kind"] == "articles-parquet":
                twins[_stem(entry["key"])] = entry
    for part in parts:
        part.parquet = twins.get(_stem(part.jsonl["key"]))
    return parts


def _load(reader: Reader, part: _Part, damaged: list[DamagedObject]) -> bool:
    """Read a part's records and check its Parquet twin; False (and reported) if either is damaged."""
    checker = Reader(reader.store)  # raises, so the damage is tied to this part
    try:
        part.records = checker.read_records(part.jsonl, article_problem)
        if part.parquet is not None:
            try:
                checker.read_object(part.parquet)
            except ObjectNotFound:
                raise DamagedObject(part.parquet["key"], reader.store.describe(), "missing") from None
    except DamagedObject as error:
        damaged.append(error)
        return False
    return True


def _copies(parts: list[_Part], others: list[_Part], reader: Reader) -> dict[str, list[tuple[int, str]]]:
    """Article id → (rank, part key) of every current copy of it: of the parts to compact, and of
    the others (by their ids only, which only the check for copies filed elsewhere needs)."""
    copies: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for part in parts:
        for record in part.records:
            copies[record["id"]].append((part.rank, part.jsonl["key"]))
    for part in others:
        for article_id in _ids(reader, part):
            copies[article_id].append((part.rank, part.jsonl["key"]))
    return copies


def _ids(reader: Reader, part: _Part) -> list[str]:
    """A part's article ids, from the Parquet `id` column (no JSON to decode) where it is usable."""
    if part.parquet is not None:
        try:
            data = reader.read_object(part.parquet)
            return [
                str(value) for value in pq.read_table(pa.BufferReader(data), columns=["id"])["id"].to_pylist()
            ]
        except (DamagedObject, ObjectNotFound, pa.ArrowException):
            pass  # the JSON Lines part is what readers use; ask it
    lenient = Reader(reader.store, on_damaged=lambda _error: None)  # readers skip it too
    return [record["id"] for record in lenient.read_records(part.jsonl, article_problem)]


def _plan(group: list[_Part], copies: dict[str, list[tuple[int, str]]]) -> tuple[list[_Part], list[_Part]]:
    """(parts to compact, parts held back) of one partition; see the module doc for holding back."""
    included = list(group)
    held: list[_Part] = []
    while len(included) > 1:
        top = max(part.rank for part in included)
        inside = {part.jsonl["key"] for part in included}
        newest: dict[str, int] = {}
        for part in included:
            for record in part.records:
                newest[record["id"]] = max(newest.get(record["id"], 0), part.rank)
        contested = {
            article_id
            for article_id, own in newest.items()
            if any(own <= rank <= top and key not in inside for rank, key in copies[article_id])
        }
        if not contested:
            break
        moving = {part.jsonl["key"] for part in included if any(r["id"] in contested for r in part.records)}
        held += [part for part in included if part.jsonl["key"] in moving]
        included = [part for part in included if part.jsonl["key"] not in moving]
    return included, held


def _write_partition(
    store: Store,
    run_id: str,
    where: tuple[str, str],
    parts: list[_Part],
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
                {
                    "key": key,
                    "kind": kind,
                    "size": len(data),
                    "sha256": sha256_hex(data),
                    "records": len(chunk),
                    "date": where[0],
                    "source": source,
                    "rank": rank,
                }
            )
    return entries

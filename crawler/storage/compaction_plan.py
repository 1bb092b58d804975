"""Which parts of a partition a compaction may merge, and what else it must know to decide.

A compacted part ranks as the newest run it holds. A part is held back (left as it is) when one of
its articles has a copy filed under another partition whose rank lies between its own copy's and the
compacted part's: merging it would change which copy readers return.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.storage.errors import DamagedObject, ObjectNotFound
from crawler.storage.manifest import entry_rank, superseded_keys
from crawler.storage.reader import Reader
from crawler.storage.shapes import article_problem

_JSONL, _PARQUET = ".jsonl.gz", ".parquet"
Partition = tuple[str, str]  # (date, source) as the manifest entries spell them


@dataclass(eq=False)
class Part:
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


def partitions_to_compact(
    parts: list[Part], day: date | None, source: str | None
) -> dict[Partition, list[Part]]:
    """The partitions matching `day` and `source` that hold more than one part, in key order."""
    groups: dict[Partition, list[Part]] = defaultdict(list)
    for part in parts:
        groups[(part.jsonl["date"], part.jsonl["source"])].append(part)
    return {
        where: group
        for where, group in sorted(groups.items())
        if len(group) > 1
        and (day is None or where[0] == day.isoformat())
        and (source is None or where[1] == source)
    }


def _stem(key: str) -> str:
    return key.removesuffix(_JSONL).removesuffix(_PARQUET)


def current_parts(manifests: list[dict[str, Any]]) -> list[Part]:
    """The article parts readers of the whole store use, each with its Parquet twin."""
    skip = superseded_keys(manifests)
    parts: list[Part] = []
    twins: dict[str, dict[str, Any]] = {}
    for manifest in manifests:
        for entry in manifest["objects"]:
            if entry["key"] in skip:
                continue
            if entry["kind"] == "articles":
                order = (entry_rank(manifest, entry), manifest["sequence"], -len(parts))
                parts.append(Part(entry, order))
            elif entry["kind"] == "articles-parquet":
                twins[_stem(entry["key"])] = entry
    for part in parts:
        part.parquet = twins.get(_stem(part.jsonl["key"]))
    return parts


def load(reader: Reader, part: Part, damaged: list[DamagedObject]) -> bool:
    """Read a part's records and check its Parquet twin; False (reported, and no records kept) if
    either is damaged."""
    checker = Reader(reader.store)  # raises, so the damage is tied to this part
    try:
        records = checker.read_records(part.jsonl, article_problem)
        if part.parquet is not None:
            try:
                checker.read_object(part.parquet)
            except ObjectNotFound:
                raise DamagedObject(part.parquet["key"], reader.store.describe(), "missing") from None
    except DamagedObject as error:
        damaged.append(error)
        return False
    part.records = records
    return True


def copies_of(parts: list[Part], reader: Reader) -> dict[str, list[tuple[int, str]]]:
    """Article id → (rank, part key) of every current copy of it, from the parts' ids only, so a
    compaction holds the records of one partition at a time."""
    copies: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for part in parts:
        for article_id in _ids(reader, part):
            copies[article_id].append((part.rank, part.jsonl["key"]))
    return copies


def _ids(reader: Reader, part: Part) -> list[str]:
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


def plan(group: list[Part], copies: dict[str, list[tuple[int, str]]]) -> tuple[list[Part], list[Part]]:
    """(parts to compact, parts held back) of one partition; see the module doc for holding back."""
    included = list(group)
    held: list[Part] = []
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

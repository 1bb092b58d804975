"""The library's value types: the document handed in, the verdict handed back, a cluster's record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Document:
    """One article as dedup sees it; `agency` (e.g. "xinhua") marks an agency's own copy."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    agency: str | None = None


@dataclass(frozen=True)
class Verdict:
    """Where a document landed: its cluster, the cluster's origin, and how it matched."""

    cluster_id: str
    duplicate_of: str | None
    similarity: float | None
    match: str
    origin: str


@dataclass(frozen=True)
class Member:
    """One document of a cluster record, with how it matches the origin (and its similarity)."""

    id: str
    match: str
    similarity: float | None


@dataclass(frozen=True)
class Cluster:
    """A cluster record: stable id (its founding document's id), origin, members, agencies seen."""

    id: str
    origin: str
    members: tuple[Member, ...]
    agencies: tuple[str, ...] = field(default=())

    def to_record(self) -> dict[str, Any]:
        """The stored form: the origin is a member with match "origin" (or "unique" when alone)."""
        members = [{"id": m.id, "match": m.match, "similarity": m.similarity} for m in self.members]
        return {"id": self.id, "origin": self.origin, "members": members, "agencies": list(self.agencies)}


@dataclass(frozen=True)
class Entry:
    """What the index keeps per document: enough to verify against it and to rank it as origin."""

    id: str
    shingles: bytes
    # The figures, then the name slots, packed by `dedup.names.pack` (read with `unpack`).
    numbers: bytes
    exact: str | None
    published: float | None
    agency: str | None
    time: float  # arrival (the index's clock), which eviction goes by
    # The title with its numbers, normalised: items of a numbered series ("Highlights 1", "Highlights 5")
    # and daily templates share a title up to its numbers.
    title: str = ""

    def origin_rank(self, seq: int) -> tuple[int, float, int]:
        """Lower ranks first: an agency's own copy, then the earliest published, then the first seen."""
        return (0 if self.agency else 1, self.published if self.published is not None else float("inf"), seq)

"""Batch clustering of JSON-lines exports: the same Deduplicator as the crawl, final cluster ids.

Records need `id` and `text`; `published_at` (ISO 8601), `agency`, `title`, `url`, `source` and a stored
`minhash` are used when present. Output records gain cluster_id (the cluster's origin), duplicate_of,
similarity, match and minhash; the same records in any order give the same output records.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, BinaryIO, TextIO

from dedup.config import DedupConfig
from dedup.deduplicator import Deduplicator
from dedup.model import Document, Verdict
from dedup.signature import Signature, SignatureError, compute_signature

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# An article record is a few KB, a long one a few hundred: no real line comes near this.
MAX_LINE_CHARS = 16 * 1024 * 1024


class BatchInputError(ValueError):
    """A line of the input cannot be used; the message names the line and the fix."""


@dataclass
class BatchStats:
    documents: int = 0
    clusters: int = 0
    matches: Counter[str] = field(default_factory=Counter)


def parse_record(line: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BatchInputError(
            f"line {number}: not valid JSON ({error.msg}); write one JSON object per line"
        ) from None
    except RecursionError:
        raise BatchInputError(
            f"line {number}: JSON nested too deeply to read; an article record is a flat object"
        ) from None
    if not isinstance(record, dict):
        raise BatchInputError(
            f"line {number}: expected a JSON object with id and text, got {type(record).__name__}"
        )
    for name in ("id", "text"):
        if not isinstance(record.get(name), str) or not record[name]:
            raise BatchInputError(f"line {number}: field {name!r} must be a non-empty string")
    return record


def annotate(record: dict[str, Any], verdict: Verdict) -> dict[str, Any]:
    """Write a verdict's fields onto an article record (the crawl pipeline uses this too)."""
    record.update(
        cluster_id=verdict.cluster_id, duplicate_of=verdict.duplicate_of,
        similarity=verdict.similarity, match=verdict.match,
    )  # fmt: skip
    return record


def document_of(record: dict[str, Any], number: int = 0) -> Document:
    """The Document for an article record; `number` (a line number) only labels errors."""
    published = record.get("published_at")
    when = None
    if published:
        try:
            when = datetime.fromisoformat(str(published).replace("Z", "+00:00"))
        except ValueError:
            raise BatchInputError(f"line {number}: published_at {published!r} is not ISO 8601") from None
        if _DATE_ONLY.fullmatch(str(published)):
            when = when.replace(tzinfo=UTC)  # a page that gives only the day: copies are days apart anyway
        if when.tzinfo is None:
            raise BatchInputError(f"line {number}: published_at {published!r} has no timezone; add +00:00")
    return Document(
        id=record["id"], text=record["text"], title=record.get("title"), url=record.get("url"),
        source=record.get("source"), published_at=when, agency=record.get("agency") or None,
    )  # fmt: skip


def signature_of(record: dict[str, Any], config: DedupConfig) -> Signature:
    stored = record.get("minhash")
    if isinstance(stored, dict) and stored.get("tag") == config.tag:
        try:
            return Signature.from_record(stored, config)
        except SignatureError:
            pass  # a damaged stored signature is recomputed from the text
    return compute_signature(record["text"], config)


def cluster_jsonl(in_stream: TextIO, out_stream: TextIO, config: DedupConfig | None = None) -> BatchStats:
    """Cluster every record of `in_stream`; write them to `out_stream`, in their order, with their final
    cluster fields. The records are indexed oldest first (then by id), the index's clock following
    their publication times, so the output does not depend on the order of the lines and the index
    holds one window of the dated records at a time (and every undated one)."""
    config = config or DedupConfig()
    final: dict[str, Verdict] = {}
    clock = _PublicationClock()
    dedup = Deduplicator(config, on_evict=final.__setitem__, clock=clock)
    stats = BatchStats()
    with tempfile.TemporaryFile("w+b") as spool:
        for (dated, published, _id), offset in sorted(_spool(in_stream, spool, config)):
            # Undated records come first and arrive "never" to be evicted: any dated record may be
            # their copy. Dated ones follow oldest first, so the clock only moves forward.
            clock.now = published if dated else math.inf
            spool.seek(offset)
            record = json.loads(spool.readline())
            dedup.add(document_of(record), Signature.from_record(record["minhash"], config))
        spool.seek(0)
        clusters: set[str] = set()
        for line in spool:
            record = json.loads(line)
            verdict = dedup.current(record["id"]) or final[record["id"]]
            # The batch is whole: each cluster is named by its origin, whatever order the lines came in.
            verdict = replace(verdict, cluster_id=verdict.origin)
            out_stream.write(json.dumps(annotate(record, verdict), ensure_ascii=False) + "\n")
            stats.documents += 1
            stats.matches[verdict.match] += 1
            clusters.add(verdict.cluster_id)
        stats.clusters = len(clusters)
    return stats


def _spool(
    in_stream: TextIO, spool: BinaryIO, config: DedupConfig
) -> list[tuple[tuple[int, float, str], int]]:
    """Check every line and write it with its signature to `spool`; return each record's place in
    the indexing order (undated, then dated oldest first, ties by id) and its offset in the spool."""
    order = []
    for number, line in enumerate(_lines(in_stream), start=1):
        if not line.strip():
            continue
        record = parse_record(line, number)
        published = _indexable_time(document_of(record, number), config)
        record["minhash"] = signature_of(record, config).to_record()
        key = (1, published, record["id"]) if published is not None else (0, 0.0, record["id"])
        order.append((key, spool.tell()))
        spool.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    return order


def _lines(in_stream: TextIO) -> Iterator[str]:
    """The stream's lines, each at most MAX_LINE_CHARS: a stream with no line break (`/dev/zero`, a
    binary file) would otherwise be read into memory whole before the first record is checked."""
    number = 0
    while line := in_stream.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            raise BatchInputError(
                f"line {number}: longer than {MAX_LINE_CHARS:,} characters; an article record is one "
                "JSON object per line (is this a JSON-lines file?)"
            )
        yield line


def _indexable_time(document: Document, config: DedupConfig) -> float | None:
    """The publication time to order by; none when unknown or misdated into the future."""
    if document.published_at is None:
        return None
    stamp = document.published_at.timestamp()
    return None if stamp > time.time() + config.max_future.total_seconds() else stamp


class _PublicationClock:
    """The index's clock in a batch: the publication time of the latest dated record indexed."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

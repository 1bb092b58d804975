"""The Python steps between the SQL ones: signing again what has no usable signature, building
verifier entries from the text of candidate documents only, and verifying candidate pairs with the
index's own verifier (`dedup.verify.judge`). Each streams record batches in and Parquet out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dedup.bulk import compute_signatures
from dedup.config import DedupConfig
from dedup.entries import figures_and_names
from dedup.model import Entry
from dedup.verify import judge, normalized_title

RESIGNED_SCHEMA = pa.schema([("doc", pa.int64()), ("signature", pa.string())])
ENTRY_SCHEMA = pa.schema(
    [
        ("doc", pa.int64()),
        ("id", pa.string()),
        ("shingles", pa.binary()),
        ("numbers", pa.binary()),
        ("exact", pa.string()),
        ("published", pa.float64()),
        ("agency", pa.string()),
        ("title", pa.string()),
    ]
)
LINK_SCHEMA = pa.schema(
    [("left_doc", pa.int64()), ("right_doc", pa.int64()), ("kind", pa.string()), ("similarity", pa.float64())]
)


class ParquetSink:
    """Appends record batches to one Parquet file, created on the first batch with rows."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def write(self, columns: dict[str, list[Any]]) -> None:
        table = pa.table(columns, schema=self.schema)
        if table.num_rows == 0:
            return
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, self.schema)
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def resign(batches: Iterable[pa.RecordBatch], config: DedupConfig, sink: ParquetSink) -> None:
    """(doc, text) rows → (doc, signature): the stored form of a signature computed from the text."""
    for batch in batches:
        rows = batch.to_pydict()
        signatures = compute_signatures([text or "" for text in rows["text"]], config)
        sink.write({"doc": rows["doc"], "signature": [s.to_record()["hashvalues"] for s in signatures]})


def build_entries(batches: Iterable[pa.RecordBatch], config: DedupConfig, sink: ParquetSink) -> None:
    """(doc, id, text, title, published µs, agency) rows → what the verifier compares, as the index's
    entries hold it: shingle fingerprints, figures and name slots, exact hash, time in seconds, normalised title."""
    for batch in batches:
        rows = batch.to_pydict()
        signatures = compute_signatures([text or "" for text in rows["text"]], config)
        sink.write(
            {
                "doc": rows["doc"],
                "id": rows["id"],
                "shingles": [_raw(s.shingles) for s in signatures],
                "numbers": [figures_and_names(text or "") for text in rows["text"]],
                "exact": [s.exact for s in signatures],
                "published": [None if us is None else us / 1_000_000 for us in rows["published"]],
                "agency": rows["agency"],
                "title": [normalized_title(title) for title in rows["title"]],
            }
        )


def _raw(values: Any) -> bytes:
    return bytes(values.tobytes()) if values is not None else b""


def entry_of(row: dict[str, Any], prefix: str = "") -> Entry:
    """The verifier's Entry from an `entries` row (columns optionally prefixed, as in a pair)."""
    return Entry(
        row[prefix + "id"], row[prefix + "shingles"], row[prefix + "numbers"], row[prefix + "exact"],
        row[prefix + "published"], row[prefix + "agency"], 0.0, row[prefix + "title"] or "",
    )  # fmt: skip


def verify(batches: Iterable[pa.RecordBatch], config: DedupConfig, sink: ParquetSink) -> None:
    """Candidate pairs (both entries on one row) → the verified links, as the index records them."""
    for batch in batches:
        found: dict[str, list[Any]] = {name: [] for name in LINK_SCHEMA.names}
        for row in _rows(batch):
            match = judge(entry_of(row, "l_"), entry_of(row, "r_"), config)
            if match is not None:
                found["left_doc"].append(row["l_doc"])
                found["right_doc"].append(row["r_doc"])
                found["kind"].append(match.kind)
                found["similarity"].append(match.similarity)
        sink.write(found)


def _rows(batch: pa.RecordBatch) -> Iterator[dict[str, Any]]:
    columns = batch.to_pydict()
    names = list(columns)
    for values in zip(*columns.values(), strict=True):
        yield dict(zip(names, values, strict=True))

"""From verified links to clusters: connected components (numpy label propagation over the link
list, 16 bytes a link), then each component partitioned by `dedup.clusters.partition`, the function
that decides the index's clusters, with the index's corroboration rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from dedup.archive.verifying import entry_of
from dedup.clusters import Placement, partition
from dedup.config import DedupConfig
from dedup.model import Cluster, Entry, Member
from dedup.verify import Match, judge


def components(left: np.ndarray, right: np.ndarray) -> pa.Table:
    """(doc, component) for every document of a link; a component is named by its smallest doc."""
    docs, index = np.unique(np.concatenate([left, right]), return_inverse=True)
    a, b = index[: len(left)], index[len(left) :]
    labels = np.arange(len(docs))
    while True:
        lowest = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, lowest)
        np.minimum.at(labels, b, lowest)
        labels = labels[labels]  # pointer jumping: a label's own label is at most as large
        if np.array_equal(labels, before):
            break
    return pa.table({"doc": docs.astype(np.int64), "component": docs[labels].astype(np.int64)})


def grouped(
    entries: Iterable[pa.RecordBatch], links: Iterable[pa.RecordBatch]
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """(entry rows, link rows) of one component at a time, from two streams ordered by component."""
    link_rows = _by_component(links)
    pending = next(link_rows, None)
    for component, rows in _by_component(entries):
        while pending is not None and pending[0] < component:
            pending = next(link_rows, None)
        own = pending[1] if pending is not None and pending[0] == component else []
        yield rows, own


def _by_component(batches: Iterable[pa.RecordBatch]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Rows grouped by their `component` column, which the stream is ordered by."""
    current: int | None = None
    rows: list[dict[str, Any]] = []
    for batch in batches:
        columns = batch.to_pydict()
        names = list(columns)
        for values in zip(*columns.values(), strict=True):
            row = dict(zip(names, values, strict=True))
            if row["component"] != current and rows:
                assert current is not None
                yield current, rows
                rows = []
            current = row["component"]
            rows.append(row)
    if rows:
        assert current is not None
        yield current, rows


def clusters_of(
    entry_rows: list[dict[str, Any]], link_rows: list[dict[str, Any]], config: DedupConfig
) -> list[Cluster]:
    """The clusters one linked component splits into, each named by its origin (as `newscrawl
    dedup` names them): the index's placement of the same documents and links."""
    by_doc = {row["doc"]: entry_of(row) for row in entry_rows}
    links_of: dict[str, dict[str, Match]] = {entry.id: {} for entry in by_doc.values()}
    for link in link_rows:
        left, right = by_doc[link["left_doc"]], by_doc[link["right_doc"]]
        links_of[left.id][right.id] = Match(right.id, link["kind"], link["similarity"])
        links_of[right.id][left.id] = Match(left.id, link["kind"], link["similarity"])

    def corroborates(entry: Entry, origin: Entry) -> bool:
        return judge(entry, origin, config, config.corroboration_leniency) is not None

    placed = partition(by_doc.values(), links_of, corroborates)
    return _clusters(placed, {entry.id: entry for entry in by_doc.values()})


def _clusters(placed: dict[str, Placement], entries: dict[str, Entry]) -> list[Cluster]:
    members: dict[str, list[str]] = {}
    for doc_id, placement in placed.items():
        members.setdefault(placement.origin, []).append(doc_id)
    found = []
    for origin, ids in sorted(members.items()):
        if len(ids) < 2:
            continue
        listed = tuple(Member(i, placed[i].match, placed[i].similarity) for i in sorted(ids))
        agencies = sorted({agency for i in ids if (agency := entries[i].agency)})
        found.append(Cluster(origin, origin, listed, tuple(agencies)))
    return found

"""What archive re-clustering reads from a store and writes back: the committed Parquet parts of a
date range (checked against their manifests, copied locally when the store is remote), the stored
cluster versions, and the new cluster records as one run, visible once its manifest is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from crawler.storage.base import Store
from crawler.storage.errors import DamagedObject, ObjectNotFound
from crawler.storage.local import FileStore
from crawler.storage.reader import DamageHandler, Reader
from crawler.storage.shapes import cluster_problem, member_id
from crawler.storage.writer import RunWriter

FLUSH_EVERY = 5000  # cluster records per part: what the writer holds before it writes


def archive_parts(
    store: Store, since: date | None, until: date | None, staging: Path, on_damaged: DamageHandler | None
) -> list[tuple[str, int]]:
    """(local path, order: higher for the copy readers return) of each current Parquet part of the
    dates since..until, its sha256 checked; parts of a remote store are copied under `staging`, so
    the engine reads local files whatever the store. A damaged part raises DamagedObject, or with
    `on_damaged` is handed to it and left out."""
    reader = Reader(store, on_damaged=on_damaged)
    entries = reader.current_entries(reader.runs(), since, until, kind="articles-parquet")
    found = []
    for position, entry in enumerate(entries):
        try:
            try:
                data = reader.read_object(entry)
            except ObjectNotFound:
                raise DamagedObject(entry["key"], store.describe(), "missing") from None
        except DamagedObject as error:
            if on_damaged is None:
                raise
            on_damaged(error)
            continue
        if isinstance(store, FileStore):
            path = store.url(entry["key"])
        else:
            local = staging / f"part-{position:06d}.parquet"
            local.write_bytes(data)
            path = str(local)
        found.append((path, len(entries) - position))
    return found


def stored_memberships(store: Store, on_damaged: DamageHandler | None) -> Iterator[pa.RecordBatch]:
    """(cluster, version, member) of every stored cluster version, one part at a time; a version
    without members is one row with a NULL member. Later versions have higher numbers."""
    reader = Reader(store, on_damaged=on_damaged)
    version = 0
    for manifest in reader.runs():
        for entry in manifest["objects"]:
            if entry["kind"] != "clusters":
                continue
            rows: dict[str, list[Any]] = {"cluster": [], "version": [], "member": []}
            for record in reader.read_records(entry, cluster_problem):
                version += 1
                members = [member_id(member) for member in record["members"]] or [None]
                rows["cluster"] += [record["id"]] * len(members)
                rows["version"] += [version] * len(members)
                rows["member"] += members
            yield pa.RecordBatch.from_pydict(rows)


def retired_record(cluster_id: str) -> dict[str, Any]:
    """A cluster whose members all moved elsewhere: readers drop what it held."""
    return {"id": cluster_id, "origin": None, "members": [], "agencies": []}


def alone_record(article_id: str) -> dict[str, Any]:
    """An article stored as a copy that now stands alone: its own one-member cluster says so."""
    return {
        "id": article_id,
        "origin": article_id,
        "members": [{"id": article_id, "match": "unique", "similarity": None}],
        "agencies": [],
    }


def write_cluster_run(
    store: Store, records: Iterable[dict[str, Any]], stats: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Commit `records` as one run of cluster records, with `stats()` as taken once they are all
    written; nothing of the run is visible until its manifest is."""
    with RunWriter(store) as writer:
        for count, record in enumerate(records, start=1):
            writer.add_cluster(record)
            if count % FLUSH_EVERY == 0:
                writer.flush()
        return writer.commit(stats())

"""Reader: everything downstream needs, read through committed manifests only, with sha256 checks.

A run without a manifest does not exist here. An article id stored by several runs (a retried
crawl, a re-fetch) is returned once: the copy from the most recently committed run. Parts that a
committed compaction (`newscrawl compact`) rewrote are skipped in favour of the compacted ones,
which rank as the newest run they hold, so compaction never changes which copy is returned. A damaged
manifest or part (wrong checksum, does not decode, wrong shape) raises DamagedObject, or, with an
`on_damaged` handler, is handed to it and skipped whole.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from crawler.storage import keys
from crawler.storage.base import Store, sha256_hex
from crawler.storage.errors import ChecksumMismatch, DamagedObject, ObjectNotFound
from crawler.storage.manifest import is_compaction, manifest_keys, read_manifest
from crawler.storage.records import RawResponse, decode_jsonl
from crawler.storage.selection import article_entries, current_entries
from crawler.storage.shapes import article_problem, cluster_problem
from crawler.storage.verdicts import Verdicts
from crawler.storage.warc import read_record

DamageHandler = Callable[[DamagedObject], None]
# What a part that does not decode raises: bad gzip (OSError, EOFError, zlib.error), bad UTF-8 or
# JSON (ValueError), JSON nested too deep (RecursionError).
_UNDECODABLE = (OSError, EOFError, zlib.error, ValueError, RecursionError)


class Reader:
    # Which parts of which manifests a reader uses is decided from the manifests alone.
    current_entries = staticmethod(current_entries)
    article_entries = staticmethod(article_entries)

    def __init__(self, store: Store, on_damaged: DamageHandler | None = None) -> None:
        self.store = store
        self.on_damaged = on_damaged

    def runs(self) -> list[dict[str, Any]]:
        """Committed run manifests, oldest first."""
        return [manifest for _checkpoint, manifest in self.changes(None)]

    def changes(self, after: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(checkpoint, manifest) for each run committed after `after`; remember the last checkpoint."""
        for key in manifest_keys(self.store, after):
            try:
                manifest = read_manifest(self.store, key)
            except DamagedObject as error:
                self._damaged(error)
                continue
            yield manifest["checkpoint"], manifest

    def read_object(self, entry: dict[str, Any], verify: bool = True) -> bytes:
        """The bytes of one manifest entry, checked against its recorded size and sha256 when `verify`."""
        data = self.store.get_bytes(entry["key"])
        if verify and len(data) != entry["size"]:
            raise ChecksumMismatch(
                entry["key"],
                self.store.describe(),
                f"{len(data)} bytes where its manifest recorded {entry['size']}",
            )
        if verify and sha256_hex(data) != entry["sha256"]:
            raise ChecksumMismatch(
                entry["key"],
                self.store.describe(),
                f"its sha256 differs from the one its manifest recorded ({entry['size']} bytes either way); "
                "the object was altered or damaged",
            )
        return data

    def read_records(
        self, entry: dict[str, Any], check: Callable[[Any], str | None], verify: bool = True
    ) -> list[dict[str, Any]]:
        """Every record of one JSON Lines part, each passing `check` (a shapes function): a part is
        used whole or not at all. On damage: DamagedObject, or [] after telling `on_damaged`."""
        try:
            try:
                data = self.read_object(entry, verify)
            except ObjectNotFound:
                raise DamagedObject(
                    entry["key"],
                    self.store.describe(),
                    "missing: its manifest lists it, the store has no such object",
                ) from None
            try:
                records = list(decode_jsonl(data))
            except _UNDECODABLE as error:
                raise DamagedObject(
                    entry["key"], self.store.describe(), f"does not decode ({error})"
                ) from None
            for line, record in enumerate(records, 1):
                problem = check(record)
                if problem is not None:
                    raise DamagedObject(entry["key"], self.store.describe(), f"record {line}: {problem}")
        except DamagedObject as error:
            self._damaged(error)
            return []
        return records

    def _damaged(self, error: DamagedObject) -> None:
        if self.on_damaged is None:
            raise error
        self.on_damaged(error)

    def articles(
        self,
        since: date | None = None,
        until: date | None = None,
        source: str | None = None,
        include_duplicates: bool = True,
        verify: bool = True,
        after: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Articles filed under dates since..until (inclusive) and `source`, newest run first;
        with `after`, only those stored by runs committed after that checkpoint. Each record's dedup
        fields are its current verdict (`crawler.storage.verdicts`), which later runs may have changed
        (with `after`, as the runs after the checkpoint left it)."""
        seen: set[str] = set()
        manifests = [manifest for _checkpoint, manifest in self.changes(after)]
        # Only a run committed after a record's own can change its verdict: with `after`, the cluster
        # versions of the runs read are all that matter, and an hourly reader does not re-read the archive's.
        verdicts = Verdicts(self.cluster_versions(verify, manifests))
        origins = verdicts.origins()
        for entry in self.current_entries(manifests, since, until, source, whole=after is None):
            for record in self.read_records(entry, article_problem, verify):
                if record["id"] in seen:
                    continue
                seen.add(record["id"])
                if include_duplicates or not is_copy(record, origins):
                    yield verdicts.current(record)

    def verdicts(self, verify: bool = True) -> Verdicts:
        """The current dedup verdicts, from every stored cluster version."""
        return Verdicts(self.cluster_versions(verify))

    def cluster_origins(self, verify: bool = True) -> dict[str, str]:
        """Article id → its cluster's current origin, from the latest cluster records."""
        return self.verdicts(verify).origins()

    def run_articles(
        self,
        manifest: dict[str, Any],
        since: date | None = None,
        until: date | None = None,
        source: str | None = None,
        verify: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """The article records one run stored (e.g. for each manifest `changes` yields); none for a
        compaction run, which only rewrote records earlier runs stored."""
        if is_compaction(manifest):
            return
        for entry in self.article_entries(manifest, since, until, source, kind="articles"):
            yield from self.read_records(entry, article_problem, verify)

    def parquet_urls(
        self, since: date | None = None, until: date | None = None, source: str | None = None
    ) -> list[str]:
        """Addresses of the committed Parquet parts, for `read_parquet(urls, hive_partitioning=true)`
        in DuckDB or Spark. Unlike a glob over `articles/`, this never includes a killed run's leftovers."""
        entries = self.current_entries(self.runs(), since, until, source, kind="articles-parquet")
        return [self.store.url(entry["key"]) for entry in entries]

    def cluster_versions(
        self, verify: bool = True, runs: list[dict[str, Any]] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every stored cluster version, in commit order (of `runs` when the caller has read them)."""
        for manifest in self.runs() if runs is None else runs:
            for entry in manifest["objects"]:
                if entry["kind"] == "clusters":
                    yield from self.read_records(entry, cluster_problem, verify)

    def clusters(self, verify: bool = True) -> Iterator[dict[str, Any]]:
        """The latest version of each cluster (later commits replace earlier ones), sorted by id."""
        latest = self.verdicts(verify).clusters
        for cluster_id in sorted(latest):
            yield latest[cluster_id]

    def cluster_history(self, cluster_id: str, verify: bool = True) -> list[dict[str, Any]]:
        """Every stored version of one cluster, oldest first."""
        return [c for c in self.cluster_versions(verify) if c["id"] == cluster_id]

    def raw(self, record: dict[str, Any], decode: bool = True) -> RawResponse | None:
        """The archived HTTP response of an article record, or None if it was stored without one.
        Headers as received; the body decoded from its Content-Encoding, or as received with
        `decode=False`."""
        where = record.get("warc")
        if not where:
            return None
        key = keys.validate_key(where["file"])
        data = self.store.get_bytes(key)
        try:
            return read_record(data, where["offset"], where["length"], decode)
        except _UNDECODABLE as error:  # warcio and gzip raise plain ValueError / OSError for bad bytes
            raise DamagedObject(
                key, self.store.describe(), f"no readable WARC record at offset {where['offset']} ({error})"
            ) from None


def is_copy(record: dict[str, Any], origins: dict[str, str]) -> bool:
    """Whether `record` is a syndicated copy, by its cluster's current origin when known."""
    # A record's own duplicate_of is the origin known when it was written; a later, earlier-published
    # or agency copy can take over as origin, and the cluster record says so.
    origin = origins.get(record["id"])
    return origin != record["id"] if origin is not None else bool(record.get("duplicate_of"))

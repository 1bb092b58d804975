"""Reader: everything downstream needs, read through committed manifests only, with sha256 checks.

A run without a manifest does not exist here. An article id stored by several runs (a retried
crawl, a re-fetch) is returned once: the copy from the most recently committed run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from crawler.storage import keys
from crawler.storage.base import Store, sha256_hex
from crawler.storage.errors import ChecksumMismatch
from crawler.storage.manifest import manifest_keys, read_manifest
from crawler.storage.records import RawResponse, decode_jsonl
from crawler.storage.warc import read_record


class Reader:
    def __init__(self, store: Store) -> None:
        self.store = store

    def runs(self) -> list[dict[str, Any]]:
        """Committed run manifests, oldest first."""
        return [read_manifest(self.store, key) for key in manifest_keys(self.store)]

    def changes(self, after: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(checkpoint, manifest) for each run committed after `after`; remember the last checkpoint."""
        for key in manifest_keys(self.store, after):
            manifest = read_manifest(self.store, key)
            yield manifest["checkpoint"], manifest

    def read_object(self, entry: dict[str, Any], verify: bool = True) -> bytes:
        """The bytes of one manifest entry, checked against its recorded sha256 when `verify`."""
        data = self.store.get_bytes(entry["key"])
        if verify and (len(data) != entry["size"] or sha256_hex(data) != entry["sha256"]):
            raise ChecksumMismatch(
                f"{entry['key']} in {self.store.describe()} does not match its manifest "
                f"(size {len(data)} vs {entry['size']}); the object was altered or damaged"
            )
        return data

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
        with `after`, only those stored by runs committed after that checkpoint."""
        seen: set[str] = set()
        origins = {} if include_duplicates else self.cluster_origins(verify)
        manifests = [manifest for _checkpoint, manifest in self.changes(after)]
        for manifest in reversed(manifests):
            for record in self.run_articles(manifest, since, until, source, verify):
                if record["id"] in seen:
                    continue
                seen.add(record["id"])
                if include_duplicates or not is_copy(record, origins):
                    yield record

    def cluster_origins(self, verify: bool = True) -> dict[str, str]:
        """Article id → its cluster's current origin, from the latest cluster records."""
        return {
            member["id"]: cluster["origin"]
            for cluster in self.clusters(verify)
            for member in cluster["members"]
        }

    def run_articles(
        self,
        manifest: dict[str, Any],
        since: date | None = None,
        until: date | None = None,
        source: str | None = None,
        verify: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """The article records one run stored (e.g. for each manifest `changes` yields)."""
        for entry in self.article_entries(manifest, since, until, source, kind="articles"):
            yield from decode_jsonl(self.read_object(entry, verify))

    @staticmethod
    def article_entries(
        manifest: dict[str, Any],
        since: date | None = None,
        until: date | None = None,
        source: str | None = None,
        kind: str = "articles",
    ) -> list[dict[str, Any]]:
        """Manifest entries of article parts (`kind` "articles" or "articles-parquet") matching filters."""
        selected = []
        for entry in manifest["objects"]:
            if entry["kind"] != kind or (source is not None and entry["source"] != source):
                continue
            day = date.fromisoformat(entry["date"])
            if (since is None or day >= since) and (until is None or day <= until):
                selected.append(entry)
        return selected

    def parquet_urls(
        self, since: date | None = None, until: date | None = None, source: str | None = None
    ) -> list[str]:
        """Addresses of the committed Parquet parts, for `read_parquet(urls, hive_partitioning=true)`
        in DuckDB or Spark. Unlike a glob over `articles/`, this never includes a killed run's leftovers."""
        return [
            self.store.url(entry["key"])
            for manifest in self.runs()
            for entry in self.article_entries(manifest, since, until, source, kind="articles-parquet")
        ]

    def clusters(self, verify: bool = True) -> Iterator[dict[str, Any]]:
        """The latest version of each cluster (later commits replace earlier ones), sorted by id."""
        latest: dict[str, dict[str, Any]] = {}
        for manifest in self.runs():
            for entry in manifest["objects"]:
                if entry["kind"] == "clusters":
                    for cluster in decode_jsonl(self.read_object(entry, verify)):
                        latest[cluster["id"]] = cluster
        for cluster_id in sorted(latest):
            yield latest[cluster_id]

    def cluster_history(self, cluster_id: str, verify: bool = True) -> list[dict[str, Any]]:
        """Every stored version of one cluster, oldest first."""
        versions = []
        for manifest in self.runs():
            for entry in manifest["objects"]:
                if entry["kind"] == "clusters":
                    versions += [
                        c for c in decode_jsonl(self.read_object(entry, verify)) if c["id"] == cluster_id
                    ]
        return versions

    def raw(self, record: dict[str, Any]) -> RawResponse | None:
        """The archived HTTP response of an article record, or None if it was stored without one."""
        where = record.get("warc")
        if not where:
            return None
        data = self.store.get_bytes(keys.validate_key(where["file"]))
        return read_record(data, where["offset"], where["length"])


def is_copy(record: dict[str, Any], origins: dict[str, str]) -> bool:
    """Whether `record` is a syndicated copy, by its cluster's current origin when known."""
    # A record's own duplicate_of is the origin known when it was written; a later, earlier-published
    # or agency copy can take over as origin, and the cluster record says so.
    origin = origins.get(record["id"])
    return origin != record["id"] if origin is not None else bool(record.get("duplicate_of"))

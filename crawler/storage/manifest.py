"""Run manifests: the commit marker of a run and the change feed.

A manifest is written last, at `manifests/NNNNNNNNNNNN.json`. Numbers are claimed with write-once
puts: a writer tries one past the highest it can list and moves up on a conflict, so numbers are
gap-free in commit order and "everything after checkpoint N" never misses a slower writer.
"""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from crawler.storage import keys
from crawler.storage.base import Store
from crawler.storage.errors import ObjectConflict, StorageError
from crawler.storage.records import MANIFEST_SCHEMA_VERSION

_VERSIONED = ("newscrawl", "boto3", "pyarrow", "warcio", "scrapy", "trafilatura", "datasketch")
_MAX_CLAIMS = 1000


def software_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # not installed here (e.g. a reader without Scrapy): nothing to record
    return versions


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def encode_manifest(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()


def latest_sequence(store: Store) -> int:
    found = [keys.manifest_sequence(key) for key in store.list(keys.MANIFEST_PREFIX)]
    return max(found, default=0)


def commit_manifest(store: Store, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write `manifest` under the next free sequence number and return it with that number set."""
    sequence = latest_sequence(store) + 1
    for _attempt in range(_MAX_CLAIMS):
        key = keys.manifest(sequence)
        manifest = {**manifest, "sequence": sequence, "checkpoint": keys.checkpoint(sequence), "key": key}
        try:
            store.put_bytes(key, encode_manifest(manifest))
            return manifest  # a False (already stored, same bytes) is our own retried write
        except ObjectConflict:
            sequence += 1  # another run committed this number first
    raise StorageError(
        f"could not claim a manifest number after {_MAX_CLAIMS} tries; too many concurrent runs"
    )


def read_manifest(store: Store, key: str) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(store.get_bytes(key))
    except ValueError as error:
        raise StorageError(f"manifest {key!r} in {store.describe()} is not valid JSON: {error}") from error
    if manifest.get("schema_version") != MANIFEST_SCHEMA_VERSION:
        raise StorageError(
            f"manifest {key!r} has schema_version {manifest.get('schema_version')!r}; this newscrawl reads "
            f"{MANIFEST_SCHEMA_VERSION}: upgrade newscrawl"
        )
    return manifest


def manifest_keys(store: Store, after: str | None = None) -> list[str]:
    """Committed manifest keys in commit order, optionally only those after a checkpoint."""
    start = keys.manifest(int(keys.validate_checkpoint(after))) if after else None
    listed = store.list(keys.MANIFEST_PREFIX, start_after=start)
    return [key for key in listed if keys.manifest_sequence(key) > 0]

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
from crawler.storage.base import Store, sha256_hex
from crawler.storage.errors import DamagedObject, ObjectConflict, StorageError
from crawler.storage.records import MANIFEST_SCHEMA_VERSION
from crawler.storage.shapes import manifest_problem

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


def object_entry(key: str, kind: str, data: bytes, **facts: Any) -> dict[str, Any]:
    """A manifest's record of one stored object: readers check its bytes against size and sha256."""
    return {"key": key, "kind": kind, "size": len(data), "sha256": sha256_hex(data), **facts}


def run_manifest(
    run_id: str,
    started_at: str,
    conditional_writes: bool,
    counts: dict[str, int],
    stats: dict[str, Any],
    objects: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    """A run's manifest as `commit_manifest` takes it (which adds its number), for crawls and
    compactions alike; `extra` holds what only some runs record (a compaction's `supersedes`)."""
    return {
        "schema_version": MANIFEST_SCHEMA_VERSION,
        "run_id": run_id,
        "started_at": started_at,
        "committed_at": now_iso(),
        "conditional_writes": conditional_writes,
        "counts": counts,
        "stats": stats,
        "software": software_versions(),
        "objects": objects,
        **extra,
    }


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
    """The manifest at `key`; DamagedObject if it is not JSON or not shaped like a manifest."""
    data = store.get_bytes(key)
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise DamagedObject(key, store.describe(), f"not valid JSON ({error})") from None
    version = manifest.get("schema_version") if isinstance(manifest, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > MANIFEST_SCHEMA_VERSION:
        raise StorageError(
            f"manifest {key!r} has schema_version {version!r}; this newscrawl reads "
            f"{MANIFEST_SCHEMA_VERSION}: upgrade newscrawl"
        )
    problem = manifest_problem(manifest, key)
    if problem is None and version != MANIFEST_SCHEMA_VERSION:
        problem = f"schema_version is {version!r}, not {MANIFEST_SCHEMA_VERSION}"
    if problem is not None:
        raise DamagedObject(key, store.describe(), problem)
    checked: dict[str, Any] = manifest
    return checked


def is_compaction(manifest: dict[str, Any]) -> bool:
    """Whether a run only rewrote parts already stored (`newscrawl compact`): it adds no articles."""
    return "supersedes" in manifest


def superseded_keys(manifests: list[dict[str, Any]]) -> set[str]:
    """Keys of parts that a committed compaction replaced; readers of the whole store skip them."""
    return {key for manifest in manifests for key in manifest.get("supersedes", ())}


def entry_rank(manifest: dict[str, Any], entry: dict[str, Any]) -> int:
    """Where a part stands when several runs stored one article id (the higher wins): its run's
    sequence, or for a compacted part the sequence of the newest run whose records it holds, so a
    compaction never overrides a run committed after its inputs."""
    rank = entry.get("rank", manifest["sequence"])
    return int(rank)


def manifest_keys(store: Store, after: str | None = None) -> list[str]:
    """Committed manifest keys in commit order, optionally only those after a checkpoint."""
    start = keys.manifest(int(keys.validate_checkpoint(after))) if after else None
    listed = store.list(keys.MANIFEST_PREFIX, start_after=start)
    return [key for key in listed if keys.manifest_sequence(key) > 0]

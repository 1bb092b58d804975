"""Every object key template of the bucket layout, and the validation all keys pass through.

Keys are built only from validated parts, so two runs can never collide and no key can escape
its prefix. See the README's "Bucket layout" for the layout these templates produce.
"""

from __future__ import annotations

import re
from datetime import date

from crawler.storage.errors import UnsafeKeyError

MAX_KEY_BYTES = 1024
# A key part: starts with a letter or digit (no hidden files, no "..") and has no separators.
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._=+@-]*")
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_CHECKPOINT = re.compile(r"\d{12}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

MANIFEST_PREFIX = "manifests/"
ARTICLE_PREFIX = "articles/"
CLUSTER_PREFIX = "clusters/"
WARC_PREFIX = "warc/"
PROBE_PREFIX = "_newscrawl/probe/"


def validate_key(key: str) -> str:
    """Return `key` unchanged if it is safe: relative, no empty/`.`/`..` parts, no control chars."""
    if not isinstance(key, str) or not key:
        raise UnsafeKeyError(f"object key must be a non-empty string, got {key!r}")
    # One regex scan: a reader checks every key of every manifest it opens (a character loop here was
    # a tenth of reading a compacted day).
    if _CONTROL.search(key):
        raise UnsafeKeyError(f"object key {key!r} contains control characters; remove them")
    if key.startswith("/") or "\\" in key:
        raise UnsafeKeyError(f"object key {key!r} must be relative with '/' separators (no leading '/')")
    if "//" in key or key.endswith("/"):
        raise UnsafeKeyError(f"object key {key!r} has an empty path part; remove the doubled or trailing '/'")
    if len(key.encode()) > MAX_KEY_BYTES:
        raise UnsafeKeyError(f"object key is {len(key.encode())} bytes; keys are limited to {MAX_KEY_BYTES}")
    for part in key.split("/"):
        if not _PART.fullmatch(part):
            raise UnsafeKeyError(
                f"object key {key!r} has the part {part!r}; parts use letters, digits and ._=+@- "
                "and start with a letter or digit (no '.', '..' or hidden names)"
            )
    return key


def validate_prefix(prefix: str) -> str:
    """A listing prefix: empty, or a key with an optional trailing '/'."""
    if prefix:
        validate_key(prefix.rstrip("/") if prefix.endswith("/") else prefix)
    return prefix


def validate_run_id(run_id: str) -> str:
    if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id) or ".." in run_id:
        raise UnsafeKeyError(
            f"run id {run_id!r} is not usable in keys; use 1-100 letters, digits, '.', '_' or '-'"
        )
    return run_id


def validate_checkpoint(checkpoint: str) -> str:
    if not isinstance(checkpoint, str) or not _CHECKPOINT.fullmatch(checkpoint):
        raise UnsafeKeyError(
            f"checkpoint {checkpoint!r} is not valid; pass the 12-digit checkpoint a previous read printed"
        )
    return checkpoint


def validate_part(value: str, what: str) -> str:
    """A value used as one Hive `name=value` part (a source id, a date)."""
    if not isinstance(value, str) or not _PART.fullmatch(value) or "=" in value:
        raise UnsafeKeyError(
            f"{what} {value!r} cannot be used in an object key; use letters, digits and ._+@- only"
        )
    return value


def article_part(day: date, source: str, run_id: str, batch: int, ext: str) -> str:
    """`articles/date=YYYY-MM-DD/source=ID/part-RUN-NNNNN.EXT`: deterministic per (run, batch)."""
    name = f"part-{validate_run_id(run_id)}-{batch:05d}.{ext}"
    return validate_key(
        f"{ARTICLE_PREFIX}date={day.isoformat()}/source={validate_part(source, 'source id')}/{name}"
    )


def cluster_part(run_id: str, batch: int) -> str:
    return validate_key(f"{CLUSTER_PREFIX}run={validate_run_id(run_id)}/part-{batch:05d}.jsonl.gz")


def warc_file(run_id: str, batch: int) -> str:
    return validate_key(f"{WARC_PREFIX}run={validate_run_id(run_id)}/batch-{batch:05d}.warc.gz")


def manifest(sequence: int) -> str:
    """Manifests are numbered gap-free in commit order; the number is the change-feed checkpoint."""
    return validate_key(f"{MANIFEST_PREFIX}{checkpoint(sequence)}.json")


def checkpoint(sequence: int) -> str:
    return f"{sequence:012d}"


def manifest_sequence(key: str) -> int:
    """The sequence number of a manifest key, or -1 for anything else under the prefix."""
    name = key.removeprefix(MANIFEST_PREFIX).removesuffix(".json")
    return int(name) if _CHECKPOINT.fullmatch(name) and key.endswith(".json") else -1


def partition_of(key: str) -> dict[str, str]:
    """The Hive `name=value` parts of a key, e.g. {"date": "2016-08-27", "source": "thebricspost"}."""
    return dict(part.split("=", 1) for part in key.split("/")[:-1] if "=" in part)

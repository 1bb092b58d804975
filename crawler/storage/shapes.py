"""Shape checks for what readers decode from the store: run manifests, article and cluster records.

A checksum only says the bytes are those the writer stored; these say the bytes hold what readers
rely on. Each `*_problem` function returns None for a usable value, else a short reason, which the
caller turns into a `DamagedObject` naming the object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from crawler.storage import keys
from crawler.storage.errors import UnsafeKeyError

_SHA256 = re.compile(r"[0-9a-f]{64}")
ARTICLE_KINDS = ("articles", "articles-parquet")
_JSON_NAMES = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}


def json_name(value: Any) -> str:
    """What a decoded JSON value is, in JSON's words ("an array", "null")."""
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return _JSON_NAMES.get(type(value), type(value).__name__)


_LABELS = {str: "a string", int: "a number", dict: "an object", list: "an array"}
# The fields each stored JSON shape must have, with their JSON types.
_MANIFEST = {
    "run_id": str,
    "sequence": int,
    "checkpoint": str,
    "committed_at": str,
    "stats": dict,
    "objects": list,
}
_OBJECT_ENTRY = {"key": str, "kind": str, "size": int, "sha256": str}
_ARTICLE_ENTRY = {"date": str, "source": str}
_ARTICLE = {"id": str, "source": str}
_WARC_POINTER = {"file": str, "offset": int, "length": int}
_CLUSTER = {"id": str, "members": list}


def _fields_problem(record: dict[str, Any], fields: Mapping[str, type]) -> str | None:
    """The first of `fields` that `record` lacks or holds as another JSON type (true is no number)."""
    for name, kind in fields.items():
        value = record.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"{name!r} should be {_LABELS[kind]} but is {json_name(value)}"
    return None


def manifest_problem(manifest: Any, key: str) -> str | None:
    """Why the manifest stored at `key` is unusable, or None. `schema_version` is checked by the caller."""
    if not isinstance(manifest, dict):
        return f"a manifest is a JSON object, this is {json_name(manifest)}"
    problem = _fields_problem(manifest, _MANIFEST)
    if problem is not None:
        return problem
    sequence = keys.manifest_sequence(key)
    if manifest["sequence"] != sequence or manifest["checkpoint"] != keys.checkpoint(sequence):
        return f"it claims checkpoint {manifest['checkpoint']!r}, but is stored as number {sequence}"
    for number, entry in enumerate(manifest["objects"]):
        problem = object_entry_problem(entry)
        if problem is not None:
            return f"objects[{number}]: {problem}"
    supersedes = manifest.get("supersedes", [])
    if not isinstance(supersedes, list) or not all(isinstance(key, str) for key in supersedes):
        return "'supersedes' should be an array of keys"
    return None


def object_entry_problem(entry: Any) -> str | None:
    """Why one `objects` entry of a manifest is unusable, or None."""
    if not isinstance(entry, dict):
        return f"an object entry is a JSON object, this is {json_name(entry)}"
    problem = _fields_problem(entry, _OBJECT_ENTRY)
    if problem is not None:
        return problem
    try:
        keys.validate_key(entry["key"])
    except UnsafeKeyError as error:
        return str(error)
    if entry["size"] < 0 or not _SHA256.fullmatch(entry["sha256"]):
        return f"{entry['key']} has no usable size and sha256"
    rank = entry.get("rank", 0)
    if not isinstance(rank, int) or isinstance(rank, bool):
        return f"'rank' should be a number but is {json_name(rank)}"
    if entry["kind"] in ARTICLE_KINDS:
        problem = _fields_problem(entry, _ARTICLE_ENTRY)
        if problem is not None:
            return problem
        try:
            date.fromisoformat(entry["date"])
        except ValueError:
            return f"'date' {entry['date']!r} is not a date"
    return None


def article_problem(record: Any) -> str | None:
    """Why a decoded article record is unusable, or None: readers need its id, source and WARC pointer."""
    if not isinstance(record, dict):
        return f"an article record is a JSON object, this is {json_name(record)}"
    problem = _fields_problem(record, _ARTICLE)
    if problem is not None:
        return problem
    warc = record.get("warc")
    if warc is not None and not (isinstance(warc, dict) and _fields_problem(warc, _WARC_POINTER) is None):
        return f"article {record['id']} has a 'warc' pointer that is not {{file, offset, length}}"
    return None


def cluster_problem(cluster: Any) -> str | None:
    """Why a decoded cluster record is unusable, or None. Members are article ids, or objects with
    one (`id`, `match`, `similarity`) as the deduplicator writes them."""
    if not isinstance(cluster, dict):
        return f"a cluster record is a JSON object, this is {json_name(cluster)}"
    problem = _fields_problem(cluster, _CLUSTER)
    if problem is not None:
        return problem
    if not isinstance(cluster.get("origin"), str | None):
        return f"cluster {cluster['id']} has an 'origin' that is {json_name(cluster['origin'])}"
    for member in cluster["members"]:
        if member_id(member) is None:
            return f"cluster {cluster['id']} has a member that is neither an article id nor {{id, ...}}"
        # Readers copy these onto the member's article record as its current verdict.
        if isinstance(member, dict) and not (
            isinstance(member.get("match"), str | None) and _number_or_none(member.get("similarity"))
        ):
            return (
                f"cluster {cluster['id']} has member {member['id']} whose 'match' or 'similarity' is not one"
            )
    return None


def _number_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def member_id(member: Any) -> str | None:
    """The article id of one cluster member, in either of its stored forms."""
    if isinstance(member, str):
        return member
    if isinstance(member, dict) and isinstance(member.get("id"), str):
        return member["id"]
    return None

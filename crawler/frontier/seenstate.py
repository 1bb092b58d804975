"""The seen-store's stored state read, checked and healed: `load_state` reads the newest good snapshot
and the deltas after it, setting damaged objects aside; `decode_state` decodes one object and checks its
shape (the four tables `entries`, `aliases`, `validators`, `marks` and a snapshot's `base`, every value
of the type the seen-store relies on), raising `DamagedState`; `entry_of` rebuilds an entry from a
stored article record, for when a damaged object is left out.
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from crawler.storage import DamagedObject, ObjectNotFound, Reader, Store
from crawler.storage.shapes import json_name

logger = logging.getLogger(__name__)
StoredRecords = Callable[[], Iterable[dict[str, Any]]]
# A damaged state object is copied to QUARANTINE_PREFIX + its key: kept for a post-mortem, and the
# copy's presence says it was already set aside.
QUARANTINE_PREFIX = "state/quarantine/"

ENTRY_FIELDS = ("content_sha256", "revision", "first_seen", "last_fetched", "published_at", "updated_at")
_OPTIONAL_TEXT = ("content_sha256", "published_at", "updated_at")


class KeyValue(Protocol):
    def get_bytes(self, key: str) -> bytes | None: ...
    def put_bytes(self, key: str, data: bytes) -> object: ...  # whatever it returns is ignored
    def list(self, prefix: str) -> Iterable[str]: ...


@dataclass(frozen=True)
class LoadedState:
    quarantined: list[str]  # damaged objects met while loading (set aside, left out)
    deltas_since_snapshot: int


class DamagedState(ValueError):
    """A seen-store object that does not decode or holds values of the wrong type."""


def is_time(value: Any) -> bool:
    """An ISO 8601 time with a UTC offset, as the seen-store writes them and compares them."""
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return f"is {json_name(entry)}, not an object"
    revision = entry.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        return f"revision is {json_name(revision)}, not a count"
    for name in ("first_seen", "last_fetched"):
        if not is_time(entry.get(name)):
            return f"{name} {entry.get(name)!r} is not a time with a UTC offset"
    for name in _OPTIONAL_TEXT:
        if not isinstance(entry.get(name), str | None):
            return f"{name} is {json_name(entry[name])}, not a string"
    return None


def _alias_problem(canonical: Any) -> str | None:
    return None if isinstance(canonical, str) else f"is {json_name(canonical)}, not a URL"


def _validator_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return f"is {json_name(record)}, not an object"
    if not is_time(record.get("stored_at")):
        return "has no stored_at time"
    if record.get("trusted", True) and not is_time(record.get("verified_at")):
        return "is trusted but has no verified_at time"
    for name in ("etag", "last_modified", "sha256"):
        if not isinstance(record.get(name), str | None):
            return f"{name} is {json_name(record[name])}, not a string"
    return None


def _mark_problem(value: Any) -> str | None:
    return None if is_time(value) else f"{value!r} is not a time with a UTC offset"


_TABLES: dict[str, Callable[[Any], str | None]] = {
    "entries": _entry_problem,
    "aliases": _alias_problem,
    "validators": _validator_problem,
    "marks": _mark_problem,
}


def decode_state(data: bytes) -> dict[str, Any]:
    """The tables of one stored object, each present (possibly empty); entries hold only the known
    fields. Raises DamagedState for bytes that are not such an object."""
    try:
        state = json.loads(gzip.decompress(data))
    except (OSError, EOFError, zlib.error, ValueError, RecursionError) as error:
        raise DamagedState(f"does not decode ({error})") from None
    if not isinstance(state, dict):
        raise DamagedState(f"holds {json_name(state)}, not an object")
    for table, problem_of in _TABLES.items():
        rows = state.setdefault(table, {})
        if not isinstance(rows, dict):
            raise DamagedState(f"{table} is {json_name(rows)}, not an object")
        for key, value in rows.items():
            problem = problem_of(value)
            if problem is not None:
                raise DamagedState(f"{table}[{key!r}] {problem}")
    for name in ("base", "loaded_at"):
        if name in state and not is_time(state[name]):
            raise DamagedState(f"{name} {state[name]!r} is not a time with a UTC offset")
    state["entries"] = {
        url: {name: entry.get(name) for name in ENTRY_FIELDS} for url, entry in state["entries"].items()
    }
    return state


def records_in(kv: object) -> StoredRecords:
    """The article records of a newscrawl store (damaged parts logged and left out); none otherwise."""
    if not isinstance(kv, Store):
        return lambda: ()
    store = kv

    def skip(error: DamagedObject) -> None:
        logger.warning("rebuilding the seen-store without %s", error)

    return lambda: Reader(store, on_damaged=skip).articles()


def entry_of(record: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(URL, entry fields) for a stored article record; None if it lacks a URL or a fetch time.
    The URL is the record's canonical one, still to be normalised by the caller."""
    url = record.get("canonical_url") or record.get("url")
    fetched = record.get("fetched_at")
    if not isinstance(url, str) or not is_time(fetched):
        return None
    fetched = datetime.fromisoformat(str(fetched)).astimezone(UTC).isoformat()
    revision = record.get("revision")
    entry: dict[str, Any] = {
        name: value if isinstance(value := record.get(name), str) else None for name in _OPTIONAL_TEXT
    }
    entry.update(
        revision=revision if isinstance(revision, int) and not isinstance(revision, bool) else 1,
        first_seen=fetched,
        last_fetched=fetched,
    )
    return url, entry


def load_state(kv: KeyValue, prefix: str, merge: Callable[[dict[str, Any]], None]) -> LoadedState:
    """Hand `merge` the tables of the newest snapshot that is not damaged, then of every delta it does
    not cover; damaged objects are set aside and named in the result."""
    snapshots = sorted(kv.list(prefix + "snapshot/"))
    deltas = sorted(kv.list(prefix + "delta/"))
    set_aside = {key.removeprefix(QUARANTINE_PREFIX) for key in kv.list(QUARANTINE_PREFIX + prefix)}
    quarantined: list[str] = []
    base = written = covered = ""
    for key in reversed(snapshots):  # the newest snapshot that is not damaged
        state = _read(kv, key, quarantined)
        if state is not None:
            merge(state)
            base = stamp(datetime.fromisoformat(state.get("base", "1970-01-01T00:00:00+00:00")))
            covered = stamp(datetime.fromisoformat(state.get("loaded_at", "1970-01-01T00:00:00+00:00")))
            written = key.removeprefix(prefix + "snapshot/")
            break
    stamps = {key: key.removeprefix(prefix + "delta/") for key in deltas}
    for key in deltas:
        if stamps[key] < base or (key in set_aside and stamps[key] < covered):
            continue  # in the snapshot already; a damaged one through the rebuild it was written after
        state = _read(kv, key, quarantined)
        if state is not None:
            merge(state)
    return LoadedState(quarantined, sum(delta > written for delta in stamps.values()))


def stamp(value: datetime) -> str:
    """The time part of a state object's key: sorts as the times do."""
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _read(kv: KeyValue, key: str, quarantined: list[str]) -> dict[str, Any] | None:
    """The object's tables; None for a damaged object, which is set aside."""
    try:
        data = kv.get_bytes(key)
    except ObjectNotFound:
        return {}  # listed, then gone: nothing to merge
    if data is None:
        return {}
    try:
        return decode_state(data)
    except DamagedState as error:
        _set_aside(kv, key, data, str(error))
        quarantined.append(key)
        return None


def _set_aside(kv: KeyValue, key: str, data: bytes, reason: str) -> None:
    target = QUARANTINE_PREFIX + key
    if target not in set(kv.list(target)):
        kv.put_bytes(target, data)
    logger.warning(
        "seen-store object %s is damaged (%s); copied to %s and left out, its entries are rebuilt "
        "from the stored article records",
        key,
        reason,
        target,
    )

"""The seen-store: what earlier runs fetched (canonical URL → hash, revision, dates) and feed validators.

Persists through a tiny write-once key-value protocol (get_bytes / put_bytes / list): each run
writes one delta object, every so often a full snapshot; loading merges them. Merges are monotonic
(the later fetch / higher revision wins), so order and double-merging do not matter, which is also
what lets a Redis implementation replace this one key by key. A damaged object is copied to
`state/quarantine/<its key>`, left out, and its entries rebuilt from the stored article records.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.discovery.announce import parse_date
from crawler.discovery.urls import normalize_url
from crawler.frontier.seenstate import KeyValue, StoredRecords, entry_of, load_state, records_in, stamp

logger = logging.getLogger(__name__)

SEEN_PREFIX = "state/seen/"
# Write a full snapshot instead of a delta once this many deltas pile up after the last snapshot.
SNAPSHOT_EVERY = 16
# Deltas written while a snapshot was being built are re-merged from this far back (merges are idempotent).
_SNAPSHOT_MARGIN = timedelta(hours=1)


# Request meta that carries `SeenStore.fetch_reason`'s token for a known article fetched again; the
# Redis frontier's seen-set (crawler.frontier.dupefilter) counts each such occasion once.
REFETCH_META = "newscrawl_refetch"


@dataclass
class SeenEntry:
    content_sha256: str | None
    revision: int
    first_seen: str
    last_fetched: str
    published_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class Observation:
    is_new: bool
    revision: int
    changed: bool


class SeenStore:
    """Canonical URL → SeenEntry, URL aliases, feed validators and per-source marks, across runs.

    `stored_records` gives the article records committed runs stored, to rebuild entries from when a
    state object is damaged; by default, when `kv` is a newscrawl Store, that store's records.
    """

    def __init__(
        self, kv: KeyValue, prefix: str = SEEN_PREFIX, stored_records: StoredRecords | None = None
    ) -> None:
        self.kv = kv
        self.prefix = prefix
        self._stored_records = stored_records or records_in(kv)
        self.quarantined: list[str] = []  # damaged objects met while loading (set aside, left out)
        self.rebuilt = 0  # entries rebuilt from stored records because of them
        self._lock = threading.Lock()
        self._loaded_at = _now()
        self.entries: dict[str, SeenEntry] = {}
        self.aliases: dict[str, str] = {}
        self.validators: dict[str, dict[str, Any]] = {}
        self.marks: dict[str, str] = {}
        self._dirty: dict[str, set[str]] = {
            "entries": set(),
            "aliases": set(),
            "validators": set(),
            "marks": set(),
        }
        self._deltas_since_snapshot = 0
        self._load()

    # -- queries -------------------------------------------------------------------------------------

    def lookup(self, url: str) -> SeenEntry | None:
        key = normalize_url(url)
        return self.entries.get(self.aliases.get(key, key))

    def fetch_reason(
        self, url: str, announced: datetime | None, recheck_window: timedelta, recheck_interval: timedelta
    ) -> str | None:
        """Whether to fetch, and why: unknown URLs are fetched; known ones only when announced as newer,
        or recent and not checked lately. "" for an unknown URL; for a known one a token naming this
        occasion ("updated:<announced time>", "recheck:<interval number>"), the same for every worker
        that meets it, so a shared seen-set can let it through once; None: do not fetch."""
        entry = self.lookup(url)
        if entry is None:
            return ""
        last = datetime.fromisoformat(entry.last_fetched)
        if announced is not None and announced > last:
            return f"updated:{announced.isoformat()}"
        born = parse_date(entry.published_at) or datetime.fromisoformat(entry.first_seen)
        now = _now()
        if now - born <= recheck_window and now - last >= recheck_interval:
            interval = max(recheck_interval.total_seconds(), 1.0)
            return f"recheck:{int(now.timestamp() // interval)}"
        return None

    # -- updates -------------------------------------------------------------------------------------

    def record_fetch(self, urls: list[str], canonical_url: str, published_at: str | None = None) -> None:
        """The spider fetched `canonical_url` through `urls`: remember the aliases and the fetch time.

        `published_at` (as announced) dates the article for the recheck window until the pipeline
        observes the extracted date.
        """
        canonical = normalize_url(canonical_url)
        now = _iso(_now())
        with self._lock:
            for url in {normalize_url(u) for u in urls} - {canonical}:
                if self.aliases.get(url) != canonical:
                    self.aliases[url] = canonical
                    self._dirty["aliases"].add(url)
            entry = self.entries.get(canonical)
            if entry is None:
                entry = SeenEntry(content_sha256=None, revision=0, first_seen=now, last_fetched=now)
                self.entries[canonical] = entry
            entry.last_fetched = now
            entry.published_at = entry.published_at or published_at
            self._dirty["entries"].add(canonical)

    def observe(self, canonical_url: str, content_sha256: str, published_at: str | None) -> Observation:
        """Tell the pipeline whether this text is new, a new revision (changed text) or unchanged."""
        canonical = normalize_url(canonical_url)
        now = _iso(_now())
        with self._lock:
            entry = self.entries.get(canonical)
            self._dirty["entries"].add(canonical)
            if entry is None or entry.content_sha256 is None:
                first_seen = entry.first_seen if entry else now
                published_at = published_at or (entry.published_at if entry else None)
                self.entries[canonical] = SeenEntry(content_sha256, 1, first_seen, now, published_at)
                return Observation(is_new=True, revision=1, changed=False)
            entry.last_fetched = now
            entry.published_at = published_at or entry.published_at
            if entry.content_sha256 == content_sha256:
                return Observation(is_new=False, revision=entry.revision, changed=False)
            entry.content_sha256 = content_sha256
            entry.revision += 1
            entry.updated_at = now
            return Observation(is_new=False, revision=entry.revision, changed=True)

    def put_validators(self, url: str, record: dict[str, Any]) -> None:
        with self._lock:
            self.validators[url] = {**record, "stored_at": _iso(_now())}
            self._dirty["validators"].add(url)

    def set_mark(self, key: str, value: str) -> None:
        with self._lock:
            self.marks[key] = value
            self._dirty["marks"].add(key)

    # -- persistence ---------------------------------------------------------------------------------

    def flush(self) -> str | None:
        """Write this run's changes (or a snapshot of everything) as one new object; returns its key."""
        with self._lock:
            if not any(self._dirty.values()):
                return None
            snapshot = self._deltas_since_snapshot + 1 >= SNAPSHOT_EVERY
            state = self._state(None if snapshot else self._dirty)
            if snapshot:
                state["base"] = _iso(self._loaded_at - _SNAPSHOT_MARGIN)
                # Every delta listed before this moment is in the snapshot, or was rebuilt into it.
                state["loaded_at"] = _iso(self._loaded_at)
            kind = "snapshot" if snapshot else "delta"
            key = f"{self.prefix}{kind}/{stamp(_now())}-{uuid.uuid4().hex[:8]}.json.gz"
            self.kv.put_bytes(key, gzip.compress(json.dumps(state).encode("utf-8")))
            self._deltas_since_snapshot = 0 if snapshot else self._deltas_since_snapshot + 1
            self._dirty = {name: set() for name in self._dirty}
            return key

    def _state(self, only: dict[str, set[str]] | None) -> dict[str, Any]:
        def pick(name: str, table: dict[str, Any]) -> dict[str, Any]:
            keys = table.keys() if only is None else only[name]
            return {k: table[k] for k in keys if k in table}

        return {
            "entries": {k: asdict(v) for k, v in pick("entries", self.entries).items()},
            "aliases": pick("aliases", self.aliases),
            "validators": pick("validators", self.validators),
            "marks": pick("marks", self.marks),
        }

    def _load(self) -> None:
        loaded = load_state(self.kv, self.prefix, self._merge)
        self.quarantined = loaded.quarantined
        self._deltas_since_snapshot = loaded.deltas_since_snapshot
        if self.quarantined:
            self._rebuild()

    def _rebuild(self) -> None:
        """Entries and URL aliases from the stored article records, which hold what a damaged object
        knew about every stored article; feed validators and marks are not in them (their loss costs
        one full fetch of a feed). The next flush writes a snapshot, so later runs load the healed state."""
        for record in self._stored_records():
            found = entry_of(record)
            if found is None:
                continue
            url, entry = found
            canonical = normalize_url(url)
            self._merge({"entries": {canonical: entry}})
            self._dirty["entries"].add(canonical)
            for variant in {record.get("url"), record.get("final_url")} - {None, canonical}:
                alias = normalize_url(str(variant))
                if alias != canonical and alias not in self.aliases:
                    self.aliases[alias] = canonical
                    self._dirty["aliases"].add(alias)
            self.rebuilt += 1
        self._deltas_since_snapshot = SNAPSHOT_EVERY
        logger.warning("seen-store: %d entries rebuilt from stored article records", self.rebuilt)

    def _merge(self, state: dict[str, Any]) -> None:
        for url, raw in state.get("entries", {}).items():
            incoming = SeenEntry(**raw)
            current = self.entries.get(url)
            if current is None or (incoming.revision, incoming.last_fetched) > (
                current.revision,
                current.last_fetched,
            ):
                self.entries[url] = incoming
        self.aliases.update(state.get("aliases", {}))
        for url, record in state.get("validators", {}).items():
            if url not in self.validators or record["stored_at"] > self.validators[url]["stored_at"]:
                self.validators[url] = record
        for key, value in state.get("marks", {}).items():
            self.marks[key] = max(value, self.marks.get(key, value))


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()

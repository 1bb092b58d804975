"""The seen-store: observations, persistence through write-once deltas and snapshots, merge order."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.frontier import seen as seen_module
from crawler.frontier.seen import Observation, SeenStore
from crawler.storage.local import FileStore

HOUR = timedelta(hours=1)
WINDOW = timedelta(days=2)


class MemoryKV:
    """The write-once protocol in memory, counting reads, refusing overwrites like the real store."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.reads: list[str] = []

    def get_bytes(self, key: str) -> bytes | None:
        self.reads.append(key)
        return self.objects.get(key)

    def put_bytes(self, key: str, data: bytes) -> None:
        assert key not in self.objects, f"{key} written twice"
        self.objects[key] = data

    def list(self, prefix: str) -> Iterator[str]:
        return iter(sorted(k for k in self.objects if k.startswith(prefix)))


def test_observe_tells_new_unchanged_and_revised() -> None:
    store = SeenStore(MemoryKV())
    url = "https://ex.com/a/"
    assert store.observe(url, "h1", "2026-01-01T00:00:00Z") == Observation(
        is_new=True, revision=1, changed=False
    )
    assert store.observe(url + "#x", "h1", None) == Observation(is_new=False, revision=1, changed=False)
    assert store.observe(url, "h2", None) == Observation(is_new=False, revision=2, changed=True)
    entry = store.lookup(url)
    assert entry is not None and entry.updated_at is not None and entry.published_at == "2026-01-01T00:00:00Z"


def test_state_survives_a_new_process_through_a_directory(tmp_path: Path) -> None:
    first = SeenStore(FileStore(tmp_path))
    first.record_fetch(["https://ex.com/a/?utm_source=x", "https://ex.com/amp/a/"], "https://ex.com/a/")
    first.observe("https://ex.com/a/", "h1", None)
    first.put_validators(
        "https://ex.com/feed", {"etag": '"1"', "trusted": True, "verified_at": "2026-01-01T00:00:00+00:00"}
    )
    key = first.flush()
    assert key is not None and key.startswith("state/seen/delta/")
    assert first.flush() is None  # nothing changed since
    second = SeenStore(FileStore(tmp_path))
    assert second.lookup("https://ex.com/amp/a/") == second.lookup("https://ex.com/a/")
    assert second.observe("https://ex.com/a/", "h1", None).is_new is False
    assert second.validators["https://ex.com/feed"]["etag"] == '"1"'


def test_snapshot_replaces_reading_every_old_delta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seen_module, "SNAPSHOT_EVERY", 3)
    monkeypatch.setattr(seen_module, "_SNAPSHOT_MARGIN", timedelta(0))
    kv = MemoryKV()
    for i in range(5):
        store = SeenStore(kv)
        store.observe(f"https://ex.com/{i}/", f"h{i}", None)
        store.flush()
    keys = list(kv.list("state/seen/"))
    assert sum("/snapshot/" in k for k in keys) == 1 and sum("/delta/" in k for k in keys) == 4
    kv.reads.clear()
    loaded = SeenStore(kv)
    assert all(loaded.lookup(f"https://ex.com/{i}/") for i in range(5))
    # The snapshot and the two deltas written after it are read; the two it already holds are not.
    assert sorted(k.split("/")[2] for k in kv.reads) == ["delta", "delta", "snapshot"]


def test_concurrent_runs_merge_without_losing_either(tmp_path: Path) -> None:
    kv = FileStore(tmp_path)
    base = SeenStore(kv)
    base.observe("https://ex.com/a/", "h1", None)
    base.flush()
    run_a, run_b = SeenStore(kv), SeenStore(kv)
    run_a.observe("https://ex.com/a/", "h2", None)  # a revision
    run_b.observe("https://ex.com/b/", "hb", None)
    run_b.observe("https://ex.com/a/", "h1", None)  # b saw the old text, later
    run_a.flush()
    run_b.flush()
    merged = SeenStore(kv)
    a = merged.lookup("https://ex.com/a/")
    assert a is not None and (a.revision, a.content_sha256) == (2, "h2")
    assert merged.lookup("https://ex.com/b/") is not None


def test_fetch_policy() -> None:
    store = SeenStore(MemoryKV())
    now = datetime.now(UTC)
    assert store.fetch_reason("https://ex.com/new/", None, WINDOW, HOUR) is not None
    store.observe("https://ex.com/old/", "h", (now - timedelta(days=9)).isoformat())
    store.observe("https://ex.com/recent/", "h", (now - HOUR).isoformat())
    assert store.fetch_reason("https://ex.com/old/", None, WINDOW, timedelta(0)) is None
    assert store.fetch_reason("https://ex.com/recent/", None, WINDOW, HOUR) is None
    assert store.fetch_reason("https://ex.com/recent/", None, WINDOW, timedelta(0)) is not None
    assert (
        store.fetch_reason("https://ex.com/old/", now + HOUR, WINDOW, HOUR) is not None
    )  # announced as updated


def test_fetch_reason_names_the_occasion_the_same_way_for_every_worker() -> None:
    store = SeenStore(MemoryKV())
    now = datetime.now(UTC)
    store.observe("https://ex.com/recent/", "h", (now - HOUR).isoformat())
    assert store.fetch_reason("https://ex.com/new/", None, WINDOW, HOUR) == ""
    assert store.fetch_reason("https://ex.com/recent/", None, WINDOW, HOUR) is None
    updated = now + HOUR
    assert (
        store.fetch_reason("https://ex.com/recent/", updated, WINDOW, HOUR)
        == f"updated:{updated.isoformat()}"
    )
    recheck = store.fetch_reason("https://ex.com/recent/", None, WINDOW, timedelta(0))
    assert recheck is not None and recheck.startswith("recheck:")


@pytest.mark.parametrize(
    "announced",
    ["https://ex.com/2016/08/café-story/", "https://bücher.de/2016/08/story/", "https://ex.com/a b/"],
)
def test_a_non_ascii_url_fetched_once_is_not_fetched_again(announced: str) -> None:
    # Scrapy requests an announced URL in its ASCII form (IDNA host, percent-encoded path): the
    # seen-store must find the fetch under the URL as the feed announced it, or every run refetches.
    from scrapy import Request

    store = SeenStore(MemoryKV())
    requested = Request(announced).url
    store.record_fetch([requested], requested)
    assert store.lookup(announced) is not None
    assert store.fetch_reason(announced, None, WINDOW, HOUR) is None


def _delta(entries: dict) -> bytes:
    return gzip.compress(json.dumps({"entries": entries}).encode())


GOOD_ENTRY = {
    "content_sha256": "h",
    "revision": 1,
    "first_seen": "2026-01-01T00:00:00+00:00",
    "last_fetched": "2026-01-01T00:00:00+00:00",
}
DAMAGED_OBJECTS = {
    "garbage": b"garbage",
    "empty": b"",
    "array": gzip.compress(b"[1,2,3]"),
    "truncated-gzip": gzip.compress(b'{"entries": {}}')[:12],
    "truncated-json": gzip.compress(b'{"entries": {"https://ex.com/'),
    "entries-a-list": gzip.compress(b'{"entries": []}'),
    "revision-a-string": _delta({"https://ex.com/x/": {**GOOD_ENTRY, "revision": "2"}}),
    "last-fetched-a-number": _delta({"https://ex.com/x/": {**GOOD_ENTRY, "last_fetched": 5}}),
    "last-fetched-without-offset": _delta(
        {"https://ex.com/x/": {**GOOD_ENTRY, "last_fetched": "2026-01-01"}}
    ),
    "entry-missing-fields": _delta({"https://ex.com/x/": {"revision": 1}}),
    "alias-a-number": gzip.compress(b'{"aliases": {"https://ex.com/y/": 7}}'),
    "validator-without-times": gzip.compress(b'{"validators": {"https://ex.com/feed": {"etag": "1"}}}'),
    "mark-not-a-time": gzip.compress(b'{"marks": {"wp-json:x": "soon"}}'),
    "deep-json": gzip.compress(b"[" * 100_000 + b"]" * 100_000),
}


@pytest.mark.parametrize("damage", sorted(DAMAGED_OBJECTS))
def test_a_damaged_object_is_set_aside_and_its_entries_rebuilt_from_stored_records(damage: str) -> None:
    kv = MemoryKV()
    first = SeenStore(kv)
    first.observe("https://ex.com/kept/", "h0", None)
    first.flush()
    second = SeenStore(kv)
    second.observe("https://ex.com/a/", "h1", None)
    damaged = second.flush()
    assert damaged is not None
    kv.objects[damaged] = DAMAGED_OBJECTS[damage]
    stored = [
        {
            "canonical_url": "https://ex.com/a/",
            "url": "https://ex.com/a/?utm_source=feed",
            "fetched_at": "2026-12-01T10:00:00Z",
            "content_sha256": "h1",
            "revision": 1,
        }
    ]
    healed = SeenStore(kv, stored_records=lambda: stored)
    assert healed.quarantined == [damaged] and healed.rebuilt == 1
    assert kv.objects["state/quarantine/" + damaged] == DAMAGED_OBJECTS[damage]
    assert healed.lookup("https://ex.com/kept/") is not None  # the objects that are fine still count
    assert healed.observe("https://ex.com/a/?utm_source=feed", "h1", None).is_new is False
    snapshot = healed.flush()
    assert snapshot is not None and "/snapshot/" in snapshot  # the next run loads the healed state
    later = SeenStore(kv, stored_records=lambda: pytest.fail("healed already"))
    assert later.quarantined == [] and later.lookup("https://ex.com/a/") is not None


def test_a_damaged_snapshot_falls_back_to_the_one_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seen_module, "SNAPSHOT_EVERY", 1)
    kv = MemoryKV()
    for n in range(2):
        store = SeenStore(kv)
        store.observe(f"https://ex.com/{n}/", f"h{n}", None)
        store.flush()
    newest = sorted(kv.list("state/seen/snapshot/"))[-1]
    kv.objects[newest] = b"garbage"
    healed = SeenStore(kv, stored_records=lambda: [])
    assert healed.quarantined == [newest]
    assert healed.lookup("https://ex.com/0/") is not None


def test_without_stored_records_a_damaged_object_is_still_set_aside(tmp_path: Path) -> None:
    kv = FileStore(tmp_path)
    store = SeenStore(kv)
    store.observe("https://ex.com/a/", "h", None)
    key = store.flush()
    assert key is not None
    (tmp_path / key).write_bytes(b"[1,2,3]")
    assert SeenStore(kv).quarantined == [key]
    assert (tmp_path / "state/quarantine" / key).read_bytes() == b"[1,2,3]"

"""The seen-store: observations, persistence through write-once deltas and snapshots, merge order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler import seen as seen_module
from crawler.seen import DirectoryKV, Observation, SeenStore

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
    first = SeenStore(DirectoryKV(tmp_path))
    first.record_fetch(["https://ex.com/a/?utm_source=x", "https://ex.com/amp/a/"], "https://ex.com/a/")
    first.observe("https://ex.com/a/", "h1", None)
    first.put_validators("https://ex.com/feed", {"etag": '"1"', "trusted": True, "verified_at": "x"})
    key = first.flush()
    assert key is not None and key.startswith("state/seen/delta/")
    assert first.flush() is None  # nothing changed since
    second = SeenStore(DirectoryKV(tmp_path))
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
    kv = DirectoryKV(tmp_path)
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


def test_should_fetch_policy() -> None:
    store = SeenStore(MemoryKV())
    now = datetime.now(UTC)
    assert store.should_fetch("https://ex.com/new/", None, WINDOW, HOUR)
    store.observe("https://ex.com/old/", "h", (now - timedelta(days=9)).isoformat())
    store.observe("https://ex.com/recent/", "h", (now - HOUR).isoformat())
    assert not store.should_fetch("https://ex.com/old/", None, WINDOW, timedelta(0))
    assert not store.should_fetch("https://ex.com/recent/", None, WINDOW, HOUR)
    assert store.should_fetch("https://ex.com/recent/", None, WINDOW, timedelta(0))
    assert store.should_fetch("https://ex.com/old/", now + HOUR, WINDOW, HOUR)  # announced as updated


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
    assert not store.should_fetch(announced, None, WINDOW, HOUR)

import pytest

from crawler.storage import ObjectConflict, ObjectNotFound, UnsafeKeyError

UNSAFE_KEYS = [
    "",
    "/etc/passwd",
    "a/../b",
    "..",
    "a//b",
    "a/./b",
    "a/b/",
    "a\\b",
    "a/\x00b",
    "a/b\nc",
    "a/\x7fb",
    ".hidden/x",
    "x" * 1100,
]


def test_store_round_trips_bytes(store):
    assert not store.exists("kv/seen/a.json")
    assert store.put_bytes("kv/seen/a.json", b'{"a": 1}') is True
    assert store.get_bytes("kv/seen/a.json") == b'{"a": 1}'
    assert store.exists("kv/seen/a.json") and not store.exists("kv/seen")


def test_store_never_overwrites_with_different_bytes(store):
    store.put_bytes("kv/one", b"first")
    with pytest.raises(ObjectConflict, match="write-once"):
        store.put_bytes("kv/one", b"second")
    assert store.get_bytes("kv/one") == b"first"


def test_store_counts_identical_rewrite_as_stored(store):
    assert store.put_bytes("kv/same", b"payload") is True
    assert store.put_bytes("kv/same", b"payload") is False


def test_store_reports_missing_key(store):
    with pytest.raises(ObjectNotFound, match="kv/absent"):
        store.get_bytes("kv/absent")


def test_store_lists_sorted_keys_under_prefix(store):
    for key in ["kv/b", "kv/a", "kv/sub/c", "other/d"]:
        store.put_bytes(key, b"x")
    assert store.list("kv/") == ["kv/a", "kv/b", "kv/sub/c"]
    assert store.list("kv/", start_after="kv/a") == ["kv/b", "kv/sub/c"]
    assert store.list("nothing/") == []


def test_store_probe_finds_conditional_writes(store):
    assert store.conditional_writes is True
    assert store.list("") == []  # the probe leaves nothing behind in listings


@pytest.mark.parametrize("key", UNSAFE_KEYS)
def test_store_rejects_unsafe_keys(store, key):
    with pytest.raises(UnsafeKeyError):
        store.put_bytes(key, b"x")
    with pytest.raises(UnsafeKeyError):
        store.get_bytes(key)

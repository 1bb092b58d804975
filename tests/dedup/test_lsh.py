"""The compact in-memory LSH answers exactly like datasketch's own dict-backed MinHashLSH, in less memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH

from dedup import Deduplicator, Document
from dedup.lsh import CompactSetStorage, in_memory_lsh

NUM_PERM = 128
PARAMS = (64, 1)


def minhash(values: list[int] | np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.asarray(values, dtype=np.uint64), scheme="legacy")


def pair() -> tuple[MinHashLSH, MinHashLSH]:
    return MinHashLSH(num_perm=NUM_PERM, params=PARAMS), in_memory_lsh(NUM_PERM, PARAMS)


def assert_same(reference: MinHashLSH, compact: MinHashLSH, probes: list[LeanMinHash]) -> None:
    for probe in probes:
        assert sorted(compact.query(probe)) == sorted(reference.query(probe))
    assert compact.get_counts() == reference.get_counts()
    assert compact.is_empty() == reference.is_empty()


def bucket_sizes(lsh: MinHashLSH) -> dict[tuple[int, bytes], int]:
    return {(band, key): n for band, counts in enumerate(lsh.get_counts()) for key, n in counts.items()}


def test_in_memory_lsh_uses_compact_tables_for_every_band() -> None:
    lsh = in_memory_lsh(NUM_PERM, PARAMS)
    assert len(lsh.hashtables) == 64
    assert all(isinstance(table, CompactSetStorage) for table in lsh.hashtables)


def test_randomized_inserts_queries_and_removes_match_datasketch() -> None:
    rng = np.random.default_rng(20260301)
    # Per-band alphabets from 2 to 65 values: narrow bands pile many keys into one bucket, wide bands
    # keep most buckets at one or two keys, so buckets grow and shrink through every small size.
    alphabet = np.arange(2, 66)
    reference, compact = pair()
    live: dict[str, LeanMinHash] = {}
    transitions: set[tuple[int, int]] = set()
    for step in range(800):
        before = bucket_sizes(reference)
        insert = not live or rng.random() < (0.6 if len(live) < 15 else 0.35)
        if insert:
            key = f"k{step}"
            live[key] = minhash([*rng.integers(0, alphabet), *rng.integers(0, 2**32, 64)])
            reference.insert(key, live[key])
            compact.insert(key, live[key])
        else:
            key = sorted(live)[rng.integers(len(live))]
            del live[key]
            reference.remove(key)
            compact.remove(key)
        after = bucket_sizes(reference)
        transitions |= {(before.get(b, 0), after.get(b, 0)) for b in before.keys() | after.keys()}
        fresh = minhash([*rng.integers(0, alphabet), *rng.integers(0, 2**32, 64)])
        assert_same(reference, compact, [fresh, *list(live.values())[-3:]])
        assert (key in compact) == (key in reference) == insert
    # The sequence has to have walked buckets up 1→2→3 and back down to 0, or it tested little.
    assert {(0, 1), (1, 2), (2, 3), (3, 2), (2, 1), (1, 0)} <= transitions


def test_bucket_grows_to_three_keys_and_shrinks_back_to_empty() -> None:
    reference, compact = pair()
    tail = list(range(1000, 1127))
    docs = {name: minhash([7, *[v + 1000 * i for v in tail]]) for i, name in enumerate("abc")}
    probe = minhash([7, *range(5000, 5127)])  # shares only band 0 with all three
    for name, signature in docs.items():
        reference.insert(name, signature)
        compact.insert(name, signature)
        assert_same(reference, compact, [probe, *docs.values()])
    assert sorted(compact.query(probe)) == ["a", "b", "c"]
    for name in ["b", "a", "c"]:  # the middle key first: the others still share its bucket
        reference.remove(name)
        compact.remove(name)
        assert_same(reference, compact, [probe, *docs.values()])
    assert compact.query(probe) == [] and compact.is_empty()
    assert all(table.size() == 0 for table in compact.hashtables)


def test_removing_a_key_that_shares_buckets_keeps_the_others_findable() -> None:
    reference, compact = pair()
    a = minhash([1, 2, *range(10, 136)])
    b = minhash([1, 2, *range(200, 326)])
    c = minhash([1, 9, *range(400, 526)])
    for lsh in (reference, compact):
        for key, signature in (("a", a), ("b", b), ("c", c)):
            lsh.insert(key, signature)
        lsh.remove("a")
    assert_same(reference, compact, [a, b, c])
    assert sorted(compact.query(a)) == ["b", "c"]


def test_removing_an_unknown_key_raises_like_datasketch() -> None:
    reference, compact = pair()
    for lsh in (reference, compact):
        lsh.insert("a", minhash(range(128)))
    with pytest.raises(ValueError) as plain:
        reference.remove("missing")
    with pytest.raises(ValueError) as ours:
        compact.remove("missing")
    assert str(ours.value) == str(plain.value)
    assert_same(reference, compact, [minhash(range(128))])


def test_storage_keeps_set_semantics() -> None:
    table = CompactSetStorage()
    assert not table.get(b"h") and b"h" not in table
    table.insert(b"h", "a")
    table.insert(b"h", "a")
    assert list(table.get(b"h")) == ["a"] and table.itemcounts() == {b"h": 1}
    table.insert(b"h", "b", "c")
    assert sorted(table.get(b"h")) == ["a", "b", "c"]
    with pytest.raises(KeyError):
        table.remove_val(b"h", "z")
    for val in ("c", "a", "b"):
        table.remove_val(b"h", val)
    # Emptied but not yet removed, as datasketch's dict storage leaves it for MinHashLSH._remove.
    assert not table.get(b"h") and table.itemcounts() == {b"h": 0} and table.has_key(b"h")
    table.remove(b"h")
    assert table.size() == 0
    with pytest.raises(KeyError):
        table.remove(b"h")


def allocated_by(fill: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        kept = fill()
        size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return size


def test_compact_tables_take_under_half_the_memory_of_datasketchs() -> None:
    rng = np.random.default_rng(3)
    signatures = [minhash(rng.integers(0, 2**32, 128)) for _ in range(2000)]

    def fill(lsh: MinHashLSH) -> Callable[[], MinHashLSH]:
        def run() -> MinHashLSH:
            for i, signature in enumerate(signatures):
                lsh.insert(f"d{i}", signature, check_duplication=False)
            return lsh

        return run

    reference, compact = pair()
    assert allocated_by(fill(compact)) < 0.5 * allocated_by(fill(reference))


def test_deduplicator_keeps_the_compact_index_after_clear() -> None:
    dd = Deduplicator()
    dd.add(Document("a", "one two three four five six seven eight nine ten"))
    dd.clear()
    assert all(isinstance(table, CompactSetStorage) for table in dd._lsh.hashtables)

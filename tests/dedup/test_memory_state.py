"""The in-process index keeps its promises in its compact form: evicted documents leave the band
tables, and the placements of linked documents survive the encoding of their entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dedup import DedupConfig, Deduplicator, Document
from tests.dedup.stories import story, text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_evicted_documents_leave_the_in_memory_band_tables() -> None:
    now = [T0.timestamp()]
    config = DedupConfig(window=timedelta(days=1), retention_margin=timedelta(0))
    dd = Deduplicator(config, clock=lambda: now[0])
    for n in range(150):
        dd.add(Document(f"old{n}", text(story(900 + n)), published_at=T0))
    now[0] += 3 * 24 * 3600
    late = dd.add(Document("late-copy", text(story(900)), published_at=T0 + timedelta(days=3)))
    assert late.match == "unique" and len(dd) == 1
    # The evicted documents' band entries are gone: only the new one's remain (its bands and exact).
    assert dd._state._bands.entries() == config.lsh_bands + 1


def test_a_cluster_lists_its_origin_and_copies_after_a_round_trip_through_the_codec() -> None:
    dd = Deduplicator()
    body = story(950, paragraphs=8)
    dd.add(Document("wire", text(body), published_at=T0, agency="ap"))
    copy = dd.add(Document("copy", text([*body[:-1], "Local colour."]), published_at=T0 + timedelta(hours=1)))
    assert copy.duplicate_of == "wire"
    cluster = dd.cluster(copy.cluster_id)
    assert [m.id for m in cluster.members] == ["copy", "wire"] and cluster.agencies == ("ap",)


def test_a_document_that_arrives_never_to_leave_does_not_hold_back_later_ones() -> None:
    # A batch indexes its undated records first, at an infinite arrival time; dated ones follow.
    now = [float("inf")]
    config = DedupConfig(window=timedelta(days=1), retention_margin=timedelta(0))
    dd = Deduplicator(config, clock=lambda: now[0])
    dd.add(Document("undated", text(story(960))))
    now[0] = T0.timestamp()
    dd.add(Document("old", text(story(961)), published_at=T0))
    now[0] += 3 * 24 * 3600
    dd.add(Document("new", text(story(962)), published_at=T0 + timedelta(days=3)))
    assert dd.current("old") is None and dd.current("undated") is not None and len(dd) == 2


def test_the_entry_store_finds_every_id_it_holds_across_table_growth_and_trims() -> None:
    from dedup import entry_codec
    from dedup.index_store import EntryStore
    from dedup.model import Entry

    store = EntryStore()
    ids = [f"doc-{n}" for n in range(5000)]
    for doc_id in ids:
        store.add(doc_id, entry_codec.encode(Entry(doc_id, b"", b"", None, None, None, 1.0)))
    for doc_id in ids[:3000]:
        store.remove(doc_id)
    store.trim(3000)
    assert len(store) == 2000 and store.base == 3000 and "doc-2999" not in store
    assert all(entry_codec.read_id(store.find(doc_id) or b"") == doc_id for doc_id in ids[3000:])
    assert store.get(2999) is None and store.alive(3000)


def test_ids_whose_hashes_collide_are_told_apart_by_the_id_in_the_entry(monkeypatch) -> None:
    from dedup import entry_codec, index_store
    from dedup.model import Entry

    monkeypatch.setattr(index_store, "_hash", lambda doc_id: 7)
    store = index_store.EntryStore()
    for doc_id in ("a", "b", "c"):
        store.add(doc_id, entry_codec.encode(Entry(doc_id, b"", b"", None, None, None, 1.0)))
    store.remove("b")
    assert [entry_codec.read_id(store.find(i) or b"") for i in ("a", "c")] == ["a", "c"]
    assert "b" not in store and len(store) == 2

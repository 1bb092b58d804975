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

from datetime import UTC, datetime, timedelta

import pytest

from dedup import DedupConfig, Deduplicator, Document, SignatureError, Verdict, compute_signature
from tests.dedup.stories import T0, doc, story, text


def test_first_document_is_unique_and_its_own_origin() -> None:
    verdict = Deduplicator().add(doc("a", text(story(1))))
    assert verdict.match == "unique" and verdict.duplicate_of is None
    assert verdict.cluster_id == "a" and verdict.origin == "a"


def test_exact_copy_after_normalisation_takes_the_exact_path() -> None:
    dd = Deduplicator()
    dd.add(doc("a", "BEIJING, Aug. 27 (Xinhua) -- " + text(story(1))))
    verdict = dd.add(doc("b", text(story(1)).upper() + "\n\nWith inputs from agencies", hours=2))
    assert (verdict.match, verdict.similarity, verdict.duplicate_of) == ("exact", 1.0, "a")


def test_truncated_copy_is_contained() -> None:
    dd = Deduplicator()
    dd.add(doc("a", text(story(2, paragraphs=10))))
    verdict = dd.add(doc("b", text(story(2, paragraphs=10)[:2]), hours=1))
    assert verdict.match == "contained" and verdict.duplicate_of == "a"


def test_edited_copy_is_near() -> None:
    dd = Deduplicator()
    original = story(3, paragraphs=8)
    dd.add(doc("a", text(original)))
    edited = [*original[1:6], *story(30, paragraphs=3)]  # lead dropped, own paragraphs added
    verdict = dd.add(doc("b", text(edited), hours=5))
    assert verdict.match == "near" and verdict.cluster_id == "a"


def test_different_story_stays_apart() -> None:
    dd = Deduplicator()
    dd.add(doc("a", text(story(4))))
    assert dd.add(doc("b", text(story(5)), hours=1)).match == "unique"


def test_copies_far_apart_in_time_must_be_near_verbatim() -> None:
    dd = Deduplicator()
    original = story(6, paragraphs=8)
    dd.add(doc("a", text(original)))
    verdict = dd.add(doc("b", text(original[:4] + story(60, paragraphs=4)), hours=24 * 10))
    assert verdict.match == "unique"


def test_templates_with_other_figures_stay_apart() -> None:
    dd = Deduplicator()
    fixed = story(7, paragraphs=2)  # the bulletin's standing paragraphs: Jaccard ~0.35 across days
    day1 = [*story(70, paragraphs=2), "The rate rose 215 pips to 7.1843 with 344 billion traded.", *fixed]
    day2 = [*story(71, paragraphs=2), "The rate fell 37 pips to 7.2210 with 289 billion traded.", *fixed]
    dd.add(doc("day1", text(day1)))
    verdict = dd.add(doc("day2", text(day2), 24))
    assert verdict.match == "unique"


def test_agency_copy_becomes_origin_even_when_it_arrives_later() -> None:
    dd = Deduplicator()
    dd.add(doc("outlet", text(story(8)), hours=1))
    verdict = dd.add(doc("wire", text(story(8)) + "\n\nMore later.", hours=2, agency="xinhua"))
    assert verdict.origin == "wire" and verdict.duplicate_of is None
    assert dd.current("outlet").duplicate_of == "wire"
    assert dd.cluster(verdict.cluster_id).agencies == ("xinhua",)


def test_earliest_published_member_is_origin_without_agency_copy() -> None:
    dd = Deduplicator()
    dd.add(doc("late", text(story(9)), hours=5))
    verdict = dd.add(doc("early", text(story(9)[:3]), hours=1))
    assert verdict.origin == "early" and verdict.cluster_id == "late"  # named by its first arrival
    late = dd.current("late")
    assert late is not None and (late.duplicate_of, late.match) == ("early", "contained")
    assert dd.current("early") == Verdict("late", None, None, "origin", "early")


def test_clusters_follow_a_bridging_origin_and_report_the_retired_one() -> None:
    dd = Deduplicator()
    base = story(10, paragraphs=12)
    dd.add(doc("head", text(base[:4]), hours=2))
    dd.add(doc("tail", text(base[8:]), hours=2))
    dd.changed_clusters()
    bridge = dd.add(doc("whole", text(base), hours=1))
    assert bridge == Verdict("head", None, None, "origin", "whole")
    assert dd.current("tail") == Verdict("head", "whole", dd.current("tail").similarity, "contained", "whole")
    assert {m.id for m in dd.cluster("head").members} == {"head", "tail", "whole"}
    assert dd.cluster("head").origin == "whole"
    assert dd.changed_clusters() == {"head", "tail"}  # "whole" never stood alone outside its add
    assert dd.cluster_record("tail") == {"id": "tail", "origin": None, "members": [], "agencies": []}
    with pytest.raises(KeyError):
        dd.cluster("tail")


def test_a_document_resembling_two_stories_does_not_chain_them() -> None:
    # A numbered series: part 1 and part 2 share nothing; a round-up published later holds both.
    first, second = story(19, paragraphs=6), story(20, paragraphs=6)
    dd = Deduplicator()
    dd.add(doc("part1", text(first)))
    dd.add(doc("part2", text(second), hours=1))
    dd.add(doc("roundup", text(first[:3] + second[:3]), hours=2))
    assert dd.current("part1").cluster_id != dd.current("part2").cluster_id


def test_adding_an_indexed_id_again_returns_its_verdict() -> None:
    dd = Deduplicator()
    dd.add(doc("a", text(story(11))))
    first = dd.add(doc("b", text(story(11)), hours=1))
    assert dd.add(doc("b", "whatever", hours=1)) == first
    assert len(dd) == 2


class Clock:
    """Arrival time under the test's control (seconds since the epoch)."""

    def __init__(self) -> None:
        self.now = T0.timestamp()

    def __call__(self) -> float:
        return self.now


def test_documents_leave_the_index_by_arrival_time() -> None:
    clock = Clock()
    config = DedupConfig(window=timedelta(days=2), retention_margin=timedelta(days=1))
    dd = Deduplicator(config, clock=clock)
    dd.add(doc("old", text(story(12))))
    for day in range(1, 6):
        clock.now += 24 * 3600
        dd.add(doc(f"d{day}", text(story(100 + day)), hours=24 * day))
    assert len(dd) == 4  # arrived within three days (window + margin) of day 5: days 2..5
    assert dd.current("old") is None
    assert dd.add(doc("copy", text(story(12)), hours=24 * 5)).match == "unique"


def test_an_old_article_arriving_late_evicts_nothing_and_is_matched_within_the_window() -> None:
    # A sitemap backfill meets last month's article after today's: the order of arrival must not matter.
    dd = Deduplicator(DedupConfig(window=timedelta(days=30)))
    dd.add(doc("today", text(story(21)), hours=24 * 40))
    dd.add(doc("copy", text(story(21)[:4]), hours=24 * 40 + 2))
    dd.add(doc("last-month", text(story(22)), hours=0))
    late = dd.add(doc("last-month-copy", text(story(22)[:4]), hours=3))
    assert len(dd) == 4 and late.duplicate_of == "last-month"
    assert dd.current("copy").duplicate_of == "today"
    # Near-verbatim copies further apart than the window are never compared.
    assert dd.add(doc("rerun", text(story(22)), hours=24 * 31)).match == "unique"


def test_restore_rebuilds_the_index_from_stored_signatures() -> None:
    config = DedupConfig()
    stored = [doc("a", text(story(13))), doc("b", text(story(14)), hours=1)]
    records = [compute_signature(d.text, config).to_record() for d in stored]
    fresh = Deduplicator(config)
    from dedup import Signature

    for document, record in zip(stored, records, strict=True):
        fresh.restore(document, Signature.from_record(record, config))
    assert fresh.changed_clusters() == set(), "restored clusters' records are already stored"
    assert fresh.add(doc("c", text(story(13)), hours=2)).duplicate_of == "a"


def test_signature_with_another_tag_is_refused() -> None:
    other = compute_signature(text(story(15)), DedupConfig(shingle_size=3))
    with pytest.raises(SignatureError, match="does not match"):
        Deduplicator().add(doc("a", text(story(15))), signature=other)


def test_naive_publication_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Deduplicator().add(Document(id="a", text="x", published_at=datetime(2026, 3, 2)))


def test_config_rejects_more_bands_than_permutations() -> None:
    with pytest.raises(ValueError, match="num_perm"):
        DedupConfig(lsh_bands=64, lsh_rows=4)


def test_evictions_are_reported_and_regrouping_goes_on_without_the_evicted_origin() -> None:
    evicted: dict[str, str | None] = {}
    clock = Clock()
    config = DedupConfig(window=timedelta(days=1), retention_margin=timedelta(0))
    dd = Deduplicator(config, on_evict=lambda i, v: evicted.__setitem__(i, v.duplicate_of), clock=clock)
    dd.add(doc("wire", text(story(16)), hours=0, agency="afp"))
    clock.now += 20 * 3600
    dd.add(doc("copy1", text(story(16)[:3]), hours=20))
    clock.now += 10 * 3600
    dd.add(doc("other", text(story(17)), hours=30))  # a day after the wire arrived: it leaves
    assert evicted == {"wire": None}
    clock.now += 10 * 3600
    assert dd.current("copy1").duplicate_of == "wire"  # placements stay until a new link regroups them
    dd.changed_clusters()
    late = dd.add(doc("copy2", text(story(16)[:4]), hours=40))
    assert late.duplicate_of == "copy1" and late.cluster_id == "copy1"
    assert dd.changed_clusters() == {"wire", "copy1"}
    assert dd.cluster_record("wire")["members"] == []
    clock.now += 40 * 3600
    dd.add(doc("last", text(story(18)), hours=80))
    assert evicted["copy1"] is None and evicted["copy2"] == "copy1"


def test_a_future_dated_article_does_not_empty_the_window() -> None:
    dd = Deduplicator()
    dd.add(doc("wire", text(story(19))))
    # A page that misdates itself decades ahead must not move the window past everything indexed.
    dd.add(Document(id="misdated", text=text(story(20)), published_at=datetime(2099, 1, 1, tzinfo=UTC)))
    assert dd.current("wire") is not None
    assert dd.add(doc("copy", text(story(19)[:3]), hours=2)).duplicate_of == "wire"

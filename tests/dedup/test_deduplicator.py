import random
from datetime import UTC, datetime, timedelta

import pytest

from dedup import DedupConfig, Deduplicator, Document, SignatureError, compute_signature
from tests.dedup.stories import story, text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def doc(doc_id: str, body: str, hours: float = 0, agency: str | None = None) -> Document:
    return Document(id=doc_id, text=body, published_at=T0 + timedelta(hours=hours), agency=agency)


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
    assert verdict.origin == "early" and verdict.cluster_id == "late"


def test_merged_clusters_keep_the_older_cluster_id() -> None:
    dd = Deduplicator()
    base = story(10, paragraphs=12)
    dd.add(doc("head", text(base[:4])))
    dd.add(doc("tail", text(base[8:])))
    bridge = dd.add(doc("whole", text(base), hours=1))
    assert bridge.cluster_id == "head"
    cluster = dd.cluster("head")
    assert {m.id for m in cluster.members} == {"head", "tail", "whole"}
    with pytest.raises(KeyError):
        dd.cluster("tail")


def test_adding_an_indexed_id_again_returns_its_verdict() -> None:
    dd = Deduplicator()
    dd.add(doc("a", text(story(11))))
    first = dd.add(doc("b", text(story(11)), hours=1))
    assert dd.add(doc("b", "whatever", hours=1)) == first
    assert len(dd) == 2


def test_documents_leave_the_window() -> None:
    dd = Deduplicator(DedupConfig(window=timedelta(days=2)))
    dd.add(doc("old", text(story(12))))
    for day in range(1, 6):
        dd.add(doc(f"d{day}", text(story(100 + day)), hours=24 * day))
    assert len(dd) == 3  # days 3..5 are within two days of day 5
    assert dd.current("old") is None
    assert dd.add(doc("copy", text(story(12)), hours=24 * 5)).match == "unique"


def test_restore_rebuilds_the_index_from_stored_signatures() -> None:
    config = DedupConfig()
    stored = [doc("a", text(story(13))), doc("b", text(story(14)), hours=1)]
    records = [compute_signature(d.text, config).to_record() for d in stored]
    fresh = Deduplicator(config)
    from dedup import Signature

    for document, record in zip(stored, records, strict=True):
        fresh.restore(document, Signature.from_record(record, config))
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


def test_origin_stays_when_it_leaves_the_window_and_evictions_are_reported() -> None:
    evicted: dict[str, str | None] = {}
    dd = Deduplicator(
        DedupConfig(window=timedelta(days=1)), on_evict=lambda i, v: evicted.__setitem__(i, v.duplicate_of)
    )
    dd.add(doc("wire", text(story(16)), hours=0, agency="afp"))
    dd.add(doc("copy1", text(story(16)[:3]), hours=20))
    dd.add(doc("other", text(story(17)), hours=30))  # moves the clock: the wire leaves the window
    assert evicted == {"wire": None}
    late = dd.add(doc("copy2", text(story(16)[:4]), hours=40))
    assert late.cluster_id == "wire" and late.duplicate_of == "wire"
    dd.add(doc("last", text(story(18)), hours=80))
    assert evicted["copy1"] == "wire" and evicted["copy2"] == "wire"


def test_chinese_copies_are_found_through_character_shingles() -> None:
    paragraphs = [
        "新华社北京8月27日电 国务院总理今天在人民大会堂会见来访的南非外交部长，"
        "双方就基础设施合作交换了意见。",
        "双方同意加快建设联合基础设施基金，支持港口、铁路和电网项目，并扩大本币结算的规模。",
        "外交部长表示，南非愿同中方一道，推动金砖国家新开发银行在非洲的项目尽早落地，造福两国人民。",
    ]
    dd = Deduplicator()
    dd.add(doc("xinhua", "\n\n".join(paragraphs), agency="xinhua"))
    assert dd.add(doc("outlet", "\n\n".join(paragraphs[:2]), hours=3)).duplicate_of == "xinhua"
    assert (
        dd.add(
            doc("other", "联合国秘书长呼吁各方保持克制，通过对话解决分歧，避免局势进一步升级。", hours=4)
        ).match
        == "unique"
    )


def test_empty_texts_stay_out_of_the_lsh() -> None:
    dd = Deduplicator()
    verdicts = [dd.add(doc(f"e{n}", "Follow us on:\n\n(Reuters)", hours=n)) for n in range(3)]
    assert [v.match for v in verdicts] == ["unique"] * 3
    assert all(f"e{n}" not in dd._lsh for n in range(3))


def test_a_future_dated_article_does_not_empty_the_window() -> None:
    dd = Deduplicator()
    dd.add(doc("wire", text(story(19))))
    # A page that misdates itself decades ahead must not move the window past everything indexed.
    dd.add(Document(id="misdated", text=text(story(20)), published_at=datetime(2099, 1, 1, tzinfo=UTC)))
    assert dd.current("wire") is not None
    assert dd.add(doc("copy", text(story(19)[:3]), hours=2)).duplicate_of == "wire"


_ARABIC = [
    "الحكومة",
    "الوزير",
    "السوق",
    "البنك",
    "الذهب",
    "الأسعار",
    "المواطنين",
    "التجار",
    "الشركة",
    "المصانع",
    "القاهرة",
    "المحافظة",
    "الميناء",
    "الطاقة",
    "الكهرباء",
    "الزراعة",
    "القمح",
    "المستثمرين",
    "البورصة",
    "الجنيه",
    "الدولار",
    "التضخم",
    "الفائدة",
    "الصادرات",
    "الواردات",
]


def arabic_paragraph(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_ARABIC) for _ in range(60)) + "."


def test_templates_with_other_arabic_indic_figures_stay_apart() -> None:
    fixed = [arabic_paragraph(1), arabic_paragraph(2)]  # the bulletin's standing paragraphs

    def bulletin(seed: int, prices: str) -> str:
        line = f"وسجل جرام الذهب عيار واحد وعشرين {prices} دولارا."
        return text([arabic_paragraph(seed), arabic_paragraph(seed + 1), line, *fixed])

    dd = Deduplicator()
    dd.add(doc("day1", bulletin(10, "٣٢٥٠ جنيها وعيار أربعة وعشرين ٣٧١٥ جنيها والأوقية ٢٦٤٠")))
    verdict = dd.add(doc("day2", bulletin(20, "٣١٨٠ جنيها وعيار أربعة وعشرين ٣٦٣٠ جنيها والأوقية ٢٥٩٥"), 24))
    assert verdict.match == "unique"

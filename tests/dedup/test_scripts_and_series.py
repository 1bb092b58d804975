"""The deduplicator on other scripts (Chinese, Arabic-Indic figures), on pages with no text left, and on
numbered series."""

import random

from dedup import Deduplicator, Document
from tests.dedup.stories import T0, doc, story, text


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
    # No LSH band: only what the exact band files, if the text normalises to anything at all.
    assert dd._state._bands.entries() <= 3


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


def test_items_of_a_numbered_series_stay_apart_unless_near_verbatim() -> None:
    # Xinhua's "Highlights 1" and "Highlights 5" share the series' standing paragraphs.
    standing = story(23, paragraphs=4)
    dd = Deduplicator()
    dd.add(Document("h1", text(standing + story(24, 2)), title="World News Highlights 1", published_at=T0))
    fifth = Document("h5", text(standing + story(25, 2)), title="World news highlights 5", published_at=T0)
    assert dd.add(fifth).match == "unique"
    copy = Document(
        "h1-copy", text(standing + story(24, 1)), title="World News Highlights 1", published_at=T0
    )
    assert dd.add(copy).duplicate_of == "h1"
    rerun = Document(
        "h5-rerun", text(standing + story(24, 2)), title="World News Highlights 6", published_at=T0
    )
    assert dd.add(rerun).duplicate_of == "h1"  # near-verbatim, whatever its title says

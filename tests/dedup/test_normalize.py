import unicodedata

from dedup.normalize import normalized_bytes, strip_boilerplate, tokens


def test_strip_boilerplate_removes_agency_datelines() -> None:
    for line in (
        "BEIJING, Aug. 27 (Xinhua) -- China said on Monday",
        "WASHINGTON (AP) — China said on Monday",
        "Moscow, March 3 (TASS) - China said on Monday",
        "NEW DELHI: China said on Monday",
        "(Reuters) - China said on Monday",
        "Washington, D.C. (AP) — China said on Monday",
        "NEW DELHI, 27 Aug (IANS) -- China said on Monday",
        "MOSCOW, December 6. /TASS/. China said on Monday",
    ):
        assert strip_boilerplate(line) == "China said on Monday", line


def test_strip_boilerplate_keeps_ordinary_first_sentences() -> None:
    assert strip_boilerplate("U.S. President Joe Biden said - no") == "U.S. President Joe Biden said - no"


def test_strip_boilerplate_drops_credit_and_clutter_lines() -> None:
    body = "Follow us on:\nThe talks ended.\nThe BRICS Post with inputs from Agencies\n(Reporting by Jo Lee)"
    assert strip_boilerplate(body) == "The talks ended."


def test_tokens_are_casefolded_without_punctuation() -> None:
    assert tokens("“Exports ROSE 5.2%,” she said.") == ["exports", "rose", "5", "2", "she", "said"]


def test_ascii_fast_path_gives_the_unicode_path_tokens() -> None:
    sample = "The yuan's rate (7.1234) rose; exports_up by 12% — officials said."
    fast = tokens(sample)
    slow = tokens(sample + " café")  # one non-ASCII letter forces the regex path
    assert slow[:-1] == fast and slow[-1] == "café"


def test_cjk_text_is_tokenised_per_character() -> None:
    assert tokens("中国外交部表示") == list("中国外交部表示")
    assert tokens("Xinhua 新华社 reports") == ["xinhua", "新", "华", "社", "reports"]


def test_thai_lao_khmer_and_myanmar_are_tokenised_per_character_like_cjk() -> None:
    # Written without spaces between words: as one token, a whole Thai clause matched nothing shorter.
    for text in ("ราคาทองวันนี้", "ລາຄາຄຳ", "តម្លៃមាស", "ရွှေဈေး"):
        assert tokens(text) == list(unicodedata.normalize("NFKC", text)), text
    assert tokens("ราคาทอง 200 บาท") == [*"ราคาทอง", "200", *"บาท"]


def test_nfkc_folds_compatibility_forms() -> None:
    assert normalized_bytes("ＡＢＣ １２３") == b"abc 123"


def test_indic_words_keep_their_vowel_signs() -> None:
    assert tokens("सोने की कीमत में गिरावट") == ["सोने", "की", "कीमत", "में", "गिरावट"]
    assert tokens("தமிழ்நாடு அரசு") == ["தமிழ்நாடு", "அரசு"]
    assert tokens("सेना") != tokens("सोना")  # army, gold


def test_arabic_indic_and_devanagari_digits_read_as_ascii_figures() -> None:
    assert tokens("سعر ٣٢٥٠ جنيها و۱۲۳ ४५६") == ["سعر", "3250", "جنيها", "و123", "456"]


def test_strip_boilerplate_drops_copyright_lines_with_a_spaced_sign() -> None:
    body = "The talks ended.\n© 2026 The Associated Press. All rights reserved.\n©2026 Reuters"
    assert strip_boilerplate(body) == "The talks ended."

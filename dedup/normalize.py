"""Text normalisation before shingling: drop datelines, credit lines and page clutter, then NFKC,
casefold and split into tokens (words; one token per character for scripts written without spaces).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

# Scripts written without spaces between words, where every character is a token: Han, kana and CJK
# compatibility ideographs; Thai, Lao, Myanmar and Khmer (their vowel signs too, one token each).
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+")

_AGENCIES = r"xinhua|reuters|ap|afp|pti|ians|ani|upi|dpa|tass|efe|ansa|kyodo|yonhap|bloomberg|sputnik|bernama"
# "BEIJING, Aug. 27 (Xinhua) --", "WASHINGTON (AP) —", "NEW DELHI:", "Moscow, March 3 (TASS) -",
# "Washington, D.C. (AP) —", "NEW DELHI, 27 Aug (IANS) --", "MOSCOW, December 6. /TASS/.".
_DAY = r"(?:[A-Z][a-z]{2,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,9}\.?)(?:,\s*\d{4})?"
_DATELINE = re.compile(
    rf"""^\s*(?:
        [A-Z][A-Za-z.'\- ]{{1,40}}(?:,\s*[A-Z]\.[A-Z]\.)?(?:,\s*{_DAY})?\s*\((?i:{_AGENCIES})\)\s*[-–—:]+
      | [A-Z][A-Za-z.'\- ]{{1,40}},\s*{_DAY}\.?\s*/(?i:tass)/\.?
      | [A-Z][A-Z.'\- ]{{2,40}}(?:,\s*{_DAY})?\s*[-–—:]+
    )\s*""",
    re.VERBOSE,
)
_AGENCY_TAG = re.compile(rf"^\s*\((?:{_AGENCIES})\)\s*[-–—:]*\s*", re.IGNORECASE)
# Whole lines that credit, share or advertise rather than report; only short lines are considered.
_CLUTTER = re.compile(
    rf"""^\W*(?:
        (?:the\s+[\w\s]{{1,40}}\s+)?with\s+inputs?\s+from\b
      | (?:reporting|writing|editing|additional\s+reporting|compiled)\s+by\b
      | (?:source|sources|credit|photo|image|file\s+photo|picture)\s*:
      | (?:{_AGENCIES})\W*$
      | follow\s+us\b | share\s+(?:this|on)\b | read\s+(?:more|also)\b | also\s+read\b
      | advertisement\b | subscribe\b | sign\s+up\b | click\s+here\b | related\s*:
      | copyright\b | © | all\s+rights\s+reserved
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_CLUTTER_MAX_CHARS = 160
_SPACES = re.compile(rb"  +")
_FOREIGN_DIGIT = re.compile(r"[^\D0-9]")
# Quotes, dashes and ellipses typical of news copy; removing them keeps most English text on the ASCII path.
_TYPOGRAPHIC = tuple(
    mark.encode("utf-8") for mark in "\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u00ab\u00bb\u00a0"
)
_ASCII_TABLE = bytes(
    (c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() and c < 128 else 32 for c in range(256)
)


def strip_boilerplate(text: str) -> str:
    """Remove a leading dateline and credit/clutter lines; keep the reporting itself."""
    lines = [line.strip() for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if not line:
            continue
        if len(line) <= _CLUTTER_MAX_CHARS and _CLUTTER.match(line):
            continue
        if not kept:
            # Only the first paragraph of a story carries a dateline.
            line = _AGENCY_TAG.sub("", _DATELINE.sub("", line, count=1), count=1)
        kept.append(line)
    return "\n".join(kept)


def normalized_bytes(text: str) -> bytes:
    """UTF-8 of the normalised tokens joined by single spaces: NFKC, casefolded, punctuation dropped,
    CJK split per character. ASCII text (after typographic marks) takes a byte-level fast path that
    gives the same tokens as the Unicode path, at a fraction of a regex's cost.
    """
    body = strip_boilerplate(text)
    data = body.encode("utf-8")
    if not data.isascii():
        for mark in _TYPOGRAPHIC:
            data = data.replace(mark, b" ")
    if data.isascii():
        return _SPACES.sub(b" ", data.translate(_ASCII_TABLE)).strip()
    folded = unicodedata.normalize("NFKC", body).casefold()
    if _FOREIGN_DIGIT.search(folded):
        # Figures are told apart by their ASCII digits (shingles.token_stream), and NFKC leaves Arabic-Indic,
        # Persian and Devanagari digits alone: "٣٢٥٠" must be the figure 3250, as another outlet writes it.
        folded = folded.translate(_digit_table())
    return " ".join(_tokenize(folded)).encode("utf-8")


def _tokenize(folded: str) -> list[str]:
    """Word tokens of NFKC-casefolded text; a word keeps the combining marks it carries."""
    marked, marked_token = _mark_patterns()
    # Indic vowel signs and viramas (and Arabic harakat) are combining marks, not word characters to
    # `re`: without them "सेना" (army) and "सोना" (gold) would both be the tokens "स न". The pattern that
    # keeps them is twice as slow, so text without marks (Latin, Cyrillic, CJK) keeps the plain one.
    return (marked_token if marked.search(folded) else _TOKEN).findall(folded)


@functools.cache
def _mark_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(any combining mark, a token that may carry them); built on first use, it takes about 20 ms."""
    marks = _mark_class()
    token = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}](?:[^\W_{_UNSPACED}]|[{marks}])*")
    return re.compile(f"[{marks}]"), token


def _mark_class() -> str:
    """A regex class body of every combining mark (category M) up to the end of plane 1."""
    ranges: list[list[int]] = []
    for code in range(min(sys.maxunicode, 0x1FFFF) + 1):
        if unicodedata.category(chr(code))[0] != "M":
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges)


@functools.cache
def _digit_table() -> dict[int, int]:
    """str.translate table from every decimal digit (category Nd) up to the end of plane 1 to ASCII."""
    return {
        code: 0x30 + unicodedata.decimal(chr(code))
        for code in range(0x80, min(sys.maxunicode, 0x1FFFF) + 1)
        if unicodedata.category(chr(code)) == "Nd"
    }


def tokens(text: str) -> list[str]:
    """Normalised tokens of `text` (see `normalized_bytes`)."""
    return normalized_bytes(text).decode("utf-8").split()

"""News agencies: normalised names found in datelines, credit lines and captions."""

from __future__ import annotations

import re

# Normalised name -> the spellings outlets print. Acronyms match case-sensitively, names loosely.
AGENCIES: dict[str, tuple[str, ...]] = {
    "Xinhua": ("Xinhua", "XINHUA", "Xinhua News Agency"),
    "Reuters": ("Reuters", "REUTERS", "Thomson Reuters"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "TASS": ("TASS", "Tass", "ITAR-TASS", "ТАСС"),
    "ANI": ("ANI", "Asian News International"),
    "IANS": ("IANS", "Indo-Asian News Service"),
    "PTI": ("PTI", "Press Trust of India"),
    "UNI": ("UNI", "United News of India"),
    "Bloomberg": ("Bloomberg",),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "Anadolu": ("Anadolu Agency", "Anadolu", "AA"),
    "RIA Novosti": ("RIA Novosti", "RIA", "РИА Новости"),
    "Sputnik": ("Sputnik",),
    "Interfax": ("Interfax", "Интерфакс"),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "PA": ("PA Media", "Press Association"),
    "IRNA": ("IRNA",),
    "SANA": ("SANA",),
    "WAM": ("WAM",),
    "APA": ("APA",),
    "CNA": ("CNA",),
    "Prensa Latina": ("Prensa Latina",),
    "AAP": ("AAP", "Australian Associated Press"),
}

_SPELLINGS = sorted(
    ((s, n) for n, spellings in AGENCIES.items() for s in spellings), key=lambda p: -len(p[0])
)
_BY_SPELLING = dict(_SPELLINGS)
_ALTERNATION = "|".join(re.escape(spelling) for spelling, _ in _SPELLINGS)
AGENCY_PATTERN = re.compile(rf"(?<![\w-])(?:{_ALTERNATION})(?![\w-])")
_AGENCY_LIST = rf"(?:{_ALTERNATION}|[Aa]gencies|wires?)(?:\s*(?:,|/|&|and)\s*(?:{_ALTERNATION}|[Aa]gencies))*"

# Whole-paragraph credit lines: "The BRICS Post with inputs from Agencies", "Source: AFP", "— Xinhua".
CREDIT_LINE = re.compile(
    rf"^(?:[\w .,'&-]{{0,60}}\s)?with (?:inputs?|reporting|additional reporting) from\s+[\w .,'&/-]{{2,80}}$"
    r"|^(?:sources?|credits?|courtesy|inputs? from|via|quelle|fuente|avec|mit material von"
    r"|con información de)"
    rf"\s*:?\s*(?:{_AGENCY_LIST}|[\w .'&-]{{2,40}})$"
    rf"|^[—–-]+\s*(?:{_AGENCY_LIST})$"
    rf"|^\(?(?:{_AGENCY_LIST})\)?$"
    rf"|^(?:{_AGENCY_LIST})\s+contributed to this (?:report|story|article)$",
    re.IGNORECASE,
)
# The newsroom's own credit that closes Reuters, AP and AFP copy: "(Reporting by Yew Lun Tian and Ryan
# Woo in Beijing; Additional reporting by Martin Pollard; Editing by Raju Gopalakrishnan)". Only
# capitalised names and places may follow "by", so "Reporting by the Guardian showed ..." stays text.
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|al|bin|du|del|la|le)){0,5}"
_STAFF_ROLE = r"(?:[Aa]dditional\s+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Tt]ranslat(?:ed|ion)|[Ff]act-checking)"
_STAFF_PART = rf"{_STAFF_ROLE}\s+by\s+{_NAME}(?:\s*(?:,|and|&|in|at|from)\s+{_NAME})*"
STAFF_CREDIT_LINE = re.compile(rf"^{_STAFF_PART}(?:\s*[;,]\s*{_STAFF_PART})*$")
_BRACKETED = re.compile(r"^\((.+)\)$|^\[(.+)\]$")
# Dateline at the start of the lead: "WASHINGTON (Reuters) -", "BEIJING, Aug. 27 (Xinhua) --",
# "New Delhi [India], July 4 (ANI):", "Madrid, 12 mar (EFE).-", "Mumbai, Dec 1 (IANS) Actress".
_PLACE = r"[^\W\d_][\w'.\- ]{1,40}?(?:\s*\[[^\]]{2,30}\])?(?:,\s*[^\W\d_][\w.\- ]{1,25}?)?"
_DAY = r"(?:,\s*(?:[^\W\d_]{3,9}\.?\s+\d{1,2}|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?))?"
DATELINE = re.compile(
    rf"^(?:(?P<place>{_PLACE}{_DAY})\s*\((?P<agency>{_ALTERNATION})\)|\((?P<agency_only>{_ALTERNATION})\))"
    # PTI and IANS print no separator at all: "New Delhi, Nov 19 (PTI) The Centre on Tuesday ...".
    r"(?:\.?\s*(?:--|[-—–:])\s*|\s+(?=[A-Z\"“‘']))"
)
# A photo credit at the end of a caption: "[Xinhua]", "(Photo: Reuters)", "Photo: AFP".
CAPTION_CREDIT = re.compile(
    # "(Reuters)", "(John Smith/AFP)": an agency alone in brackets is the photo's credit too.
    rf"\s*(?:\((?P<a>(?:[^()/]{{2,40}}/\s*)?(?:{_ALTERNATION}))\)"
    r"|\[(?P<b>[^\]]{2,60})\]|\((?:photos?|image|file photo|credit)\s*:?\s*(?P<p>[^)]{2,60})\)"
    r"|(?:photos?|image|credit)\s*:\s*(?P<t>[^.]{2,60}))\.?\s*$",
    re.IGNORECASE,
)


def find_agencies(text: str) -> list[str]:
    """Normalised agency names mentioned in a short metadata string (credit, dateline, caption credit)."""
    found: list[str] = []
    for match in AGENCY_PATTERN.finditer(text):
        name = _BY_SPELLING.get(match.group(0))
        if name and name not in found:
            found.append(name)
    return found


def is_credit_line(line: str) -> bool:
    if len(line) <= 140 and CREDIT_LINE.match(_unbracketed(line)):
        return True
    return len(line) <= 400 and bool(STAFF_CREDIT_LINE.match(_unbracketed(line)))


def credit_text(line: str) -> str:
    """A credit line as the record's `credit`: '(With inputs from PTI.)' -> 'With inputs from PTI'."""
    return _unbracketed(line).strip("—–- ").strip()


def _unbracketed(line: str) -> str:
    # Indian outlets close their stories with the credit in brackets: "(With inputs from agencies)".
    line = line.strip().rstrip(".").strip()
    bracketed = _BRACKETED.match(line)
    return (bracketed.group(1) or bracketed.group(2)).strip().rstrip(".").strip() if bracketed else line


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """(place, agency, rest of the paragraph); the sentence after the dateline stays whole."""
    match = DATELINE.match(paragraph)
    if not match or len(paragraph) <= match.end():
        return None, None, paragraph
    agency = _BY_SPELLING.get(match.group("agency") or match.group("agency_only") or "")
    place = (match.group("place") or "").strip() or None
    return place, agency, paragraph[match.end() :]


def split_caption_credit(caption: str) -> tuple[str, str | None]:
    """('caption text', 'credit') with a trailing photo credit moved out of the caption."""
    match = CAPTION_CREDIT.search(caption)
    if not match:
        return caption.strip(), None
    credit = (match.group("a") or match.group("b") or match.group("p") or match.group("t") or "").strip()
    rest = caption[: match.start()].strip()
    return (rest, credit) if rest else (caption.strip(), None)

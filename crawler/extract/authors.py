"""Author strings (bylines, JSON-LD, meta) cleaned into a list of person names."""

from __future__ import annotations

import re

from crawler.extract.agencies import AGENCY_PATTERN

_PREFIX = re.compile(
    r"^(?:(?:written|posted|reported|compiled|edited|story|text|words|photos?|analysis|opinion|commentary|"
    r"review|interview)\s+)?"
    r"(?:by|von|par|por|door|di|av|af|przez)\s*:?\s+",
    re.IGNORECASE,
)
# Spanish "y" and Portuguese/Italian "e" only in lower case: "Sarah E. Needleman" and "Bruce Y. Lee" are
# one person each, their middle initial no conjunction.
_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|(?-i:\b[ye]\b))\s*", re.IGNORECASE)
_NOISE = re.compile(
    # A role and its qualifier ("Tom Gillespie, News reporter"), a time, or what follows them.
    r"\b(?:(?:news|political|senior|chief|foreign|business|sports?|technology|tech|health|science|"
    r"economics|environment|security|diplomatic|special)\s+)?"
    r"(?:staff|correspondent|reporter|editor|writer|contributor|columnist|updated|published|posted|"
    r"minutes?|hours?|ago|am|pm|gmt|utc|ist|edt|est)\b.*$",
    re.IGNORECASE,
)
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
# A date printed after the name, and everything after it ("By Jeff Foust Monday, November 18, 2019").
_DATE_TAIL = re.compile(
    rf"\s*\b(?:{_WEEKDAY})?(?:{_MONTH}\s+\d{{1,2}}\b|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d\d-\d\d"
    r"|\d{1,2}/\d{1,2}/\d{2,4}).*$",
    re.IGNORECASE,
)
_WEEKDAY_NAME = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# What trafilatura's byline normalisation leaves of a date: it strips the digits, not the names of the
# month and weekday ("Jeff Foust Monday; November"). Cut only where a name of two words remains, so
# "Theresa May" stays whole.
_NAME_WORD_DATE_TAIL = re.compile(
    rf"^(?P<name>\S+\s+\S+.*?)(?:[\s,;|]+(?:{_WEEKDAY_NAME}|{_MONTH}|at|am|pm))+[\s,;|]*$",
    re.IGNORECASE,
)
_MONTH_OR_WEEKDAY = re.compile(rf"(?:{_WEEKDAY_NAME}|{_MONTH})", re.IGNORECASE)
_ROLE_PREFIX = re.compile(r"^(?:senior|chief|special|staff|political|foreign)\s+", re.IGNORECASE)
# A handle, a URL or a domain ("Cleveland.com", "NJ Advance Media for NJ.com") names no person.
_BAD = re.compile(
    r"@|https?:|www\.|\d|\w\.(?:com|org|net|info|news|co|in|uk|de|fr|au|ca|tv)\b", re.IGNORECASE
)
_INVERTED = re.compile(r"^([^\W\d_][\w'-]+),\s*([^\W\d_][\w'-]+)$")
_KEEP_AS_IS = re.compile(r"^[A-Z]{2,6}$")  # agency acronyms such as AFP, PTI
# Degrees and suffixes after a comma ("Ilana Muhlstein, MS, RDN", "John Smith, Jr."): no one's name.
_POSTNOMINAL = re.compile(
    r"^(?:md|phd|ms|msc|ma|mba|mph|rd|rdn|ld|rn|np|dds|dmd|cpt|cscs|cfp|cpa|esq|jr|sr)$", re.IGNORECASE
)


def clean_authors(raw: object) -> list[str]:
    """Names from a byline string or a list of them: no 'By', no dates, no roles, no duplicates."""
    values = raw if isinstance(raw, list | tuple) else [raw]
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        for name in _split(value):
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                names.append(name)
    return names


def without_date(byline: str) -> str:
    """The byline without a date printed after the names; trafilatura's `normalize_authors` strips the
    digits of one but leaves its month and weekday, which then read as names ('November')."""
    return _DATE_TAIL.sub("", byline)


def without_date_words(authors: str) -> str:
    """trafilatura's ';'-separated author string without the month and weekday names of a date."""
    names = [n.strip() for n in authors.split(";")]
    if len(names) > 1 and all(_MONTH_OR_WEEKDAY.fullmatch(n) for n in names[1:]):
        names = names[:1]  # "HNN Staff; November": the second name was a date
    return "; ".join(_NAME_WORD_DATE_TAIL.sub(r"\g<name>", name) for name in names)


def _split(value: str) -> list[str]:
    value = without_date(re.sub(r"\s+", " ", value)).strip()
    if re.search(r"https?://|www\.", value):
        return []  # article:author is often a profile URL, which is no name
    value = _PREFIX.sub("", value)
    inverted = _INVERTED.match(value)
    if inverted:
        value = (
            f"{inverted.group(2)} {inverted.group(1)}"  # "Needleman, Sarah" as library catalogues write it
        )
    names = []
    for part in _SPLIT.split(value):
        part = _PREFIX.sub("", part.strip(" .:-–—·"))
        stripped = _NOISE.sub("", part).strip(" .,:-–—·|")
        if stripped != part and (len(stripped.split()) < 2 or AGENCY_PATTERN.match(stripped)):
            continue  # "Environment Correspondent", "AP Auto Writer": a role or desk, not a person
        part = stripped
        part = _ROLE_PREFIX.sub("", part) if " " in part else part
        part = _trailing_agency(part)
        if _acceptable(part):
            names.append(part.title() if part.isupper() and not _KEEP_AS_IS.match(part) else part)
    return names


def _trailing_agency(part: str) -> str:
    """'ERIC TUCKER Associated Press' -> 'ERIC TUCKER': the agency is recorded in `agencies` instead."""
    for match in AGENCY_PATTERN.finditer(part):
        if match.end() == len(part) and len(part[: match.start()].split()) >= 2:
            return part[: match.start()].strip()
    return part


def _acceptable(part: str) -> bool:
    if not part or len(part) > 60 or _BAD.search(part) or _POSTNOMINAL.match(part.replace(".", "")):
        return False
    words = part.split()
    return len(words) <= 5 and (len(words) > 1 or len(part) >= 2) and part[0].isalpha()

"""Date strings from metadata to ISO 8601 UTC; naive dates take the source's timezone."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser
from dateutil.tz import tzoffset

_MIN_YEAR, _MAX_YEAR = 1990, 2100
_HOUR = 3600
# Fixed offsets for the abbreviations news sites print; ambiguous ones (IST, CST) take the common news use.
_ZONE_ABBREVIATIONS = {
    name: tzoffset(name, int(hours * _HOUR))
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "IST": 5.5,
        "PKT": 5,
        "SGT": 8,
        "HKT": 8,
        "JST": 9,
        "KST": 9,
        "AWST": 8,
        "ACST": 9.5,
        "AEST": 10,
        "AEDT": 11,
        "NZST": 12,
        "NZDT": 13,
        "WIB": 7,
        "PHT": 8,
        "WAT": 1,
        "CAT": 2,
        "SAST": 2,
        "EAT": 3,
        "BRT": -3,
        "ART": -3,
        "AKST": -9,
        "AKDT": -8,
        "HST": -10,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
    }.items()
}
_DATE_ONLY = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
# "GMT+0530 (India Standard Time)", as JavaScript's Date.toString() prints it: the offset is east of UTC,
# but dateutil reads "GMT+h" / "UTC+h" the POSIX way (west of UTC), and refuses the bracketed name.
_GMT_PREFIX = re.compile(r"\b(?:GMT|UTC)(?=[+-]\d)")
_ZONE_NAME = re.compile(r"\s*\([A-Za-z .]{3,60}\)$")
# dateutil fills in what a value leaves out from `default`, today's date unless told otherwise; parsing
# with two defaults that differ in every field shows which fields the value itself gave.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2, 1))
# A loose date line as naive extractors print it ("August 27, 2016, 5:25 am", "27/08/2016 05:25").
_LOOSE_DATE_LINE = re.compile(
    r"^(?:(?:updated|published|posted|last updated)\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
    r"(?:\s*(?:,|\||at|-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)


def normalise_date(value: object, zone: ZoneInfo) -> str | None:
    """Any date-ish metadata value to 'YYYY-MM-DDTHH:MM:SS+00:00', or None if it is not a usable date."""
    normalised = parse_any_year(value, zone)
    if normalised is None or not _MIN_YEAR <= int(normalised[:4]) <= _MAX_YEAR:
        return None
    return normalised


def parse_any_year(value: object, zone: ZoneInfo) -> str | None:
    """As `normalise_date`, but a date of any year is returned, so that the caller can say why it refuses it."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 64:
        return None
    parsed = _parse(value)
    if parsed is None or parsed.year < 1000:
        return None
    if _DATE_ONLY.match(value):
        # A bare date names a calendar day; shifting it by the zone would move it to another day.
        parsed = parsed.replace(tzinfo=UTC)
    elif parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    try:
        return parsed.astimezone(UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError):
        return None


def is_date_line(line: str) -> bool:
    """True for a paragraph that is only a date, as templates print it under the headline."""
    return len(line) < 60 and bool(_LOOSE_DATE_LINE.match(line.strip()))


def _parse(value: str) -> datetime | None:
    if _DATE_ONLY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        return datetime(day.year, day.month, day.day)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        pass
    return _dateutil(value)


def _dateutil(value: str) -> datetime | None:
    value = _GMT_PREFIX.sub("", _ZONE_NAME.sub("", value))
    try:
        with warnings.catch_warnings():
            # An unknown zone name warns and leaves the result naive, which the caller handles.
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            # dayfirst=False: metadata dates are overwhelmingly ISO or US-style when not ISO.
            first, second = (
                dateutil_parser.parse(value, default=default, fuzzy=False, tzinfos=_ZONE_ABBREVIATIONS)
                for default in _DEFAULTS
            )
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    if first.date() != second.date():
        return None  # "2016", "Aug 2016", "Monday": no calendar day of its own, and today's would be made up
    if first.hour != second.hour and first.tzinfo is None:
        # "November 19, 2019", "2019/11/19": a calendar day like an ISO bare date, so it stays that day.
        return first.replace(tzinfo=UTC)
    return first

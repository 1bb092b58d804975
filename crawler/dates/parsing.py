"""Dates as outlets write them, read into aware UTC datetimes: discovery and extraction both read here.

`parse_date` reads the strict forms feeds, sitemaps and APIs announce (ISO 8601 / W3C datetime, RFC 822,
a bare day). `normalise_date` reads whatever page metadata holds (also dateutil's loose forms and the zone
abbreviations news sites print), keeps only dates in PLAUSIBLE_YEARS and answers the record's ISO form.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, tzinfo
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser
from dateutil.tz import tzoffset

# What an outlet can mean by a news article's date: 0001-01-01 and 9999-12-31 are placeholders, and a
# far-future date would mark an article as updated on every run.
PLAUSIBLE_YEARS = range(1990, 2101)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Metadata also writes a bare day without dashes (20160827).
_METADATA_DAY = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
_MAX_METADATA_CHARS = 64
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
# "GMT+0530 (India Standard Time)", as JavaScript's Date.toString() prints it: the offset is east of UTC,
# but dateutil reads "GMT+h" / "UTC+h" the POSIX way (west of UTC), and refuses the bracketed name.
_GMT_PREFIX = re.compile(r"\b(?:GMT|UTC)(?=[+-]\d)")
_ZONE_NAME = re.compile(r"\s*\([A-Za-z .]{3,60}\)$")
# dateutil fills in what a value leaves out from `default`, today's date unless told otherwise; parsing
# with two defaults that differ in every field shows which fields the value itself gave.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2, 1))


def parse_date(text: str | None, zone: tzinfo = UTC) -> datetime | None:
    """ISO 8601 / W3C datetime, RFC 822 (RSS) or a bare date as an aware UTC datetime; None if unparseable.
    A date written without a zone is read in `zone`, the outlet's (registry `timezone`)."""
    if not text:
        return None
    text = text.strip()
    try:
        if _ISO_DAY.match(text):
            # A calendar day stays that day (midnight UTC), as normalise_date files a page's bare day.
            value = datetime.fromisoformat(text).replace(tzinfo=UTC)
        else:
            value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return _to_utc(value, zone)


def normalise_date(value: object, zone: tzinfo) -> str | None:
    """Any date-ish metadata value to 'YYYY-MM-DDTHH:MM:SS+00:00', or None if it is not a usable date."""
    normalised = parse_any_year(value, zone)
    if normalised is None or int(normalised[:4]) not in PLAUSIBLE_YEARS:
        return None
    return normalised


def parse_any_year(value: object, zone: tzinfo) -> str | None:
    """As `normalise_date`, but a date of any year from 1000 on, so the caller can say why it refuses it."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > _MAX_METADATA_CHARS:
        return None
    parsed = _parse(value)
    if parsed is None or parsed.year < 1000:
        return None
    if _METADATA_DAY.match(value):
        # A bare date names a calendar day; shifting it by the zone would move it to another day.
        parsed = parsed.replace(tzinfo=UTC)
    return iso(_to_utc(parsed, zone))


def iso(value: datetime | None) -> str | None:
    # The record's one timestamp form (article.schema.json utc_datetime): seconds, "+00:00".
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _to_utc(value: datetime, zone: tzinfo) -> datetime | None:
    """`value` in UTC, a naive one read in `zone`; None when the instant falls outside the calendar."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    try:
        # 0001-01-01T00:00:00+01:00 is a valid datetime whose UTC instant falls before year 1.
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _parse(value: str) -> datetime | None:
    if _METADATA_DAY.match(value):
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

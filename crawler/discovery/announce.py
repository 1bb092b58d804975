"""What an outlet said about an article when it announced it (feed item, sitemap entry, API post, link).

Dates are read once here (through crawler.dates), in every format outlets use, into aware UTC datetimes.
`Skipped` collects what a parser left out of one document, so the crawl can log and count it
(`discovery/<reason>_count`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from crawler.dates import PLAUSIBLE_YEARS, iso, parse_date

VIAS = ("feed", "sitemap", "news-sitemap", "wp-json", "section", "url")

# Reasons a parser skips something (stats `discovery/<reason>_count`).
BAD_DATE = "bad_date"  # a date no one could mean: dropped, the entry kept as undated
BAD_ENTRY = "bad_entry"  # an entry without a URL a request can carry: left out, the rest kept
_EXAMPLE_CHARS = 200
Entry = TypeVar("Entry")


@dataclass
class Skipped:
    """What a parser left out of one document: a count per reason, and the first example of each."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def note(self, reason: str, example: str) -> None:
        self.counts[reason] += 1
        self.examples.setdefault(reason, example[:_EXAMPLE_CHARS])


@dataclass(frozen=True)
class Announcement:
    """An article a listing announces: its address, which listing (`via`), and what the listing says
    of it (title, dates, keywords, language), to decide before fetching whether it is new."""

    url: str
    via: str
    title: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    keywords: tuple[str, ...] = field(default=())
    language: str | None = None

    def newest_date(self) -> datetime | None:
        dates = [d for d in (self.published_at, self.updated_at) if d is not None]
        return max(dates) if dates else None

    def as_announced(self) -> dict[str, Any] | None:
        """The page item's `announced` dict, or None when the outlet said nothing beyond the URL."""
        if not (self.title or self.published_at or self.keywords or self.language):
            return None
        return {
            "title": self.title,
            "published_at": iso(self.published_at),
            "keywords": list(self.keywords),
            "language": self.language,
        }


def announced_date(text: str | None, zone: tzinfo, skipped: Skipped) -> datetime | None:
    """`parse_date` for a date an outlet announced: one that is unreadable or implausible (outside
    1990-2100) is noted in `skipped` as BAD_DATE and taken as absent."""
    value = parse_date(text, zone)
    if value is not None and value.year in PLAUSIBLE_YEARS:
        return value
    if text and text.strip():
        skipped.note(BAD_DATE, text.strip())
    return None


def request_url(link: str, base_url: str | None = None) -> str | None:
    """`link` resolved against `base_url`, or None when no request could carry it: not absolute,
    unsplittable (`http://[oops/`), or holding characters UTF-8 cannot encode (lone surrogates)."""
    try:
        url = urljoin(base_url, link.strip()) if base_url else link.strip()
        parts = urlsplit(url)
        url.encode("utf-8")
    except ValueError:  # UnicodeEncodeError is a ValueError
        return None
    return url if parts.scheme and parts.netloc else None


def too_old(announcement: Announcement, since: timedelta | None, now: datetime) -> bool:
    """True when the announcement dates the article before the age window; undated items are kept."""
    newest = announcement.newest_date()
    return since is not None and newest is not None and newest < now - since


def each_entry(
    entries: Iterable[Entry], parse: Callable[[Entry], Announcement | None], skipped: Skipped
) -> list[Announcement]:
    """`parse` applied to every entry of a document; an entry that gives no announcement, or that
    fails on a value no parser foresaw, is noted as BAD_ENTRY and the others go on."""
    found = []
    for entry in entries:
        try:
            # The one place in discovery that turns one entry's failure into a skip of that entry.
            announcement = parse(entry)
        except (ValueError, OverflowError) as error:
            skipped.note(BAD_ENTRY, f"{type(error).__name__}: {error}")
            continue
        if announcement is None:
            skipped.note(BAD_ENTRY, "no usable URL")
        else:
            found.append(announcement)
    return found

"""What an outlet said about an article when it announced it (feed item, sitemap entry, API post, link).

Dates are parsed once here, in every format outlets use, into aware UTC datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

VIAS = ("feed", "sitemap", "news-sitemap", "wp-json", "section", "url")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Announcement:
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


def parse_date(text: str | None, zone: tzinfo = UTC) -> datetime | None:
    """ISO 8601 / W3C datetime, RFC 822 (RSS) or a bare date as an aware UTC datetime; None if unparseable.
    A date written without a zone is read in `zone`, the outlet's (registry `timezone`)."""
    if not text:
        return None
    text = text.strip()
    try:
        if _DATE_ONLY.match(text):
            # A calendar day stays that day (midnight UTC), as the extractor files a page's bare day.
            value = datetime.fromisoformat(text).replace(tzinfo=UTC)
        else:
            value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    # The record's one timestamp form (article.schema.json utc_datetime): seconds, "+00:00".
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def too_old(announcement: Announcement, since: timedelta | None, now: datetime) -> bool:
    """True when the announcement dates the article before the age window; undated items are kept."""
    newest = announcement.newest_date()
    return since is not None and newest is not None and newest < now - since

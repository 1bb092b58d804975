"""`--since`/`--until` as people type them on any command: a duration back from now (`2d`, `12h`)
or a date (`2016-08-01`), read the same way everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crawler.cli.errors import UsageError
from crawler.dates.durations import parse_duration

EXAMPLES = "a duration such as 12h, 2d or 1w, or a date: use YYYY-MM-DD, e.g. 2016-08-01"


def parse_when(option: str, text: str, now: datetime | None = None) -> datetime:
    """The moment `text` names, in UTC: now minus a duration, or the start (00:00 UTC) of a date."""
    now = now or datetime.now(UTC)
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    except OverflowError:  # timedelta stops at 999,999,999 days
        raise UsageError(f"{option}: {text!r} is too long; give at most a few years, e.g. 520w") from None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a duration or a date; give {EXAMPLES}") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def when_date(option: str, text: str | None) -> date | None:
    """The UTC day `text` falls on, for the readers, which filter by publication date."""
    return None if text is None else parse_when(option, text).date()


def date_window(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """`--since` and `--until` as the days a reader filters on (inclusive); refused when no day
    could match."""
    first, last = when_date("--since", since), when_date("--until", until)
    if first and last and last < first:
        raise UsageError(f"--until {last} is before --since {first}; nothing could match")
    return first, last


def window_since(text: str | None) -> timedelta | None:
    """The crawl's age window: how far back from now `--since` reaches."""
    if text is None:
        return None
    now = datetime.now(UTC)
    since = now - parse_when("--since", text, now)
    if since <= timedelta(0):
        raise UsageError(f"--since: {text!r} would skip every article; give {EXAMPLES} in the past")
    return since

"""Dates with their provenance: which signal gave `published_at` / `updated_at`, how sure it is, which
signals disagree by more than a day, and which dates were refused (before 1990, or in the future).

The record's `dates` field: {"published": {"source", "confidence"} | None, "updated": ... | None,
"disagreements": [{"field", "source", "value", "days"}], "refused": [{"field", "source", "value", "reason"}]}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# How often each signal names the real date, from the development sets: declared dates are right far
# more often than a day in the URL, and a date found in the page's text is the weakest guess.
CONFIDENCE = {"jsonld": 0.9, "meta": 0.85, "feed": 0.8, "sitemap": 0.75, "url": 0.7, "text": 0.5}
# The crawler saw the text change since the stored revision: updated by then at the latest, but when
# exactly is unknown (any time since the previous fetch).
REVISION_CONFIDENCE = 0.5
SOURCES = tuple(CONFIDENCE)
EARLIEST_YEAR = 1990  # before the web had news sites: a placeholder (1970-01-01) or a typo
FUTURE_SLACK = timedelta(days=1)  # time zones and clocks: a day ahead is still today somewhere
DISAGREEMENT_DAYS = 1  # calendar days; more than this apart is a disagreement
AGREEMENT_BONUS, DISAGREEMENT_PENALTY = 0.05, 0.2
# /2016/08/27/, /2016-08-27-, /20160827/ in a URL's path: the day the CMS filed the story.
_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
_URL_COMPACT_DAY = re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-])")


@dataclass(frozen=True)
class Candidate:
    field: str  # "published" | "updated"
    source: str  # one of SOURCES
    value: str  # ISO 8601 UTC


def refusal(value: str, now: datetime) -> str | None:
    """Why a date cannot be the article's, or None when it can."""
    moment = datetime.fromisoformat(value)
    if moment.year < EARLIEST_YEAR:
        return f"before {EARLIEST_YEAR}"
    if moment > now + FUTURE_SLACK:
        return "in the future"
    return None


def url_day(url: str) -> str | None:
    """The calendar day a URL's path files the story under, as midnight UTC, or None."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    match = _URL_DAY.search(path) or _URL_COMPACT_DAY.search(path)
    if not match:
        return None
    try:
        day = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None
    return day.isoformat(timespec="seconds")


def decide(candidates: list[Candidate], now: datetime | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(chosen values {"published_at", "updated_at"}, the `dates` field) from candidates in precedence order.

    Refused candidates are skipped with their reason; among the rest the first of each field wins."""
    now = now or datetime.now(UTC)
    refused: list[dict[str, Any]] = []
    usable: list[Candidate] = []
    for candidate in candidates:
        reason = refusal(candidate.value, now)
        if reason:
            refused.append(
                {
                    "field": candidate.field,
                    "source": candidate.source,
                    "value": candidate.value,
                    "reason": reason,
                }
            )
        else:
            usable.append(candidate)
    chosen: dict[str, Any] = {"published_at": None, "updated_at": None}
    dates: dict[str, Any] = {"published": None, "updated": None, "disagreements": [], "refused": refused}
    for field in ("published", "updated"):
        mine = [c for c in usable if c.field == field]
        if not mine:
            continue
        winner, others = mine[0], _one_per_source(mine[1:], mine[0].source)
        apart = [(c, _days(c.value, winner.value)) for c in others]
        dates["disagreements"] += [
            {"field": field, "source": c.source, "value": c.value, "days": days}
            for c, days in apart
            if days > DISAGREEMENT_DAYS
        ]
        confidence = CONFIDENCE[winner.source]
        confidence += sum(AGREEMENT_BONUS if days <= 1 else -DISAGREEMENT_PENALTY for _, days in apart)
        chosen[f"{field}_at"] = winner.value
        dates[field] = {"source": winner.source, "confidence": round(min(max(confidence, 0.05), 0.99), 2)}
    return chosen, dates


def with_announcement(
    record: dict[str, Any],
    announced: dict[str, Any] | None,
    discovered_via: str | None,
    now: datetime | None = None,
) -> None:
    """Weigh the date the feed or sitemap announced against the page's own: fills `published_at` when the
    page gave none, and notes a disagreement (or a refusal) in `dates` otherwise."""
    value = (announced or {}).get("published_at")
    source = _announcer(discovered_via)
    dates = record.get("dates")
    if not value or not source or not isinstance(dates, dict):
        return
    reason = refusal(value, now or datetime.now(UTC))
    if reason:
        dates["refused"].append({"field": "published", "source": source, "value": value, "reason": reason})
        return
    page = record.get("published_at")
    if not page:
        record["published_at"] = value
        dates["published"] = {"source": source, "confidence": CONFIDENCE[source]}
        return
    days = _days(value, page)
    provenance = dates.get("published") or {}
    if days > DISAGREEMENT_DAYS:
        dates["disagreements"].append({"field": "published", "source": source, "value": value, "days": days})
        change = -DISAGREEMENT_PENALTY
    else:
        change = AGREEMENT_BONUS
    if "confidence" in provenance:
        provenance["confidence"] = round(min(max(provenance["confidence"] + change, 0.05), 0.99), 2)


def record_revision_date(record: dict[str, Any]) -> None:
    """`updated_at` is the fetch that found the text changed (the page declared no update): say so."""
    dates = record.get("dates")
    if isinstance(dates, dict):
        dates["updated"] = {"source": "revision", "confidence": REVISION_CONFIDENCE}


def _announcer(discovered_via: str | None) -> str | None:
    if discovered_via in ("feed", "wp-json"):
        return "feed"
    if discovered_via in ("sitemap", "news-sitemap"):
        return "sitemap"
    return None


def _one_per_source(candidates: list[Candidate], winner_source: str) -> list[Candidate]:
    """The first value of each other signal: two meta tags of one page are not two witnesses."""
    seen = {winner_source}
    out = []
    for candidate in candidates:
        if candidate.source not in seen:
            seen.add(candidate.source)
            out.append(candidate)
    return out


def _days(first: str, second: str) -> int:
    """Calendar days apart in UTC: a URL's bare day and the evening of that day in New York are one day."""
    return abs((datetime.fromisoformat(first).date() - datetime.fromisoformat(second).date()).days)

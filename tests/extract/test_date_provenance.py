"""Dates with provenance: the signal that gave each date, disagreements over a day, refusals with reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract import ExtractOptions, extract_article
from crawler.extract.provenance import Candidate, decide, record_revision_date, url_day, with_announcement

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)
PARAGRAPH = (
    "The harbour authority said on Tuesday that the new terminal would open in the spring after delays. " * 3
)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://ex.com/2016/08/27/story", "2016-08-27T00:00:00+00:00"),
        ("https://ex.com/news/2016-08-27-story.html", "2016-08-27T00:00:00+00:00"),
        ("https://ex.com/a/20160827/story", "2016-08-27T00:00:00+00:00"),
        ("https://ex.com/2016/02/30/story", None),
        ("https://ex.com/news/story-12345", None),
        ("https://ex.com/story?date=2016/08/27", None),
    ],
)
def test_url_day(url: str, day: str | None) -> None:
    assert url_day(url) == day


def test_the_first_usable_signal_wins_and_a_later_one_over_a_day_apart_is_noted() -> None:
    chosen, dates = decide(
        [
            Candidate("published", "jsonld", "2024-04-10T08:00:00+00:00"),
            Candidate("published", "meta", "2024-04-10T09:00:00+00:00"),
            Candidate("published", "url", "2024-04-07T00:00:00+00:00"),
        ],
        NOW,
    )
    assert chosen == {"published_at": "2024-04-10T08:00:00+00:00", "updated_at": None}
    assert dates["published"] == {"source": "jsonld", "confidence": 0.75}  # +0.05 meta agrees, -0.2 url
    assert dates["disagreements"] == [
        {"field": "published", "source": "url", "value": "2024-04-07T00:00:00+00:00", "days": 3}
    ]


def test_placeholder_and_future_dates_are_refused_with_the_reason_and_the_next_signal_taken() -> None:
    chosen, dates = decide(
        [
            Candidate("published", "jsonld", "1970-01-01T00:00:00+00:00"),
            Candidate("published", "meta", "2024-04-30T00:00:00+00:00"),
            Candidate("updated", "jsonld", "2024-05-03T00:00:00+00:00"),
        ],
        NOW,
    )
    assert chosen == {"published_at": "2024-04-30T00:00:00+00:00", "updated_at": None}
    assert [(r["field"], r["source"], r["reason"]) for r in dates["refused"]] == [
        ("published", "jsonld", "before 1990"),
        ("updated", "jsonld", "in the future"),
    ]
    assert dates["published"]["source"] == "meta" and dates["updated"] is None


def test_a_day_ahead_is_still_today_somewhere() -> None:
    chosen, dates = decide([Candidate("published", "meta", "2024-05-02T10:00:00+00:00")], NOW)
    assert chosen["published_at"] and dates["refused"] == []


def _record(published: str | None) -> dict:
    chosen, dates = decide([Candidate("published", "jsonld", published)] if published else [], NOW)
    return {**chosen, "dates": dates}


def test_the_feed_date_fills_a_page_without_one_and_says_so() -> None:
    record = _record(None)
    with_announcement(record, {"published_at": "2024-04-29T10:00:00+00:00"}, "feed", NOW)
    assert record["published_at"] == "2024-04-29T10:00:00+00:00"
    assert record["dates"]["published"] == {"source": "feed", "confidence": 0.8}


def test_a_sitemap_date_days_away_from_the_page_is_a_disagreement_and_lowers_confidence() -> None:
    record = _record("2024-04-20T10:00:00+00:00")
    with_announcement(record, {"published_at": "2024-04-29T10:00:00+00:00"}, "news-sitemap", NOW)
    assert record["published_at"] == "2024-04-20T10:00:00+00:00"
    assert record["dates"]["disagreements"] == [
        {"field": "published", "source": "sitemap", "value": "2024-04-29T10:00:00+00:00", "days": 9}
    ]
    assert record["dates"]["published"]["confidence"] == 0.7


def test_a_feed_dated_in_the_future_is_refused_not_used() -> None:
    record = _record(None)
    with_announcement(record, {"published_at": "2031-01-01T00:00:00+00:00"}, "feed", NOW)
    assert record["published_at"] is None
    assert record["dates"]["refused"] == [
        {
            "field": "published",
            "source": "feed",
            "value": "2031-01-01T00:00:00+00:00",
            "reason": "in the future",
        }
    ]


def test_a_url_found_by_a_section_page_carries_no_announced_date() -> None:
    record = _record(None)
    with_announcement(record, {"published_at": "2024-04-29T10:00:00+00:00"}, "section", NOW)
    assert record["published_at"] is None and record["dates"]["published"] is None


def test_every_extracted_record_names_where_its_date_came_from() -> None:
    page = f"<html><head><title>T</title></head><body><article><p>{PARAGRAPH}</p></article></body></html>"
    record = extract_article(page.encode(), "https://ex.com/2016/08/27/story", options=ExtractOptions())
    assert record["published_at"] == "2016-08-27T00:00:00+00:00"
    assert record["dates"]["published"] == {"source": "url", "confidence": 0.7}


def test_an_update_the_crawler_saw_itself_is_marked_as_a_revision() -> None:
    record = _record("2024-04-20T10:00:00+00:00")
    record_revision_date(record)
    assert record["dates"]["updated"] == {"source": "revision", "confidence": 0.5}

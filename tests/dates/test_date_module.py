"""One date module: discovery's strict reader and extraction's metadata reader live in crawler.dates
and agree where their inputs overlap. (Each reader's own cases: tests/discovery, tests/extract.)"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from crawler import dates
from crawler.discovery import announce
from crawler.extract import dates as extract_dates

KOLKATA = ZoneInfo("Asia/Kolkata")


def test_discovery_and_extraction_read_dates_through_crawler_dates() -> None:
    assert announce.parse_date is dates.parse_date
    assert announce.iso is dates.iso
    assert extract_dates.normalise_date is dates.normalise_date


@pytest.mark.parametrize(
    "text",
    ["2016-08-27", "2016-08-27T10:55:00", "2016-08-27T10:55:00+05:30", "Sat, 27 Aug 2016 05:25:00 GMT"],
)
def test_a_date_both_readers_accept_is_the_same_instant(text: str) -> None:
    assert dates.iso(dates.parse_date(text, KOLKATA)) == dates.normalise_date(text, KOLKATA)

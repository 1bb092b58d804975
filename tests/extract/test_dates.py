"""Metadata dates become ISO 8601 UTC; naive ones take the source's zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from crawler.extract.dates import is_date_line, normalise_date

KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-08-27T05:25:00+00:00", "2016-08-27T05:25:00+00:00"),
        ("2016-08-27T05:25:00Z", "2016-08-27T05:25:00+00:00"),
        ("2016-08-27T10:55:00+05:30", "2016-08-27T05:25:00+00:00"),
        ("2016-08-27T10:55:00", "2016-08-27T05:25:00+00:00"),  # naive: the source's zone
        ("August 27, 2016, 10:55 am", "2016-08-27T05:25:00+00:00"),
        ("Sat, 27 Aug 2016 05:25:00 GMT", "2016-08-27T05:25:00+00:00"),
        ("27 Aug 2016 10:55 IST", "2016-08-27T05:25:00+00:00"),
        ("Aug 26, 2016 7:25 PM HST", "2016-08-27T05:25:00+00:00"),  # not the source's zone
        ("27 Aug 2016 13:25 AWST", "2016-08-27T05:25:00+00:00"),
        ("2016-08-27", "2016-08-27T00:00:00+00:00"),  # a bare day stays that day
        ("garbage", None),
        ("1900-01-01T00:00:00Z", None),
        ("2016-02-30", None),
        ("", None),
        (None, None),
        (20160827, None),
    ],
)
def test_normalise_date(raw: object, expected: str | None) -> None:
    assert normalise_date(raw, KOLKATA) == expected


@pytest.mark.parametrize(
    "raw", ["2016-08-27", "20160827", "August 27, 2016", "2016/08/27", "27 Aug 2016", "Sat, 27 Aug 2016"]
)
def test_a_bare_day_in_any_spelling_stays_that_day(raw: str) -> None:
    # Shifting midnight by the source's zone (+05:30) would date the story, and its partition, a day early.
    assert normalise_date(raw, KOLKATA) == "2016-08-27T00:00:00+00:00"


@pytest.mark.parametrize("raw", ["2016", "August 2016", "Aug 27", "Saturday", "10:55 am"])
def test_a_date_without_a_calendar_day_is_not_completed_with_todays(raw: str) -> None:
    # dateutil would take the missing day, month or year from the day of the crawl.
    assert normalise_date(raw, KOLKATA) is None


@pytest.mark.parametrize(
    "raw",
    [
        "Sat Aug 27 2016 10:55:00 GMT+0530",
        "Sat Aug 27 2016 10:55:00 GMT+0530 (India Standard Time)",
        "Sat Aug 27 2016 01:25:00 GMT-0400 (Eastern Daylight Time)",
        "2016-08-27 10:55:00 UTC+05:30",
    ],
)
def test_javascript_date_strings_keep_the_sign_of_their_offset(raw: str) -> None:
    # JavaScript's Date.toString() output, which CMSs print into metadata: "GMT+0530" is east of UTC.
    assert normalise_date(raw, ZoneInfo("UTC")) == "2016-08-27T05:25:00+00:00"


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("August 27, 2016, 5:25 am", True),
        ("27 August 2016 | 17:25 IST", True),
        ("Updated: 2016-08-27", True),
        ("US Secretary of State John Kerry took a more cautionary position", False),
        ("August was a hot month in 2016, the data show.", False),
        # date lines in the words of other languages, with their labels
        ("sexta-feira, 22 de outubro de 2010 às 20:13", True),
        ("Stand: 28.04.2020 18:00 Uhr", True),
        ("Miércoles, 04 de Mayo de 2022", True),
        ("Posted: Thursday, April 21, 2022. 10:11 pm CST.", True),
        ("zuletzt bearbeitet: 04.02.2022, 08:27 Uhr", True),
        # a month without a day is a heading; a place or a word beside the date makes it a sentence
        ("Februar 2020", False),
        ("Hamburg, 2. November 2021", False),
        ("Die Saison beginnt am 3. Mai 2020", False),
    ],
)
def test_is_date_line(line: str, is_date: bool) -> None:
    assert is_date_line(line) is is_date

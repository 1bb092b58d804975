"""Date strings from metadata to ISO 8601 UTC (crawler.dates reads them); naive dates take the source's
timezone. Here: telling a paragraph that is only a date line."""

from __future__ import annotations

import re

from crawler.dates import normalise_date, parse_any_year

__all__ = ["is_date_line", "normalise_date", "parse_any_year"]

# A loose date line as naive extractors print it ("August 27, 2016, 5:25 am", "27/08/2016 05:25").
_LOOSE_DATE_LINE = re.compile(
    r"^(?:(?:updated|published|posted|last updated)\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
    r"(?:\s*(?:,|\||at|-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)


def is_date_line(line: str) -> bool:
    """True for a paragraph that is only a date, as templates print it under the headline."""
    return len(line) < 60 and bool(_LOOSE_DATE_LINE.match(line.strip()))

"""Dates and durations as people and outlets write them: `parsing` reads dates into aware UTC datetimes
(re-exported here), `durations` reads `90m` / `2d` / `1w` for --since and registry windows."""

from crawler.dates.parsing import PLAUSIBLE_YEARS, iso, normalise_date, parse_any_year, parse_date

__all__ = ["PLAUSIBLE_YEARS", "iso", "normalise_date", "parse_any_year", "parse_date"]

"""Stats-key layout of the per-source counters, and reading them back out of a Scrapy stats dict.

Pure: no Scrapy import. The `SourceStats` extension writes these keys; reports and metrics read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PREFIX = "source/"
# Counters every source row has, in table order; each is stored as `source/<id>/<name>_count`.
COUNTERS = (
    "discovered",
    # Announced again but not fetched: fetched by an earlier run, or older than the age window. A
    # source with known URLs and nothing new had a quiet run; one with neither has broken discovery.
    "known",
    "pages",
    "fetched",
    "stored",
    "duplicates",
    "http_errors",
    "with_author",
    "with_date",
    # Pages not fetched or not stored because the outlet reserves text and data mining (crawler/rights).
    "tdm_reserved",
)
DROPPED = "dropped_count"
MEDIAN = "text_length_median"


def counter_key(source_id: str, name: str) -> str:
    if name not in COUNTERS:
        raise ValueError(f"unknown counter {name!r}: use one of {', '.join(COUNTERS)}")
    return f"{PREFIX}{source_id}/{name}_count"


def dropped_key(source_id: str, reason: str) -> str:
    return f"{PREFIX}{source_id}/{DROPPED}/{reason}"


def median_key(source_id: str) -> str:
    return f"{PREFIX}{source_id}/{MEDIAN}"


def empty_row() -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COUNTERS, 0)
    row["dropped"] = {}
    row["median_text_length"] = None
    return row


def per_source_stats(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-source rows `{id: {counter: int, "dropped": {reason: int}, "median_text_length": int|None}}`."""
    rows: dict[str, dict[str, Any]] = {}
    for key, value in dict(stats).items():  # copy: the crawl may add keys while we read
        if not key.startswith(PREFIX):
            continue
        source_id, _, field = key[len(PREFIX) :].partition("/")
        row = rows.setdefault(source_id, empty_row())
        if field.startswith(DROPPED + "/"):
            row["dropped"][field[len(DROPPED) + 1 :]] = int(value)
        elif field == MEDIAN:
            row["median_text_length"] = value
        elif field.endswith("_count") and field[: -len("_count")] in COUNTERS:
            row[field[: -len("_count")]] = int(value)
    return dict(sorted(rows.items()))


def totals(rows: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Sums of every counter over sources, plus `dropped` (all reasons)."""
    summed = dict.fromkeys(COUNTERS, 0)
    summed["dropped"] = 0
    for row in rows.values():
        for name in COUNTERS:
            summed[name] += int(row.get(name, 0))
        summed["dropped"] += sum(row.get("dropped", {}).values())
    return summed

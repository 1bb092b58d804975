"""Prometheus text exposition (format 0.0.4) of per-source counters, and the atomic textfile write.

Pure: no Scrapy, no prometheus_client (the format is a few lines; one less runtime dependency).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.monitoring.counters import per_source_stats

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# counter name -> (metric name, help text)
_COUNTER_METRICS = {
    "discovered": ("newscrawl_discovered_urls_total", "Article URLs newly accepted by the scheduler."),
    "known": (
        "newscrawl_known_urls_total",
        "Article URLs announced again but not fetched: seen in an earlier run or older than the window.",
    ),
    "pages": ("newscrawl_pages_total", "Responses received, of every kind (feeds, sitemaps, articles)."),
    "fetched": ("newscrawl_articles_fetched_total", "Article pages fetched with a non-error status."),
    "stored": ("newscrawl_articles_stored_total", "Article records that passed every pipeline."),
    "duplicates": ("newscrawl_duplicates_total", "Stored records that matched an article already indexed."),
    "http_errors": ("newscrawl_http_errors_total", "Fetch attempts with status >= 400 or no response."),
    "with_author": ("newscrawl_articles_with_author_total", "Stored records that name an author."),
    "with_date": ("newscrawl_articles_with_date_total", "Stored records with a publication date."),
    "tdm_reserved": (
        "newscrawl_tdm_reserved_skipped_total",
        "Article pages skipped because the outlet reserves text and data mining.",
    ),
}


def render_metrics(stats: Mapping[str, Any]) -> str:
    """The exposition text for a Scrapy stats dict: per-source counters and the run's timestamps."""
    rows = per_source_stats(stats)
    out: list[str] = []
    for counter, (metric, help_text) in _COUNTER_METRICS.items():
        samples = [({"source": source_id}, row[counter]) for source_id, row in rows.items()]
        out += _family(metric, "counter", help_text, samples)
    dropped = [
        ({"source": source_id, "reason": reason}, count)
        for source_id, row in rows.items()
        for reason, count in sorted(row["dropped"].items())
    ]
    out += _family("newscrawl_dropped_total", "counter", "Records dropped, by reason.", dropped)
    medians = [
        ({"source": source_id}, row["median_text_length"])
        for source_id, row in rows.items()
        if row["median_text_length"] is not None
    ]
    out += _family(
        "newscrawl_text_length_median_chars", "gauge", "Median text length of stored records.", medians
    )
    for key, metric, help_text in (
        ("start_time", "newscrawl_run_start_timestamp_seconds", "When this crawl started."),
        ("finish_time", "newscrawl_run_finish_timestamp_seconds", "When this crawl finished."),
    ):
        value = stats.get(key)
        if isinstance(value, datetime):
            out += _family(metric, "gauge", help_text, [({}, value.timestamp())])
    return "\n".join(out) + "\n"


def write_textfile(path: str | os.PathLike[str], text: str) -> None:
    """Replace `path` atomically, so node_exporter's textfile collector never reads half a file."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def _family(name: str, kind: str, help_text: str, samples: list[tuple[dict[str, str], float]]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    for labels, value in samples:
        lines.append(f"{name}{_labels(labels)} {_number(value)}")
    return lines


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{key}="{_escape(str(value))}"' for key, value in labels.items())
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))

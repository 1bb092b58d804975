"""The per-source counters as Prometheus metric families, read from the crawl's live stats.

Pure: no Scrapy. `metrics_registry` gives each crawl a registry of its own, which prometheus_client
serves (`start_http_server`) and writes for node_exporter (`write_to_textfile`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from crawler.monitoring.counters import per_source_stats

ReadStats = Callable[[], Mapping[str, Any]]
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
_RUN_TIMESTAMPS = (
    ("start_time", "newscrawl_run_start_timestamp_seconds", "When this crawl started."),
    ("finish_time", "newscrawl_run_finish_timestamp_seconds", "When this crawl finished."),
)


class SourceStatsCollector(Collector):
    """Collects, at each scrape, the per-source counters and the run's timestamps from `read_stats()`."""

    def __init__(self, read_stats: ReadStats) -> None:
        self.read_stats = read_stats

    def collect(self) -> Iterator[Metric]:
        stats = self.read_stats()
        rows = per_source_stats(stats)
        for counter, (name, help_text) in _COUNTER_METRICS.items():
            family = CounterMetricFamily(name, help_text, labels=["source"])
            for source_id, row in rows.items():
                family.add_metric([source_id], row[counter])
            yield family
        dropped = CounterMetricFamily(
            "newscrawl_dropped_total", "Records dropped, by reason.", labels=["source", "reason"]
        )
        medians = GaugeMetricFamily(
            "newscrawl_text_length_median_chars", "Median text length of stored records.", labels=["source"]
        )
        for source_id, row in rows.items():
            for reason, count in sorted(row["dropped"].items()):
                dropped.add_metric([source_id, reason], count)
            if row["median_text_length"] is not None:
                medians.add_metric([source_id], row["median_text_length"])
        yield dropped
        yield medians
        for key, name, help_text in _RUN_TIMESTAMPS:
            value = stats.get(key)
            if isinstance(value, datetime):
                yield GaugeMetricFamily(name, help_text, value=value.timestamp())


def metrics_registry(read_stats: ReadStats) -> CollectorRegistry:
    """A registry holding only this crawl's metrics (not the process-wide default one)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SourceStatsCollector(read_stats))
    return registry

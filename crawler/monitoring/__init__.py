"""Watching a crawl: per-source counters, a progress line, Prometheus metrics, and the run report.

`MONITORING_SETTINGS` enables the three extensions; `run_report(crawler)` builds the JSON report from a
finished crawler's stats. Everything but the three extensions is pure and imports no Scrapy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from crawler.monitoring.anomalies import AnomalyRules
from crawler.monitoring.report import build_run_report, report_from_stats
from crawler.monitoring.table import format_summary_table

MONITORING_SETTINGS: dict[str, Any] = {
    "EXTENSIONS": {
        "crawler.monitoring.sources.SourceStats": 500,
        "crawler.monitoring.progress.Progress": 510,
        "crawler.monitoring.metrics.Metrics": 520,
    },
}

__all__ = [
    "MONITORING_SETTINGS",
    "AnomalyRules",
    "build_run_report",
    "format_summary_table",
    "report_from_stats",
    "run_report",
]


class _HasStats(Protocol):
    @property
    def stats(self) -> Any: ...


def run_report(
    crawler: _HasStats,
    previous_reports: Sequence[dict[str, Any]] = (),
    *,
    expected_sources: Iterable[str] = (),
    rules: AnomalyRules | None = None,
) -> dict[str, Any]:
    """The JSON run report of a finished crawl (`crawler.stats` survives the spider closing), for a
    caller holding the Crawler (a script, a test). The crawl itself does not call this: StorePipeline
    builds the stored report with `report_from_stats` as it commits the run.

    `previous_reports`: this store's earlier reports, oldest first; `expected_sources`: the source ids
    this run was asked to crawl, so one that never made a request is flagged too.
    """
    return report_from_stats(
        crawler.stats.get_stats(), previous_reports, expected_sources=expected_sources, rules=rules
    )

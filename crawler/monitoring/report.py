"""The JSON run report: per-source rows with completeness shares, run totals and anomaly flags.

Pure: built from plain dicts, so it can be rebuilt from a stats dump and stored beside the manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from crawler.monitoring.anomalies import AnomalyRules, find_anomalies
from crawler.monitoring.counters import empty_row, per_source_stats, totals
from crawler.monitoring.outcome import run_outcome

SCHEMA_VERSION = 1
_RESERVED_PREFIX = "rights/reserved/"  # crawler/rights/middleware.py sets these
# Scrapy stats keys copied into the report's "run" section, under the names on the right.
_RUN_FIELDS = {
    "start_time": "started_at",
    "finish_time": "finished_at",
    "elapsed_time_seconds": "elapsed_seconds",
    "finish_reason": "finish_reason",
    "response_received_count": "responses",
    "item_scraped_count": "items",
    "log_count/ERROR": "log_errors",
}


def build_run_report(
    per_source_stats: Mapping[str, Mapping[str, Any]],
    run_stats: Mapping[str, Any],
    previous_reports: Sequence[Mapping[str, Any]] = (),
    *,
    expected_sources: Iterable[str] = (),
    rules: AnomalyRules | None = None,
    shared: bool = False,
) -> dict[str, Any]:
    """A JSON-serialisable report. `previous_reports` are earlier reports of this shape, oldest first.

    `expected_sources` adds an all-zero row (flagged as empty) for a source that made no request at all.
    """
    rows = {source_id: _row(row) for source_id, row in per_source_stats.items()}
    for source_id in expected_sources:
        rows.setdefault(source_id, _row(empty_row()))
    rows = dict(sorted(rows.items()))
    anomalies = find_anomalies(rows, previous_reports, rules, shared)
    for anomaly in anomalies:
        rows[anomaly["source"]]["flags"].append(_flag(anomaly))
    return {
        "schema_version": SCHEMA_VERSION,
        "run": _run(run_stats),
        "totals": totals(rows),
        "sources": rows,
        "anomalies": anomalies,
        "tdm_reserved": reserved_outlets(run_stats, rows),
        "outcome": run_outcome(rows, anomalies),
    }


def report_from_stats(
    stats: Mapping[str, Any],
    previous_reports: Sequence[Mapping[str, Any]] = (),
    *,
    expected_sources: Iterable[str] = (),
    rules: AnomalyRules | None = None,
    shared: bool = False,
) -> dict[str, Any]:
    """The report for a finished crawl from its Scrapy stats dict (`crawler.stats.get_stats()`)."""
    return build_run_report(
        per_source_stats(stats), stats, previous_reports, expected_sources=expected_sources, rules=rules,
        shared=shared,
    )  # fmt: skip


def _row(row: Mapping[str, Any]) -> dict[str, Any]:
    out = empty_row()
    out.update({key: value for key, value in row.items() if key in out})
    out["dropped"] = dict(sorted(dict(row.get("dropped", {})).items()))
    stored = out["stored"]
    out["author_share"] = round(out["with_author"] / stored, 4) if stored else None
    out["date_share"] = round(out["with_date"] / stored, 4) if stored else None
    out["flags"] = []
    return out


def reserved_outlets(
    run_stats: Mapping[str, Any], rows: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Each outlet seen reserving text and data mining this run (crawler/rights): the signal that
    said so, the policy URL it offered, and how many of its pages were skipped for it."""
    outlets = {}
    for key, signal in run_stats.items():
        if key.startswith(_RESERVED_PREFIX):
            source_id = key[len(_RESERVED_PREFIX) :]
            outlets[source_id] = {
                "signal": signal,
                "policy": run_stats.get(f"rights/policy/{source_id}") or None,
                "skipped": int(rows.get(source_id, {}).get("tdm_reserved", 0)),
            }
    return dict(sorted(outlets.items()))


def _run(run_stats: Mapping[str, Any]) -> dict[str, Any]:
    run: dict[str, Any] = {}
    for key, name in _RUN_FIELDS.items():
        value = run_stats.get(key)
        if isinstance(value, datetime):
            value = value.isoformat()
        if value is not None:
            run[name] = value
    return run


def _flag(anomaly: Mapping[str, Any]) -> str:
    if anomaly["kind"] == "blocked":
        return f"BLOCKED ({anomaly['field']})"
    return "EMPTY" if anomaly["kind"] == "empty" else f"{anomaly['field']} low"

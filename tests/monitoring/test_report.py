from __future__ import annotations

import json
from datetime import UTC, datetime

from crawler.monitoring import build_run_report, report_from_stats
from crawler.monitoring.counters import counter_key, dropped_key, median_key

STATS = {
    "start_time": datetime(2026, 11, 29, 6, 0, tzinfo=UTC),
    "finish_time": datetime(2026, 11, 29, 6, 20, tzinfo=UTC),
    "finish_reason": "finished",
    "response_received_count": 31,
    "item_scraped_count": 10,
    counter_key("alpha", "discovered"): 12,
    counter_key("alpha", "pages"): 16,
    counter_key("alpha", "fetched"): 12,
    counter_key("alpha", "stored"): 10,
    counter_key("alpha", "duplicates"): 3,
    counter_key("alpha", "with_author"): 8,
    counter_key("alpha", "with_date"): 10,
    dropped_key("alpha", "EmptyText"): 2,
    median_key("alpha"): 2400.5,
    counter_key("beta", "pages"): 15,
    counter_key("beta", "http_errors"): 15,
    "downloader/request_count": 40,
}


def test_report_reads_per_source_rows_and_shares_from_stats() -> None:
    report = report_from_stats(STATS)
    alpha = report["sources"]["alpha"]
    assert (alpha["discovered"], alpha["fetched"], alpha["stored"], alpha["duplicates"]) == (12, 12, 10, 3)
    assert alpha["dropped"] == {"EmptyText": 2}
    assert alpha["median_text_length"] == 2400.5
    assert (alpha["author_share"], alpha["date_share"]) == (0.8, 1.0)
    beta = report["sources"]["beta"]
    assert beta["http_errors"] == 15 and beta["author_share"] is None


def test_report_totals_sum_sources_and_count_all_drop_reasons() -> None:
    totals = report_from_stats(STATS)["totals"]
    assert totals["stored"] == 10 and totals["http_errors"] == 15 and totals["pages"] == 31
    assert totals["dropped"] == 2


def test_report_run_section_has_iso_times_and_survives_json() -> None:
    report = report_from_stats(STATS)
    assert report["run"]["started_at"] == "2026-11-29T06:00:00+00:00"
    assert report["run"]["finish_reason"] == "finished"
    assert report["run"]["responses"] == 31
    assert json.loads(json.dumps(report)) == report


def test_report_adds_an_empty_flagged_row_for_an_expected_source_that_made_no_request() -> None:
    report = report_from_stats(STATS, expected_sources=["gamma", "alpha"])
    assert report["sources"]["gamma"]["stored"] == 0
    assert report["sources"]["gamma"]["flags"] == ["EMPTY"]
    assert report["sources"]["alpha"]["stored"] == 10
    assert list(report["sources"]) == ["alpha", "beta", "gamma"]


def test_report_flags_the_source_that_yielded_nothing_and_not_the_healthy_one() -> None:
    report = report_from_stats(STATS)
    assert report["sources"]["beta"]["flags"] == ["EMPTY"]
    assert report["sources"]["alpha"]["flags"] == []
    assert [anomaly["source"] for anomaly in report["anomalies"]] == ["beta"]


def test_build_run_report_accepts_plain_rows_without_optional_fields() -> None:
    report = build_run_report({"alpha": {"stored": 2, "with_author": 1}}, {}, [])
    assert report["sources"]["alpha"]["author_share"] == 0.5
    assert report["sources"]["alpha"]["dropped"] == {}
    assert report["run"] == {}

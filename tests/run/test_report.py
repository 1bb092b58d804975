"""The earlier run reports a new report is compared with (crawler.run.report.previous_reports)."""

from __future__ import annotations

from pathlib import Path

from crawler.run.report import REPORT_STAT, previous_reports, save_report
from crawler.storage import RunWriter, open_store


def _commit_run(store, source: str, n: int) -> None:
    writer = RunWriter(store)
    stats = {f"source/{source}/pages_count": 3, REPORT_STAT: save_report(store, writer.run_id, {"n": n})}
    writer.commit(stats)


def test_a_sources_baseline_skips_runs_of_other_sources(tmp_path: Path) -> None:
    with open_store(f"file://{tmp_path}") as store:
        for n in range(7):
            _commit_run(store, "alpha", n)
        for n in range(7, 13):  # an hourly crawl of another outlet, or `fetch --store` runs
            _commit_run(store, "beta", n)
        assert [report["n"] for report in previous_reports(store, ["alpha"])] == [2, 3, 4, 5, 6]
        assert [report["n"] for report in previous_reports(store, ["alpha", "beta"], limit=2)] == [
            5,
            6,
            11,
            12,
        ]
        assert [report["n"] for report in previous_reports(store)] == [8, 9, 10, 11, 12]
        assert previous_reports(store, ["gamma"]) == []

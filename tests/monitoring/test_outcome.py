"""The run outcome the crawl's exit code comes from: ok, partial (some sources failed or degraded),
failed (all sources failed); a recheck that found every article unchanged is no failure."""

from __future__ import annotations

from crawler.monitoring import build_run_report

WORKING = {"discovered": 3, "pages": 5, "fetched": 3, "stored": 3}
DEAD = {"http_errors": 3}  # nothing answered: DNS, refused connection or timeout
RECHECKED = {"discovered": 2, "pages": 4, "fetched": 2, "dropped": {"Unchanged": 2}}


def outcome(rows):
    return build_run_report(rows, {})["outcome"]


def test_every_source_working_is_ok():
    assert outcome({"a": WORKING, "b": WORKING}) == {"status": "ok", "failed": {}, "degraded": {}}


def test_one_dead_source_makes_the_run_partial_and_says_why():
    result = outcome({"a": WORKING, "b": DEAD})
    assert result["status"] == "partial" and list(result["failed"]) == ["b"]
    assert "its server never answered: 3 requests failed" in result["failed"]["b"]


def test_every_source_dead_fails_the_run():
    assert outcome({"a": DEAD, "b": DEAD})["status"] == "failed"


def test_a_recheck_that_found_everything_unchanged_is_a_quiet_run():
    assert outcome({"a": RECHECKED})["status"] == "ok"
    broken = {**RECHECKED, "dropped": {"Unchanged": 1, "EmptyText": 1}}
    assert outcome({"a": broken})["status"] == "failed"

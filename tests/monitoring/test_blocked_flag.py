"""A source whose article pages came back as bot challenges or consent walls is flagged the same day."""

from __future__ import annotations

import pytest

from crawler.monitoring import AnomalyRules, build_run_report


def _row(fetched: int, stored: int, **dropped: int) -> dict:
    return {"discovered": fetched, "fetched": fetched, "stored": stored, "dropped": dropped}


def test_challenges_on_a_tenth_of_the_fetched_pages_flag_the_source_blocked() -> None:
    report = build_run_report({"site": _row(20, 18, BlockedByChallenge=2)}, {}, [])
    [anomaly] = report["anomalies"]
    assert (anomaly["kind"], anomaly["field"], anomaly["value"]) == ("blocked", "challenge", 2)
    assert "2 of 20 fetched article pages were bot challenges" in anomaly["message"]
    assert report["sources"]["site"]["flags"] == ["BLOCKED (challenge)"]


def test_a_consent_wall_on_every_page_is_flagged_beside_the_empty_run() -> None:
    report = build_run_report({"site": _row(5, 0, ConsentWall=5)}, {}, [])
    assert report["sources"]["site"]["flags"] == ["BLOCKED (consent)", "EMPTY"]


def test_one_challenge_among_many_stories_and_soft_404s_are_not_flags() -> None:
    report = build_run_report({"site": _row(40, 30, BlockedByChallenge=1, SoftNotFound=9)}, {}, [])
    assert report["anomalies"] == [] and report["sources"]["site"]["flags"] == []


def test_blocked_share_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="max_blocked_share"):
        AnomalyRules(max_blocked_share=0)

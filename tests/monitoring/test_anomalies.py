from __future__ import annotations

import pytest

from crawler.monitoring import AnomalyRules, build_run_report
from crawler.monitoring.anomalies import find_anomalies


def _row(stored: int = 20, author: float = 0.9, date: float = 1.0, median: float = 3000) -> dict:
    return {
        "discovered": stored,
        "fetched": stored,
        "stored": stored,
        "with_author": round(author * stored),
        "with_date": round(date * stored),
        "median_text_length": median,
    }


def _history(*rows: dict) -> list[dict]:
    return [build_run_report({"site": row}, {}, []) for row in rows]


HEALTHY = _history(_row(), _row(), _row(median=2800), _row(median=3200))


def test_author_share_collapse_is_flagged_against_recent_median() -> None:
    report = build_run_report({"site": _row(author=0.1)}, {}, HEALTHY)
    [anomaly] = report["anomalies"]
    assert (anomaly["kind"], anomaly["field"]) == ("completeness", "author_share")
    assert anomaly["baseline"] == 0.9 and anomaly["value"] == 0.1
    assert "author_share fell to 10% from a median of 90%" in anomaly["message"]
    assert report["sources"]["site"]["flags"] == ["author_share low"]


@pytest.mark.parametrize(
    ("field", "row"),
    [("date_share", _row(date=0.2)), ("median_text_length", _row(median=600))],
)
def test_each_completeness_field_is_flagged_on_a_sharp_drop(field: str, row: dict) -> None:
    assert [anomaly["field"] for anomaly in find_anomalies({"site": _report_row(row)}, HEALTHY)] == [field]


def test_normal_variation_is_not_flagged() -> None:
    report = build_run_report({"site": _row(author=0.75, median=2200)}, {}, HEALTHY)
    assert report["anomalies"] == []


def test_small_absolute_share_drop_is_not_flagged_even_if_relatively_large() -> None:
    history = _history(*[_row(author=0.2)] * 3)
    assert build_run_report({"site": _row(author=0.1)}, {}, history)["anomalies"] == []


def test_no_completeness_verdict_without_enough_history() -> None:
    report = build_run_report({"site": _row(author=0.0)}, {}, HEALTHY[:1])
    assert report["anomalies"] == []


def test_runs_with_too_few_articles_neither_judge_nor_count_as_history() -> None:
    tiny = _history(*[_row(stored=2, author=0.0)] * 5)
    assert build_run_report({"site": _row(stored=3, author=0.0)}, {}, HEALTHY)["anomalies"] == []
    # the tiny runs are ignored, so the baseline is still the healthy runs' 0.9
    [anomaly] = build_run_report({"site": _row(author=0.0)}, {}, HEALTHY + tiny)["anomalies"]
    assert anomaly["baseline"] == 0.9


def test_baseline_uses_only_the_most_recent_runs() -> None:
    old_bad = _history(*[_row(author=0.1)] * 5)
    recent_good = _history(*[_row(author=0.9)] * 5)
    rules = AnomalyRules(history=5)
    assert find_anomalies({"site": _report_row(_row(author=0.1))}, old_bad + recent_good, rules)
    assert not find_anomalies({"site": _report_row(_row(author=0.1))}, recent_good + old_bad, rules)


@pytest.mark.parametrize(
    ("row", "hint"),
    [
        ({"fetched": 4}, "fetched 4 article pages but stored none"),
        ({"discovered": 7}, "discovered 7 article URLs but fetched none"),
        ({"pages": 3}, "led to no article URLs"),
        ({}, "nothing was fetched at all"),
    ],
)
def test_empty_source_message_says_where_the_crawl_stopped(row: dict, hint: str) -> None:
    [anomaly] = build_run_report({"site": row}, {}, HEALTHY)["anomalies"]
    assert anomaly["kind"] == "empty" and hint in anomaly["message"]


def test_a_source_that_announced_only_known_articles_had_a_quiet_run_not_an_anomaly() -> None:
    quiet = {"pages": 2, "known": 14}  # the feed listed 14 articles, all fetched by earlier runs
    assert build_run_report({"site": quiet}, {}, HEALTHY)["anomalies"] == []
    # Known URLs do not hide a failure further on: new URLs found but none fetched is still flagged.
    [anomaly] = build_run_report({"site": {**quiet, "discovered": 3}}, {}, HEALTHY)["anomalies"]
    assert "discovered 3 article URLs but fetched none" in anomaly["message"]


@pytest.mark.parametrize("kwargs", [{"max_drop": 1.5}, {"history": 1, "min_history": 2}, {"min_history": 0}])
def test_rules_reject_impossible_thresholds(kwargs: dict) -> None:
    with pytest.raises(ValueError, match="AnomalyRules"):
        AnomalyRules(**kwargs)


def _report_row(row: dict) -> dict:
    return build_run_report({"s": row}, {}, [])["sources"]["s"]


def test_a_shared_crawl_worker_flags_an_empty_source_only_when_its_server_never_answered() -> None:
    handed_over = {"pages": 1, "discovered": 4}  # the other worker fetched the articles it queued
    sitemap_elsewhere = {"pages": 1}  # the other worker fetched the sitemap; this one a 404 feed
    for row in (handed_over, sitemap_elsewhere):
        assert build_run_report({"site": row}, {}, HEALTHY, shared=True)["anomalies"] == []
        # Alone, the same row is a source that stopped short.
        assert build_run_report({"site": row}, {}, HEALTHY)["anomalies"][0]["kind"] == "empty"
    unanswered = {"http_errors": 4}
    assert build_run_report({"site": unanswered}, {}, HEALTHY, shared=True)["anomalies"][0]["kind"] == "empty"

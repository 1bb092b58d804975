"""Flags sources that broke: no articles this run (unless everything they announced was known already),
field completeness far below their recent runs, or article pages that were bot challenges or consent walls.

Pure: compares one run's per-source rows with earlier run reports (oldest first).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Fields whose sharp drop means an outlet changed its pages under us (the extractor misses them now).
COMPLETENESS_FIELDS = ("author_share", "date_share", "median_text_length")
UNCHANGED = "Unchanged"  # crawler.run.drops.Unchanged: a re-checked article whose text had not changed


@dataclass(frozen=True)
class AnomalyRules:
    """Thresholds; the defaults keep small or young sources from raising false alarms."""

    history: int = 5  # the baseline is the median over this many recent runs
    min_history: int = 2  # earlier runs (with enough articles) needed before judging completeness
    min_articles: int = 5  # a run with fewer stored articles is too small a sample to judge
    max_drop: float = 0.5  # flag when the value falls below baseline * (1 - max_drop)
    min_share_drop: float = 0.15  # and, for shares, when it is also this much lower in absolute terms
    # Flag a source when this share of its fetched article pages were bot challenges or consent walls:
    # one such page in a run may be a hiccup, a tenth means the outlet has started refusing the crawler.
    max_blocked_share: float = 0.1

    def __post_init__(self) -> None:
        if not 0 < self.max_drop < 1:
            raise ValueError(f"AnomalyRules.max_drop={self.max_drop}: give a fraction between 0 and 1")
        if not 0 < self.max_blocked_share <= 1:
            raise ValueError(
                f"AnomalyRules.max_blocked_share={self.max_blocked_share}: give a fraction in (0, 1]"
            )
        if self.history < self.min_history or self.min_history < 1:
            raise ValueError("AnomalyRules: need 1 <= min_history <= history")


def find_anomalies(
    sources: Mapping[str, Mapping[str, Any]],
    previous_reports: Sequence[Mapping[str, Any]],
    rules: AnomalyRules | None = None,
    shared: bool = False,
) -> list[dict[str, Any]]:
    """One dict per anomaly: source, kind ("empty" | "completeness" | "blocked"), field, value, baseline,
    message. `shared`: this is one worker of a shared frontier, whose discovery and article URLs other
    workers may fetch."""
    rules = rules or AnomalyRules()
    found: list[dict[str, Any]] = []
    for source_id, row in sources.items():
        found.extend(_blocked(source_id, row, rules))
        if not row.get("stored"):
            if _quiet(row):
                continue  # discovery worked and announced only what earlier runs fetched
            if _all_reserved(row):
                continue  # the run chose to skip an outlet that reserves text and data mining
            if shared and not _unanswered(row):
                continue  # the other workers may have fetched its feeds, sitemaps or articles
            found.append(_empty(source_id, row))
            continue
        if row["stored"] < rules.min_articles:
            continue
        history = _history(source_id, previous_reports, rules)
        for field in COMPLETENESS_FIELDS:
            anomaly = _completeness(source_id, field, row.get(field), history, rules)
            if anomaly:
                found.append(anomaly)
    return found


# Drop reasons (crawler.extract.errors class names) that mean the outlet answered with a wall, not the article.
BLOCKING_DROPS = {"BlockedByChallenge": "challenge", "ConsentWall": "consent"}


def _blocked(source_id: str, row: Mapping[str, Any], rules: AnomalyRules) -> list[dict[str, Any]]:
    fetched = max(int(row.get("fetched") or 0), 1)
    found = []
    for reason, wall in BLOCKING_DROPS.items():
        count = int(dict(row.get("dropped") or {}).get(reason, 0))
        if count and count / fetched >= rules.max_blocked_share:
            found.append(
                {
                    "source": source_id,
                    "kind": "blocked",
                    "field": wall,
                    "value": count,
                    "baseline": None,
                    "message": (
                        f"{source_id}: {count} of {row.get('fetched') or 0} fetched article pages were "
                        f"{'bot challenges' if wall == 'challenge' else 'consent walls'} ({reason}), "
                        "not articles: the outlet is blocking the crawler"
                    ),
                }
            )
    return found


def _quiet(row: Mapping[str, Any]) -> bool:
    """Nothing new since the last run: every article URL the source announced was known already (fetched
    before, or older than the window) and no new one was found, or every article it re-checked was
    unchanged. An hourly crawl meets this most hours; flagging it would bury the real breakages."""
    if row.get("known") and not row.get("discovered") and not row.get("fetched"):
        return True
    dropped = row.get("dropped") or {}
    fetched = row.get("fetched") or 0
    return bool(fetched) and dropped.get(UNCHANGED, 0) == fetched == sum(dropped.values())


def _unanswered(row: Mapping[str, Any]) -> bool:
    """Every request this worker sent the source failed without a response. A worker of a shared
    frontier sees only its share of a source: the others may have fetched its sitemap (the shared
    dupefilter hands each URL to one worker) or the articles it queued, so an empty row alone says
    nothing there; a server that never answered still does."""
    return bool(row.get("http_errors")) and not row.get("pages") and not row.get("fetched")


def _all_reserved(row: Mapping[str, Any]) -> bool:
    """Every article URL found was skipped because the outlet reserves text and data mining: the
    report lists the outlet under `tdm_reserved`; it is the run's choice, not a breakage."""
    skipped = row.get("tdm_reserved") or 0
    return bool(skipped) and skipped >= (row.get("discovered") or 0)


def _empty(source_id: str, row: Mapping[str, Any]) -> dict[str, Any]:
    if row.get("fetched"):
        why = f"fetched {row['fetched']} article pages but stored none (see its drop reasons)"
    elif row.get("discovered"):
        why = f"discovered {row['discovered']} article URLs but fetched none (see its HTTP errors)"
    elif row.get("http_errors") and not row.get("pages"):
        why = (
            f"its server never answered: {row['http_errors']} requests failed "
            "(DNS lookup, refused connection or timeout)"
        )
    elif row.get("pages"):
        why = "its feeds, sitemaps and pages led to no article URLs (check article_pattern and feeds)"
    else:
        why = "nothing was fetched at all (check its homepage, feeds and robots.txt)"
    return {
        "source": source_id,
        "kind": "empty",
        "field": "stored",
        "value": 0,
        "baseline": None,
        "message": f"{source_id}: yielded no articles: {why}",
    }


def _history(
    source_id: str, previous_reports: Sequence[Mapping[str, Any]], rules: AnomalyRules
) -> list[Mapping[str, Any]]:
    rows = []
    for report in previous_reports:
        row = report.get("sources", {}).get(source_id)
        if row and (row.get("stored") or 0) >= rules.min_articles:
            rows.append(row)
    return rows[-rules.history :]


def _completeness(
    source_id: str,
    field: str,
    value: float | None,
    history: Sequence[Mapping[str, Any]],
    rules: AnomalyRules,
) -> dict[str, Any] | None:
    past = [row[field] for row in history if row.get(field) is not None]
    if value is None or len(past) < rules.min_history:
        return None
    baseline = statistics.median(past)
    if value >= baseline * (1 - rules.max_drop):
        return None
    if field.endswith("_share") and baseline - value < rules.min_share_drop:
        return None
    shown = _show(field, value), _show(field, baseline)
    return {
        "source": source_id,
        "kind": "completeness",
        "field": field,
        "value": value,
        "baseline": baseline,
        "message": (
            f"{source_id}: {field} fell to {shown[0]} from a median of {shown[1]} over its last "
            f"{len(past)} runs: the extractor probably misses a changed page layout"
        ),
    }


def _show(field: str, value: float) -> str:
    return f"{value:.0%}" if field.endswith("_share") else f"{value:.0f}"

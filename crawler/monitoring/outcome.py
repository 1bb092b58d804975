"""A run's outcome from its per-source rows and anomalies: "ok", "partial" (some sources failed or
fell below their baseline) or "failed" (every source failed), with each flagged source and why.

Pure: the run report carries it, and `newscrawl crawl` turns its status into the exit code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

OK, PARTIAL, FAILED = "ok", "partial", "failed"


def run_outcome(
    rows: Mapping[str, Mapping[str, Any]], anomalies: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """`{"status", "failed": {source: why}, "degraded": {source: [why, ...]}}`.

    A source that yielded nothing (an "empty" anomaly) failed; one whose completeness fell is
    degraded. The run failed when it had sources and every one of them failed.
    """
    failed: dict[str, str] = {}
    degraded: dict[str, list[str]] = {}
    for anomaly in anomalies:
        if anomaly["kind"] == "empty":
            failed[anomaly["source"]] = anomaly["message"]
        else:
            degraded.setdefault(anomaly["source"], []).append(anomaly["message"])
    if rows and set(failed) >= set(rows):
        status = FAILED
    elif failed or degraded:
        status = PARTIAL
    else:
        status = OK
    return {"status": status, "failed": failed, "degraded": degraded}

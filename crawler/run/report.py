"""The JSON run report kept beside each run's manifest, and the recent reports it is compared with.

Reports live at `reports/run=<run_id>.json`; the manifest's stats name the key (`run_report`), so
a reader finds a run's report through its manifest like everything else.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from typing import Any

from crawler.storage import Reader, StorageError, Store

logger = logging.getLogger(__name__)

REPORT_STAT = "run_report"


def report_key(run_id: str) -> str:
    return f"reports/run={run_id}.json"


def save_report(store: Store, run_id: str, report: dict[str, Any]) -> str:
    key = report_key(run_id)
    store.put_bytes(key, json.dumps(report, sort_keys=True, default=str).encode("utf-8"))
    return key


def previous_reports(
    store: Store, sources: Collection[str] = (), limit: int = 5, scan: int = 100
) -> list[dict[str, Any]]:
    """Reports of earlier committed runs, oldest first, for the completeness baseline: of the latest
    runs that crawled any of `sources` (looking back at most `scan` runs) until each source has
    `limit`; without `sources`, of the last `limit` runs."""
    try:
        runs = Reader(store).runs()
    except StorageError as error:
        logger.warning("could not list earlier runs for the report baseline: %s", error)
        return []
    wanted = dict.fromkeys(sources, 0)  # source -> earlier runs found that crawled it
    reports = []
    for manifest in reversed(runs[-scan:] if wanted else runs[-limit:]):
        if wanted and all(found >= limit for found in wanted.values()):
            break
        stats = manifest.get("stats") or {}
        # Other sources' crawls and `fetch --store` runs share the store: without this they would push
        # a source's own runs out of the baseline.
        in_run = {key.split("/", 2)[1] for key in stats if key.startswith("source/")}
        crawled = [source for source in wanted if source in in_run and wanted[source] < limit]
        key = stats.get(REPORT_STAT)
        if not key or (wanted and not crawled):
            continue
        try:
            reports.append(json.loads(store.get_bytes(key)))
        except (StorageError, ValueError) as error:
            logger.warning("skipping unreadable run report %s: %s", key, error)
            continue
        for source in crawled:
            wanted[source] += 1
    return reports[::-1]

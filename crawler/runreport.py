"""The JSON run report kept beside each run's manifest, and the recent reports it is compared with.

Reports live at `reports/run=<run_id>.json`; the manifest's stats name the key (`run_report`), so
a reader finds a run's report through its manifest like everything else.
"""

from __future__ import annotations

import json
import logging
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


def previous_reports(store: Store, limit: int = 5) -> list[dict[str, Any]]:
    """The last `limit` committed runs' reports, oldest first (for the completeness baseline)."""
    reports = []
    try:
        runs = Reader(store).runs()
    except StorageError as error:
        logger.warning("could not list earlier runs for the report baseline: %s", error)
        return []
    for manifest in runs[-limit:]:
        key = (manifest.get("stats") or {}).get(REPORT_STAT)
        if not key:
            continue
        try:
            reports.append(json.loads(store.get_bytes(key)))
        except (StorageError, ValueError) as error:
            logger.warning("skipping unreadable run report %s: %s", key, error)
    return reports

"""The report, table, anomaly and exposition code must load where Scrapy is absent (readers, CI tools)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = (
    "crawler.monitoring",
    "crawler.monitoring.anomalies",
    "crawler.monitoring.counters",
    "crawler.monitoring.exposition",
    "crawler.monitoring.report",
    "crawler.monitoring.table",
)


def test_pure_monitoring_modules_import_neither_scrapy_nor_twisted() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in PURE)
        + "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

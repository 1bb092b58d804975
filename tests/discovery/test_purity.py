"""crawler.discovery and crawler.frontier.seen are plain libraries: importing them must not pull in Scrapy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = sorted(
    f"crawler.discovery.{path.stem}"
    for path in (ROOT / "crawler" / "discovery").glob("*.py")
    if path.stem != "__init__"
)


def test_discovery_and_seen_never_import_scrapy_or_twisted() -> None:
    modules = [*PURE, "crawler.discovery", "crawler.frontier.seen"]
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted'))\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert len(PURE) >= 7  # the glob found the modules
    assert result.stdout.strip() == ""

"""The pure modules (URL and address checks, body sniffing) import neither Scrapy nor Twisted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = (
    "crawler.security.addresses",
    "crawler.security.urls",
    "crawler.security.content",
    "crawler.security.charsets",
)


def test_pure_security_modules_import_no_scrapy_or_twisted() -> None:
    code = (
        f"import sys; import {', '.join(PURE)}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'scrapy', 'twisted'}); print(bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

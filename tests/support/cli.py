"""Run the checkout's own `newscrawl` CLI as a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# Politeness off for tests on loopback: the fake outlets share one host and delays only add time.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "EXTRACT_WORKERS=1"]


def cli_env(env: dict[str, str] | None = None) -> dict[str, str]:
    # A developer's own NEWSCRAWL_STORE must never leak into a test's crawl.
    inherited = {k: v for k, v in os.environ.items() if k != "NEWSCRAWL_STORE"}
    return {**inherited, **(env or {})}


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=ROOT,
        env=cli_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_cli(
    *args: str, env: dict[str, str] | None = None, output: int = subprocess.PIPE
) -> subprocess.Popen[str]:
    """The CLI in the background, for tests that kill it or run several at once."""
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", *args],
        cwd=ROOT, env=cli_env(env), stdout=output, stderr=output, text=True,
    )  # fmt: skip


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def one_line(stderr: str, command: str) -> str:
    """The one error line a refused command writes, checked to be its only line and no traceback."""
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr[-3000:]
    assert lines[0].startswith(f"newscrawl {command}: error: "), lines[0]
    return lines[0]

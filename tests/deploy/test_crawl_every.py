"""deploy/crawl-every.sh, run for real under /bin/sh with a stand-in `newscrawl` on PATH."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.manifests import DEPLOY

SCRIPT = DEPLOY / "crawl-every.sh"
FAKE = """#!/bin/sh
trap 'echo graceful >> "$FAKE_LOG"; exit 0' TERM
echo "run $*" >> "$FAKE_LOG"
if [ "${FAKE_BLOCK:-0}" = 1 ]; then
    echo started >> "$FAKE_LOG"
    while :; do sleep 0.05; done
fi
exit "${FAKE_STATUS:-0}"
"""


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "newscrawl"
    fake.write_text(FAKE)
    fake.chmod(0o755)
    return bin_dir


@pytest.fixture
def run_loop(fake_bin: Path, tmp_path: Path) -> Iterator:
    children: list[subprocess.Popen[str]] = []
    log = tmp_path / "runs.log"

    def start(**env: str) -> tuple[subprocess.Popen[str], Path]:
        full_env = {"PATH": f"{fake_bin}:/usr/bin:/bin", "FAKE_LOG": str(log), **env}
        child = subprocess.Popen(
            ["/bin/sh", str(SCRIPT), "crawl", "--store=s3://newscrawl"],
            env=full_env,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        return child, log

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate()


def _wait_for(log: Path, predicate, timeout: float = 30.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if predicate(lines):
            return lines
        time.sleep(0.05)
    pytest.fail(f"gave up waiting; log so far: {log.read_text() if log.exists() else '(none)'}")


def test_loop_reruns_the_crawl_with_its_arguments_even_after_a_failure(run_loop) -> None:
    child, log = run_loop(NEWSCRAWL_INTERVAL="0", FAKE_STATUS="1")
    lines = _wait_for(log, lambda lines: len(lines) >= 3)
    assert set(lines) == {"run crawl --store=s3://newscrawl"}
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 0
    assert "newscrawl exited with status 1; the next run starts on schedule" in stderr


def test_stop_signal_is_passed_to_the_running_crawl_and_waited_for(run_loop) -> None:
    child, log = run_loop(NEWSCRAWL_INTERVAL="3600", FAKE_BLOCK="1")
    _wait_for(log, lambda lines: "started" in lines)
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=30)
    assert child.returncode == 0
    assert log.read_text().splitlines()[-1] == "graceful"


def test_stop_during_the_pause_ends_at_once(run_loop) -> None:
    child, log = run_loop(NEWSCRAWL_INTERVAL="3600")
    _wait_for(log, lambda lines: len(lines) == 1)
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=30)  # an hour-long sleep would time out here
    assert child.returncode == 0


def test_bad_interval_is_refused_with_the_variable_named(run_loop) -> None:
    child, _ = run_loop(NEWSCRAWL_INTERVAL="1h")
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 2
    assert "NEWSCRAWL_INTERVAL=1h: give whole seconds" in stderr


def test_script_is_executable() -> None:
    assert os.access(SCRIPT, os.X_OK)

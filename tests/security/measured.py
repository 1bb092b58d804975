"""Run a crawl as a child process and measure what it took: peak RSS (the largest VmHWM of it and
its worker processes, polled), wall time, and the longest stall of its reactor (`Heartbeat`).

`Heartbeat` is a test-only extension: a LoopingCall every 0.1 s; the longest gap between two ticks
is how long the reactor could not run anything, and is written with the crawl's stats on close to
NEWSCRAWL_HEARTBEAT_FILE.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from twisted.internet.task import LoopingCall

from crawler.run.runner import newscrawl_settings

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


class Heartbeat:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.out = crawler.settings.get("NEWSCRAWL_HEARTBEAT_FILE")
        self.longest = 0.0
        self.longest_ended = ""
        self.last = time.monotonic()
        self.loop = LoopingCall(self._tick)
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Heartbeat:
        return cls(crawler)

    def _tick(self) -> None:
        now = time.monotonic()
        if now - self.last > self.longest:
            self.longest = now - self.last
            self.longest_ended = time.strftime("%H:%M:%S")
        self.last = now

    def _opened(self) -> None:
        self.last = time.monotonic()
        self.loop.start(0.1)

    def _closed(self) -> None:
        self.loop.stop()
        stats = self.crawler.stats.get_stats()
        Path(self.out).write_text(
            json.dumps(
                {"longest_stall": self.longest, "stall_ended": self.longest_ended, "stats": stats},
                default=str,
            )
        )


@dataclass
class Measured:
    returncode: int
    seconds: float
    peak_rss: int  # bytes
    longest_stall: float
    stats: dict[str, Any] = field(default_factory=dict)
    log: str = ""


def run_measured(args: list[str], tmp_path: Path, timeout: float = 300) -> Measured:
    """`python -m crawler ARGS` with the heartbeat on; a crawl that outlives `timeout` is killed."""
    beat = tmp_path / "heartbeat.json"
    log = tmp_path / "crawl.log"
    # `-s EXTENSIONS=` replaces the project's dict, so it names the project's extensions too.
    extensions = {**newscrawl_settings().getdict("EXTENSIONS"), "tests.security.measured.Heartbeat": 0}
    # The heartbeat's setting is the test's own: -s refuses names no newscrawl component reads.
    extra = ["-s", f"EXTENSIONS={json.dumps(extensions)}", "-s", f"NEWSCRAWL_HEARTBEAT_FILE={beat}"]
    extra.append("--allow-unknown-setting")
    env = {k: v for k, v in os.environ.items() if k != "NEWSCRAWL_STORE"}
    started = time.monotonic()
    with log.open("w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "crawler", *args, *extra], cwd=ROOT, env=env, stdout=out, stderr=out
        )
        status, peak_rss = _wait(child, timeout)
    seconds = time.monotonic() - started
    beat_data = json.loads(beat.read_text()) if beat.exists() else {}
    return Measured(
        returncode=os.waitstatus_to_exitcode(status),
        seconds=seconds,
        peak_rss=peak_rss,
        longest_stall=beat_data.get("longest_stall", float("inf")),
        stats=beat_data.get("stats", {}),
        log=log.read_text(errors="replace"),
    )


def _wait(child: subprocess.Popen[bytes], timeout: float) -> tuple[int, int]:
    """The child's exit status and the peak RSS (bytes) of it and its descendants.

    The peak is the largest VmHWM seen while polling /proc, not wait4's ru_maxrss: Linux starts a
    forked-then-exec'd child's ru_maxrss at the forking process's RSS, so a test process grown large
    by earlier tests would be charged to every crawl it starts. VmHWM belongs to the exec'd image.
    """
    deadline = time.monotonic() + timeout
    peak = 0
    while True:
        peak = max(peak, _peak_of_tree(child.pid))
        pid, status = os.waitpid(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return status, peak
        if time.monotonic() > deadline:
            child.kill()
        time.sleep(0.1)


def _peak_of_tree(root: int) -> int:
    """The largest VmHWM among `root` and its live descendants (0 for those already gone)."""
    peak, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) * 1024)
    return peak

"""A storage child process that waits for "go" on stdin before each write, so a test can kill it there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_child(module: str, store_uri: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """`python -m module store_uri *args` from the project root, with pipes to step it."""
    return subprocess.Popen(
        [sys.executable, "-m", module, store_uri, *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def step(process: subprocess.Popen[str]) -> str:
    """Let the child do one more step and return the line it prints when done."""
    process.stdin.write("go\n")
    process.stdin.flush()
    return process.stdout.readline().strip()

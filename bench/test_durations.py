"""Test durations of a checkout against a baseline git ref, run one after the other in one run.

    python bench/test_durations.py [--baseline main] TEST_ID...

The baseline is `git archive`d into a temporary directory and both trees run the same pytest
selection (`--durations=0`, each tree's code on PYTHONPATH); prints a Markdown table of setup+call
seconds per test, before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DURATION = re.compile(r"^([0-9.]+)s (setup|call|teardown)\s+(\S+)$")


def durations(tree: Path, tests: list[str]) -> tuple[dict[str, float], str]:
    """Seconds (setup + call + teardown) per test id, and pytest's summary (with what failed)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=0", *tests]
    out = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True, check=False).stdout
    seconds: dict[str, float] = {}
    for line in out.splitlines():
        match = DURATION.match(line.strip())
        if match:
            seconds[match[3]] = seconds.get(match[3], 0.0) + float(match[1])
    lines = out.strip().splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    return seconds, "\n".join([*failed, lines[-1]])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main")
    parser.add_argument("tests", nargs="+")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="durations-") as tmp:
        base = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", options.baseline], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        before, before_summary = durations(base, options.tests)
    after, after_summary = durations(ROOT, options.tests)
    print(f"baseline {options.baseline}: {before_summary}\nthis tree: {after_summary}\n")
    print("| test | before (s) | after (s) |\n|---|---:|---:|")
    for test in sorted(set(before) | set(after), key=lambda t: -before.get(t, 0.0)):
        print(f"| `{test}` | {before.get(test, 0.0):.1f} | {after.get(test, 0.0):.1f} |")
    print(f"| **total** | {sum(before.values()):.1f} | {sum(after.values()):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

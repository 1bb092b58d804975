"""Every exit code a newscrawl command ends with, in one place; the README's "Exit codes" table
documents the same numbers."""

from __future__ import annotations

OK = 0
FAILED = 1  # could not do its job: nothing crawled or stored, an unreachable store, a failed fetch
USAGE = 2  # the user typed something unusable
SKIPPED_DAMAGED = 3  # read/stats done, but damaged objects were left out (--skip-damaged)
PARTIAL = 4  # crawl committed, but some sources failed or fell below their baseline

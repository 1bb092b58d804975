"""`fetch_article(url)`: one URL fetched and extracted from Python, through `newscrawl fetch` itself.

The fetch runs as a `newscrawl fetch` child process: the same guards (address policy, size caps,
robots.txt) and the same pipeline, and a fresh Twisted reactor each call (a reactor cannot restart
in one process, so an in-process crawl would work once per program).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from crawler import FetchFailed, URLRefused
from crawler.security.urls import UnsafeURLError, check_url

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def fetch_article(
    url: str,
    *,
    allow_private: bool = False,
    store: str | None = None,
    sources: str | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 300,
) -> dict[str, Any]:
    """The record `newscrawl fetch URL` prints, as a dict; raises URLRefused before any request for a
    URL the policy refuses, FetchFailed when the fetch or the extraction fails."""
    try:  # here, so a refusal costs no child process
        check_url(url, allow_private)
    except UnsafeURLError as error:
        # The policy's message names the command-line flag; name the keyword argument instead.
        raise URLRefused(url, str(error).replace("pass --allow-private", "pass allow_private=True")) from None
    argv = [sys.executable, "-m", "crawler", "fetch", "--format", "json", url]
    argv += ["--allow-private"] if allow_private else []
    argv += ["--store", store] if store else []
    argv += ["--sources", sources] if sources else []
    for name, value in (settings or {}).items():
        argv += ["-s", f"{name}={value}"]
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, env=_child_env(), check=False
        )
    except subprocess.TimeoutExpired:
        raise FetchFailed(url, f"no result within {timeout:g} s") from None
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode == 0 and records:
        return dict(records[0])
    reason = records[0].get("error") if records else None
    reason = reason or (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    raise (URLRefused if done.returncode == 2 else FetchFailed)(url, str(reason))


def _child_env() -> dict[str, str]:
    # The child imports this very checkout of newscrawl, wherever the caller found it.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
    return env

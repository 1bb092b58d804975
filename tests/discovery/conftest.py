"""Fixtures for discovery tests: a registry writer and a crawl-in-a-child runner (fake outlets: `sites`, in
tests/conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.fakesite import FakeSite

ROOT = Path(__file__).resolve().parents[2]


def write_registry(path: Path, sources: list[dict[str, Any]]) -> Path:
    lines = []
    for source in sources:
        lines.append("[[source]]")
        for key, value in source.items():
            lines.append(f"{key} = {json.dumps(value)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_crawl(
    tmp_path: Path, name: str = "run", env: dict[str, str] | None = None, **config: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Crawl in a child process (Twisted's reactor cannot restart); return (items, stats)."""
    out = tmp_path / f"{name}.jsonl"
    config_path = tmp_path / f"{name}.json"
    config_path.write_text(json.dumps({**config, "out": str(out)}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.crawl", str(config_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if result.returncode != 0:
        raise AssertionError(f"crawl failed ({result.returncode}):\n{result.stderr[-4000:]}")
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stats = json.loads(Path(str(out) + ".stats.json").read_text(encoding="utf-8"))
    return items, stats


def pipeline_output(tmp_path: Path, name: str = "run") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(records the real pipelines passed, {url, reason} of each item they dropped) of a `run_crawl`."""
    out = tmp_path / f"{name}.jsonl"
    records, dropped = (
        [json.loads(line) for line in Path(f"{out}.{kind}").read_text(encoding="utf-8").splitlines()]
        for kind in ("records", "dropped")
    )
    return records, dropped


def source(site: FakeSite, source_id: str = "fake", **fields: Any) -> dict[str, Any]:
    """A registry entry for a fake outlet; `fields` are registry fields (paths become site URLs)."""
    entry: dict[str, Any] = {"id": source_id, "name": source_id, "homepage": site.url("/")}
    for key, value in fields.items():
        if key in ("feeds", "sitemaps", "sections"):
            value = [site.url(v) if v.startswith("/") else v for v in value]
        entry[key] = value
    return entry

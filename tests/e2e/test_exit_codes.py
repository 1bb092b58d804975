"""`newscrawl crawl`'s exit code says how the run went: 0 all sources fine, 4 some failed, 1 none could
be crawled; the run report names each failed source and why."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import Reader, open_store
from tests.support.cli import FAST, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def dead_port() -> Iterator[int]:
    """A port bound on 127.0.0.1 that never listens: every connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def dead_source(source_id: str, port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return (
        f'[[source]]\nid = "{source_id}"\nname = "{source_id}"\nhomepage = "{base}/"\n'
        f'feeds = ["{base}/feed/"]\nallowed_domains = ["127.0.0.1"]\n'
        f"article_pattern = '^{base}/\\d{{4}}/'\nlanguage = \"en\"\n\n"
    )


def crawl(registry: Path, store: str, *source_ids: str):
    return run_cli(
        "crawl", *source_ids, "--sources", str(registry), "--store", store, "--allow-private", *FAST
    )


def last_report(store: str) -> dict:
    reader = Reader(open_store(store))
    key = reader.runs()[-1]["stats"]["run_report"]
    return json.loads(open_store(store).get_bytes(key))


def test_crawl_where_every_source_is_unreachable_exits_1(dead_port, tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text(dead_source("gone-one", dead_port) + dead_source("gone-two", dead_port))
    store = f"file://{tmp_path / 'store'}"
    result = crawl(registry, store)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "error: no source could be crawled (gone-one, gone-two)" in result.stderr
    assert "Traceback" not in result.stderr
    outcome = last_report(store)["outcome"]
    assert outcome["status"] == "failed"
    assert sorted(outcome["failed"]) == ["gone-one", "gone-two"]
    assert "refused connection" in outcome["failed"]["gone-one"]


def test_crawl_with_one_good_and_one_dead_source_exits_4(network, registry_file, dead_port, tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text(registry_file.read_text() + "\n" + dead_source("gone", dead_port))
    store = f"file://{tmp_path / 'store'}"
    result = crawl(registry, store, "daily-meridian", "gone")
    assert result.returncode == 4, result.stderr[-2000:]
    assert "1 source(s) failed or fell below their baseline: gone (exit code 4)" in result.stderr
    outcome = last_report(store)["outcome"]
    assert outcome["status"] == "partial"
    assert list(outcome["failed"]) == ["gone"]
    assert len(list(Reader(open_store(store)).articles())) > 0, "the good source's articles are committed"


def test_crawl_where_every_source_works_exits_0(network, registry_file, tmp_path):
    store = f"file://{tmp_path / 'store'}"
    result = crawl(registry_file, store, "daily-meridian")
    assert result.returncode == 0, result.stderr[-2000:]
    assert last_report(store)["outcome"] == {"status": "ok", "failed": {}, "degraded": {}}

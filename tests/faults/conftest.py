"""Fault-test helpers: a private SeaweedFS each test may stop, and checks of what readers see."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.demo.server import DemoNetwork
from crawler.storage import Reader, open_store
from tests.faults.redisserver import PrivateRedis
from tests.support.cli import FAST
from tests.support.seaweed import SeaweedServer, start_seaweed, stop_seaweed

BUCKET = "newscrawl-faults"


@pytest.fixture
def private_seaweed(tmp_path: Path) -> Iterator[list[SeaweedServer]]:
    """A SeaweedFS of this test's own (the session one must never go down). A list, so a test
    that restarts it can put the new process in and still have it stopped at the end."""
    data_dir = tmp_path / "weed"
    data_dir.mkdir()
    servers = [start_seaweed(BUCKET, data_dir)]
    try:
        yield servers
    finally:
        stop_seaweed(servers[-1].process)


def crawl_args(registry_file: Path, store: str, *extra: str) -> list[str]:
    return ["crawl", "--sources", str(registry_file), "--store", store, "--allow-private", *FAST, *extra]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def assert_stored_once(store_uri: str, network: DemoNetwork) -> list[str]:
    """Readers see every article of the network exactly once, and no committed run holds an article
    twice (runs may repeat each other: readers keep the latest copy). Returns the committed run ids."""
    with open_store(store_uri) as store:
        reader = Reader(store)
        runs = reader.runs()
        repeats = {
            manifest["run_id"]: [
                i for i, n in Counter(r["id"] for r in reader.run_articles(manifest)).items() if n > 1
            ]
            for manifest in runs
        }
        articles = list(reader.articles())
    assert sorted(a["url"] for a in articles) == sorted(network.article_urls()), "every article, once"
    assert len({a["id"] for a in articles}) == len(articles)
    assert {run: ids for run, ids in repeats.items() if ids} == {}, "no run stores an article twice"
    return [manifest["run_id"] for manifest in runs]


def one_error_line(stderr: str, command: str = "crawl") -> str:
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "an error line on stderr"
    assert lines[-1].startswith(f"newscrawl {command}: error: "), stderr[-3000:]
    return lines[-1]


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()

"""SeaweedFS stops mid-crawl: a short outage is ridden out by boto3's retries, a long one ends the
run uncommitted (exit 1, one line) and the next run stores everything exactly once."""

from __future__ import annotations

import pytest

from crawler.storage import Reader, open_store
from tests.faults.conftest import (
    BUCKET,
    assert_stored_once,
    crawl_args,
    one_error_line,
    wait_until,
)
from tests.support.cli import run_cli, start_cli
from tests.support.seaweed import restart_seaweed, stop_seaweed

pytestmark = pytest.mark.slow

# Batches of two articles, so objects are written while the crawl goes on; a per-host delay
# (all demo outlets share 127.0.0.1) stretches the crawl to several seconds.
SLOW = ["-s", "STORAGE_BATCH_SIZE=2", "-s", "DOWNLOAD_DELAY=0.4"]


def fetched(network) -> int:
    return sum(1 for hits in network.article_hits().values() if hits)


def test_s3_that_comes_back_within_the_retry_budget_loses_nothing(
    network, registry_file, private_seaweed, monkeypatch
):
    server = private_seaweed[0]
    # Ten attempts give roughly a minute of jittered backoff; the outage below lasts a few seconds.
    env = {**server.env(), "AWS_MAX_ATTEMPTS": "10"}
    store = f"s3://{BUCKET}/outage"
    network.reset_hits()
    crawl = start_cli(*crawl_args(registry_file, store, *SLOW), env=env)
    wait_until(lambda: fetched(network) >= 3, "the crawl has stored a batch")
    stop_seaweed(server.process)
    down_at = fetched(network)
    # Three more articles reach the pipeline while S3 is down, so at least one batch write fails
    # and is retried; the restart below adds its own seconds of outage.
    wait_until(lambda: fetched(network) >= down_at + 3, "articles arrive during the outage")
    private_seaweed.append(restart_seaweed(server))
    _out, err = crawl.communicate(timeout=180)
    assert crawl.returncode == 0, err[-3000:]
    assert down_at < len(network.data.articles) - 3, "the outage fell in the middle of the crawl"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert len(assert_stored_once(store, network)) == 1, "one run, committed despite the outage"


def test_s3_that_stays_down_fails_the_run_and_the_next_run_stores_everything_once(
    network, registry_file, private_seaweed, monkeypatch
):
    server = private_seaweed[0]
    env = {**server.env(), "AWS_MAX_ATTEMPTS": "2"}  # give up fast: the server is not coming back
    store = f"s3://{BUCKET}/down"
    network.reset_hits()
    crawl = start_cli(*crawl_args(registry_file, store, *SLOW), env=env)
    wait_until(lambda: fetched(network) >= 3, "the crawl has stored a batch")
    stop_seaweed(server.process)
    _out, err = crawl.communicate(timeout=180)
    assert crawl.returncode == 1, err[-3000:]
    line = one_error_line(err)
    assert "the store failed" in line and "next run fetches it again" in line, line

    private_seaweed.append(restart_seaweed(server))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with open_store(store) as opened:
        assert Reader(opened).runs() == [], "readers see nothing of the failed run"

    network.reset_hits()
    result = run_cli(*crawl_args(registry_file, store), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(assert_stored_once(store, network)) == 1
    # The seen-store was not written by the failed run, so what it fetched is fetched again.
    assert set(network.article_hits().values()) == {1}

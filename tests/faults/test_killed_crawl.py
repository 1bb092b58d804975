"""The crawler is killed with SIGKILL mid-run: no manifest, so readers see nothing of it, and the
next run stores every article exactly once (file:// and s3://)."""

from __future__ import annotations

import signal

import pytest

from crawler.storage import Reader, open_store
from tests.faults.conftest import (
    assert_stored_once,
    crawl_args,
    wait_until,
)
from tests.support.cli import run_cli, start_cli

pytestmark = pytest.mark.slow

SLOW = ["-s", "STORAGE_BATCH_SIZE=2", "-s", "DOWNLOAD_DELAY=0.4"]


@pytest.mark.parametrize("backend", ["file", "s3"])
def test_a_crawl_killed_mid_run_is_redone_by_the_next_without_loss_or_duplicates(
    backend, network, registry_file, tmp_path, request
):
    if backend == "s3":
        store, env = request.getfixturevalue("s3_uri"), request.getfixturevalue("s3_env")
    else:
        store, env = f"file://{tmp_path / 'store'}", None
    network.reset_hits()
    crawl = start_cli(*crawl_args(registry_file, store, *SLOW), env=env)
    # Six articles in: batches of two have been written, so the store holds objects of this run.
    wait_until(lambda: sum(network.article_hits().values()) >= 6, "the crawl is half-way")
    crawl.send_signal(signal.SIGKILL)
    crawl.communicate(timeout=30)
    assert crawl.returncode == -signal.SIGKILL
    assert sum(network.article_hits().values()) < len(network.data.articles), "killed mid-run"
    with open_store(store) as opened:
        assert opened.list("articles/"), "the killed run had written article parts"
        assert Reader(opened).runs() == [], "but readers see nothing of it"

    result = run_cli(*crawl_args(registry_file, store), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(assert_stored_once(store, network)) == 1
    # Run it once more: nothing new, and still every article exactly once.
    again = run_cli(*crawl_args(registry_file, store), env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert_stored_once(store, network)

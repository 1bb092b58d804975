"""Redis restarts during a distributed crawl: the workers stall, reconnect (redis-py retries with
backoff for about 35 s) and finish; every article is fetched once and stored once.

Redis runs with its append-only file, as an operator would run a frontier: the queue, the leases
and the seen-set survive the restart. (Without persistence a restart empties the queue: the workers
commit what they fetched, and the next run finds the rest again through the feeds.)
"""

from __future__ import annotations

import time

import pytest

from tests.faults.conftest import (
    assert_stored_once,
    crawl_args,
    wait_until,
)
from tests.support.cli import start_cli

pytestmark = pytest.mark.slow


def test_workers_ride_out_a_redis_restart_and_store_everything_once(
    network, registry_file, tmp_path, private_redis
):
    store = f"file://{tmp_path / 'store'}"
    frontier = ["--frontier", private_redis.url, "--frontier-prefix", "faults"]
    # The shared per-host delay spreads the crawl over several seconds, so Redis goes down mid-way.
    # The default 30 s heartbeat outlives the outage, so no worker takes the other's leases.
    extra = [*frontier, "-s", "FRONTIER_HOST_DELAY=0.4"]
    network.reset_hits()
    workers = [start_cli(*crawl_args(registry_file, store, *extra)) for _ in range(2)]
    wait_until(lambda: sum(network.article_hits().values()) >= 4, "the crawl is under way")
    private_redis.stop()
    down_at = sum(network.article_hits().values())
    time.sleep(2)  # workers keep calling Redis and back off
    private_redis.start()
    for worker in workers:
        _out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err[-3000:]
        assert "Traceback" not in err, err[-3000:]
    assert down_at < len(network.data.articles), "Redis went down mid-crawl"
    assert set(network.article_hits().values()) == {1}, "each article fetched once, by one worker"
    assert_stored_once(store, network)

"""WorkerPool: every worker starts with the pool (not on its first task), with its modules imported."""

import asyncio
import multiprocessing
import sys
import time

from crawler.workerpool import WorkerPool


def loaded(module: str) -> bool:
    return module in sys.modules


def test_workers_start_with_the_pool_and_preload_their_modules():
    before = set(multiprocessing.active_children())
    pool = WorkerPool(2, preload=("crawler.processing",))
    try:
        deadline = time.monotonic() + 30
        while len(set(multiprocessing.active_children()) - before) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(set(multiprocessing.active_children()) - before) == 2
        # A spawned worker imports only what its task needs; the preload was imported at start-up.
        assert asyncio.run(pool.run(loaded, "crawler.processing"))
        assert not asyncio.run(pool.run(loaded, "scrapy"))
    finally:
        pool.close()
    assert not set(multiprocessing.active_children()) - before


def test_no_workers_runs_the_work_inline():
    pool = WorkerPool(0, preload=("crawler.processing",))
    assert asyncio.run(pool.run(loaded, "sys"))
    pool.close()

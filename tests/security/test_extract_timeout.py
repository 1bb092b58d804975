"""WorkerPool's time limit: a task past it raises WorkerTimeout, its worker is killed and replaced,
and a task that shared the old pool is sent again to the new one (real worker processes)."""

from __future__ import annotations

import asyncio
import time

import pytest

from crawler.workers.pool import WorkerPool, WorkerTimeout


def stuck(seconds: float) -> str:
    time.sleep(seconds)
    return "finished"


def test_a_task_past_its_timeout_is_cut_off_and_the_pool_goes_on() -> None:
    pool = WorkerPool(2)
    try:

        async def both() -> tuple[BaseException | str, ...]:
            hostile = pool.run(stuck, 600.0, timeout=1.0)
            innocent = pool.run(stuck, 3.0, timeout=60.0)
            return tuple(await asyncio.gather(hostile, innocent, return_exceptions=True))

        started = time.monotonic()
        hostile, innocent = asyncio.run(both())
        assert isinstance(hostile, WorkerTimeout)
        assert innocent == "finished"  # its pool was replaced under it: it ran again on the new one
        assert time.monotonic() - started < 60  # not the 600 s the task asked for
        assert pool.replaced == 1
        assert asyncio.run(pool.run(stuck, 0.0, timeout=30.0)) == "finished"
    finally:
        pool.close()


def test_inline_work_has_no_time_limit_to_enforce() -> None:
    pool = WorkerPool(0)
    assert asyncio.run(pool.run(stuck, 0.0, timeout=0.001)) == "finished"


@pytest.mark.parametrize("timeout", [None, 30.0])
def test_tasks_within_the_limit_return_their_result(timeout: float | None) -> None:
    pool = WorkerPool(1)
    try:
        assert asyncio.run(pool.run(stuck, 0.0, timeout=timeout)) == "finished"
    finally:
        pool.close()


def test_tasks_still_queued_when_the_pool_is_replaced_run_on_the_new_one() -> None:
    pool = WorkerPool(1)
    try:

        async def queued_behind() -> list[BaseException | str]:
            hostile = pool.run(stuck, 600.0, timeout=1.0)
            waiting = [pool.run(stuck, 0.0, timeout=60.0) for _ in range(5)]
            return list(await asyncio.gather(hostile, *waiting, return_exceptions=True))

        hostile, *waiting = asyncio.run(queued_behind())
        assert isinstance(hostile, WorkerTimeout)
        assert waiting == ["finished"] * 5
    finally:
        pool.close()

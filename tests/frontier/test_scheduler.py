"""A worker waiting for the others closes as soon as the shared crawl is over, not on Scrapy's 5 s
idle heartbeat."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.exceptions import DontCloseSpider
from twisted.internet import task

from crawler.frontier.scheduler import IDLE_RECHECK_SECONDS, LeasedScheduler


class FakeQueue:
    def __init__(self) -> None:
        self.waiting: list[str] = []
        self.busy_others = True

    def __len__(self) -> int:
        return len(self.waiting)

    def set_idle(self, idle: bool) -> None:
        pass

    def reclaim_dead(self) -> int:
        return 0

    def others_busy(self) -> bool:
        return self.busy_others


class FakeEngine:
    def __init__(self) -> None:
        self.idle = True
        self.closed: list[str] = []

    def spider_is_idle(self) -> bool:
        return self.idle

    async def close_spider_async(self, *, reason: str) -> None:
        self.closed.append(reason)


class FakeCrawler:
    def __init__(self) -> None:
        self.engine = FakeEngine()


@pytest.fixture
def waiting_worker() -> Any:
    """A scheduler that has just told Scrapy not to close: another worker is still busy."""
    scheduler = LeasedScheduler.__new__(LeasedScheduler)
    scheduler.queue = FakeQueue()  # type: ignore[assignment]
    scheduler.crawler = FakeCrawler()
    clock = task.Clock()
    scheduler._waiting = task.LoopingCall(scheduler._crawl_over_check)
    scheduler._waiting.clock = clock
    with pytest.raises(DontCloseSpider):
        scheduler._on_idle()
    scheduler.clock = clock
    yield scheduler
    scheduler._stop_waiting()


def test_a_waiting_worker_closes_within_a_recheck_of_the_last_worker_finishing(waiting_worker: Any) -> None:
    engine = waiting_worker.crawler.engine
    waiting_worker.clock.advance(IDLE_RECHECK_SECONDS)
    assert engine.closed == []  # the other worker is still crawling
    waiting_worker.queue.busy_others = False
    waiting_worker.clock.advance(IDLE_RECHECK_SECONDS)
    assert engine.closed == ["finished"]
    assert not waiting_worker._waiting.running


def test_a_waiting_worker_leaves_queued_work_to_scrapy_and_stops_checking_once_busy(
    waiting_worker: Any,
) -> None:
    engine = waiting_worker.crawler.engine
    waiting_worker.queue.busy_others = False
    waiting_worker.queue.waiting.append("a request another worker queued")
    waiting_worker.clock.advance(IDLE_RECHECK_SECONDS)
    assert engine.closed == []
    engine.idle = False  # Scrapy took the request
    waiting_worker.clock.advance(IDLE_RECHECK_SECONDS)
    assert not waiting_worker._waiting.running
    assert engine.closed == []

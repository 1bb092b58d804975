"""scrapy-redis's scheduler with leased pops, worker heartbeats and commit-time acknowledgement.

Reads FRONTIER_HEARTBEAT_SECONDS (how long a silent worker counts as alive).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.frontier.queue import LeasedPriorityQueue

logger = logging.getLogger(__name__)


class LeasedScheduler(Scheduler):
    queue: LeasedPriorityQueue

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeasedScheduler:
        scheduler: LeasedScheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.worker_id = f"{uuid.uuid4().hex[:12]}"
        scheduler.heartbeat_ttl = crawler.settings.getint("FRONTIER_HEARTBEAT_SECONDS")
        crawler.signals.connect(scheduler._on_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.queue.bind(self.worker_id, self.heartbeat_ttl)
        reclaimed = self.queue.reclaim_dead()
        if reclaimed:
            logger.info("frontier: took back %d requests from workers that died", reclaimed)
        self.stats.set_value("frontier/worker_id", self.worker_id)
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(max(1, self.heartbeat_ttl // 3), now=False)

    def _heartbeat(self) -> None:
        try:
            self.queue.heartbeat(self.heartbeat_ttl)
            reclaimed = self.queue.reclaim_dead()
        except redis.RedisError as error:
            # An exception would stop the LoopingCall for good and other workers would take our
            # leases; Redis may be back by the next beat (the client already retried with backoff).
            self.stats.inc_value("frontier/heartbeat_failed_count")
            logger.warning(
                "frontier: heartbeat failed (%s); trying again in %d s", error, self._beat.interval
            )
            return
        if reclaimed:
            self.stats.inc_value("frontier/reclaimed_count", reclaimed)
            logger.info("frontier: took back %d requests from workers that died", reclaimed)

    def _on_idle(self) -> None:
        # Nothing to do here; the crawl is over only when every live worker is idle too. A worker
        # that dies meanwhile has its leases returned to the queue by our heartbeat.
        self.queue.set_idle(True)
        if len(self.queue) or self.queue.reclaim_dead() or self.queue.others_busy():
            raise DontCloseSpider

    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if not self.queue.push(request):
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Any:
        request = self.queue.pop()
        if request is not None:
            self.queue.set_idle(False)
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def close(self, reason: str) -> None:
        if self._beat.running:
            self._beat.stop()
        # Only a committed run (manifest written) may let go of its leases; otherwise they go
        # back to the queue when our heartbeat expires.
        if self.stats.get_value("storage/manifest") or not self.crawler.settings.getbool("STORAGE_WRITE"):
            self.stats.set_value("frontier/acked_count", self.queue.ack_all())
        super().close(reason)

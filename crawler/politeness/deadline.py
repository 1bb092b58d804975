"""The run's deadline holds: when CLOSESPIDER_TIMEOUT (`--max-runtime`) is up, nothing waits any more.

Scrapy closes the spider at the timeout but then waits for every request already in the downloader:
requests queued behind a paused host (Retry-After) or a slow-drip server could hold the run open for
many minutes. NEWSCRAWL_DEADLINE_GRACE seconds after the timeout, this extension fails the queued
requests and sends `downloads_ending`, on which the download handler cancels those in flight.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.utils.asyncio import call_later

from crawler.politeness.slots import drop_queued

logger = logging.getLogger(__name__)

# Sent once the run's time is up: downloads in flight are cancelled and new ones refused.
downloads_ending = object()


class RunEnded(IgnoreRequest):
    """The run's time (--max-runtime) is up: the download was cancelled or never started."""


class RunDeadline:
    def __init__(self, crawler: Any, seconds: float) -> None:
        self.crawler = crawler
        self.seconds = seconds
        self._call: Any = None
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunDeadline:
        timeout = crawler.settings.getfloat("CLOSESPIDER_TIMEOUT")
        if timeout <= 0:
            raise NotConfigured("no CLOSESPIDER_TIMEOUT: the run has no deadline to hold")
        return cls(crawler, timeout + crawler.settings.getfloat("NEWSCRAWL_DEADLINE_GRACE"))

    def _opened(self) -> None:
        self._call = call_later(self.seconds, self.end_downloads)

    def _closed(self) -> None:
        if self._call is not None:
            self._call.cancel()

    def end_downloads(self) -> None:
        def ended(request: Request) -> Exception:
            return RunEnded(f"{request.url}: not sent, the run's time is up")

        dropped = drop_queued(self.crawler, None, ended)
        self.crawler.stats.inc_value("fetch/dropped_at_deadline_count", dropped)
        logger.info("run deadline: %d queued requests dropped, downloads in flight cancelled", dropped)
        self.crawler.signals.send_catch_log(downloads_ending)

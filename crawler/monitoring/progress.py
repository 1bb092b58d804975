"""`Progress`: a live one-line status on a terminal (pages, articles, duplicates, errors, rate),
periodic log lines when stderr is not a terminal (cron, containers), whatever LOG_LEVEL says.

Settings: `NEWSCRAWL_PROGRESS` (default True), `NEWSCRAWL_PROGRESS_INTERVAL` (seconds; default 1 on a
terminal, `LOGSTATS_INTERVAL` otherwise).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Self, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.monitoring.counters import per_source_stats, totals
from crawler.monitoring.errors import MonitoringConfigError

logger = logging.getLogger(__name__)


def progress_line(stats: dict[str, Any], rate: float) -> str:
    """`1,234 pages · 456 articles · 12 duplicates · 3 errors · 12.3 pages/s` from a stats dict."""
    summed = totals(per_source_stats(stats))
    pages = stats.get("response_received_count", 0)
    errors = summed["http_errors"] + stats.get("log_count/ERROR", 0)
    return (
        f"{pages:,} pages · {summed['stored']:,} articles · {summed['duplicates']:,} duplicates · "
        f"{errors:,} errors · {rate:.1f} pages/s"
    )


class Progress:
    """Redraws one terminal line per interval, or logs one line per interval."""

    def __init__(self, crawler: Crawler, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.live = stream.isatty()
        self.task: Any = None
        self._handler: logging.Handler | None = None
        self._last = (time.monotonic(), 0)  # (when, pages) at the previous tick

    @classmethod
    def from_crawler(cls, crawler: Crawler, stream: TextIO | None = None) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_PROGRESS"):
            raise NotConfigured("NEWSCRAWL_PROGRESS is off")
        stream = stream or sys.stderr
        interval = settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL")
        if interval < 0:
            raise MonitoringConfigError(
                f"NEWSCRAWL_PROGRESS_INTERVAL={interval}: give seconds > 0, or 0 for the default"
            )
        if not interval:
            interval = 1.0 if stream.isatty() else settings.getfloat("LOGSTATS_INTERVAL") or 60.0
        extension = cls(crawler, interval, stream)
        if not extension.live and not settings.get("LOG_FILE"):
            extension._log_to_stream(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _log_to_stream(self, fmt: str | None, datefmt: str | None) -> None:
        """The progress lines are what a cron job or a container shows of a running crawl, and
        `newscrawl crawl` logs at WARNING by default: they get their own handler on the stream, in
        the crawl's log format, instead of passing through the crawl's log level."""
        self._handler = logging.StreamHandler(self.stream)
        self._handler.setFormatter(logging.Formatter(fmt, datefmt))
        logger.addHandler(self._handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False

    def spider_opened(self, spider: Spider) -> None:
        self._last = (time.monotonic(), 0)
        self.task = create_looping_call(self.tick)
        self.task.start(self.interval, now=False)

    def tick(self) -> str:
        stats = self.crawler.stats.get_stats()
        now, pages = time.monotonic(), stats.get("response_received_count", 0)
        then, pages_then = self._last
        rate = (pages - pages_then) / (now - then) if now > then else 0.0
        self._last = (now, pages)
        line = progress_line(stats, rate)
        if self.live:
            # \r plus clear-to-end-of-line redraws in place; a shorter line leaves no tail.
            self.stream.write(f"\r\x1b[K{line}")
            self.stream.flush()
        else:
            logger.info("progress: %s", line)
        return line

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
        if self._handler is not None:
            logger.removeHandler(self._handler)
            logger.propagate = True
            self._handler = None

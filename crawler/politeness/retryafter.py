"""429 / 503 handling per host: honour Retry-After (seconds or HTTP date), back off on repeated 429s.

Only the host that asked is paused; the request is retried up to NEWSCRAWL_RETRY_AFTER_TIMES.
A host whose pauses would add up to more than NEWSCRAWL_MAX_PAUSE seconds, or outlast the run's
CLOSESPIDER_TIMEOUT, is ended for this run instead: its queued and later requests fail with
`HostEnded`, so one server cannot hold a run open. NEWSCRAWL_BACKOFF_BASE: seconds, first 429
without Retry-After.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from crawler.politeness.slots import Pauses, drop_queued, slot_for

logger = logging.getLogger(__name__)


class HostEnded(IgnoreRequest):
    """The host asked for a longer pause than this run can give: no more requests to it this run."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit alone takes "²", which float() refuses
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.pauses = Pauses(crawler)
        self.max_times = settings.getint("NEWSCRAWL_RETRY_AFTER_TIMES")
        self.base = settings.getfloat("NEWSCRAWL_BACKOFF_BASE")
        self.max_pause = settings.getfloat("NEWSCRAWL_MAX_PAUSE")
        self.run_seconds = settings.getfloat("CLOSESPIDER_TIMEOUT")
        self.started = monotonic()
        self.consecutive_429: dict[str, int] = {}
        self.paused: dict[str, float] = defaultdict(float)  # seconds each host was paused this run
        self.ended: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        key, _ = slot_for(self.crawler, request)
        if key in self.ended:
            raise HostEnded(f"{request.url}: {key} asked for more pause than this run has")
        self.pauses.apply(request)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        key, _ = slot_for(self.crawler, request)
        if response.status != 429:
            self.consecutive_429.pop(key, None)
        if response.status not in (429, 503):
            return response
        asked = parse_retry_after((response.headers.get(b"Retry-After") or b"").decode("latin-1"))
        if response.status == 503 and asked is None:
            return response  # a plain 503 is an ordinary server error: RetryMiddleware's job
        pause = asked or 0.0
        if response.status == 429:
            count = self.consecutive_429[key] = self.consecutive_429.get(key, 0) + 1
            # Exponential backoff on repeated 429s, never shorter than what the server asked for.
            pause = max(pause, self.base * 2 ** (count - 1))
        if key in self.ended or self.paused[key] + pause > self._pause_budget():
            self.end_host(key, pause)
            raise HostEnded(f"{request.url}: {key} asked for a {pause:.0f} s pause, more than this run has")
        self.paused[key] += pause
        stats = self.crawler.stats
        stats.inc_value(f"politeness/pause_count/{response.status}")
        self.pauses.pause(request, pause)
        times = request.meta.get("newscrawl_retry_after_times", 0) + 1
        if times > self.max_times:
            stats.inc_value("politeness/retry_after_gave_up_count")
            return response
        retry = request.replace(dont_filter=True)
        retry.meta["newscrawl_retry_after_times"] = times
        return retry

    def _pause_budget(self) -> float:
        """The most a host may be paused in total: NEWSCRAWL_MAX_PAUSE, or what is left of the run."""
        if self.run_seconds <= 0:
            return self.max_pause
        return min(self.max_pause, self.run_seconds - (monotonic() - self.started))

    def end_host(self, key: str, pause: float) -> None:
        if key in self.ended:
            return  # a response to a request sent before the host was ended
        self.ended.add(key)
        self.crawler.stats.inc_value("politeness/host_ended_count")

        def ended(request: Request) -> Exception:
            return HostEnded(f"{request.url}: {key} ended for this run (asked for a {pause:.0f} s pause)")

        dropped = drop_queued(self.crawler, [key], ended)
        logger.warning(
            "%s asked for a %.0f s pause, more than this run can wait (NEWSCRAWL_MAX_PAUSE=%.0f s, "
            "or the rest of --max-runtime): no more requests to it this run, %d queued ones dropped",
            key, pause, self.max_pause, dropped,
        )  # fmt: skip

"""Per-host download slot control for the politeness middlewares: minimum delays and pauses.

Scrapy has no public API to pause one slot, so this is the one place that touches the downloader's
slots (`_get_slot`, `latercall`, `_latercall`); if Scrapy changes them, only this module changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from time import monotonic
from typing import Any

from scrapy.http import Request
from scrapy.utils.asyncio import call_later
from twisted.python.failure import Failure

from crawler.run.signals import host_paused

# Where hold_delay leaves a host's minimum delay (seconds) on each of its requests, for a frontier
# shared by several workers to enforce across them (crawler.frontier.hostdelay).
HOST_DELAY_META = "newscrawl_host_delay"


def slot_for(crawler: Any, request: Request) -> tuple[str, Any]:
    """The request's download slot (created if new), keyed by host as the downloader keys it."""
    downloader = crawler.engine.downloader
    return downloader._get_slot(request)


def hold_delay(crawler: Any, request: Request, delay: float) -> None:
    """Space this host's requests at least `delay` seconds apart, without jitter, AutoThrottle or not."""
    key, slot = slot_for(crawler, request)
    # Slots are garbage-collected when idle; the per-slot settings re-apply the delay to a new one.
    crawler.engine.downloader.per_slot_settings.setdefault(key, {}).update({"delay": delay, "jitter": 0.0})
    slot.jitter = 0.0
    slot.delay = max(slot.delay, delay)
    # AutoThrottle would lower the delay again after fast responses; Crawl-delay is a floor.
    request.meta["autothrottle_dont_adjust_delay"] = True
    request.meta[HOST_DELAY_META] = delay


class Pauses:
    """Hosts paused until a monotonic deadline; requests to them wait in their slot, others go on."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.until: dict[str, float] = {}

    def pause(self, request: Request, seconds: float) -> None:
        key, _ = slot_for(self.crawler, request)
        self.until[key] = max(self.until.get(key, 0.0), monotonic() + seconds)
        self.apply(request)
        self.crawler.signals.send_catch_log(host_paused, request=request, seconds=seconds)

    def apply(self, request: Request) -> None:
        """Make sure the request's slot honours a pending pause (slots can be recreated after GC)."""
        key, slot = slot_for(self.crawler, request)
        remaining = self.until.get(key, 0.0) - monotonic()
        if remaining <= 0:
            self.until.pop(key, None)
            return
        downloader = self.crawler.engine.downloader
        if slot.latercall is not None:
            slot.latercall.cancel()
        # While latercall is set the downloader leaves the slot's queue alone; _latercall resumes it.
        slot.latercall = call_later(remaining, downloader._latercall, slot)


def drop_queued(crawler: Any, keys: Iterable[str] | None, error: Callable[[Request], Exception]) -> int:
    """Fail every request waiting in the given slots (all slots if `keys` is None) with `error(request)`,
    through the request's errback; returns how many. Requests already downloading are not touched."""
    slots = crawler.engine.downloader.slots
    dropped = 0
    for key in list(slots) if keys is None else keys:
        slot = slots.get(key)
        while slot is not None and slot.queue:
            request, waiting = slot.queue.popleft()
            waiting.errback(Failure(error(request)))
            dropped += 1
    return dropped

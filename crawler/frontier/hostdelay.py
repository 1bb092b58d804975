"""Per-host politeness that holds across workers: one Redis key per host, taken for the delay.

A worker sends a request to a host only after `SET <prefix>:host:<host> NX PX <delay>` succeeds,
so N workers together still wait between requests to one host. The delay is the larger of
FRONTIER_HOST_DELAY (default DOWNLOAD_DELAY) and the host's robots.txt Crawl-delay; a pause that a
politeness middleware puts on a host (Retry-After, backoff on 429) lengthens the key, so every
worker waits it out, not only the one that was told.

The key is taken in the download handler, when the request is sent. A downloader middleware would
take it before the request waits in its local download slot (for the slot's own delay or a free
connection), and the wait would shorten the spacing the key promised.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy.http import Request
from scrapy_redis.connection import get_redis_from_settings

from crawler.politeness.slots import HOST_DELAY_META
from crawler.run.signals import host_paused
from crawler.security.download import BoundedDownloadHandler

# Sets the host's key to expire in ARGV[1] ms unless it already lives longer: a pause never shortens
# another worker's.
_EXTEND = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
    redis.call('SET', KEYS[1], 1, 'PX', ARGV[1])
end
"""


class HostGate:
    """The shared per-host turn: `wait_turn` before each request, `pause` when a host asks for one."""

    def __init__(self, server: redis.Redis, prefix: str, delay_ms: int, stats: Any) -> None:
        self.server = server
        self.prefix = prefix
        self.delay_ms = delay_ms
        self.stats = stats
        self._extend = server.register_script(_EXTEND)

    def _key(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{self.prefix}:host:{parts.hostname}:{parts.port or ''}"

    async def wait_turn(self, request: Request) -> None:
        key = self._key(request.url)
        # At least 1 ms: with no delay at all, a paused host's key must still be waited for.
        delay_ms = max(self.delay_ms, int(1000 * request.meta.get(HOST_DELAY_META, 0.0)), 1)
        while not self.server.set(key, 1, nx=True, px=delay_ms):
            self.stats.inc_value("frontier/host_delay_wait_count")
            wait_ms = self.server.pttl(key)
            await asyncio.sleep(max(wait_ms, 10) / 1000)

    def pause(self, request: Request, seconds: float) -> None:
        self._extend(keys=[self._key(request.url)], args=[max(int(seconds * 1000), 1)])
        self.stats.inc_value("frontier/host_pause_shared_count")


class SharedHostDelayHandler(BoundedDownloadHandler):
    """newscrawl's HTTP/1.1 handler (header caps, run deadline), sending each request only in its
    host's shared turn."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        delay = settings.get("FRONTIER_HOST_DELAY")  # None: the crawl's DOWNLOAD_DELAY
        delay = float(delay if delay is not None else settings.getfloat("DOWNLOAD_DELAY"))
        # The same client settings as the scheduler's (REDIS_PARAMS: retries across a Redis restart).
        self.gate = HostGate(
            get_redis_from_settings(settings),
            settings.get("FRONTIER_PREFIX"),
            int(delay * 1000),
            crawler.stats,
        )
        crawler.signals.connect(self._host_paused, signal=host_paused)

    async def before_send(self, request: Request) -> None:
        await self.gate.wait_turn(request)

    def _host_paused(self, request: Request, seconds: float) -> None:
        self.gate.pause(request, seconds)

"""Per-host politeness that holds across workers: one Redis key per host, taken for the delay.

A worker may send a request to a host only after `SET <prefix>:host:<host> NX PX <delay>` succeeds,
so N workers together still wait DOWNLOAD_DELAY between requests to one host.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis_from_settings


class SharedHostDelayMiddleware:
    def __init__(self, server: redis.Redis, prefix: str, delay_ms: int, stats: Any) -> None:
        self.server = server
        self.prefix = prefix
        self.delay_ms = delay_ms
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedHostDelayMiddleware:
        url = crawler.settings.get("REDIS_URL")
        delay = crawler.settings.getfloat("FRONTIER_HOST_DELAY", crawler.settings.getfloat("DOWNLOAD_DELAY"))
        if not url or delay <= 0:
            raise NotConfigured("no Redis frontier or no per-host delay")
        prefix = crawler.settings.get("FRONTIER_PREFIX", "newscrawl")
        # The same client settings as the scheduler's (REDIS_PARAMS: retries across a Redis restart).
        return cls(get_redis_from_settings(crawler.settings), prefix, int(delay * 1000), crawler.stats)

    async def process_request(self, request: Any) -> None:
        key = f"{self.prefix}:host:{urlsplit(request.url).hostname}:{urlsplit(request.url).port or ''}"
        while not self.server.set(key, 1, nx=True, px=self.delay_ms):
            self.stats.inc_value("frontier/host_delay_wait_count")
            wait_ms = self.server.pttl(key)
            await asyncio.sleep(max(wait_ms, 10) / 1000)
        return None

"""The scheduler's priority queue: least busy host first, and no host holds more than its backlog.

Reads NEWSCRAWL_HOST_BACKLOG (requests one host may hold in the downloader, transferring or waiting
for its slot).
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue


class HostFairPriorityQueue(DownloaderAwarePriorityQueue):
    """DownloaderAwarePriorityQueue that leaves a host's requests in the scheduler once the host holds
    NEWSCRAWL_HOST_BACKLOG requests in the downloader.

    Scrapy's downloader takes up to CONCURRENT_REQUESTS requests whatever their host, and a host's
    requests wait there for its two connections. Least-busy-first alone picks among the hosts queued
    *now*: a slow host whose 64 links were queued first filled all 32 places, and a healthy outlet
    announced a moment later waited for those downloads to time out.
    """

    def __init__(self, crawler: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(crawler, *args, **kwargs)
        self.backlog = crawler.settings.getint("NEWSCRAWL_HOST_BACKLOG")

    def pop(self) -> Request | None:
        stats = self._downloader_interface.stats(self.pqueues)
        if stats and min(stats)[0] >= self.backlog:
            return None  # every queued host is busy enough; the engine asks again when a download ends
        return super().pop()

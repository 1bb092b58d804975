"""POLITENESS_SETTINGS: the politeness middlewares and the Scrapy settings they need; merged into settings.py.

Their own settings (NEWSCRAWL_HOST_BACKLOG, NEWSCRAWL_MAX_PAUSE, ...) are declared in crawler/defaults.py.
"""

from __future__ import annotations

from typing import Any

from crawler import __version__

POLITENESS_SETTINGS: dict[str, Any] = {
    # Names newscrawl, its version and a contact URL; `-s USER_AGENT=...` for your own.
    "USER_AGENT": f"newscrawl/{__version__} (+https://github.com/newscrawl/newscrawl; news archive crawler)",
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    # DOWNLOAD_TIMEOUT (connect + download) and DNS_TIMEOUT are the network guards' (crawler/security).
    # Hand out requests from the least busy host first, and none to a host that already holds its
    # backlog, so one slow or paused host cannot fill every download slot while the other hosts'
    # requests wait in the scheduler.
    "SCHEDULER_PRIORITY_QUEUE": "crawler.politeness.fairqueue.HostFairPriorityQueue",
    # HttpProxyMiddleware (on by default) reads http_proxy / https_proxy / no_proxy from the environment.
    "HTTPPROXY_ENABLED": True,
    # 429 belongs to RetryAfterMiddleware (it pauses the host); RetryMiddleware keeps the rest.
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "crawler.politeness.robots.PoliteRobotsTxtMiddleware": 100,
        "crawler.politeness.conditional.ConditionalGetMiddleware": 580,
        # Above RetryMiddleware (550), so it sees 429/503 responses first.
        "crawler.politeness.retryafter.RetryAfterMiddleware": 560,
    },
    # --max-runtime holds: NEWSCRAWL_DEADLINE_GRACE s after CLOSESPIDER_TIMEOUT, waiting requests are
    # dropped and downloads in flight cancelled.
    "EXTENSIONS": {"crawler.politeness.deadline.RunDeadline": 0},
}

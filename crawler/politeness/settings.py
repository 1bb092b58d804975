"""POLITENESS_SETTINGS: the settings the spider and politeness middlewares need; merged into settings.py."""

from __future__ import annotations

from typing import Any

POLITENESS_SETTINGS: dict[str, Any] = {
    "USER_AGENT": "newscrawl/0.1 (+https://github.com/newscrawl/newscrawl)",
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "DOWNLOAD_TIMEOUT": 30,
    "DNS_TIMEOUT": 10,
    # Hand out requests from the least busy host first, so one slow or paused host cannot fill every
    # download slot while the other hosts' requests wait in the scheduler.
    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    # HttpProxyMiddleware (on by default) reads http_proxy / https_proxy / no_proxy from the environment.
    "HTTPPROXY_ENABLED": True,
}

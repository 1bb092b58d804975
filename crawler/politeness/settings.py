"""POLITENESS_SETTINGS: every setting the spider and the politeness middlewares need; merged into settings.py.

The NEWSCRAWL_* values here are the defaults; each middleware module documents its own.
"""

from __future__ import annotations

from typing import Any

from crawler import __version__

# What one source may cost a run (crawler/spiders/bounds.py, which also applies them to settings
# that lack them).
BUDGET_DEFAULTS = {
    "NEWSCRAWL_SOURCE_MAX_URLS": 20_000,
    "NEWSCRAWL_SITEMAP_MAX_FILES": 200,
    "NEWSCRAWL_SITEMAP_MAX_CHILDREN": 100,
}

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
    # Scrapy has one timeout for connect + download; DNS has its own.
    "DOWNLOAD_TIMEOUT": 30,
    "DNS_TIMEOUT": 10,
    # Hand out requests from the least busy host first, and none to a host that already holds its
    # backlog, so one slow or paused host cannot fill every download slot while the other hosts'
    # requests wait in the scheduler.
    "SCHEDULER_PRIORITY_QUEUE": "crawler.politeness.fairqueue.HostFairPriorityQueue",
    "NEWSCRAWL_HOST_BACKLOG": 4,
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
    "NEWSCRAWL_DEADLINE_GRACE": 5.0,
    "NEWSCRAWL_ROBOTS_RETRY_AFTER": 600.0,
    "NEWSCRAWL_MAX_CRAWL_DELAY": 60.0,
    "NEWSCRAWL_RETRY_AFTER_TIMES": 4,
    "NEWSCRAWL_BACKOFF_BASE": 5.0,
    # The most one host may hold its requests back in a run, all its pauses together; a host asking
    # for more (or for more than is left of --max-runtime) is ended for the run.
    "NEWSCRAWL_MAX_PAUSE": 600.0,
    "NEWSCRAWL_VALIDATOR_VERIFY_INTERVAL": 86400.0,
    "NEWSCRAWL_RECHECK_INTERVAL": 3600.0,
    "NEWSCRAWL_WP_MAX_PAGES": 10,
    "NEWSCRAWL_SECTION_MAX_PAGES": 3,
    # What one source may cost a run (crawler/spiders/bounds.py): a hostile sitemap index can
    # otherwise fan out to millions of requests. What is cut is counted in discovery/*_cut_count.
    **BUDGET_DEFAULTS,
}

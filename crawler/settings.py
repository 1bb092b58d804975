"""Scrapy settings for newscrawl: the one place that owns every default.

Component settings merged in from their own modules keep each component's knobs next to its code.
"""

from __future__ import annotations

import os
from typing import Any

from crawler import __version__
from crawler.monitoring import MONITORING_SETTINGS
from crawler.politeness.settings import POLITENESS_SETTINGS
from crawler.security.settings import SECURITY_SETTINGS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"newscrawl/{__version__} (+https://github.com/newscrawl/newscrawl; news archive crawler)"

# Politeness: robots.txt, two connections per host at most, AutoThrottle adapting to the server.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
# Items per response processed in parallel: articles yield one item each, and Scrapy starts this
# many tasks per response, so the default (100) only adds scheduling overhead.
CONCURRENT_ITEMS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,
    "crawler.pipelines.DedupPipeline": 200,
    "crawler.pipelines.StorePipeline": 300,
}

# newscrawl's own settings (NEWSCRAWL_* unless they belong to one component).
NEWSCRAWL_SOURCES_FILE = None  # None: the packaged registry
NEWSCRAWL_SOURCE_IDS: list[str] = []
NEWSCRAWL_ALLOW_PRIVATE = False
STORAGE_URI = os.environ.get("NEWSCRAWL_STORE") or "file://./newscrawl-data"
STORAGE_WRITE = True  # `newscrawl fetch` without --store reads the index but writes nothing
STORAGE_BATCH_SIZE = 500
EXTRACT_WORKERS = os.cpu_count() or 1  # 0: extract in the crawl process (debugging)
DEDUP_WINDOW_DAYS = 30
DEDUP_REDIS_URL = None  # redis://host:port/db to share the index between workers
DEDUP_NAMESPACE = "newscrawl"

DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {}
EXTENSIONS: dict[str, int | None] = {}


def _merge(component_settings: dict[str, Any]) -> None:
    """Take a component's settings, adding to (not replacing) the middleware and extension dicts."""
    for name, value in component_settings.items():
        if isinstance(value, dict) and isinstance(globals().get(name), dict):
            globals()[name].update(value)
        else:
            globals()[name] = value


# Each component owns its settings next to its code: network guards (SSRF, robots.txt per
# RFC 9309, size caps), and watching the crawl (per-source counters, progress, Prometheus).
_merge(POLITENESS_SETTINGS)
_merge(SECURITY_SETTINGS)
_merge(MONITORING_SETTINGS)
# These are ours to decide whatever the components say.
NEWSCRAWL_ALLOW_PRIVATE = False
USER_AGENT = f"newscrawl/{__version__} (+https://github.com/newscrawl/newscrawl; news archive crawler)"

"""Scrapy settings for newscrawl: the one place that owns every default.

Component settings merged in from their own modules keep each component's knobs next to its code.
"""

from __future__ import annotations

import os

from crawler import __version__

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"newscrawl/{__version__} (+https://github.com/newscrawl/newscrawl; news archive crawler)"

# Politeness: robots.txt, two connections per host at most, AutoThrottle adapting to the server.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
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
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
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

# Watching a crawl: per-source counters, progress line, Prometheus metrics (crawler/monitoring).
EXTENSIONS = {
    "crawler.monitoring.sources.SourceStats": 500,
    "crawler.monitoring.progress.Progress": 510,
    "crawler.monitoring.metrics.Metrics": 520,
}

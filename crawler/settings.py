"""Scrapy settings for newscrawl: the one place that owns every default.

Component settings merged in from their own modules keep each component's knobs next to its code.
"""

from __future__ import annotations

import os
from typing import Any

from crawler.monitoring import MONITORING_SETTINGS as monitoring_settings
from crawler.politeness.settings import POLITENESS_SETTINGS as politeness_settings
from crawler.rights.settings import RIGHTS_SETTINGS as rights_settings
from crawler.security.settings import SECURITY_SETTINGS as security_settings

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness (robots.txt, User-Agent, per-host concurrency, AutoThrottle, timeouts) is decided in
# crawler/politeness/settings.py; the delay between requests to one host is ours.
DOWNLOAD_DELAY = 0.25
# Items per response processed in parallel. Scrapy starts this many tasks for every response, and
# an article page yields one item, so anything above 1 is pure scheduling cost (about 8% of the
# crawl process's CPU at 16); responses are still processed in parallel with each other.
CONCURRENT_ITEMS = 1
RETRY_TIMES = 2
COOKIES_ENABLED = False
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
EXTRACT_DROP_NON_ARTICLES = True  # `newscrawl fetch` without --store extracts any page, with its page_type
# Seconds one page's extraction may take in a worker (no limit inline, EXTRACT_WORKERS=0); past it
# the worker is replaced and the page dropped (ExtractTimeout). A news page takes well under one.
EXTRACT_TIMEOUT = 60.0
DEDUP_WINDOW_DAYS = 30
DEDUP_REDIS_URL = None  # redis://host:port/db to share the index between workers
DEDUP_NAMESPACE = "newscrawl"

# The WARC archive keeps each response as received (crawler/middlewares.py): captured above
# HttpCompressionMiddleware, handed to the page item by a spider middleware.
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {"crawler.middlewares.WireCaptureMiddleware": 595}
SPIDER_MIDDLEWARES: dict[str, int | None] = {"crawler.middlewares.WireItemMiddleware": 1000}
# The objects alive when the spider opens live to the end; FrozenHeap keeps the garbage collector
# from walking them again and again (GC_FREEZE_ENABLED, GC_YOUNG_THRESHOLD).
EXTENSIONS: dict[str, int | None] = {"crawler.run.heap.FrozenHeap": 0}
GC_FREEZE_ENABLED = True
GC_YOUNG_THRESHOLD = 20_000


def _merge(component_settings: dict[str, Any]) -> None:
    """Take a component's settings, adding to (not replacing) the middleware and extension dicts."""
    for name, value in component_settings.items():
        if isinstance(value, dict) and isinstance(globals().get(name), dict):
            globals()[name].update(value)
        else:
            globals()[name] = value


# Each component owns its settings next to its code: network guards (SSRF, robots.txt per
# RFC 9309, size caps), and watching the crawl (per-source counters, progress, Prometheus).
# (Imported under lower-case names: Scrapy takes every upper-case name here as a setting.)
_merge(politeness_settings)
_merge(security_settings)
_merge(monitoring_settings)
_merge(rights_settings)  # publishers' text-and-data-mining opt-outs

"""Scrapy settings for newscrawl: its own settings' defaults (crawler/defaults.py), and the Scrapy
settings it changes, here and in the component modules merged below (each name set in one place).
"""

from __future__ import annotations

from typing import Any

from crawler import defaults
from crawler.monitoring import MONITORING_SETTINGS as monitoring_settings
from crawler.politeness.settings import POLITENESS_SETTINGS as politeness_settings
from crawler.rights.settings import RIGHTS_SETTINGS as rights_settings
from crawler.security.settings import SECURITY_SETTINGS as security_settings

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness (robots.txt, User-Agent, per-host concurrency, AutoThrottle) is decided in
# crawler/politeness/settings.py, timeouts and size caps in crawler/security/settings.py; the delay
# between requests to one host is ours.
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

# A value set under a name newscrawl has since renamed still takes effect, with a warning.
ADDONS = {"crawler.defaults.RenamedSettings": 0}

# The WARC archive keeps each response as received (crawler/middlewares.py): captured above
# HttpCompressionMiddleware, handed to the page item by a spider middleware.
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {"crawler.middlewares.WireCaptureMiddleware": 595}
SPIDER_MIDDLEWARES: dict[str, int | None] = {"crawler.middlewares.WireItemMiddleware": 1000}
# The objects alive when the spider opens live to the end; FrozenHeap keeps the garbage collector
# from walking them again and again (GC_FREEZE_ENABLED, GC_YOUNG_THRESHOLD).
EXTENSIONS: dict[str, int | None] = {"crawler.run.heap.FrozenHeap": 0}


def _merge(component_settings: dict[str, Any]) -> None:
    """Take a component's settings, adding to (not replacing) the middleware and extension dicts;
    a name or component set twice is refused, so no value silently replaces another."""
    for name, value in component_settings.items():
        current = globals().get(name)
        if isinstance(value, dict) and isinstance(current, dict):
            twice = current.keys() & value.keys()
            if twice:
                raise ValueError(f"{name}: {sorted(twice)} set by two components")
            current.update(value)
        elif name in globals():
            raise ValueError(f"{name} is set twice; keep it in one settings module")
        else:
            globals()[name] = value


# newscrawl's own settings, with their defaults.
_merge(defaults.declared())
# Each component wires its middlewares and extensions in next to its code: network guards (SSRF,
# robots.txt per RFC 9309, size caps, timeouts), and watching the crawl (per-source counters,
# progress, Prometheus). (Imported under lower-case names: Scrapy takes every upper-case name here
# as a setting.)
_merge(politeness_settings)
_merge(security_settings)
_merge(monitoring_settings)
_merge(rights_settings)  # publishers' text-and-data-mining opt-outs

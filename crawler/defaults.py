"""Every setting newscrawl defines, with its default: components read them without a fallback.

Named for the component that reads them (STORAGE_*, EXTRACT_*, DEDUP_*, METRICS_*, FRONTIER_*, GC_*;
NEWSCRAWL_* for the spider and its middlewares). Scrapy's own settings that newscrawl changes are in
crawler/settings.py and the component modules it merges; `RENAMED` lists the names that still work.
"""

from __future__ import annotations

import copy
import logging
import os
import typing
from typing import Any, Self

from crawler.rights import stance
from dedup.config import DedupConfig

# The CLI imports this module for names, without needing Scrapy's crawler module. (typing.TYPE_CHECKING,
# not imported by name: every upper-case name here is taken as a setting.)
if typing.TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

# Which outlets to crawl (crawler/spiders/news.py).
NEWSCRAWL_SOURCES_FILE = None  # None: the packaged registry
NEWSCRAWL_SOURCE_IDS: list[str] = []

# The store (crawler/run.py). None: $NEWSCRAWL_STORE, else crawler/storage/uri.py's DEFAULT_URI.
STORAGE_URI = None
STORAGE_WRITE = True  # `newscrawl fetch` without --store reads the index but writes nothing
STORAGE_BATCH_SIZE = 500

# Extraction (crawler/pipelines.py).
EXTRACT_WORKERS = os.cpu_count() or 1  # 0: extract in the crawl process (debugging)
EXTRACT_DROP_NON_ARTICLES = True  # `newscrawl fetch` without --store extracts any page, with its page_type
# Seconds one page's extraction may take in a worker (no limit inline, EXTRACT_WORKERS=0); past it
# the worker is replaced and the page dropped (ExtractTimeout). A news page takes well under one.
EXTRACT_TIMEOUT = 60.0

# Dedup: DEDUP_<FIELD> for every field of dedup.DedupConfig (durations as DEDUP_<FIELD>_DAYS), with
# the library's defaults, e.g. DEDUP_JACCARD_THRESHOLD, DEDUP_WINDOW_DAYS; and where the index lives.
globals().update(DedupConfig().as_settings())
DEDUP_REDIS_URL = None  # redis://host:port/db to share the index between workers
DEDUP_NAMESPACE = "newscrawl"

# Politeness (crawler/politeness/): the most requests one host may hold in the scheduler's queue.
NEWSCRAWL_HOST_BACKLOG = 4
# --max-runtime holds: this many seconds after CLOSESPIDER_TIMEOUT, waiting requests are dropped and
# downloads in flight cancelled.
NEWSCRAWL_DEADLINE_GRACE = 5.0
NEWSCRAWL_ROBOTS_RETRY_AFTER = 600.0  # a robots.txt that failed (5xx, unreachable) is asked again after
NEWSCRAWL_MAX_CRAWL_DELAY = 60.0  # the most of a robots.txt Crawl-delay that is honoured
NEWSCRAWL_RETRY_AFTER_TIMES = 4
NEWSCRAWL_BACKOFF_BASE = 5.0
# The most one host may hold its requests back in a run, all its pauses together; a host asking for
# more (or for more than is left of --max-runtime) is ended for the run.
NEWSCRAWL_MAX_PAUSE = 600.0
NEWSCRAWL_VALIDATOR_VERIFY_INTERVAL = 86400.0
NEWSCRAWL_RECHECK_INTERVAL = 3600.0

# Discovery (crawler/spiders/): listing pages followed per source, and what one source may cost a
# run (crawler/spiders/bounds.py): a hostile sitemap index can otherwise fan out to millions of
# requests. What is cut is counted in discovery/*_cut_count.
NEWSCRAWL_WP_MAX_PAGES = 10
NEWSCRAWL_SECTION_MAX_PAGES = 3
NEWSCRAWL_SOURCE_MAX_URLS = 20_000
NEWSCRAWL_SITEMAP_MAX_FILES = 200
NEWSCRAWL_SITEMAP_MAX_CHILDREN = 100

# Network guards (crawler/security/). Off by default; `--allow-private` sets it for intranet crawls and
# tests. The resolver is process-wide, so set it in the settings given to the CrawlerProcess.
NEWSCRAWL_ALLOW_PRIVATE = False
# The most of a robots.txt that is read (crawler/politeness/robots.py).
ROBOTSTXT_MAX_BYTES = 500 * 1024
# Browsers cap the header section near these values (Chrome: 256 KiB; nginx serves 8 KiB lines).
NEWSCRAWL_MAX_HEADER_BYTES = 64 * 1024
NEWSCRAWL_MAX_HEADER_COUNT = 200

# Publishers' text-and-data-mining opt-outs (crawler/rights/). Record each article's stance, but fetch
# and store it anyway; a source's `skip_tdm_reserved` in the registry overrides this either way.
NEWSCRAWL_TDM_RIGHTS = True
NEWSCRAWL_SKIP_TDM_RESERVED = False
# A real tdmrep.json is a few hundred bytes; a larger one is cut off as too large and ignored.
NEWSCRAWL_TDMREP_MAX_BYTES = 256 * 1024
# robots.txt groups for these agents count as a TDM reservation (crawler/rights/stance.py says why).
NEWSCRAWL_TDM_ROBOTS_AGENTS = list(stance.AI_AGENTS)

# Watching the crawl (crawler/monitoring/): per-source counters, the progress line (0: every second
# on a terminal, else LOGSTATS_INTERVAL), Prometheus metrics (off unless a port or a textfile is set;
# port 0 picks a free one).
NEWSCRAWL_SOURCE_STATS = True
NEWSCRAWL_PROGRESS = True
NEWSCRAWL_PROGRESS_INTERVAL = 0.0
METRICS_PORT = None
METRICS_HOST = "0.0.0.0"  # reachable from outside the pod or container
METRICS_TEXTFILE = None  # a .prom file for node_exporter's textfile collector
METRICS_INTERVAL = 30.0  # seconds between textfile writes

# The shared Redis frontier (crawler/frontier/, on with `--frontier URL`). FRONTIER_HOST_DELAY None:
# DOWNLOAD_DELAY between two requests to one host, across every worker.
FRONTIER_PREFIX = "newscrawl"
FRONTIER_HEARTBEAT_SECONDS = 30
FRONTIER_HOST_DELAY = None

# FrozenHeap (crawler/run/heap.py): the objects alive when the spider opens live to the end, so the
# garbage collector need not walk them again and again.
GC_FREEZE_ENABLED = True
GC_YOUNG_THRESHOLD = 20_000

# Old name → the name that replaced it; the old one still works, with a warning (RenamedSettings).
RENAMED = {
    "NEWSCRAWL_METRICS_PORT": "METRICS_PORT",
    "NEWSCRAWL_METRICS_HOST": "METRICS_HOST",
    "NEWSCRAWL_METRICS_TEXTFILE": "METRICS_TEXTFILE",
    "NEWSCRAWL_METRICS_INTERVAL": "METRICS_INTERVAL",
}

logger = logging.getLogger(__name__)


def declared() -> dict[str, Any]:
    """Every setting this module declares, with its default (copies: a crawl never changes these)."""
    values = {name: value for name, value in globals().items() if name.isupper() and name != "RENAMED"}
    return copy.deepcopy(values)


class RenamedSettings:
    """Scrapy add-on: a value set under an old name in `RENAMED` moves to its new name (unless the new
    name was set at a higher priority), with a warning naming the new one."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        for old, new in RENAMED.items():
            priority = settings.getpriority(old)
            if priority is None:
                continue
            logger.warning("setting %s is deprecated; use %s", old, new)
            if priority >= (settings.getpriority(new) or 0):
                settings.set(new, settings[old], priority=priority)

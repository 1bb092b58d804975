"""What one source may cost a run: discovery parsed off the reactor thread, and per-source budgets.

Reads NEWSCRAWL_SOURCE_MAX_URLS (article requests per source per run), NEWSCRAWL_SITEMAP_MAX_FILES
(sitemaps fetched per source per run) and NEWSCRAWL_SITEMAP_MAX_CHILDREN (children read from one
sitemap index). What a budget cuts is counted (`discovery/<what>_cut_count`) and logged once per source.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import tzinfo
from typing import Any, TypeVar

from crawler.discovery.announce import Announcement, Skipped
from crawler.discovery.feeds import autodiscover_feeds, parse_feed
from crawler.discovery.sections import check_markup
from crawler.discovery.sitemaps import SitemapRef, parse_sitemap
from crawler.discovery.wpjson import api_root_from_html

T = TypeVar("T")
HOMEPAGE_BYTES = 512 * 1024  # what feed and API autodiscovery read of a homepage
logger = logging.getLogger(__name__)


# Two threads: one large document parses while the next waits, without a pool's worth of parse
# trees in memory at once.
PARSE_THREADS = 2


class DiscoveryParser:
    """Runs discovery parsers (feeds, sitemaps, listing pages) in threads, so a slow document never
    stops the reactor: lxml releases the GIL while it parses."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="discovery-parse")

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, function, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class SourceBudgets:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler  # its stats exist only once the crawl starts
        settings = crawler.settings
        self.limits = {
            "url": settings.getint("NEWSCRAWL_SOURCE_MAX_URLS"),
            "sitemap": settings.getint("NEWSCRAWL_SITEMAP_MAX_FILES"),
        }
        self.max_children = settings.getint("NEWSCRAWL_SITEMAP_MAX_CHILDREN")
        self.spent_count: Counter[tuple[str, str]] = Counter()

    def spent(self, source_id: str, what: str) -> bool:
        return self.spent_count[(source_id, what)] >= self.limits[what]

    def take(self, source_id: str, what: str) -> bool:
        """Spend one `what` ("url" or "sitemap") of the source's budget; False once it is spent."""
        if self.spent(source_id, what):
            self.cut(source_id, what)
            return False
        self.spent_count[(source_id, what)] += 1
        return True

    def cut(self, source_id: str, what: str, count: int = 1) -> None:
        name = f"discovery/{what}_cut_count"
        stats = self.crawler.stats
        if not stats.get_value(f"{name}/{source_id}"):
            logger.warning(
                "%s: over its %s budget for this run; the rest is counted in %s, not fetched",
                source_id, what, name,
            )  # fmt: skip
        stats.inc_value(name, count)
        stats.inc_value(f"{name}/{source_id}", count)


# Discovery parsers as run in a parse thread: the markup check first, so no thread parses for minutes.
def feeds_of(body: bytes, url: str) -> list[str]:
    check_markup(body[:HOMEPAGE_BYTES])
    return autodiscover_feeds(body, url)


def api_root_of(body: bytes, url: str) -> str | None:
    check_markup(body[:HOMEPAGE_BYTES])
    return api_root_from_html(body, url)


def feed_announcements(body: bytes, url: str, zone: tzinfo, skipped: Skipped) -> list[Announcement]:
    check_markup(body)
    return parse_feed(body, url, zone, skipped)


def sitemap_entries(
    body: bytes, zone: tzinfo, skipped: Skipped
) -> tuple[list[SitemapRef], list[Announcement]]:
    check_markup(body)
    return parse_sitemap(body, zone, skipped)

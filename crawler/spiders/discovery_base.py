"""What every discovery callback of NewsSpider shares: its requests, the source a response belongs to,
the age window, and the log lines and stats counters a callback reports through."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import timedelta
from typing import Any

from scrapy.http import Request, Response

from crawler.discovery.announce import Announcement, Skipped
from crawler.discovery.xmlsafe import MAX_XML_BYTES
from crawler.registry import Source
from crawler.security.failures import record_failure
from crawler.spiders.bounds import DiscoveryParser, SourceBudgets

SCHEDULE_TURN = 500

# What became of an announced article URL (NewsSpider._fate): requested, or fetched by an earlier run
# or too old.
NEW = "new"
KNOWN = "known"


class DiscoveryBase:
    """Mixin for NewsSpider; relies on its `_schedule_all`, `since`, `seen` and `sources_by_id`."""

    since: timedelta | None
    seen: Any
    parsing: DiscoveryParser
    budgets: SourceBudgets
    crawler: Any
    logger: Any
    sources_by_id: dict[str, Source]
    _schedule_all: Callable[..., Iterable[Request]]

    async def _schedule_in_turns(
        self, source: Source, announcements: list[Announcement], count_rejects: bool = True
    ) -> AsyncIterator[Request]:
        """`_schedule_all` in turns of SCHEDULE_TURN announcements, letting the reactor run between
        them: a sitemap of 50,000 URLs is seconds of judging, and several can be ready at once."""
        for start in range(0, len(announcements), SCHEDULE_TURN):
            turn = announcements[start : start + SCHEDULE_TURN]
            for request in self._schedule_all(source, turn, count_rejects=count_rejects):
                yield request
            await asyncio.sleep(0)

    def _not_modified(self, response: Response) -> bool:
        if response.status == 304:
            self._stat("not_modified_count")
            return True
        return False

    def _report_skipped(self, response: Response, skipped: Skipped) -> None:
        """One log line per reason and document (a sitemap may hold 50,000 bad dates), every one counted."""
        kind = response.meta.get("newscrawl_kind", "discovery")
        for reason, count in sorted(skipped.counts.items()):
            self.crawler.stats.inc_value(f"discovery/{reason}_count", count)
            example = skipped.examples[reason]
            self.logger.warning(
                "%s %s: skipped %d %s (first: %r)", kind, response.url, count, reason, example
            )

    def _discovery_error(self, response: Response, error: Exception) -> None:
        kind = response.meta.get("newscrawl_kind", "discovery")
        self.logger.warning("%s %s unusable: %s", kind, response.url, error)
        self._stat(f"{kind}_error_count")

    def _request(self, source: Source, url: str, kind: str, callback: Any, **meta: Any) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self._discovery_failed,
            # Discovery responses are read before the articles they announce are fetched.
            priority=10,
            # With a persistent (Redis) seen-set, feeds must still be read again on every run; the
            # sitemap depth and page limits keep this bounded.
            dont_filter=self.crawler.settings.getbool("SCHEDULER_PERSIST"),
            meta={
                "source_id": source.id,
                "newscrawl_kind": kind,
                "handle_httpstatus_list": [304],
                # Feeds, sitemaps and API pages are parsed whole: cap them (gzip inflation included).
                "download_maxsize": MAX_XML_BYTES,
                **meta,
            },
        )

    def _discovery_failed(self, failure: Any) -> None:
        request = failure.request
        kind = request.meta.get("newscrawl_kind", "discovery")
        record_failure(self.crawler.stats, failure)  # logs the URL and counts fetch/failed_<reason>
        self._stat(f"{kind}_error_count")

    def _source(self, response: Response) -> Source:
        return self.sources_by_id[response.meta["source_id"]]

    def _window(self, source: Source) -> timedelta | None:
        """The age window: `since` from the command line, else the source's max_age, else none."""
        return self.since if self.since is not None else source.max_age

    def _stat(self, name: str) -> None:
        self.crawler.stats.inc_value(f"discovery/{name}")

"""`SourceStats`: per-source counters (discovered, known, fetched, stored, duplicates, drops, HTTP errors)
from Scrapy signals into `crawler.stats`, and each source's median text length when the spider closes.

Setting: `NEWSCRAWL_SOURCE_STATS` (default True).
"""

from __future__ import annotations

import statistics
from array import array
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.monitoring.counters import counter_key, dropped_key, median_key
from crawler.run.signals import run_committing

ARTICLE = "article"
# Follow-ups of a request already counted as discovered: a retry or a redirect is not a new URL.
_FOLLOW_UP_META = ("retry_times", "redirect_times")


class SourceStats:
    """Counts per `meta["source_id"]` (requests) and per `item["source"]` (records)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.text_lengths: dict[str, array[int]] = {}
        self._downloaded: set[int] = set()  # ids of requests whose download produced a response

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWL_SOURCE_STATS"):
            raise NotConfigured("NEWSCRAWL_SOURCE_STATS is off")
        extension = cls(crawler)
        for handler, signal in (
            (extension.request_scheduled, signals.request_scheduled),
            (extension.request_dropped, signals.request_dropped),
            (extension.response_downloaded, signals.response_downloaded),
            (extension.request_left_downloader, signals.request_left_downloader),
            (extension.response_received, signals.response_received),
            (extension.item_scraped, signals.item_scraped),
            (extension.item_dropped, signals.item_dropped),
            (extension.item_error, signals.item_error),
            (extension.spider_closed, signals.spider_closed),
            (extension.run_committing, run_committing),
        ):
            crawler.signals.connect(handler, signal=signal)
        return extension

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        source_id = request.meta.get("source_id")
        if source_id and _is_new_article(request):
            self._inc(source_id, "discovered")

    def request_dropped(self, request: Request, spider: Spider) -> None:
        # The scheduler refused it (already seen): undo the count request_scheduled just made.
        source_id = request.meta.get("source_id")
        if source_id and _is_new_article(request):
            self._inc(source_id, "discovered", -1)
            self._inc(source_id, "known")

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        self._downloaded.add(id(request))

    def request_left_downloader(self, request: Request, spider: Spider) -> None:
        if id(request) in self._downloaded:
            self._downloaded.discard(id(request))
            return
        source_id = request.meta.get("source_id")
        if source_id:  # no response at all: DNS, connection or timeout error
            self._inc(source_id, "http_errors")

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        source_id = request.meta.get("source_id")
        if not source_id:
            return
        self._inc(source_id, "pages")
        if response.status >= 400:
            self._inc(source_id, "http_errors")
        elif request.meta.get("newscrawl_kind") == ARTICLE:
            self._inc(source_id, "fetched")

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        record = ItemAdapter(item)
        source_id = record.get("source")
        if not source_id or record.get("error"):
            return  # `fetch` reports a URL that failed as an item with `error`; nothing was stored
        self._inc(source_id, "stored")
        # Every match counts, as in the crawl's summary: a copy that arrived before its cluster's
        # origin (the agency's own, or an earlier-published one) has no duplicate_of, but is a copy.
        if record.get("match", "unique") != "unique" or record.get("duplicate_of"):
            self._inc(source_id, "duplicates")
        if record.get("authors"):
            self._inc(source_id, "with_author")
        if record.get("published_at"):
            self._inc(source_id, "with_date")
        self.text_lengths.setdefault(source_id, array("I")).append(len(record.get("text") or ""))

    def item_dropped(
        self, item: Any, response: Response | None, exception: Exception, spider: Spider
    ) -> None:
        self._drop(item, type(exception).__name__)

    def item_error(self, item: Any, response: Response | None, spider: Spider, failure: Failure) -> None:
        # A pipeline bug, not a deliberate drop: keep it apart from the DropItem reasons.
        self._drop(item, f"error:{failure.type.__name__ if failure.type else 'Exception'}")

    def run_committing(self) -> None:
        """The run is about to be committed: its medians go into the manifest's stats too."""
        self._write_medians()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._write_medians()

    def _write_medians(self) -> None:
        for source_id, lengths in self.text_lengths.items():
            self.stats.set_value(median_key(source_id), statistics.median(lengths))

    def _drop(self, item: Any, reason: str) -> None:
        source_id = ItemAdapter(item).get("source") if ItemAdapter.is_item(item) else None
        if source_id:
            self.stats.inc_value(dropped_key(source_id, reason))

    def _inc(self, source_id: str, name: str, count: int = 1) -> None:
        self.stats.inc_value(counter_key(source_id, name), count)


def _is_new_article(request: Request) -> bool:
    meta = request.meta
    return meta.get("newscrawl_kind") == ARTICLE and not any(key in meta for key in _FOLLOW_UP_META)

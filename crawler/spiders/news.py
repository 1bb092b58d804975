"""NewsSpider: discovers each source's articles and yields one raw page item per article fetched.

Reads NEWSCRAWL_SOURCES_FILE and NEWSCRAWL_SOURCE_IDS when no sources are passed in, and
NEWSCRAWL_RECHECK_INTERVAL (seconds). In `urls` mode it fetches exactly the given URLs and yields
an error item for each one that fails. The seen-store, when given, skips what earlier runs fetched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.dates.durations import parse_duration
from crawler.discovery.announce import Announcement, iso
from crawler.discovery.urls import canonical_identity
from crawler.extract.access import wall_behind_refusal
from crawler.frontier.seen import SeenStore
from crawler.registry import Source
from crawler.rights.middleware import RIGHTS_META, TdmReserved
from crawler.run.state import get_run
from crawler.security.failures import record_failure
from crawler.spiders.bounds import DiscoveryParser, SourceBudgets
from crawler.spiders.discovery import DiscoveryCallbacks
from crawler.spiders.scheduling import ArticleScheduling
from crawler.spiders.sources import source_for_url, sources_from_settings


class NewsSpider(DiscoveryCallbacks, ArticleScheduling, scrapy.Spider):
    name = "news"

    def __init__(
        self,
        sources: list[Source] | None = None,
        urls: list[str] | str | None = None,
        since: timedelta | str | None = None,
        seen: SeenStore | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._given_sources = sources
        # `scrapy crawl news -a urls=a,b -a since=2d` passes strings.
        self.urls = [u for u in urls.split(",") if u] if isinstance(urls, str) else list(urls or [])
        self.since = parse_duration(since) if isinstance(since, str) else since
        self.seen = seen
        self.sources: list[Source] = []
        self.sources_by_id: dict[str, Source] = {}
        # Every article URL met this run: what became of it, NEW (requested) or KNOWN (fetched by an
        # earlier run, or too old), and the announced date it was judged on.
        self._judged: dict[str, tuple[str, datetime | None]] = {}
        self._canonicals: set[str] = set()
        self.recheck_interval = timedelta(hours=1)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources = spider._given_sources or sources_from_settings(crawler.settings)
        spider.sources_by_id = {s.id: s for s in spider.sources}
        if spider.seen is None and not spider.urls and crawler.settings.getbool("STORAGE_WRITE"):
            # The seen-store lives in the run's store, beside what it remembers.
            spider.seen = get_run(crawler, spider.sources).seen
        spider.recheck_interval = timedelta(seconds=crawler.settings.getfloat("NEWSCRAWL_RECHECK_INTERVAL"))
        spider.parsing = DiscoveryParser()
        spider.budgets = SourceBudgets(crawler)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterable[Request]:
        if self.urls:
            for url in self.urls:
                yield self._url_request(url)
            return
        for source in self.sources:
            yield from self.discovery_requests(source)

    def closed(self, reason: str) -> None:
        self.parsing.close()
        # spider_closed fires after the pipelines closed, so their seen.observe calls are included.
        # Only a committed run may be remembered: otherwise the next run would skip articles that
        # were fetched but never stored.
        if self.seen is not None and not self.crawler.stats.get_value("storage/commit_failed"):
            key = self.seen.flush()
            self.logger.info("seen-store changes written to %s", key)

    # -- articles ------------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterable[dict[str, Any]]:
        announcement: Announcement | None = response.meta.get("announcement")
        requested = response.request.url if response.request is not None else response.url
        item = self._page_item(response)
        if self.urls:  # `fetch` reports every URL it was given, duplicates included
            yield item
            return
        canonical = canonical_identity(item)
        if self.seen is not None:
            announced_at = announcement and (announcement.published_at or announcement.updated_at)
            self.seen.record_fetch([requested, response.url], canonical, iso(announced_at or None))
        if canonical in self._canonicals:
            # Another URL variant of an article already yielded in this run (AMP, ?p=123, ...).
            self._stat("duplicate_variant_count")
            return
        self._canonicals.add(canonical)
        item["canonical_url"] = canonical
        yield item

    def _page_item(self, response: Response) -> dict[str, Any]:
        announcement: Announcement | None = response.meta.get("announcement")
        requested = response.request.url if response.request is not None else response.url
        return {
            "url": response.meta.get("given_url") or requested,
            "final_url": response.url,
            "status": response.status,
            "headers": _headers(response),
            "body": response.body,
            "source": response.meta["source_id"],
            "discovered_via": announcement.via if announcement else "url",
            "announced": announcement.as_announced() if announcement else None,
            "fetched_at": _now_iso(),
            "rights": response.meta.get(RIGHTS_META),
        }

    def fetch_failed(self, failure: Failure) -> Iterable[dict[str, Any]]:
        """urls mode: one error item per URL that could not be fetched, for `newscrawl fetch` to report."""
        record_failure(self.crawler.stats, failure)
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        if response is not None:
            message = f"HTTP {response.status}"
        else:
            lines = failure.getErrorMessage().splitlines()
            message = f"{failure.type.__name__}: {lines[0] if lines else ''}".rstrip(": ")
        yield {
            "url": request.meta.get("given_url", request.url),
            "error": message,
            "source": request.meta["source_id"],
        }

    def article_failed(self, failure: Failure) -> Iterable[dict[str, Any]]:
        if failure.check(TdmReserved):
            return  # counted per source by TdmRightsMiddleware; a choice of the run, not an error
        record_failure(self.crawler.stats, failure)  # logs the URL and counts fetch/failed_<reason>
        self._stat("article_error_count")
        # A bot challenge or consent wall usually comes with 403 or 503: hand it to the pipeline,
        # which drops it as BlockedByChallenge / ConsentWall for the source's counts and BLOCKED flag.
        response = getattr(failure.value, "response", None)
        if isinstance(response, Response) and failure.check(HttpError):
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
            if wall_behind_refusal(response.body, response.url, response.status, content_type):
                yield self._page_item(response)

    def _url_request(self, url: str) -> Request:
        return Request(
            url,
            callback=self.parse_article,
            errback=self.fetch_failed,
            dont_filter=True,
            meta={
                "source_id": source_for_url(self.sources, url),
                "newscrawl_kind": "article",
                "given_url": url,
            },
        )


def _headers(response: Response) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

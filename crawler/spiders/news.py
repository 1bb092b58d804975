"""NewsSpider: discovers articles through each source's feeds and sitemaps and yields raw page items.

Reads settings NEWSCRAWL_SOURCES_FILE and NEWSCRAWL_SOURCE_IDS when no sources are passed in.
In `urls` mode it fetches exactly the given URLs and yields an error item for each one that fails.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.discovery.announce import Announcement, too_old
from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.urls import host_allowed, normalize_url, url_host
from crawler.discovery.xmlsafe import UnsafeXML
from crawler.registry import Source, load_registry
from crawler.timewindow import parse_duration


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(
        self,
        sources: list[Source] | None = None,
        urls: list[str] | str | None = None,
        since: timedelta | str | None = None,
        seen: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._given_sources = sources
        # `scrapy crawl news -a urls=a,b -a since=2d` passes strings.
        self.urls = [u for u in urls.split(",") if u] if isinstance(urls, str) else list(urls or [])
        self.since = parse_duration(since) if isinstance(since, str) else since
        self.seen = seen
        self.sources: list[Source] = []
        self._scheduled: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources = spider._given_sources or _sources_from_settings(crawler.settings)
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
            for feed in source.feeds:
                yield self._request(source, feed, "feed", self.parse_feed)
            for sitemap in source.sitemaps:
                yield self._request(source, sitemap, "sitemap", self.parse_sitemap)

    # -- discovery callbacks -------------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterable[Request]:
        source = self._source(response)
        try:
            announcements = parse_feed(response.body, response.url)
        except UnsafeXML as error:
            self._discovery_error(response, "feed", error)
            return
        yield from self._schedule_all(source, announcements)

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        source = self._source(response)
        try:
            children, announcements = parse_sitemap(response.body)
        except UnsafeXML as error:
            self._discovery_error(response, "sitemap", error)
            return
        for child in children:
            yield self._request(source, child.url, "sitemap", self.parse_sitemap)
        yield from self._schedule_all(source, announcements)

    # -- articles ------------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterable[dict[str, Any]]:
        announcement: Announcement | None = response.meta.get("announcement")
        yield {
            "url": response.meta.get("given_url") or response.request.url,
            "final_url": response.url,
            "status": response.status,
            "headers": _headers(response),
            "body": response.body,
            "source": response.meta["source_id"],
            "discovered_via": announcement.via if announcement else "url",
            "announced": announcement.as_announced() if announcement else None,
            "fetched_at": _now_iso(),
        }

    def fetch_failed(self, failure: Failure) -> Iterable[dict[str, Any]]:
        """urls mode: one error item per URL that could not be fetched, for `newscrawl fetch` to report."""
        request = failure.request  # type: ignore[attr-defined]
        message = failure.getErrorMessage().splitlines()[0] if failure.getErrorMessage() else ""
        response = getattr(failure.value, "response", None)
        if response is not None:
            message = f"HTTP {response.status}"
        yield {
            "url": request.meta.get("given_url", request.url),
            "error": f"{failure.type.__name__}: {message}" if message else failure.type.__name__,
            "source": request.meta["source_id"],
        }

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.logger.warning("article %s failed: %s", request.url, failure.getErrorMessage())
        self.crawler.stats.inc_value("newscrawl/article_error_count")

    # -- helpers -------------------------------------------------------------------------------------

    def _schedule_all(self, source: Source, announcements: Iterable[Announcement]) -> Iterable[Request]:
        now = datetime.now(UTC)
        since = self.since if self.since is not None else source.max_age
        for announcement in announcements:
            url = normalize_url(announcement.url)
            if not host_allowed(url, source.allowed_domains) or not source.is_article_url(url):
                self.crawler.stats.inc_value("newscrawl/not_article_count")
                continue
            if too_old(announcement, since, now):
                self.crawler.stats.inc_value("newscrawl/too_old_count")
                continue
            if url in self._scheduled:
                continue
            self._scheduled.add(url)
            yield Request(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"source_id": source.id, "newscrawl_kind": "article", "announcement": announcement},
            )

    def _url_request(self, url: str) -> Request:
        source_id = _source_for_host(self.sources, url)
        return Request(
            url,
            callback=self.parse_article,
            errback=self.fetch_failed,
            dont_filter=True,
            meta={"source_id": source_id, "newscrawl_kind": "article", "given_url": url},
        )

    def _request(self, source: Source, url: str, kind: str, callback: Any, **meta: Any) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self._discovery_failed,
            meta={"source_id": source.id, "newscrawl_kind": kind, **meta},
        )

    def _discovery_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("newscrawl_kind", "discovery")
        self.logger.warning("%s %s failed: %s", kind, request.url, failure.getErrorMessage())
        self.crawler.stats.inc_value(f"newscrawl/{kind}_error_count")

    def _discovery_error(self, response: Response, kind: str, error: Exception) -> None:
        self.logger.warning("%s %s unusable: %s", kind, response.url, error)
        self.crawler.stats.inc_value(f"newscrawl/{kind}_error_count")

    def _source(self, response: Response) -> Source:
        source_id = response.meta["source_id"]
        return next(s for s in self.sources if s.id == source_id)


def _sources_from_settings(settings: Any) -> list[Source]:
    sources = load_registry(settings.get("NEWSCRAWL_SOURCES_FILE") or None)
    wanted = settings.getlist("NEWSCRAWL_SOURCE_IDS")
    if not wanted:
        return sources
    known = {s.id for s in sources}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise ValueError(
            f"NEWSCRAWL_SOURCE_IDS names unknown source(s) {', '.join(unknown)}; "
            f"known ids are {', '.join(sorted(known))}"
        )
    return [s for s in sources if s.id in wanted]


def _source_for_host(sources: list[Source], url: str) -> str:
    for source in sources:
        if host_allowed(url, source.allowed_domains):
            return source.id
    return url_host(url).replace(".", "-") or "unknown"


def _headers(response: Response) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

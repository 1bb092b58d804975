"""NewsSpider: discovers each source's articles and yields one raw page item per article fetched.

Reads NEWSCRAWL_SOURCES_FILE and NEWSCRAWL_SOURCE_IDS when no sources are passed in, and
NEWSCRAWL_RECHECK_INTERVAL (seconds). In `urls` mode it fetches exactly the given URLs and yields
an error item for each one that fails. The seen-store, when given, skips what earlier runs fetched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.discovery.announce import Announcement, iso, too_old
from crawler.discovery.urls import canonical_identity, host_allowed, host_source_id, normalize_url
from crawler.extract.access import wall_behind_refusal
from crawler.monitoring.counters import counter_key
from crawler.registry import Source, load_registry
from crawler.rights.middleware import RIGHTS_META, TdmReserved
from crawler.run import get_run
from crawler.security.failures import record_failure
from crawler.seen import REFETCH_META, SeenStore
from crawler.spiders.bounds import DiscoveryParser, SourceBudgets
from crawler.spiders.discovery import KNOWN, NEW, DiscoveryCallbacks
from crawler.timewindow import parse_duration


class NewsSpider(DiscoveryCallbacks, scrapy.Spider):
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
        spider.sources = spider._given_sources or _sources_from_settings(crawler.settings)
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

    # -- scheduling ----------------------------------------------------------------------------------

    def _schedule_all(
        self,
        source: Source,
        announcements: Iterable[Announcement],
        count_rejects: bool = True,
        fates: Counter[str] | None = None,
    ) -> Iterable[Request]:
        """Article requests for the announcements that are on-site, articles, recent and not yet seen.
        `fates` counts what became of the announced articles: NEW or KNOWN (this run or before)."""
        now = datetime.now(UTC)
        since = self._window(source)
        fates = Counter() if fates is None else fates
        for announcement in announcements:
            if self.budgets.spent(source.id, "url"):
                self.budgets.cut(source.id, "url")  # before any work on it: a sitemap can hold 50,000
                continue
            url = normalize_url(announcement.url)
            if not host_allowed(url, source.allowed_domains) or not source.is_article_url(url):
                if count_rejects:  # listing pages link to everything; only count what feeds announced
                    self._stat("not_article_count")
                continue
            judged = self._judged.get(url)
            previous = judged[0] if judged else None
            if judged is not None and not _newer_news(judged, announcement):
                fates[judged[0]] += 1
                continue
            reason = self._fetch_reason(source, url, announcement, since, now)
            fate = KNOWN if reason is None else NEW
            self._judged[url] = (fate, announcement.newest_date())
            fates[fate] += 1
            if fate == KNOWN:
                if previous is None:
                    self.crawler.stats.inc_value(counter_key(source.id, "known"))
                continue
            if previous == KNOWN:
                self.crawler.stats.inc_value(counter_key(source.id, "known"), -1)
            if not self.budgets.take(source.id, "url"):
                continue
            meta: dict[str, Any] = {
                "source_id": source.id,
                "newscrawl_kind": "article",
                "announcement": announcement,
            }
            if source.max_response_bytes:
                meta["download_maxsize"] = source.max_response_bytes
            if reason:
                # A known article fetched again (updated, or due for its recheck): a persistent
                # seen-set (the Redis frontier's) would refuse its URL, so the request names the occasion.
                meta[REFETCH_META] = reason
            yield Request(url, callback=self.parse_article, errback=self.article_failed, meta=meta)

    def _fetch_reason(
        self, source: Source, url: str, announcement: Announcement, since: timedelta | None, now: datetime
    ) -> str | None:
        """None: known already (too old, or fetched and not due); "": new; else SeenStore's token."""
        if too_old(announcement, since, now):
            self._stat("too_old_count")
            return None
        if self.seen is None:
            return ""
        reason = self.seen.fetch_reason(
            url, announcement.newest_date(), source.recheck_window, self.recheck_interval
        )
        if reason is None:
            self._stat("already_seen_count")
        return reason

    def _url_request(self, url: str) -> Request:
        return Request(
            url,
            callback=self.parse_article,
            errback=self.fetch_failed,
            dont_filter=True,
            meta={
                "source_id": _source_for_host(self.sources, url),
                "newscrawl_kind": "article",
                "given_url": url,
            },
        )


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
    # The outlet whose homepage shares the URL's origin (scheme, host, port) first: several outlets
    # can share one host name (ports, an intranet gateway); then any whose domains allow the host.
    origin = _origin(url)
    for source in sources:
        if _origin(source.homepage) == origin:
            return source.id
    for source in sources:
        if host_allowed(url, source.allowed_domains):
            return source.id
    return host_source_id(url)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _headers(response: Response) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _newer_news(judged: tuple[str, datetime | None], announcement: Announcement) -> bool:
    """Whether a URL judged known earlier this run must be judged again: this announcement dates it
    later than the one it was judged on (a sitemap's lastmod after a feed's first pubDate), and
    discovery order must not decide whether an update is fetched."""
    fate, judged_on = judged
    newest = announcement.newest_date()
    return fate == KNOWN and newest is not None and (judged_on is None or newest > judged_on)

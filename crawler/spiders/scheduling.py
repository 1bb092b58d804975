"""Which announced articles a crawl fetches: on-site, articles, recent, not yet seen (or due again)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.http import Request

from crawler.discovery.announce import Announcement, too_old
from crawler.discovery.urls import host_allowed, normalize_url
from crawler.frontier.seen import REFETCH_META
from crawler.monitoring.counters import counter_key
from crawler.registry import Source
from crawler.spiders.discovery_base import KNOWN, NEW, DiscoveryBase


class ArticleScheduling(DiscoveryBase):
    """Mixin for NewsSpider: turns announcements into article requests, each URL judged once a run
    (again only when announced as newer)."""

    _judged: dict[str, tuple[str, datetime | None]]
    recheck_interval: timedelta
    parse_article: Callable[..., Any]
    article_failed: Callable[..., Any]

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


def _newer_news(judged: tuple[str, datetime | None], announcement: Announcement) -> bool:
    """Whether a URL judged known earlier this run must be judged again: this announcement dates it
    later than the one it was judged on (a sitemap's lastmod after a feed's first pubDate), and
    discovery order must not decide whether an update is fetched."""
    fate, judged_on = judged
    newest = announcement.newest_date()
    return fate == KNOWN and newest is not None and (judged_on is None or newest > judged_on)

"""NewsSpider's discovery callbacks: robots.txt, homepage, feeds, sitemaps, WordPress API, sections.

Each turns one discovery response into more discovery requests and article announcements; the
spider's `_schedule_all` decides which announcements become article requests.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.http import Request, Response

from crawler.discovery.announce import Announcement, Skipped, announced_date
from crawler.discovery.sections import UnparseableMarkup, section_links
from crawler.discovery.sitemaps import robots_sitemaps
from crawler.discovery.urls import host_allowed
from crawler.discovery.wpjson import (
    NotWordPress,
    api_root_from_link_header,
    parse_posts,
    posts_url,
    total_pages,
)
from crawler.discovery.xmlsafe import MAX_XML_BYTES, UnsafeXML
from crawler.registry import Source
from crawler.security.failures import record_failure
from crawler.spiders.bounds import (
    DiscoveryParser,
    SourceBudgets,
    api_root_of,
    feed_announcements,
    feeds_of,
    sitemap_entries,
)

MAX_SITEMAP_DEPTH = 4
SCHEDULE_TURN = 500


# What became of an announced article URL (NewsSpider._fate): requested, or fetched by an earlier run
# or too old.
NEW = "new"
KNOWN = "known"


class DiscoveryCallbacks:
    """Mixin for NewsSpider; relies on its `_schedule_all`, `since`, `seen` and `sources_by_id`."""

    since: timedelta | None
    seen: Any
    parsing: DiscoveryParser
    budgets: SourceBudgets
    crawler: Any
    logger: Any
    sources_by_id: dict[str, Source]
    _schedule_all: Callable[..., Iterable[Request]]

    def discovery_requests(self, source: Source) -> Iterable[Request]:
        for feed in source.feeds:
            yield self._request(source, feed, "feed", self.parse_feed)
        for sitemap in source.sitemaps:
            yield from self._sitemap_request(source, sitemap, depth=0)
        if not source.sitemaps:
            robots = source.homepage.split("/", 3)
            yield self._request(
                source, "/".join(robots[:3]) + "/robots.txt", "robots", self.parse_robots,
                dont_obey_robotstxt=True, handle_httpstatus_all=True,
            )  # fmt: skip
        if not source.feeds or source.wp_json is None:
            yield self._request(source, source.homepage, "homepage", self.parse_homepage)
        if source.wp_json:
            yield self._wp_request(source, _api_root_guess(source.homepage), 1)
        for section in source.sections:
            yield self._request(source, section, "section", self.parse_section, section_page=1)

    def parse_robots(self, response: Response) -> Iterable[Request]:
        source = self._source(response)
        if response.status != 200:
            return
        skipped = Skipped()
        for sitemap in robots_sitemaps(response.body, skipped):
            yield from self._sitemap_request(source, sitemap, depth=0)
        self._report_skipped(response, skipped)

    async def parse_homepage(self, response: Response) -> AsyncIterator[Request]:
        source = self._source(response)
        found_feeds = (
            await self.parsing.run(feeds_of, response.body, response.url) if not source.feeds else []
        )
        for feed in found_feeds:
            yield self._request(source, feed, "feed", self.parse_feed)
        if source.wp_json is None:
            header = (response.headers.get(b"Link") or b"").decode("latin-1")
            root = api_root_from_link_header(header, response.url) or await self.parsing.run(
                api_root_of, response.body, response.url
            )
            if root:
                self._stat("wp_json_detected_count")
                yield self._wp_request(source, root, 1)
                return
        if not (source.feeds or found_feeds or source.sitemaps or source.sections):
            # Nothing announces articles: the homepage is the one listing page left.
            async for request in self.parse_section(response):
                yield request

    async def parse_feed(self, response: Response) -> AsyncIterator[Request]:
        if self._not_modified(response):
            return
        source = self._source(response)
        skipped = Skipped()
        try:
            announcements = await self.parsing.run(
                feed_announcements, response.body, response.url, source.zone, skipped
            )
        except (UnsafeXML, UnparseableMarkup) as error:
            self._discovery_error(response, error)
            return
        self._report_skipped(response, skipped)
        async for request in self._schedule_in_turns(source, announcements):
            yield request

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        if self._not_modified(response):
            return
        source = self._source(response)
        skipped = Skipped()
        try:
            children, announcements = await self.parsing.run(
                sitemap_entries, response.body, source.zone, skipped
            )
        except (UnsafeXML, UnparseableMarkup) as error:
            self._discovery_error(response, error)
            return
        depth = response.meta.get("sitemap_depth", 0) + 1
        since = self._window(source)
        if len(children) > self.budgets.max_children:
            self.budgets.cut(source.id, "sitemap_children", len(children) - self.budgets.max_children)
            children = children[: self.budgets.max_children]
        for child in children:
            lastmod = announced_date(child.lastmod, source.zone, skipped)
            if since is not None and lastmod is not None and lastmod < datetime.now(UTC) - since:
                self._stat("too_old_count")
            elif depth > MAX_SITEMAP_DEPTH:
                self._stat("sitemap_too_deep_count")
            else:
                for request in self._sitemap_request(source, child.url, depth):
                    yield request
        self._report_skipped(response, skipped)
        async for request in self._schedule_in_turns(source, announcements):
            yield request

    def parse_wp_posts(self, response: Response) -> Iterable[Request]:
        source = self._source(response)
        skipped = Skipped()
        try:
            announcements = parse_posts(response.body, skipped)
        except NotWordPress as error:
            self._discovery_error(response, error)
            return
        self._report_skipped(response, skipped)
        fates: Counter[str] = Counter()
        yield from self._schedule_all(source, announcements, fates=fates)
        page = response.meta["wp_page"]
        if page == 1 and self.seen is not None:
            self.seen.set_mark(f"wp-json:{source.id}", response.meta["wp_started"])
        header = response.headers.get(b"X-WP-TotalPages")
        total = total_pages(header)
        if total is None:
            self.logger.warning(
                "wp-json %s: X-WP-TotalPages %r is no page count", response.url, (header or b"")[:80]
            )
            self._stat("bad_header_count")
            total = page  # the posts on this page are kept; without a count, paging stops here
        max_pages = self.crawler.settings.getint("NEWSCRAWL_WP_MAX_PAGES")
        # Posts come newest first: a page whose articles were all fetched before (or are too old) means
        # older pages hold nothing new either. A page of new posts the feed already announced this run,
        # or of posts that are no articles (videos, live blogs), says nothing about the next one.
        nothing_new = fates[KNOWN] > 0 and fates[NEW] == 0
        if page < min(total, max_pages) and not nothing_new:
            yield self._wp_request(source, response.meta["wp_root"], page + 1)

    async def parse_section(self, response: Response) -> AsyncIterator[Request]:
        source = self._source(response)
        encoding = getattr(response, "encoding", "utf-8")
        try:
            links, next_url = await self.parsing.run(section_links, response.body, response.url, encoding)
        except UnparseableMarkup as error:
            self._discovery_error(response, error)
            return
        async for request in self._schedule_in_turns(source, links, count_rejects=False):
            yield request
        page = response.meta.get("section_page", 1)
        max_pages = self.crawler.settings.getint("NEWSCRAWL_SECTION_MAX_PAGES")
        if next_url and page < max_pages and response.meta.get("newscrawl_kind") == "section":
            yield self._request(source, next_url, "section", self.parse_section, section_page=page + 1)

    # -- helpers -------------------------------------------------------------------------------------

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

    def _sitemap_request(self, source: Source, url: str, depth: int) -> Iterable[Request]:
        """A request for a sitemap on the source's domains, while its sitemap budget lasts."""
        if not host_allowed(url, source.allowed_domains):
            self._stat("sitemap_offsite_count")
            self.logger.info("%s: sitemap %s is off its allowed_domains, not fetched", source.id, url)
        elif self.budgets.take(source.id, "sitemap"):
            yield self._request(source, url, "sitemap", self.parse_sitemap, sitemap_depth=depth)

    def _wp_request(self, source: Source, root: str, page: int) -> Request:
        after = self._wp_after(source)
        started = datetime.now(UTC).isoformat()
        return self._request(
            source, posts_url(root, page, after), "wp-json", self.parse_wp_posts,
            wp_root=root, wp_page=page, wp_started=started,
        )  # fmt: skip

    def _wp_after(self, source: Source) -> datetime | None:
        since = self._window(source)
        if since is not None:
            return datetime.now(UTC) - since
        mark = self.seen.marks.get(f"wp-json:{source.id}") if self.seen is not None else None
        # Reach back by the recheck window so recently updated posts are still listed.
        return datetime.fromisoformat(mark) - source.recheck_window if mark else None

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


def _api_root_guess(homepage: str) -> str:
    parts = homepage.split("/", 3)
    return "/".join(parts[:3]) + "/wp-json/"

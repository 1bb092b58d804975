"""NewsSpider's discovery callbacks: robots.txt, homepage, feeds, sitemaps, sections (WordPress's API
in `wordpress`, what they share in `discovery_base`).

Each turns one discovery response into more discovery requests and article announcements; the
spider's `_schedule_all` decides which announcements become article requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from scrapy.http import Request, Response

from crawler.discovery.announce import Skipped, announced_date
from crawler.discovery.sections import UnparseableMarkup, section_links
from crawler.discovery.sitemaps import robots_sitemaps
from crawler.discovery.urls import host_allowed
from crawler.discovery.wpjson import api_root_from_link_header
from crawler.discovery.xmlsafe import UnsafeXML
from crawler.registry import Source
from crawler.spiders.bounds import api_root_of, feed_announcements, feeds_of, sitemap_entries
from crawler.spiders.wordpress import WordPressCallbacks, api_root_guess

MAX_SITEMAP_DEPTH = 4


class DiscoveryCallbacks(WordPressCallbacks):
    """Mixin for NewsSpider: the discovery callbacks, WordPress's included."""

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
            yield self._wp_request(source, api_root_guess(source.homepage), 1)
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
        source, skipped = self._source(response), Skipped()
        announcements = await self._parsed(response, feed_announcements, response.url, source.zone, skipped)
        if announcements is None:
            return
        self._report_skipped(response, skipped)
        async for request in self._schedule_in_turns(source, announcements):
            yield request

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        if self._not_modified(response):
            return
        source, skipped = self._source(response), Skipped()
        entries = await self._parsed(response, sitemap_entries, source.zone, skipped)
        if entries is None:
            return
        children, announcements = entries
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

    async def parse_section(self, response: Response) -> AsyncIterator[Request]:
        source = self._source(response)
        found = await self._parsed(
            response, section_links, response.url, getattr(response, "encoding", "utf-8")
        )
        if found is None:
            return
        links, next_url = found
        async for request in self._schedule_in_turns(source, links, count_rejects=False):
            yield request
        page = response.meta.get("section_page", 1)
        max_pages = self.crawler.settings.getint("NEWSCRAWL_SECTION_MAX_PAGES")
        if next_url and page < max_pages and response.meta.get("newscrawl_kind") == "section":
            yield self._request(source, next_url, "section", self.parse_section, section_page=page + 1)

    async def _parsed(self, response: Response, parse: Callable[..., Any], *args: Any) -> Any:
        """`parse(response.body, *args)` in the parsing pool, or None once the error is logged and
        counted (a hostile or broken listing stops there, the crawl goes on)."""
        try:
            return await self.parsing.run(parse, response.body, *args)
        except (UnsafeXML, UnparseableMarkup) as error:
            self._discovery_error(response, error)
            return None

    def _sitemap_request(self, source: Source, url: str, depth: int) -> Iterable[Request]:
        """A request for a sitemap on the source's domains, while its sitemap budget lasts."""
        if not host_allowed(url, source.allowed_domains):
            self._stat("sitemap_offsite_count")
            self.logger.info("%s: sitemap %s is off its allowed_domains, not fetched", source.id, url)
        elif self.budgets.take(source.id, "sitemap"):
            yield self._request(source, url, "sitemap", self.parse_sitemap, sitemap_depth=depth)

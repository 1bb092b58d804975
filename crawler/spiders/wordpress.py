"""NewsSpider's WordPress REST API callbacks: pages of posts, newest first, since the last run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from scrapy.http import Request, Response

from crawler.discovery.announce import Skipped
from crawler.discovery.wpjson import NotWordPress, parse_posts, posts_url, total_pages
from crawler.registry import Source
from crawler.spiders.discovery_base import KNOWN, NEW, DiscoveryBase


class WordPressCallbacks(DiscoveryBase):
    """Mixin for NewsSpider: reads `/wp-json/wp/v2/posts` page by page until pages hold nothing new."""

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


def api_root_guess(homepage: str) -> str:
    """Where WordPress serves its API by default, for a source that says it is WordPress (`wp_json`)."""
    parts = homepage.split("/", 3)
    return "/".join(parts[:3]) + "/wp-json/"

"""robots.txt per RFC 9309, replacing Scrapy's RobotsTxtMiddleware (which reads a 500 error page as
rules and treats a timeout as "allow everything").

2xx: parse the first ROBOTSTXT_MAX_BYTES (default 500 KiB). 4xx: unavailable, crawl freely. 5xx, 429
or unreachable (timeout, reset, DNS): disallow the whole site for this crawl. Reads ROBOTSTXT_OBEY.
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawler.security.middleware import RefusedRequest

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
DEFAULT_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least the first 500 KiB


class StandardRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        status = response.status
        max_bytes = self.crawler.settings.getint("ROBOTSTXT_MAX_BYTES", DEFAULT_MAX_BYTES)
        if 200 <= status < 300:
            body = response.body
            if len(body) > max_bytes:
                self._stats.inc_value("robotstxt/truncated_count")
                logger.info(
                    "robots.txt at %s is %d bytes; reading the first %d", response.url, len(body), max_bytes
                )
                body = body[:max_bytes]
        elif status >= 500 or status == 429:
            self._stats.inc_value("robotstxt/unreachable_count")
            logger.warning(
                "robots.txt at %s answered %d: not crawling %s (RFC 9309)", response.url, status, netloc
            )
            body = DISALLOW_ALL
        else:  # 3xx left unfollowed, 4xx: "unavailable", so no rules apply
            self._stats.inc_value("robotstxt/unavailable_count")
            body = b""
        await super()._parse_robots(response.replace(body=body), netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # Refused (redirected to a private address) or too many redirects: unavailable, as for a 4xx.
        # Anything else means the server is unreachable, and the standard says to crawl nothing.
        unavailable = isinstance(exc, RefusedRequest) or (
            isinstance(exc, IgnoreRequest) and "max redirections" in str(exc)
        )
        if unavailable:
            self._stats.inc_value("robotstxt/unavailable_count")
            return super()._robots_error(exc, netloc)
        self._stats.inc_value("robotstxt/unreachable_count")
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc).__name__}")
        logger.warning(
            "robots.txt for %s unreachable (%s): not crawling it (RFC 9309)", netloc, type(exc).__name__
        )
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)

"""robots.txt per RFC 9309 on top of Scrapy's RobotsTxtMiddleware, plus Crawl-delay.

5xx, 429 or an unreachable robots.txt: the host is treated as disallowed for
NEWSCRAWL_ROBOTS_RETRY_AFTER seconds, then robots.txt is fetched again; other 4xx, or a robots.txt
redirected somewhere refused (a private address) or too far: everything is allowed. Only the first
ROBOTSTXT_MAX_BYTES (500 KiB, RFC 9309 2.5) are parsed. `Crawl-delay` (capped at
NEWSCRAWL_MAX_CRAWL_DELAY) becomes the host's minimum delay.
"""

from __future__ import annotations

import logging
from time import monotonic
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.discovery.urls import host_source_id
from crawler.politeness.slots import hold_delay
from crawler.security.middleware import RefusedRequest

logger = logging.getLogger(__name__)


class PoliteRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._retry_after = crawler.settings.getfloat("NEWSCRAWL_ROBOTS_RETRY_AFTER")
        self._max_bytes = crawler.settings.getint("ROBOTSTXT_MAX_BYTES")
        self._max_delay = crawler.settings.getfloat("NEWSCRAWL_MAX_CRAWL_DELAY")
        self._unreachable: dict[str, tuple[str, float]] = {}  # netloc -> (reason, retry at)
        self.crawl_delays: dict[str, float] = {}  # netloc -> seconds

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        if not request.url.startswith(("http://", "https://")):
            return
        netloc = urlparse_cached(request).netloc
        self._expire(netloc)
        rp = await self.robot_parser(request)
        if netloc in self._unreachable:
            reason, _ = self._unreachable[netloc]
            self._stats.inc_value("robotstxt/unreachable_forbidden")
            raise IgnoreRequest(f"robots.txt of {netloc} unreachable ({reason}); RFC 9309: assume disallowed")
        self.process_request_2(rp, request)
        delay = self.crawl_delays.get(netloc)
        if delay:
            hold_delay(self.crawler, request, delay)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """Scrapy's, except that the robots.txt request names its kind and source (per-source stats)
        and an unreachable robots.txt is one warning line, not an error with a traceback."""
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots_request = Request(
                f"{url.scheme}://{netloc}/robots.txt",
                priority=self.DOWNLOAD_PRIORITY,
                callback=NO_CALLBACK,
                meta={
                    "dont_obey_robotstxt": True,
                    "newscrawl_kind": "robots",
                    "source_id": request.meta.get("source_id") or host_source_id(request.url),
                },
            )
            try:
                response = await self.crawler.engine.download_async(robots_request)
                await self._parse_robots(response, netloc, request)
            # Any failure to get robots.txt means "unreachable" under RFC 9309, as in Scrapy's original.
            except Exception as error:
                if not isinstance(error, IgnoreRequest):
                    logger.warning(
                        "robots.txt for %s unreachable (%s): not crawling it for now (RFC 9309): %s",
                        netloc, type(error).__name__, error,
                    )  # fmt: skip
                self._robots_error(error, netloc)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._mark_unreachable(netloc, f"HTTP {response.status}")
            response = response.replace(body=b"")
        elif response.status >= 400:  # RFC 9309 2.3.1.3: "unavailable" means no restrictions
            self._stats.inc_value("robotstxt/unavailable_count")
            response = response.replace(body=b"")
        elif len(response.body) > self._max_bytes:
            self._stats.inc_value("robotstxt/truncated_count")
            logger.info(
                "robots.txt of %s is %d bytes; reading the first %d",
                netloc,
                len(response.body),
                self._max_bytes,
            )
            response = response.replace(body=response.body[: self._max_bytes])
        await super()._parse_robots(response, netloc, request)
        parser = self._parsers.get(netloc)
        agent = self._robotstxt_useragent or self._default_useragent
        delay = parser.crawl_delay(agent) if parser is not None and hasattr(parser, "crawl_delay") else None
        if delay:
            self.crawl_delays[netloc] = min(float(delay), self._max_delay)
            self._stats.inc_value("robotstxt/crawl_delay_count")

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # Refused (redirected to a private address) or too many redirects: "unavailable", as a 4xx.
        unavailable = isinstance(exc, RefusedRequest) or (
            isinstance(exc, IgnoreRequest) and "max redirections" in str(exc)
        )
        if unavailable:
            self._stats.inc_value("robotstxt/unavailable_count")
        elif not isinstance(exc, IgnoreRequest):
            self._mark_unreachable(netloc, f"{type(exc).__name__}: {exc}".splitlines()[0][:200])
        super()._robots_error(exc, netloc)

    def _mark_unreachable(self, netloc: str, reason: str) -> None:
        self._unreachable[netloc] = (reason, monotonic() + self._retry_after)
        self._stats.inc_value("robotstxt/unreachable_count")

    def _expire(self, netloc: str) -> None:
        """After the retry time, forget the unreachable verdict so robots.txt is fetched again."""
        entry = self._unreachable.get(netloc)
        if entry and monotonic() >= entry[1] and not isinstance(self._parsers.get(netloc), Deferred):
            del self._unreachable[netloc]
            self._parsers.pop(netloc, None)

"""Scrapy's HTTP/1.1 download handler with the bounds Twisted leaves out: response header size and
count, and downloads that end when the run does.

Reads NEWSCRAWL_MAX_HEADER_BYTES and NEWSCRAWL_MAX_HEADER_COUNT. DOWNLOAD_MAXSIZE counts only the
body, and Twisted keeps every header line it is sent, so a server that never ends its headers would
otherwise grow the crawl's memory until the download timeout. On `downloads_ending` (sent by
crawler.politeness.deadline when the run's time is up) downloads in flight are cancelled and new
ones refused, so a slow-drip server cannot hold a finished run open.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any, cast

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.exceptions import DownloadFailedError
from scrapy.http import Request, Response
from twisted.internet.defer import Deferred
from twisted.web.client import ResponseFailed

from crawler.politeness.deadline import RunEnded, downloads_ending

MAX_HEADER_BYTES_SETTING = "NEWSCRAWL_MAX_HEADER_BYTES"
MAX_HEADER_COUNT_SETTING = "NEWSCRAWL_MAX_HEADER_COUNT"


class HeadersTooLarge(Exception):
    """The response's header section grew past NEWSCRAWL_MAX_HEADER_BYTES or _COUNT."""


class _BoundedHeaderParser(_LenientHTTPClientParser):
    """Counts the header section's lines and bytes (folded continuation lines included)."""

    max_header_bytes: int
    max_header_count: int
    header_bytes: int
    header_count: int

    def lineReceived(self, line: bytes) -> None:
        self.header_bytes += len(line) + 2
        self.header_count += 1
        if self.header_bytes > self.max_header_bytes or self.header_count > self.max_header_count:
            # HTTP11ClientProtocol.dataReceived turns this into a closed connection and a failed response.
            raise HeadersTooLarge(
                f"response headers over {MAX_HEADER_BYTES_SETTING}={self.max_header_bytes} B or "
                f"{MAX_HEADER_COUNT_SETTING}={self.max_header_count} lines"
            )
        super().lineReceived(line)


class _BoundedHeaderProtocol(_LenientHTTP11ClientProtocol):
    limits: tuple[int, int] = (0, 0)

    def request(self, request: Any) -> Deferred[Any]:
        d = super().request(request)
        assert self._parser is not None  # always there after request(): see _LenientHTTP11ClientProtocol
        # Scrapy swaps the parser's class the same way; the counters are set before any data arrives.
        self._parser.__class__ = _BoundedHeaderParser
        parser = cast(_BoundedHeaderParser, self._parser)
        parser.max_header_bytes, parser.max_header_count = self.limits
        parser.header_bytes = parser.header_count = 0
        return d


class _BoundedHeaderFactory(_LenientHTTP11ClientFactory):
    def __init__(self, quiescentCallback: Any, metadata: Any, limits: tuple[int, int]) -> None:
        super().__init__(quiescentCallback, metadata)  # type: ignore[no-untyped-call]
        self.limits = limits

    def buildProtocol(self, addr: Any) -> _BoundedHeaderProtocol:
        protocol = _BoundedHeaderProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]
        protocol.limits = self.limits
        return protocol


class BoundedDownloadHandler(HTTP11DownloadHandler):
    """The http/https handler: header caps on every response, and no download outlives the run."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        limits = (settings.getint(MAX_HEADER_BYTES_SETTING), settings.getint(MAX_HEADER_COUNT_SETTING))
        self._pool._factory = partial(_BoundedHeaderFactory, limits=limits)  # type: ignore[assignment]
        self._stats = crawler.stats
        self._ending = False
        self._in_flight: set[asyncio.Task[Response]] = set()
        crawler.signals.connect(self._end_downloads, signal=downloads_ending)

    async def download_request(self, request: Request) -> Response:
        if self._ending:
            raise RunEnded(f"{request.url}: the run's time is up")
        task = asyncio.ensure_future(self._download_bounded(request))
        self._in_flight.add(task)
        try:
            return await task
        except asyncio.CancelledError:
            if not self._ending:
                raise
            self._stats.inc_value("fetch/cancelled_at_deadline_count")
            raise RunEnded(f"{request.url}: cancelled, the run's time is up") from None
        finally:
            self._in_flight.discard(task)

    async def before_send(self, request: Request) -> None:
        """Wait before a request is sent (a shared per-host turn, crawler.frontier.hostdelay); the
        wait ends with the run like the download does."""

    async def _download_bounded(self, request: Request) -> Response:
        await self.before_send(request)
        try:
            return await super().download_request(request)
        except DownloadFailedError as error:
            cause = error.__cause__
            if isinstance(cause, ResponseFailed) and any(
                reason.check(HeadersTooLarge) for reason in cause.reasons
            ):
                raise HeadersTooLarge(f"{request.url}: {cause.reasons[0].value}") from None
            raise

    def _end_downloads(self) -> None:
        self._ending = True
        for task in list(self._in_flight):
            task.cancel()

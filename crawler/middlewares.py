"""The response as received, for the WARC archive: body bytes still in their Content-Encoding, headers
as the server sent them.

`WireCaptureMiddleware` (downloader, priority 595) sits above HttpCompressionMiddleware (590), whose
`process_response` runs after ours, and below RedirectMiddleware (600), so it sees only final
responses. It notes body and headers per request; `WireItemMiddleware` (spider middleware) copies
them into the page item that request's response yielded, as `wire_body` and `wire_headers`, for the
store pipeline to archive. Nothing goes into `request.meta`, which retries copy and the frontier
serialises. Size caps stay as they were: DOWNLOAD_MAXSIZE bounds the bytes received, and a body that
would decompress beyond it is dropped by HttpCompressionMiddleware before any item exists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self
from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

WIRE_BODY = "wire_body"
WIRE_HEADERS = "wire_headers"
WIRE_CAPTURE_PRIORITY = 595  # between HttpCompressionMiddleware (590) and RedirectMiddleware (600)

Wire = tuple[bytes, list[tuple[str, str]]]
_ATTRIBUTE = "_newscrawl_wire"


def captured(crawler: Crawler) -> WeakKeyDictionary[Request, Wire]:
    """Request → its response as received, shared by the two middlewares of one crawler. Entries
    go with their request, which lives until its callback's items are processed."""
    table: WeakKeyDictionary[Request, Wire] | None = getattr(crawler, _ATTRIBUTE, None)
    if table is None:
        table = WeakKeyDictionary()
        setattr(crawler, _ATTRIBUTE, table)
    return table


def wire_headers(response: Response) -> list[tuple[str, str]]:
    """Every header line, in order, copied: HttpCompressionMiddleware edits Content-Encoding in place."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]


class _SharesCapture:
    """Both middlewares of one crawler hold the same table."""

    def __init__(self, crawler: Crawler) -> None:
        self.captured = captured(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)


class WireCaptureMiddleware(_SharesCapture):
    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        # A reference to the bytes Scrapy already holds, not a copy.
        self.captured[request] = (response.body, wire_headers(response))
        return response


class WireItemMiddleware(_SharesCapture):
    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        for item in result:
            yield self._with_wire(response, item)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        async for item in result:
            yield self._with_wire(response, item)

    def _with_wire(self, response: Response, item: Any) -> Any:
        # Only the page item of this very response carries its body object.
        if isinstance(item, dict) and item.get("body") is response.body and response.request is not None:
            wire = self.captured.get(response.request)
            if wire is not None:
                item[WIRE_BODY], item[WIRE_HEADERS] = wire
        return item

"""Downloader middleware that checks HTML bodies after decompression: drops binary served as HTML,
strips NUL bytes, and picks the charset that actually decodes the page.

Counters: `content/dropped_binary_count`, `content/nul_stripped_count`, `content/charset_<issue>_count`.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response

from crawler.security.charsets import header_label, meta_label
from crawler.security.content import choose_encoding, looks_binary

logger = logging.getLogger(__name__)


class BinaryBody(IgnoreRequest):
    """The server sent binary data (an image, a PDF, an archive) labelled as HTML."""


class ResponseSanityMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseSanityMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse):
            return response  # feeds, sitemaps and robots.txt go to parsers that read bytes
        kind = looks_binary(response.body)
        if kind is not None:
            self.stats.inc_value("content/dropped_binary_count")
            logger.warning("Dropped %s: %s data served as %s", response.url, kind, _content_type(response))
            raise BinaryBody(f"{kind} data served as HTML")
        body = response.body
        header, meta = header_label(_content_type(response)), meta_label(body)
        # Always an encoding the WHATWG standard names: Scrapy would decode with whatever codec the
        # page named, `zlib` and `rot13` included, and fail on the first `response.text`.
        encoding, issue = choose_encoding(body, header, meta)
        if b"\x00" in body and not encoding.startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
            self.stats.inc_value("content/nul_stripped_count")
            logger.info("Stripped NUL bytes from %s", response.url)
            body = body.replace(b"\x00", b"")
        if issue is not None:
            self.stats.inc_value(f"content/charset_{issue}_count")
            logger.info(
                "Charset of %s: declared %s, decoding as %s (%s)",
                response.url, header or meta, encoding, issue,
            )  # fmt: skip
        if body is not response.body or encoding != response.encoding:
            response = response.replace(body=body, encoding=encoding)
        return response


def _content_type(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"").decode("latin-1")

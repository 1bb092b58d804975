"""Conditional GET (ETag / Last-Modified) for feeds and sitemaps, with validators kept in the seen-store.

A server whose validators stay the same while the content changes is caught by fetching without
validators once per NEWSCRAWL_VALIDATOR_VERIFY_INTERVAL (seconds); such a URL is then never asked
conditionally again. Needs the spider's `seen` store; without one it does nothing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.http import Request, Response

CONDITIONAL_KINDS = ("feed", "sitemap")


class ConditionalGetMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        seconds = crawler.settings.getfloat("NEWSCRAWL_VALIDATOR_VERIFY_INTERVAL")
        self.verify_interval = timedelta(seconds=seconds)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalGetMiddleware:
        return cls(crawler)

    def _seen(self, request: Request) -> Any:
        if request.meta.get("newscrawl_kind") not in CONDITIONAL_KINDS:
            return None
        return getattr(self.crawler.spider, "seen", None)

    def process_request(self, request: Request, spider: Any = None) -> None:
        seen = self._seen(request)
        record = seen.validators.get(request.url) if seen is not None else None
        if not record or not record.get("trusted", True):
            return
        verified = datetime.fromisoformat(record["verified_at"])
        if datetime.now(UTC) - verified >= self.verify_interval:
            self.crawler.stats.inc_value("conditional/verify_count")
            return  # fetch in full this time, to check the validators still track the content
        if record.get("etag"):
            request.headers[b"If-None-Match"] = record["etag"]
        if record.get("last_modified"):
            request.headers[b"If-Modified-Since"] = record["last_modified"]
        request.meta["newscrawl_conditional"] = True

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        seen = self._seen(request)
        if seen is None:
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("conditional/not_modified_count")
            return response
        if response.status != 200:
            return response
        etag = _header(response, b"ETag")
        modified = _header(response, b"Last-Modified")
        digest = hashlib.sha256(response.body).hexdigest()
        previous = seen.validators.get(request.url) or {}
        trusted = previous.get("trusted", True)
        same_validators = (etag or modified) and (etag, modified) == (
            previous.get("etag"),
            previous.get("last_modified"),
        )
        if trusted and same_validators and previous.get("sha256") not in (None, digest):
            # The server kept its validators while the content changed: they would hide updates.
            trusted = False
            self.crawler.stats.inc_value("conditional/untrusted_validator_count")
        if etag or modified or previous:
            seen.put_validators(
                request.url,
                {
                    "etag": etag,
                    "last_modified": modified,
                    "sha256": digest,
                    "trusted": trusted,
                    "verified_at": datetime.now(UTC).isoformat(),
                },
            )
        return response


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None

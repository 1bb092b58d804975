"""Downloader middleware that refuses unsafe requests (every hop, robots.txt included) before connecting.

Reads NEWSCRAWL_ALLOW_PRIVATE and TWISTED_DNS_RESOLVER; maps `request.meta["max_response_bytes"]` (a
source's override) onto Scrapy's `download_maxsize`. Each refusal: a log line, a stats counter
`security/refused_<reason>_count`, and a `RefusedRequest` (an IgnoreRequest) for the errback.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import load_object
from twisted.internet.error import DNSLookupError

from crawler.security.addresses import parse_ip_host
from crawler.security.resolver import ALLOW_PRIVATE_SETTING, GuardedResolver
from crawler.security.urls import PRIVATE_RESOLUTION, UnsafeURLError, check_url, refusal_message

logger = logging.getLogger(__name__)

RESOLVER_PATH = "crawler.security.resolver.GuardedResolver"
UNGUARDED = "unguarded"  # reason when the process runs without the guarded resolver: fail closed


class RefusedRequest(IgnoreRequest):
    """newscrawl refused to send this request; `reason` names the rule, the message the fix."""

    def __init__(self, reason: str, url: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.url = url


class SecurityConfigError(ValueError):
    """The crawl is configured so that the SSRF guard cannot work; the message names the setting."""


class SSRFGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.allow_private = crawler.settings.getbool(ALLOW_PRIVATE_SETTING)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SSRFGuardMiddleware:
        resolver_class = load_object(crawler.settings["TWISTED_DNS_RESOLVER"])
        if not (isinstance(resolver_class, type) and issubclass(resolver_class, GuardedResolver)):
            raise SecurityConfigError(
                f"TWISTED_DNS_RESOLVER is {crawler.settings['TWISTED_DNS_RESOLVER']!r}, so names that "
                f"resolve to private addresses would be fetched: set it to {RESOLVER_PATH!r} "
                "(merge crawler.security.settings.SECURITY_SETTINGS into the project settings)"
            )
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if "max_response_bytes" in request.meta and "download_maxsize" not in request.meta:
            request.meta["download_maxsize"] = int(request.meta["max_response_bytes"])
        try:
            check_url(request.url, allow_private=self.allow_private)
        except UnsafeURLError as error:
            self._refuse(request, error.reason, str(error))
        if request.meta.get("proxy"):
            proxy_host = urlsplit(_with_scheme(request.meta["proxy"])).hostname
            if proxy_host:
                self._resolver(request).allow_proxy(proxy_host)
        if self.allow_private:
            return
        host = urlsplit(request.url).hostname or ""
        if parse_ip_host(host if ":" not in host else f"[{host}]") is not None:
            return  # a literal public address: check_url has judged it already
        # Judge the name before robots.txt or the download: the proxy, if any, would resolve it
        # for us and never tell. The resolver judges it again at connect time (same cache).
        resolver = self._resolver(request)
        addresses = await maybe_deferred_to_future(resolver.lookup(host))
        refusal = resolver.judge(host, addresses)
        if refusal is not None:
            message = refusal_message(host, refusal.address, refusal.category)
            self._refuse(request, PRIVATE_RESOLUTION, message)

    def process_response(self, request: Request, response: Response) -> Response:
        """Count a redirect that RedirectMiddleware declined to follow (file:, data:, …) as a refusal.

        Redirects it does follow come back through `process_request` as new requests.
        """
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            target = urljoin(response.url, location.decode("latin-1"))
            try:
                check_url(target, allow_private=self.allow_private)
            except UnsafeURLError as error:
                self._refuse(request, error.reason, f"redirect to {target!r} refused: {error}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """Turn the resolver's connect-time refusal (a bare lookup failure) into a counted refusal."""
        # Scrapy's handlers wrap Twisted's DNSLookupError in CannotResolveHostError; older ones did not.
        if not isinstance(exception, (DNSLookupError, CannotResolveHostError)) or self.allow_private:
            return
        host = urlsplit(request.url).hostname or ""
        resolver = _installed_resolver()
        refusal = resolver.refusal_for(host) if resolver is not None else None
        if refusal is not None:
            message = refusal_message(host, refusal.address, refusal.category)
            self._refuse(request, PRIVATE_RESOLUTION, message)

    def _resolver(self, request: Request) -> GuardedResolver:
        resolver = _installed_resolver()
        if resolver is None:
            self._refuse(
                request,
                UNGUARDED,
                f"the installed DNS resolver is not {RESOLVER_PATH}: set TWISTED_DNS_RESOLVER to it in "
                "the process settings, or NEWSCRAWL_ALLOW_PRIVATE=True to crawl without the guard",
            )
        assert resolver is not None
        return resolver

    def _refuse(self, request: Request, reason: str, message: str) -> None:
        self.stats.inc_value(f"security/refused_{reason}_count")
        logger.warning("Refused %s: %s", request.url, message)
        raise RefusedRequest(reason, request.url, message)


def _installed_resolver() -> GuardedResolver | None:
    from twisted.internet import reactor

    resolver: Any = getattr(reactor, "nameResolver", None)
    return resolver if isinstance(resolver, GuardedResolver) else None


def _with_scheme(proxy: str) -> str:
    return proxy if "://" in proxy else f"http://{proxy}"

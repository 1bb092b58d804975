"""A Twisted name resolver that refuses names resolving to non-public addresses, at connect time.

Installed process-wide through Scrapy's TWISTED_DNS_RESOLVER; reads NEWSCRAWL_ALLOW_PRIVATE and
DNSCACHE_ENABLED/DNSCACHE_SIZE from the process settings and the proxies from http_proxy/https_proxy.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies

import attr
from scrapy.utils.datatypes import LocalCache
from twisted.internet.defer import Deferred, succeed
from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer, provider

from crawler.security.addresses import ip_of, non_public_category

logger = logging.getLogger(__name__)

ALLOW_PRIVATE_SETTING = "NEWSCRAWL_ALLOW_PRIVATE"


class Refusal:
    """Why a name was refused: the first non-public address it resolved to and that address's category."""

    __slots__ = ("address", "category", "host")

    def __init__(self, host: str, address: str, category: str) -> None:
        self.host, self.address, self.category = host, address, category


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        """Cancellation is not supported by the upstream resolvers either; the result is just ignored."""


@provider(IResolutionReceiver)
class _Collector:
    """Buffers the upstream resolver's answer so the whole set can be judged before anyone connects."""

    def __init__(self, done: Deferred[list[IAddress]]) -> None:
        self.addresses: list[IAddress] = []
        self._done = done

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        pass

    def addressResolved(self, address: IAddress) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self._done.callback(self.addresses)


@implementer(IHostnameResolver)
class GuardedResolver:
    """Resolves through the reactor's own resolver (with a cache), then hands out no address at all for
    a name that resolves to any non-public address, unless private addresses are allowed or the name
    is a configured proxy. The connection then fails with DNSLookupError; `refusal_for(host)` says why.
    """

    def __init__(
        self,
        reactor: Any,
        allow_private: bool = False,
        cache_size: int = 10000,
        proxy_hosts: Sequence[str] = (),
        timeout: float = 10.0,
    ) -> None:
        self.reactor = reactor
        upstream = reactor.nameResolver
        # A second crawler process in the same interpreter must not wrap the guard in itself.
        # Typed Any: mypy reads zope interfaces as classes whose methods take `self`.
        self.upstream: Any = getattr(upstream, "upstream", upstream)
        self.allow_private = allow_private
        self.timeout = timeout
        self.proxy_hosts = {host.lower() for host in proxy_hosts}
        self._cache: LocalCache[str, list[IAddress]] = LocalCache(cache_size)
        self._cache_enabled = cache_size > 0
        self._refusals: LocalCache[str, Refusal] = LocalCache(1000)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        # Scrapy passes the CrawlerProcess here: only process-wide settings reach the resolver.
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            allow_private=settings.getbool(ALLOW_PRIVATE_SETTING),
            cache_size=cache_size,
            proxy_hosts=environment_proxy_hosts(),
            timeout=settings.getfloat("DNS_TIMEOUT"),
        )

    def install_on_reactor(self) -> None:
        # Called by name by Scrapy's CrawlerProcess for the class named in TWISTED_DNS_RESOLVER.
        self.reactor.installNameResolver(self)

    def allow_proxy(self, host: str) -> None:
        """Let connections to this proxy through even on a private address: the operator chose it."""
        self.proxy_hosts.add(host.lower())

    def refusal_for(self, host: str) -> Refusal | None:
        """Why the last connection attempt to `host` was refused, if it was."""
        return self._refusals.get(host.lower())

    def lookup(self, host: str) -> Deferred[list[IAddress]]:
        """All addresses `host` resolves to, unfiltered and cached; an empty list if it does not resolve
        within DNS_TIMEOUT (never fails)."""
        key = host.lower()
        if self._cache_enabled and key in self._cache:
            return succeed(list(self._cache[key]))
        done: Deferred[list[IAddress]] = Deferred()
        self.upstream.resolveHostName(_Collector(done), host, 0)
        if self.timeout > 0:
            done.addTimeout(self.timeout, self.reactor)
        done.addCallbacks(self._remember, self._lookup_failed, callbackArgs=(key,), errbackArgs=(host,))
        return done

    def _lookup_failed(self, failure: Any, host: str) -> list[IAddress]:
        logger.debug("Name lookup for %s failed: %s", host, failure.getErrorMessage())
        return []

    def _remember(self, addresses: list[IAddress], key: str) -> list[IAddress]:
        if addresses and self._cache_enabled:  # failures are not cached: a flaky DNS can recover
            self._cache[key] = list(addresses)
        return addresses

    def judge(self, host: str, addresses: Sequence[IAddress]) -> Refusal | None:
        """The refusal for connecting to `host` at these addresses (any non-public one), or None.

        Ignores `allow_private`, so callers with their own setting can use it; tests override it.
        """
        for address in addresses:
            text = getattr(address, "host", "")
            try:
                category = non_public_category(ip_of(text))
            except ValueError:
                category = "unparseable"  # fail closed on anything we cannot read
            if category is not None:
                return Refusal(host, text, category)
        return None

    def resolveHostName(
        self,
        resolutionReceiver: Any,  # an IResolutionReceiver
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> Any:  # an IHostResolution
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)

        def deliver(addresses: list[IAddress]) -> None:
            if not self.allow_private and hostName.lower() not in self.proxy_hosts:
                refusal = self.judge(hostName, addresses)
                if refusal is not None:
                    self._refusals[hostName.lower()] = refusal
                    logger.warning(
                        "Refused to connect to %s: it resolves to %s (%s)",
                        hostName,
                        refusal.address,
                        refusal.category,
                    )
                    addresses = []
            for address in addresses:
                if addressTypes is None or isinstance(address, tuple(addressTypes)):
                    resolutionReceiver.addressResolved(_with_port(address, portNumber))
            resolutionReceiver.resolutionComplete()

        self.lookup(hostName).addCallback(deliver)
        return resolution


def _with_port(address: IAddress, port: int) -> IAddress:
    # IPv4Address/IPv6Address are attrs classes: evolve keeps flowInfo and scopeID.
    if getattr(address, "port", port) == port:
        return address
    return attr.evolve(address, port=port)  # type: ignore[misc]


def environment_proxy_hosts() -> list[str]:
    """Host names of the proxies in http_proxy/https_proxy/…, as Scrapy's HttpProxyMiddleware reads them."""
    hosts = []
    for kind, url in getproxies().items():
        if kind == "no":  # no_proxy lists hosts to reach directly, not proxies
            continue
        try:
            host = urlsplit(url if "://" in url else f"http://{url}").hostname
        except ValueError:
            continue
        if host:
            hosts.append(host)
    return hosts

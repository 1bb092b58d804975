"""GuardedResolver in process, with a fake upstream resolver: what it hands to Twisted's endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.defer import Deferred

from crawler.security.resolver import GuardedResolver, environment_proxy_hosts

FAKE_DNS = {
    "public.example": ["93.184.216.34"],
    "internal.example": ["10.0.0.7"],
    "mixed.example": ["93.184.216.34", "127.0.0.1"],
    "v6.example": ["2606:4700::1111"],
    "ula.example": ["fd00::5"],
    "proxy.internal": ["192.168.1.10"],
}


class FakeUpstream:
    def __init__(self) -> None:
        self.calls = 0

    def resolveHostName(self, receiver: Any, host: str, port: int = 0, *args: Any) -> None:
        self.calls += 1
        receiver.resolutionBegan(None)
        for text in FAKE_DNS.get(host, []):
            kind = IPv6Address if ":" in text else IPv4Address
            receiver.addressResolved(kind("TCP", text, port))
        receiver.resolutionComplete()


class FakeReactor:
    def __init__(self) -> None:
        self.nameResolver = FakeUpstream()


class Receiver:
    def __init__(self) -> None:
        self.addresses: list[Any] = []
        self.complete = False

    def resolutionBegan(self, resolution: Any) -> None:
        pass

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.complete = True


def _resolve(resolver: GuardedResolver, host: str, port: int = 443) -> list[str]:
    receiver = Receiver()
    resolver.resolveHostName(receiver, host, port)
    assert receiver.complete
    assert all(address.port == port for address in receiver.addresses)
    return [address.host for address in receiver.addresses]


@pytest.fixture
def resolver() -> GuardedResolver:
    return GuardedResolver(FakeReactor(), timeout=0)


def test_public_names_resolve(resolver: GuardedResolver) -> None:
    assert _resolve(resolver, "public.example") == ["93.184.216.34"]
    assert _resolve(resolver, "v6.example") == ["2606:4700::1111"]


@pytest.mark.parametrize("host", ["internal.example", "mixed.example", "ula.example"])
def test_names_with_any_non_public_address_resolve_to_nothing(resolver: GuardedResolver, host: str) -> None:
    assert _resolve(resolver, host) == []
    refusal = resolver.refusal_for(host)
    assert refusal is not None and refusal.category in {"private", "loopback", "unique-local"}


def test_allow_private_hands_out_every_address() -> None:
    resolver = GuardedResolver(FakeReactor(), allow_private=True, timeout=0)
    assert _resolve(resolver, "mixed.example") == ["93.184.216.34", "127.0.0.1"]


def test_the_configured_proxy_may_sit_on_a_private_address() -> None:
    resolver = GuardedResolver(FakeReactor(), proxy_hosts=["proxy.internal"], timeout=0)
    assert _resolve(resolver, "proxy.internal", 3128) == ["192.168.1.10"]
    assert _resolve(resolver, "internal.example") == []


def test_lookups_are_cached_so_a_rebinding_name_cannot_change_between_check_and_connect() -> None:
    reactor = FakeReactor()
    resolver = GuardedResolver(reactor, timeout=0)
    _resolve(resolver, "public.example")
    _resolve(resolver, "public.example")
    assert reactor.nameResolver.calls == 1


def test_lookup_of_an_unknown_name_gives_an_empty_list(resolver: GuardedResolver) -> None:
    results: list[Any] = []
    lookup: Deferred[Any] = resolver.lookup("nowhere.example")
    lookup.addCallback(results.append)
    assert results == [[]]


def test_no_proxy_is_not_mistaken_for_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", "http://10.1.2.3:3128")
    monkeypatch.setenv("no_proxy", "localhost,127.0.0.1")
    assert environment_proxy_hosts() == ["10.1.2.3"]

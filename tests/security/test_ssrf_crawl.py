"""SSRF, end to end: real Scrapy crawls (subprocesses) against the hostile server on 127.0.0.1.

`hostile.test` plays a public site on 127.0.0.1 (the HostileResolver test hook); `localhost` and
literal addresses go the real way. `/secret` stands for anything internal: it must never be hit.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.security.probe import run_probe
from tests.support.hostile import HostileServer, running_hostile_server

pytestmark = pytest.mark.slow
H = "hostile.test"
CANNOT_RESOLVE = "scrapy.exceptions.CannotResolveHostError"


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with running_hostile_server() as hostile:
        yield hostile


@dataclass
class Crawl:
    result: dict[str, Any]
    log: str
    hits: Counter[str]  # what the hostile server saw during this crawl
    port: int


def _probes(server: HostileServer, cases: dict[str, str]) -> list[dict[str, Any]]:
    return [{"label": label, "url": url} for label, url in cases.items()]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """One crawl with the default settings (private addresses refused), many cases."""
    with running_hostile_server() as server:
        yield _guarded_crawl(server, tmp_path_factory)


def _guarded_crawl(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    cases = {
        "ok": server.url("/ok", H),
        "redirect_metadata": server.url("/redirect/metadata", H),
        "redirect_loopback": server.url("/redirect/loopback", H),
        "redirect_decimal": server.url("/redirect/decimal", H),
        "redirect_localhost": server.url("/redirect/localhost", H),
        "redirect_file": server.url("/redirect/file", H),
        "redirect_credentials": server.url("/redirect/credentials", H),
        "direct_localhost": server.url("/secret", "localhost"),
        "direct_loopback": server.url("/secret"),
        "direct_hex": server.url("/secret", "0x7f.1"),
        "direct_ipv6_loopback": server.url("/secret", "[::1]"),
        "direct_file": "file:///etc/passwd",
        "direct_data": "data:text/html,<p>hi</p>",
        "direct_credentials": f"http://user:pw@{H}:{server.port}/ok",
        "rebinding": server.url("/secret", "rebind.test"),
        "robots_private": server.url("/ok", f"robots-private.{H}"),
    }
    result, log = run_probe(tmp_path_factory.mktemp("guarded"), _probes(server, cases))
    return Crawl(result, log, Counter(server.hits), server.port)


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("redirect_metadata", "private_address"),
        ("redirect_loopback", "private_address"),
        ("redirect_decimal", "private_address"),
        ("redirect_localhost", "private_resolution"),
        ("redirect_file", "scheme"),
        ("redirect_credentials", "credentials"),
        ("direct_localhost", "private_resolution"),
        ("direct_loopback", "private_address"),
        ("direct_hex", "private_address"),
        ("direct_ipv6_loopback", "private_address"),
        ("direct_file", "scheme"),
        ("direct_data", "scheme"),
        ("direct_credentials", "credentials"),
        ("rebinding", "private_resolution"),
    ],
)
def test_unsafe_requests_reach_the_errback_as_refusals(guarded: Crawl, label: str, reason: str) -> None:
    result, log = guarded.result, guarded.log
    record = result["records"][label]
    assert record["error"] == "RefusedRequest", record
    assert record["reason"] == reason
    assert result["stats"][f"security/refused_{reason}_count"] >= 1
    assert "Refused http" in log or "Refused file" in log or "Refused data" in log


def test_every_refusal_is_counted_by_reason(guarded: Crawl) -> None:
    stats = guarded.result["stats"]
    refusals = {key: value for key, value in stats.items() if key.startswith("security/refused_")}
    # robots_private adds a private_address refusal (its robots.txt redirects to 127.0.0.1) and
    # rebinding a second private_resolution one (its robots.txt request sees the rebound address).
    assert refusals == {
        "security/refused_private_address_count": 7,
        "security/refused_private_resolution_count": 4,
        "security/refused_scheme_count": 3,
        "security/refused_credentials_count": 2,
    }


def test_internal_resources_are_never_reached(guarded: Crawl) -> None:
    assert guarded.hits["/secret"] == 0
    # Every request the downloader sent either arrived here or was stopped by the resolver at
    # connect time (the rebinding name), so none went to 169.254.169.254 or anywhere else.
    stats = guarded.result["stats"]
    stopped_at_connect = stats.get(
        "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError", 0
    )
    arrived = sum(count for key, count in guarded.hits.items() if key.startswith("/"))
    assert stats["downloader/request_count"] == arrived + stopped_at_connect
    assert stopped_at_connect == 1


def test_the_crawl_goes_on_after_refusals(guarded: Crawl) -> None:
    assert guarded.result["records"]["ok"]["status"] == 200
    assert len(guarded.result["records"]) == 16


def test_each_refusal_logs_its_url(guarded: Crawl) -> None:
    assert "Refused http://169.254.169.254/latest/meta-data/: " in guarded.log
    assert f"Refused http://localhost:{guarded.port}/secret: localhost resolves to 127.0.0.1" in guarded.log
    assert "Refused file:///etc/passwd: " in guarded.log


def test_a_name_that_rebinds_after_the_first_check_is_refused_at_connect_time(guarded: Crawl) -> None:
    record = guarded.result["records"]["rebinding"]
    assert "rebind.test resolves to 127.0.0.1" in record["message"]
    assert "Refused to connect to rebind.test: it resolves to 127.0.0.1 (loopback)" in guarded.log


def test_resolver_alone_blocks_names_and_literals_at_connect_time(
    server: HostileServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Without the middleware, the resolver still hands out no private address (IP literals included,
    since Twisted's HostnameEndpoint resolves them through the installed resolver too)."""
    cases = {"localhost": server.url("/secret", "localhost"), "literal": server.url("/secret")}
    # Without robots.txt, whose unreachable answer would forbid the pages before they are tried.
    settings = {
        "DOWNLOADER_MIDDLEWARES": {"crawler.security.middleware.SSRFGuardMiddleware": None},
        "ROBOTSTXT_OBEY": False,
    }
    result, log = run_probe(tmp_path_factory.mktemp("resolver"), _probes(server, cases), settings)
    assert result["records"]["localhost"]["error"] == "CannotResolveHostError"
    assert result["records"]["literal"]["error"] == "CannotResolveHostError"
    assert "Refused to connect to localhost: it resolves to 127.0.0.1 (loopback)" in log
    assert server.hits["/secret"] == 0


def test_allow_private_opts_in(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    cases = {
        "localhost": server.url("/ok", "localhost"),
        "literal": server.url("/ok"),
        "redirect_loopback": server.url("/redirect/loopback", H),
        "file": "file:///etc/passwd",
    }
    settings = {"NEWSCRAWL_ALLOW_PRIVATE": True}
    result, _ = run_probe(tmp_path_factory.mktemp("allow"), _probes(server, cases), settings)
    records = result["records"]
    assert records["localhost"]["status"] == 200
    assert records["literal"]["status"] == 200
    assert records["redirect_loopback"]["url"].endswith("/secret")
    assert records["file"]["reason"] == "scheme"  # schemes stay refused even then


def test_proxy_on_a_private_address_is_used_but_private_targets_are_still_refused(
    server: HostileServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cases = {
        "via_proxy": "http://news.unresolvable.test/ok",
        "literal": server.url("/secret"),
        "localhost": server.url("/secret", "localhost"),
        "redirect_loopback": server.url("/redirect/loopback", H),
    }
    env = {**os.environ, "http_proxy": f"http://127.0.0.1:{server.port}"}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    result, _ = run_probe(tmp_path_factory.mktemp("proxy"), _probes(server, cases), env=env)
    records = result["records"]
    assert records["via_proxy"]["status"] == 200
    assert server.hits["proxied:http://news.unresolvable.test/ok"] == 1
    assert records["literal"]["reason"] == "private_address"
    assert records["localhost"]["reason"] == "private_resolution"
    assert records["redirect_loopback"]["reason"] == "private_address"
    assert server.hits["/secret"] == 0

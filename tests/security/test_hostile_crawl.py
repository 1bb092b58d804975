"""Whatever a server sends: one real crawl (a subprocess) through every hostile endpoint at once.

Each case must end in a response the spider can read, or a named drop (errback) with a log line and
a `fetch/failed_<reason>_count` counter, and the crawl must finish with every case accounted for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.security.probe import run_probe
from tests.support.hostile import running_hostile_server
from tests.support.hostile_payloads import MIB

pytestmark = pytest.mark.slow
H = "hostile.test"

DROPPED = {
    "/redirect/loop": "redirect_limit",
    "/redirect/ping": "redirect_limit",
    "/chain/30": "redirect_limit",
    "/storm": "http_503",
    "/status/500": "http_500",
    "/reset": "connection_lost",
    "/truncated": "data_loss",
    "/slow": "timeout",
    "/bomb/gzip": "too_large",
    "/bomb/deflate": "too_large",
    "/bomb/br": "too_large",
    "/bomb/zstd": "too_large",
    "/big": "too_large",
    "/endless": "too_large",
    "/binary": "binary",
}
READABLE = [
    "/ok",
    "/chain/3",
    "/charset/conflict",
    "/charset/wrong",
    "/charset/bogus",
    "/invalid-utf8",
    "/nul",
]
READABLE += ["/deep", "/gzip-2mib"]
ROBOTS = {  # robots.txt variant -> can /ok on that host be crawled?
    "robots-404": True,
    "robots-garbage": True,
    "robots-huge": True,  # its Disallow sits past the 500 KiB the standard asks crawlers to read
    "robots-private": True,  # redirected to 127.0.0.1: refused, so "unavailable"
    "robots-disallow": False,
    "robots-500": False,  # RFC 9309: server error means crawl nothing
    "robots-reset": False,
    "robots-slow": False,
}


@dataclass
class Crawl:
    result: dict[str, Any]
    log: str
    hits: Counter[str]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    with running_hostile_server() as server:
        probes = [{"label": path, "url": server.url(path, H)} for path in [*DROPPED, *READABLE]]
        probes += [{"label": name, "url": server.url("/ok", f"{name}.{H}")} for name in ROBOTS]
        probes.append(
            {
                "label": "per-source cap",
                "url": server.url("/gzip-2mib", H),
                "meta": {"max_response_bytes": MIB},
            }
        )
        result, log = run_probe(tmp_path_factory.mktemp("hostile"), probes)
        yield Crawl(result, log, Counter(server.hits))


@pytest.mark.parametrize(("path", "reason"), DROPPED.items())
def test_hostile_responses_are_dropped_with_a_reason_a_counter_and_a_log_line(
    crawl: Crawl, path: str, reason: str
) -> None:
    record = crawl.result["records"][path]
    assert record["drop"] == reason, record
    assert crawl.result["stats"][f"fetch/failed_{reason}_count"] >= 1
    # The log names the URL that failed: for a redirect chain, its last hop.
    last_hop = path if reason != "redirect_limit" else ""
    lines = [line for line in crawl.log.splitlines() if f"Dropped http://{H}:" in line]
    assert any(f"{last_hop}: {reason} (" in line for line in lines)


@pytest.mark.parametrize("path", READABLE)
def test_odd_but_harmless_responses_arrive_decoded_and_parseable(crawl: Crawl, path: str) -> None:
    record = crawl.result["records"][path]
    assert record["status"] == 200, record
    assert isinstance(record["text"], str)  # decoding never raised, whatever the charset claimed
    assert record["paragraphs"] >= 0  # and the markup parsed


def test_the_crawl_accounts_for_every_case(crawl: Crawl) -> None:
    assert len(crawl.result["records"]) == len(DROPPED) + len(READABLE) + len(ROBOTS) + 1


def test_redirect_chains_stop_at_the_limit(crawl: Crawl) -> None:
    assert crawl.hits[f"{H}/redirect/loop"] == 6  # the request and REDIRECT_MAX_TIMES = 5 hops
    assert crawl.result["records"]["/chain/3"]["url"].endswith("/chain/0")


def test_server_errors_are_retried_then_dropped(crawl: Crawl) -> None:
    assert crawl.hits[f"{H}/storm"] == 2  # RETRY_TIMES = 1 in the probe crawl
    assert crawl.result["stats"]["retry/max_reached"] >= 1


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_compression_bombs_are_cut_off_at_the_cap_not_expanded(crawl: Crawl, encoding: str) -> None:
    message = crawl.result["records"][f"/bomb/{encoding}"]["message"]
    assert "exceeded DOWNLOAD_MAXSIZE (10485760 B) during decompression" in message
    decompressed = int(message.split(" B decompressed so far")[0].rsplit("(", 1)[1].split(", ")[-1])
    assert decompressed < 11 * MIB  # stopped within a chunk of the cap, far below the 64 MiB bomb


def test_per_source_cap_applies_after_decompression(crawl: Crawl) -> None:
    assert crawl.result["records"]["/gzip-2mib"]["bytes"] > 2 * 1000 * 1000
    capped = crawl.result["records"]["per-source cap"]
    assert capped["drop"] == "too_large"
    assert "(1048576 B) during decompression" in capped["message"]


@pytest.mark.parametrize("path", ["/charset/wrong", "/charset/conflict"])
def test_pages_whose_declared_charset_is_wrong_are_decoded_with_the_one_that_works(
    crawl: Crawl, path: str
) -> None:
    assert "Министры встретились в Женеве" in crawl.result["records"][path]["text"]


def test_charset_and_nul_repairs_are_counted(crawl: Crawl) -> None:
    stats = crawl.result["stats"]
    assert stats["content/charset_corrected_count"] == 1  # /charset/wrong
    assert stats["content/charset_conflict_count"] == 1  # /charset/conflict
    assert stats["content/charset_invalid_count"] == 1  # /invalid-utf8
    assert stats["content/charset_unknown_count"] == 1  # /charset/bogus: x-no-such-charset
    assert stats["content/nul_stripped_count"] == 1
    assert "\x00" not in crawl.result["records"]["/nul"]["text"]
    assert "nulbytesinside" in crawl.result["records"]["/nul"]["text"]


def test_binary_served_as_html_is_dropped_before_extraction(crawl: Crawl) -> None:
    assert crawl.result["stats"]["content/dropped_binary_count"] == 1
    assert "png data served as text/html" in crawl.log


@pytest.mark.parametrize(("variant", "allowed"), ROBOTS.items())
def test_robots_txt_is_handled_per_the_standard(crawl: Crawl, variant: str, allowed: bool) -> None:
    record = crawl.result["records"][variant]
    if allowed:
        assert record.get("status") == 200, record
    else:
        assert record["drop"] == "robots_forbidden", record


def test_robots_txt_outcomes_are_counted_and_logged(crawl: Crawl) -> None:
    stats = crawl.result["stats"]
    assert stats["robotstxt/unreachable_count"] == 3  # 500, reset, slow
    assert stats["robotstxt/truncated_count"] == 2  # huge, garbage
    assert stats["robotstxt/unavailable_count"] == 2  # 404, redirected to a private address
    assert (
        f"robots.txt for robots-slow.{H}" in crawl.log and "unreachable (DownloadTimeoutError)" in crawl.log
    )

"""A real Scrapy crawl in a subprocess: `python -m tests.security.probe CONFIG.json OUT.json`.

A tiny spider fetches each configured URL (errback on), records what came back or why it failed,
and writes those records plus the crawl stats to OUT.json. `HostileResolver` is the test hook:
`*.hostile.test` resolves to 127.0.0.1 and counts as public, every other name resolves for real.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from twisted.internet.address import IPv4Address
from twisted.internet.defer import Deferred, succeed
from twisted.internet.interfaces import IAddress
from twisted.python.failure import Failure

from crawler.defaults import declared
from crawler.security.failures import record_failure
from crawler.security.resolver import GuardedResolver, Refusal
from crawler.security.settings import SECURITY_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
FAKE_PUBLIC = "hostile.test"


def _is_fake_public(host: str) -> bool:
    return host == FAKE_PUBLIC or host.endswith("." + FAKE_PUBLIC)


class HostileResolver(GuardedResolver):
    """The guarded resolver with fake DNS for the tests: `*.hostile.test` is a public site living on
    127.0.0.1, `*.unresolvable.test` does not resolve, and `rebind.test` rebinds: a public address on
    the first lookup, 127.0.0.1 after it. Every other name (`localhost`) resolves for real."""

    rebind_lookups = 0

    def lookup(self, host: str) -> Deferred[list[IAddress]]:
        host = host.lower()
        if _is_fake_public(host):
            return succeed([IPv4Address("TCP", "127.0.0.1", 0)])
        if host.endswith(".unresolvable.test"):
            return succeed([])
        if host == "rebind.test":
            HostileResolver.rebind_lookups += 1
            address = "93.184.216.34" if HostileResolver.rebind_lookups == 1 else "127.0.0.1"
            return succeed([IPv4Address("TCP", address, 0)])
        return super().lookup(host)

    def judge(self, host: str, addresses: Sequence[IAddress]) -> Refusal | None:
        if _is_fake_public(host.lower()):
            return None
        return super().judge(host, addresses)


class ProbeSpider(Spider):
    name = "probe"

    def __init__(self, probes: list[dict[str, Any]], out: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.probes = probes
        self.out = out
        self.records: dict[str, dict[str, Any]] = {}

    async def start(self) -> AsyncIterator[Request]:
        for probe in self.probes:
            meta = {"label": probe["label"], **probe.get("meta", {})}
            yield Request(probe["url"], callback=self.parse, errback=self.failed, meta=meta, dont_filter=True)

    def parse(self, response: Response) -> None:
        record: dict[str, Any] = {"status": response.status, "url": response.url, "bytes": len(response.body)}
        record["class"] = type(response).__name__
        if isinstance(response, TextResponse):
            record["encoding"] = response.encoding
            record["text"] = response.text[:300]
            record["paragraphs"] = len(response.css("p"))  # parses the markup, however deep
        self.records[response.meta["label"]] = record

    def failed(self, failure: Failure) -> None:
        label = failure.request.meta["label"]  # type: ignore[attr-defined]
        drop = record_failure(self.crawler.stats, failure)
        self.records[label] = {"error": failure.type.__name__, "message": str(failure.value)[:400]}
        self.records[label].update(reason=getattr(failure.value, "reason", None), drop=drop)

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        Path(self.out).write_text(json.dumps({"records": self.records, "stats": stats}, default=str))


def crawl_settings(overrides: dict[str, Any]) -> dict[str, Any]:
    settings = {
        **declared(),
        **SECURITY_SETTINGS,
        # robots.txt per RFC 9309 lives with the politeness middlewares; the guards rely on it.
        "DOWNLOADER_MIDDLEWARES": {
            **SECURITY_SETTINGS["DOWNLOADER_MIDDLEWARES"],
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.politeness.robots.PoliteRobotsTxtMiddleware": 100,
        },
        "TWISTED_DNS_RESOLVER": "tests.security.probe.HostileResolver",
        "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 4,  # roomy on a busy machine; /slow drips for 60 s
        "RETRY_TIMES": 1,
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
        "USER_AGENT": "newscrawl-test (+https://example.org/newscrawl)",
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(settings.get(key), dict):
            settings[key] = {**settings[key], **value}
        else:
            settings[key] = value
    return settings


def run_probe(
    tmp_path: Path,
    probes: list[dict[str, Any]],
    settings: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
) -> tuple[dict[str, Any], str]:
    """Run one crawl in a subprocess; return (its records and stats, its log)."""
    config = tmp_path / "probe-config.json"
    out = tmp_path / "probe-out.json"
    config.write_text(json.dumps({"probes": probes, "settings": settings or {}}))
    done = subprocess.run(
        [sys.executable, "-m", "tests.security.probe", str(config), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    if done.returncode != 0 or not out.exists():
        raise AssertionError(f"probe crawl failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(out.read_text()), done.stderr


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[1]).read_text())
    process = CrawlerProcess(crawl_settings(config["settings"]))
    process.crawl(ProbeSpider, probes=config["probes"], out=argv[2])
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

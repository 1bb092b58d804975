"""`newscrawl sources --check`: each outlet's text-and-data-mining stance, read from its homepage.

A small crawl with newscrawl's own settings, so robots.txt and tdmrep.json are fetched through the
same guarded path as in a crawl (SSRF guard, robots.txt, size caps); the pipelines are off and
nothing is stored. One `Verdict` per source: its stance, or why it could not be read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.registry import Source
from crawler.rights.middleware import RESERVED_LOCATIONS_META, RIGHTS_META
from crawler.run.runner import newscrawl_settings
from crawler.security.failures import failure_reason

_OFF = {
    "ITEM_PIPELINES": {
        "crawler.pipelines.ExtractPipeline": None,
        "crawler.pipelines.DedupPipeline": None,
        "crawler.pipelines.StorePipeline": None,
    },
    "EXTENSIONS": {"crawler.monitoring.progress.Progress": None, "crawler.monitoring.metrics.Metrics": None},
    "STORAGE_WRITE": False,
    "LOG_LEVEL": "ERROR",
    "RETRY_TIMES": 0,  # a check reports what it met; a crawl is where retries pay
}


@dataclass(frozen=True)
class Verdict:
    source_id: str
    url: str
    rights: dict[str, Any] | None = None  # None: the homepage could not be fetched
    error: str | None = None
    reserved_locations: tuple[str, ...] = ()  # the paths tdmrep.json reserves, wherever they are
    disallowed: bool = False  # robots.txt keeps newscrawl itself off the homepage

    def line(self, width: int = 0) -> str:
        name = self.source_id.ljust(width)
        if self.disallowed:
            return f"{name}  disallowed (robots.txt keeps newscrawl off its homepage: nothing is fetched)"
        if self.rights is None:
            return f"{name}  unknown: {self.error} ({self.url})"
        if not self.rights["tdm_reserved"]:
            said = f"by {self.rights['signal']}" if self.rights["signal"] else "no TDMRep or AI-crawler rules"
            if self.reserved_locations:
                shown = ", ".join(self.reserved_locations[:5])
                return f"{name}  not reserved for the homepage ({said}); tdmrep.json reserves {shown}"
            return f"{name}  not reserved ({said})"
        policy = f", policy {self.rights['policy']}" if self.rights["policy"] else ""
        return f"{name}  reserved (by {self.rights['signal']}{policy})"


class RightsCheckSpider(scrapy.Spider):
    """Fetches each source's homepage once; TdmRightsMiddleware reads the stance on the way."""

    name = "rights_check"

    def __init__(self, sources: list[Source] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = list(sources or [])
        self.verdicts: dict[str, Verdict] = {}

    async def start(self) -> Any:
        for source in self.sources:
            yield Request(
                source.homepage,
                callback=self.checked,
                errback=self.failed,
                dont_filter=True,
                meta={"source_id": source.id, "newscrawl_kind": "rights_check"},
            )

    def checked(self, response: Response) -> Iterable[Any]:
        source_id = response.meta["source_id"]
        rights = response.meta.get(RIGHTS_META)
        locations = tuple(response.meta.get(RESERVED_LOCATIONS_META) or ())
        error = None if rights else "no stance read"
        self.verdicts[source_id] = Verdict(source_id, response.url, rights, error, locations)
        return ()

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        if response is not None:
            message = f"HTTP {response.status}"
        else:
            lines = str(failure.value).splitlines()
            detail = lines[0][:300] if lines else type(failure.value).__name__
            # An unreachable robots.txt keeps the homepage from being fetched: that is what to fix.
            reason = "unreachable" if "unreachable" in detail else failure_reason(failure.value)
            message = f"{reason}: {detail}"
        source_id = request.meta["source_id"]
        if message.startswith("robots_forbidden"):  # the outlet's answer, not a failure to get one
            self.verdicts[source_id] = Verdict(source_id, request.url, disallowed=True)
            return
        self.verdicts[source_id] = Verdict(source_id, request.url, None, message)


def check_sources(sources: list[Source], allow_private: bool = False) -> list[Verdict]:
    """One verdict per source, in registry order."""
    overrides = {**_OFF, "NEWSCRAWL_ALLOW_PRIVATE": allow_private}
    process = CrawlerProcess(newscrawl_settings(overrides))
    crawler = process.create_crawler(RightsCheckSpider)
    process.crawl(crawler, sources=sources)
    process.start()
    verdicts: dict[str, Verdict] = getattr(crawler.spider, "verdicts", {})
    return [
        verdicts.get(source.id) or Verdict(source.id, source.homepage, None, "not checked")
        for source in sources
    ]

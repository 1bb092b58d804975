"""Runs one crawl in this process with newscrawl's settings, and hands back its stats and items.

The CLI commands (crawl, fetch, demo) all go through `run_crawl`, so they share one pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings

from crawler.registry import Source

REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"


@dataclass
class CrawlResult:
    stats: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)  # item, reason, message
    report: dict[str, Any] | None = None  # the run report saved with the manifest

    def stat(self, key: str) -> int:
        return int(self.stats.get(key) or 0)

    @property
    def duplicates(self) -> int:
        return sum(self.stat(f"dedup/{match}_count") for match in ("exact", "near", "contained"))

    @property
    def errors(self) -> int:
        dropped = sum(v for k, v in self.stats.items() if k.startswith("item_dropped_reasons_count/"))
        return self.stat("log_count/ERROR") + dropped + self.stat("spider_exceptions/count")


def newscrawl_settings(overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(settings.get(key), (dict, BaseSettings)):
            # Component dicts (middlewares, pipelines) add to the project's, as in Scrapy's *_BASE.
            merged = dict(settings.getdict(key))
            merged.update(value)
            value = merged
        settings.set(key, value, priority="cmdline")
    if not settings.getbool("REMOTE_CONTROL_ENABLED"):
        # Scrapy imports every extension in EXTENSIONS_BASE, even one set to None in EXTENSIONS, and
        # this one imports aiohttp's web server only to decline: 0.1 s of every start-up.
        base = {
            name: order
            for name, order in settings.getdict("EXTENSIONS_BASE").items()
            if name != REMOTE_CONTROL
        }
        settings.set("EXTENSIONS_BASE", base, priority="project")
    return settings


def run_crawl(
    sources: list[Source],
    overrides: dict[str, Any] | None = None,
    *,
    urls: list[str] | None = None,
    keep_items: bool = False,
    spider_kwargs: dict[str, Any] | None = None,
) -> CrawlResult:
    from crawler.spiders.news import NewsSpider

    process = CrawlerProcess(newscrawl_settings(overrides))
    crawler = process.create_crawler(NewsSpider)
    result = CrawlResult(stats={})

    def on_item(item: dict[str, Any]) -> None:
        if keep_items:
            result.items.append(item)

    def on_dropped(item: dict[str, Any], exception: BaseException) -> None:
        if keep_items:
            result.dropped.append((item, type(exception).__name__, str(exception)))

    crawler.signals.connect(on_item, signal=signals.item_scraped)
    crawler.signals.connect(on_dropped, signal=signals.item_dropped)
    failures: list[BaseException] = []
    deferred = process.crawl(crawler, sources=sources, urls=urls, **(spider_kwargs or {}))
    deferred.addErrback(lambda failure: failures.append(failure.value))
    process.start()
    if failures:
        # Start-up errors (bad settings, unreachable store) surface as the command's own error.
        raise failures[0]
    result.stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    run = getattr(crawler, "_newscrawl_run", None)
    result.report = run.report if run is not None else None
    return result

"""Run one crawl in this process with the project's real settings (`crawler.settings`, through
`newscrawl_settings`) and its real pipelines, and write what it did as JSON lines. Tests run it as a
child: Twisted's reactor cannot restart.

Usage: python -m tests.support.crawl CONFIG.json — keys: sources (registry path), source_ids, urls,
since, seen_dir (the store, and with it the seen-store, kept between runs), settings (overrides), out.
Writes OUT (every page item as the spider yielded it, before the pipelines), OUT.records (what the
pipelines passed), OUT.dropped (what they dropped, with the reason), OUT.requests (every request sent,
with its kind and source) and OUT.stats.json (the crawl stats).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess

from crawler.discovery.urls import canonical_identity
from crawler.registry import load_registry
from crawler.run.runner import newscrawl_settings
from crawler.spiders.news import NewsSpider

PAGES_OUT = "NEWSCRAWL_TEST_PAGES_OUT"


class PageTap:
    """Ahead of the real pipelines: writes each page item as the spider yielded it, and passes it on."""

    def __init__(self, path: str) -> None:
        self.out = Path(path)
        self.out.write_text("", encoding="utf-8")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageTap:
        return cls(crawler.settings[PAGES_OUT])

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        page = {k: v for k, v in item.items() if k not in ("body", "wire_body", "wire_headers")}
        if isinstance(item.get("body"), bytes):
            page["body_sha256"] = hashlib.sha256(item["body"]).hexdigest()
            page["body_text"] = item["body"].decode("utf-8", "replace")
            page["canonical"] = canonical_identity(item)
        with self.out.open("a", encoding="utf-8") as out:
            out.write(json.dumps(page, default=str) + "\n")
        return item


def settings_for(config: dict[str, Any]) -> dict[str, Any]:
    """Overrides of the real settings: fake outlets live on 127.0.0.x; the store is the test's."""
    out = Path(config["out"])
    store = Path(config.get("seen_dir") or f"{out}.store")
    return {
        "NEWSCRAWL_ALLOW_PRIVATE": True,
        "TELNETCONSOLE_ENABLED": False,
        "AUTOTHROTTLE_START_DELAY": 0.0,
        "EXTRACT_WORKERS": 0,
        "STORAGE_URI": store.resolve().as_uri(),
        # A crawl that writes keeps a seen-store in its store; without seen_dir nothing is remembered.
        "STORAGE_WRITE": bool(config.get("seen_dir")),
        "ITEM_PIPELINES": {f"{__name__}.PageTap": 0},  # added to the real pipelines, ahead of them
        PAGES_OUT: str(out),
        **config.get("settings", {}),
    }


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    sources = load_registry(config["sources"]) if config.get("sources") else None
    if sources and config.get("source_ids"):
        sources = [s for s in sources if s.id in config["source_ids"]]
    out = config["out"]
    with (
        Path(f"{out}.records").open("w") as records,
        Path(f"{out}.dropped").open("w") as dropped,
        Path(f"{out}.requests").open("w") as requests,
    ):
        crawler = _crawl(config, sources, records, dropped, requests)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    Path(f"{out}.stats.json").write_text(json.dumps(stats, default=str))
    return 0


def _crawl(
    config: dict[str, Any], sources: Any, records: TextIO, dropped: TextIO, requests: TextIO
) -> Crawler:
    def write(out: TextIO, row: dict[str, Any]) -> None:
        out.write(json.dumps(row, default=str) + "\n")
        out.flush()

    def scraped(item: dict[str, Any], **_: Any) -> None:
        write(records, {k: v for k, v in item.items() if not k.startswith("_")})

    def was_dropped(item: dict[str, Any], exception: BaseException, **_: Any) -> None:
        url = item.get("final_url") or item.get("url")
        write(dropped, {"url": url, "reason": type(exception).__name__})

    def reached(request: Any, **_: Any) -> None:
        write(
            requests,
            {
                "url": request.url,
                "kind": request.meta.get("newscrawl_kind"),
                "source_id": request.meta.get("source_id"),
            },
        )

    process = CrawlerProcess(newscrawl_settings(settings_for(config)), install_root_handler=True)
    crawler = process.create_crawler(NewsSpider)
    crawler.signals.connect(scraped, signal=signals.item_scraped)
    crawler.signals.connect(was_dropped, signal=signals.item_dropped)
    crawler.signals.connect(reached, signal=signals.request_reached_downloader)
    process.crawl(crawler, sources=sources, urls=config.get("urls"), since=config.get("since"))
    process.start()
    return crawler


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

"""Run one NewsSpider crawl in this process and write its items as JSON lines (tests run it as a child).

Usage: python -m tests.discovery.runcrawl CONFIG.json — keys: sources (registry path), source_ids,
urls, since, seen_dir, settings (overrides), out (JSONL path; OUT.requests lists every request sent
with its kind and source, OUT.stats.json the crawl stats). It also plays the lead's pipeline
part for the seen-store: canonical identity and seen.observe per page item.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from crawler.defaults import declared
from crawler.discovery.urls import canonical_identity
from crawler.politeness.settings import POLITENESS_SETTINGS
from crawler.registry import load_registry
from crawler.spiders.news import NewsSpider


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    settings = {
        **declared(),
        **POLITENESS_SETTINGS,
        "NEWSCRAWL_ALLOW_PRIVATE": True,
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
        "AUTOTHROTTLE_START_DELAY": 0.0,
        **config.get("settings", {}),
    }
    sources = load_registry(config["sources"]) if config.get("sources") else None
    if sources and config.get("source_ids"):
        sources = [s for s in sources if s.id in config["source_ids"]]
    seen = None
    if config.get("seen_dir"):
        from crawler.seen import SeenStore
        from crawler.storage.local import FileStore

        seen = SeenStore(FileStore(config["seen_dir"]))
    out_path = Path(config["out"])
    with out_path.open("w", encoding="utf-8") as out, Path(f"{out_path}.requests").open("w") as requests:
        crawler = _crawl(config, settings, sources, seen, out, requests)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    Path(config["out"] + ".stats.json").write_text(json.dumps(stats, default=str))
    return 0


def _crawl(
    config: dict[str, Any], settings: dict[str, Any], sources: Any, seen: Any, out: Any, requests: Any
) -> Any:

    def scraped(item: dict[str, Any], **_: Any) -> None:
        record = {k: v for k, v in item.items() if k != "body"}
        if "body" in item:
            body = item["body"]
            record["body_sha256"] = hashlib.sha256(body).hexdigest()
            record["body_text"] = body.decode("utf-8", "replace")
            record["canonical"] = canonical_identity(item)
            if seen is not None:
                obs = seen.observe(record["canonical"], record["body_sha256"], None)
                record["observation"] = {
                    "is_new": obs.is_new,
                    "revision": obs.revision,
                    "changed": obs.changed,
                }
        out.write(json.dumps(record) + "\n")
        out.flush()

    def reached(request: Any, **_: Any) -> None:
        requests.write(
            json.dumps(
                {
                    "url": request.url,
                    "kind": request.meta.get("newscrawl_kind"),
                    "source_id": request.meta.get("source_id"),
                }
            )
            + "\n"
        )

    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(NewsSpider)
    crawler.signals.connect(scraped, signal=signals.item_scraped)
    crawler.signals.connect(reached, signal=signals.request_reached_downloader)
    process.crawl(crawler, sources=sources, urls=config.get("urls"), since=config.get("since"), seen=seen)
    process.start()
    return crawler


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

"""A tiny real crawl with the monitoring extensions on; the metrics test runs it as a subprocess.

argv: BASE_URL TEXTFILE. Prints the run report as JSON on stdout when the crawl ends.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DropItem
from scrapy.http import Response

from crawler.defaults import declared
from crawler.monitoring import MONITORING_SETTINGS, run_report


class EmptyText(DropItem):
    """The page had no article text."""


class DropEmptyPipeline:
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if not item["text"]:
            raise EmptyText(f"no text at {item['url']}")
        return item


class TinySpider(Spider):
    name = "tiny"

    def __init__(self, base: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = base

    async def start(self) -> Any:
        for source, path in (("alpha", "/alpha/feed"), ("beta", "/beta/feed")):
            meta = {"source_id": source, "newscrawl_kind": "feed"}
            yield Request(self.base + path, meta=meta, callback=self.parse_feed)
        # Held open by the test server until the test has scraped /metrics mid-crawl.
        yield Request(self.base + "/hold", meta={"source_id": "alpha", "newscrawl_kind": "homepage"})

    def parse_feed(self, response: Response) -> Iterator[Request]:
        source = response.meta["source_id"]
        for href in response.css("a::attr(href)").getall():
            meta = {"source_id": source, "newscrawl_kind": "article"}
            yield response.follow(href, meta=meta, callback=self.parse_article)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.url,
            "source": response.meta["source_id"],
            "text": " ".join(response.css("p::text").getall()),
            "authors": response.css("meta[name=author]::attr(content)").getall(),
            "published_at": response.css("time::attr(datetime)").get(),
            "duplicate_of": response.css("link[rel=original]::attr(href)").get(),
        }

    def parse(self, response: Response) -> None:
        return None


def main(base: str, textfile: str) -> None:
    settings = {
        **declared(),
        **MONITORING_SETTINGS,
        "ITEM_PIPELINES": {f"{__name__}.DropEmptyPipeline": 100},
        "NEWSCRAWL_ALLOW_PRIVATE": True,
        "METRICS_PORT": 0,
        "METRICS_HOST": "127.0.0.1",
        "METRICS_TEXTFILE": textfile,
        "METRICS_INTERVAL": 1,
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_ENABLED": False,
        "LOG_LEVEL": "INFO",
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(TinySpider)
    process.crawl(crawler, base=base)
    process.start()
    print(json.dumps(run_report(crawler, expected_sources=["alpha", "beta", "gamma"])))


if __name__ == "__main__":
    main(*sys.argv[1:])

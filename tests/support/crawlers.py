"""A Scrapy test crawler that carries newscrawl's declared defaults, as a component finds them in a
real crawl (components read their settings without a fallback)."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.defaults import declared


def newscrawl_crawler(spidercls: type[Spider] = Spider, settings: dict[str, Any] | None = None) -> Crawler:
    return get_crawler(spidercls, {**declared(), **(settings or {})})

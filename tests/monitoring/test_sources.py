from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request, Spider, signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import HtmlResponse
from twisted.python.failure import Failure

from crawler.monitoring.counters import per_source_stats
from crawler.monitoring.sources import SourceStats
from tests.support.crawlers import newscrawl_crawler


class EmptyText(DropItem):
    pass


class Harness:
    """Sends real Scrapy signals to a real SourceStats and fails on any handler error."""

    def __init__(self) -> None:
        self.crawler = newscrawl_crawler(Spider, {"EXTENSIONS_BASE": {}})  # only ours listens
        self.spider = Spider("t")
        self.extension = SourceStats.from_crawler(self.crawler)

    def send(self, signal: object, **kwargs: Any) -> None:
        for _, result in self.crawler.signals.send_catch_log(signal, spider=self.spider, **kwargs):
            assert not isinstance(result, Failure), result.getTraceback()

    def rows(self) -> dict[str, dict[str, Any]]:
        return per_source_stats(self.crawler.stats.get_stats())

    def fetch(self, request: Request, status: int = 200) -> None:
        response = HtmlResponse(request.url, status=status, body=b"<html></html>", request=request)
        self.send(signals.response_downloaded, response=response, request=request)
        self.send(signals.request_left_downloader, request=request)
        self.send(signals.response_received, response=response, request=request)


def _request(url: str, kind: str = "article", source: str = "alpha", **meta: Any) -> Request:
    return Request(url, meta={"source_id": source, "newscrawl_kind": kind, **meta})


def test_discovered_counts_new_article_urls_only() -> None:
    harness = Harness()
    harness.send(signals.request_scheduled, request=_request("http://a.test/1"))
    harness.send(signals.request_scheduled, request=_request("http://a.test/feed", kind="feed"))
    harness.send(signals.request_scheduled, request=_request("http://a.test/1", retry_times=1))
    harness.send(signals.request_scheduled, request=_request("http://a.test/2", redirect_times=1))
    seen = _request("http://a.test/0")
    harness.send(signals.request_scheduled, request=seen)
    harness.send(signals.request_dropped, request=seen)  # the dupefilter refused it
    assert harness.rows()["alpha"]["discovered"] == 1
    assert harness.rows()["alpha"]["known"] == 1  # refused as seen: the source's discovery works


def test_a_url_that_failed_under_fetch_is_not_counted_as_stored() -> None:
    harness = Harness()
    failed = {"source": "alpha", "url": "http://a.test/1", "error": "HTTP 404"}
    harness.send(signals.item_scraped, item=failed, response=None)
    assert harness.rows().get("alpha", {}).get("stored", 0) == 0


def test_a_copy_stored_before_its_clusters_origin_counts_as_a_duplicate() -> None:
    harness = Harness()
    for item in (
        {"source": "alpha", "text": "x", "match": "unique"},
        {"source": "alpha", "text": "x", "match": "near", "duplicate_of": "abc"},
        # The agency's own copy, matched after the outlet's: it becomes the origin, so no duplicate_of.
        {"source": "alpha", "text": "x", "match": "exact", "duplicate_of": None},
    ):
        harness.send(signals.item_scraped, item=item, response=None)
    assert harness.rows()["alpha"]["duplicates"] == 2


def test_pages_fetched_and_http_errors_per_source() -> None:
    harness = Harness()
    harness.fetch(_request("http://a.test/feed", kind="feed"))
    harness.fetch(_request("http://a.test/1"))
    harness.fetch(_request("http://a.test/2"), status=404)
    failed = _request("http://b.test/1", source="beta")
    harness.send(signals.request_left_downloader, request=failed)  # no response: connection error
    rows = harness.rows()
    assert (rows["alpha"]["pages"], rows["alpha"]["fetched"], rows["alpha"]["http_errors"]) == (3, 1, 1)
    assert rows["beta"]["http_errors"] == 1 and rows["beta"]["pages"] == 0


def test_items_count_stored_duplicates_completeness_and_median() -> None:
    harness = Harness()
    items = [
        {"source": "alpha", "text": "x" * 100, "authors": ["A"], "published_at": "2026-11-29T06:00:00Z"},
        {"source": "alpha", "text": "x" * 300, "authors": [], "published_at": None, "duplicate_of": "abc"},
        {"source": "alpha", "text": "x" * 200, "authors": ["B"], "published_at": None},
    ]
    for item in items:
        harness.send(signals.item_scraped, item=item, response=None)
    assert harness.rows()["alpha"]["median_text_length"] is None  # computed once, at close
    harness.send(signals.spider_closed, reason="finished")
    row = harness.rows()["alpha"]
    assert (row["stored"], row["duplicates"], row["with_author"], row["with_date"]) == (3, 1, 2, 1)
    assert row["median_text_length"] == 200


def test_drops_are_counted_by_exception_class_name_and_errors_kept_apart() -> None:
    harness = Harness()
    item = {"source": "alpha", "text": ""}
    harness.send(signals.item_dropped, item=item, response=None, exception=EmptyText("no text"))
    harness.send(signals.item_dropped, item=item, response=None, exception=EmptyText("no text"))
    try:
        raise KeyError("title")
    except KeyError:
        failure = Failure()
    harness.send(signals.item_error, item=item, response=None, failure=failure)
    assert harness.rows()["alpha"]["dropped"] == {"EmptyText": 2, "error:KeyError": 1}


def test_requests_and_items_without_a_source_are_ignored() -> None:
    harness = Harness()
    harness.fetch(Request("http://a.test/robots.txt"))
    harness.send(signals.item_scraped, item={"text": "x"}, response=None)
    assert harness.rows() == {}


def test_source_stats_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        SourceStats.from_crawler(newscrawl_crawler(Spider, {"NEWSCRAWL_SOURCE_STATS": False}))

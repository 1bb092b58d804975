"""The frontier's wire format: a newscrawl request goes through whole, bytes included, and anything
else (a pickle, bad JSON, a field or meta key outside the schema, a callback the spider does not
offer, a URL that is not http(s), an oversized entry) is refused with a reason."""

from __future__ import annotations

import json
import os
import pickle
from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict

from crawler.discovery.announce import Announcement
from crawler.frontier import serializer
from crawler.frontier.checks import RefusedEntry
from crawler.frontier.schema import CALLBACKS, ERRBACKS
from crawler.spiders.news import NewsSpider

SPIDER = NewsSpider()


def article_request() -> Request:
    announced = Announcement(
        "https://outlet.example/news/a1/", "news-sitemap", "Ünïcode title", datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
        None, ("economy", "brics"), "pt",
    )  # fmt: skip
    return Request(
        "https://outlet.example/news/a1/?q=ação",
        callback=SPIDER.parse_article,
        errback=SPIDER.article_failed,
        method="GET",
        # Bytes that are not UTF-8, NUL and CR/LF included, in the body and in a header value.
        body=b"\x00\xff\xfe\r\nbinary",
        headers={"If-None-Match": b'"caf\xe9\x01"', "Referer": "https://outlet.example/feed.xml"},
        priority=7,
        flags=["rechecked"],
        meta={
            "source_id": "outlet",
            "newscrawl_kind": "article",
            "announcement": announced,
            "newscrawl_refetch": "recheck:12",
            "download_maxsize": 5_000_000,
            "depth": 2,
            "retry_times": 1,
            "redirect_urls": ["http://outlet.example/a1"],
            "redirect_reasons": [301],
            "newscrawl_host_delay": 1.5,
            # Set again by the downloader on every download: not shared.
            "download_slot": "outlet.example",
            "download_latency": 0.2,
        },
    )


def good_entry() -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(serializer.dumps(article_request().to_dict(spider=SPIDER)))
    return entry


def test_a_request_comes_back_whole_bytes_included() -> None:
    sent = article_request()
    received = request_from_dict(
        serializer.loads(serializer.dumps(sent.to_dict(spider=SPIDER))), spider=SPIDER
    )
    assert received.url == sent.url
    assert received.body == b"\x00\xff\xfe\r\nbinary"
    assert received.headers.getlist("If-None-Match") == [b'"caf\xe9\x01"']
    assert dict(received.headers) == dict(sent.headers)
    assert received.callback == SPIDER.parse_article and received.errback == SPIDER.article_failed
    assert (received.method, received.priority, received.flags, received.dont_filter) == (
        "GET",
        7,
        ["rechecked"],
        False,
    )
    expected_meta = {k: v for k, v in sent.meta.items() if k not in ("download_slot", "download_latency")}
    assert received.meta == expected_meta
    assert received.meta["announcement"].published_at == datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


class Payload:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("touch /tmp/never-created-by-newscrawl",))


def _with(path: str, value: Any) -> bytes:
    entry = good_entry()
    *parents, last = path.split(".")
    target = entry
    for key in parents:
        target = target[key]
    target[last] = value
    return json.dumps(entry).encode()


def _without(field: str) -> bytes:
    entry = good_entry()
    del entry[field]
    return json.dumps(entry).encode()


REFUSALS = {
    "pickle, protocol 5": (pickle.dumps(Payload(), protocol=5), "pickle"),
    "pickle, protocol 0": (pickle.dumps(Payload(), protocol=0), "pickle"),
    "pickled request dict": (pickle.dumps({"url": "https://outlet.example/"}), "pickle"),
    "not JSON": (b"{'url': 'https://outlet.example/'}", "malformed"),
    "not UTF-8": (b'{"v": 1, "url": "\xff"}', "malformed"),
    "a JSON list": (b'["https://outlet.example/"]', "malformed"),
    "nested 60,000 deep": (b"[" * 60_000, "malformed"),
    "no version": (_without("v"), "malformed"),
    "NaN": (_with("priority", 0).replace(b'"priority": 0', b'"priority": NaN'), "malformed"),
    "oversized": (_with("meta.given_url", "https://outlet.example/" + "a" * 70_000), "oversized"),
    "callback close": (_with("callback", "close"), "unknown_callback"),
    "callback dunder": (_with("callback", "__init__"), "unknown_callback"),
    "callback None": (_with("callback", None), "unknown_callback"),
    "errback a callback": (_with("errback", "parse_article"), "unknown_callback"),
    "errback close": (_with("errback", "close"), "unknown_callback"),
    "file URL": (_with("url", "file:///etc/passwd"), "bad_url"),
    "javascript URL": (_with("url", "javascript:alert(1)"), "bad_url"),
    "URL without host": (_with("url", "http:///news"), "bad_url"),
    "URL with broken IPv6": (_with("url", "http://[::1/news"), "bad_url"),
    "URL not a string": (_with("url", ["https://outlet.example/"]), "bad_value"),
    "Request subclass": (_with("_class", "scrapy.FormRequest"), "unknown_field"),
    "meta proxy": (_with("meta.proxy", "http://attacker.example:8080"), "unknown_field"),
    "meta cookiejar": (_with("meta.cookiejar", 1), "unknown_field"),
    "meta key with a newline": (_with("meta.x\n2026-12-07 [scrapy] INFO: forged", 1), "unknown_field"),
    "announcement extra": (_with("meta.announcement.code", "x"), "unknown_field"),
    "priority a string": (_with("priority", "1"), "bad_value"),
    "priority huge": (_with("priority", 10**30), "bad_value"),
    "depth negative": (_with("meta.depth", -1), "bad_value"),
    "no response cap": (_with("meta.download_maxsize", 0), "bad_value"),
    "response cap of 1 TB": (_with("meta.download_maxsize", 10**12), "bad_value"),
    "depth a bool": (_with("meta.depth", True), "bad_value"),
    "source_id a number": (_with("meta.source_id", 5), "bad_value"),
    "announcement via": (_with("meta.announcement.via", "pickle"), "bad_value"),
    "announcement naive date": (_with("meta.announcement.published_at", "2026-05-01T09:30:00"), "bad_value"),
    "body not base64": (_with("body", "not base64!"), "bad_value"),
    "header beyond Latin-1": (_with("headers", {"X": ["\u20ac"]}), "bad_value"),
    "header value not a list": (_with("headers", {"X": "v"}), "bad_value"),
    "method DELETE": (_with("method", "DELETE"), "bad_value"),
    "cb_kwargs": (_with("cb_kwargs", {"response": 1}), "bad_value"),
    "no URL": (_without("url"), "bad_value"),
}


@pytest.mark.parametrize("data, reason", REFUSALS.values(), ids=REFUSALS.keys())
def test_an_entry_outside_the_schema_is_refused_with_its_reason(data: bytes, reason: str) -> None:
    with pytest.raises(RefusedEntry) as refused:
        serializer.loads(data)
    assert refused.value.reason == reason


def test_a_refusal_names_unknown_keys_on_one_line() -> None:
    with pytest.raises(RefusedEntry) as refused:
        serializer.loads(_with("meta.x\nforged log line", 1))
    assert "\n" not in str(refused.value)


def test_a_request_no_worker_would_accept_is_refused_when_queued() -> None:
    request = article_request()
    request.meta["cookiejar"] = 1
    with pytest.raises(RefusedEntry, match="cookiejar"):
        serializer.dumps(request.to_dict(spider=SPIDER))


def test_the_schema_names_only_methods_the_spider_has() -> None:
    for name in CALLBACKS | ERRBACKS:
        assert callable(getattr(NewsSpider, name, None)), name

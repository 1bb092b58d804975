"""Fake outlets that publish a TDM reservation by one signal each, and the crawl that reads them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawler.storage import Reader, open_store
from tests.support.cli import FAST, run_cli
from tests.support.crawl import source, write_registry
from tests.support.fakesite import Article, FakeSite, article_page, news_outlet

POLICY = "https://rights.example/tdm-policy.json"
# (source id, loopback host, how the outlet reserves TDM); "plain" publishes nothing.
OUTLETS = (
    ("by-file", "127.0.0.2", "tdmrep.json"),
    ("by-header", "127.0.0.3", "header"),
    ("by-meta", "127.0.0.4", "meta"),
    ("by-robots", "127.0.0.5", "robots"),
    ("plain", "127.0.0.6", None),
)
ARTICLES_EACH = 2


def articles(source_id: str, count: int = ARTICLES_EACH) -> list[Article]:
    return [
        Article(
            f"{source_id}-{n}",
            f"{source_id} story {n}",
            f"The {source_id} outlet reports story number {n} in some detail. " * 12,
        )
        for n in range(count)
    ]


def plant(site: FakeSite, source_id: str, signal: str | None, count: int = ARTICLES_EACH) -> None:
    """`news_outlet`, plus the outlet's reservation by `signal`."""
    stories = articles(source_id, count)
    robots = "User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    news_outlet(site, stories, robots=robots if signal == "robots" else "User-agent: *\nAllow: /\n")
    if signal == "tdmrep.json":
        rules = [{"location": "/news/", "tdm-reservation": 1, "tdm-policy": POLICY}]
        site.add("/.well-known/tdmrep.json", json.dumps(rules), content_type="application/json")
    homepage = f"<html><head><title>{source_id}</title></head><body>Front page</body></html>"
    site.add("/", homepage)
    # The header and meta outlets declare it on every page, homepage included (`sources --check`).
    pages = [(story.path, article_page(site, story)) for story in stories] + [("/", homepage)]
    for path, page in pages:
        if signal == "header":
            site.add(path, page, **{"tdm-reservation": "1", "tdm-policy": POLICY})
        elif signal == "meta":
            tags = f'<meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="{POLICY}">'
            site.add(path, page.replace("<head>", "<head>" + tags))


def start_outlets(sites: Callable[[str], FakeSite]) -> dict[str, FakeSite]:
    started = {}
    for source_id, host, signal in OUTLETS:
        started[source_id] = sites(host)
        plant(started[source_id], source_id, signal)
    return started


def crawl(
    tmp_path: Path, outlets: dict[str, FakeSite], *settings: str, **registry_fields: dict[str, Any]
) -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    """Run `newscrawl crawl` over the outlets; return (the CLI's result, stored articles, run report)."""
    entries = [
        source(site, source_id, feeds=["/feed.xml"], wp_json=False, **registry_fields.get(source_id, {}))
        for source_id, site in outlets.items()
    ]
    registry = write_registry(tmp_path / "sources.toml", entries)
    uri = f"file://{tmp_path / 'store'}"
    result = run_cli("crawl", "--sources", str(registry), "--store", uri, "--allow-private", *FAST, *settings)
    assert result.returncode == 0, result.stderr[-3000:]
    store = open_store(uri)
    reader = Reader(store)
    report = json.loads(store.get_bytes(reader.runs()[-1]["stats"]["run_report"]))
    return result, list(reader.articles()), report

"""Hostile article pages through the real CLI crawl and store: charset labels that name no text
encoding, and JSON-LD nested past the recursion limit, cost nothing; the pages are stored, decoded as
a browser decodes them, and the odd labels are counted."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.storage import Reader, open_store
from tests.support.cli import FAST, run_cli
from tests.support.crawl import source, write_registry
from tests.support.fakesite import FakeSite

pytestmark = pytest.mark.slow

_WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "station",
    "minister",
    "school",
    "bridge",
    "festival",
    "market",
    "railway",
    "museum",
    "hospital",
    "election",
    "farmers",
    "drought",
    "vaccine",
    "airport",
    "library",
    "stadium",
    "orchestra",
    "shipyard",
    "tunnel",
    "ferry",
    "glacier",
    "vineyard",
    "bakery",
    "refinery",
    "court",
    "tram",
    "lighthouse",
    "quarry",
    "archive",
    "senate",
    "dam",
]
CAFE = "\u201cThe caf\u00e9 reopens\u201d \u2014 tickets cost \u20ac5, the owner said."


def _story(slug: str, extra_head: str = "", charset: str = "utf-8") -> str:
    pick = random.Random(slug).choice
    paragraphs = [" ".join(pick(_WORDS) for _ in range(18)).capitalize() + "." for _ in range(4)]
    body = "".join(f"<p>{p}</p>" for p in [CAFE, *paragraphs])
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}"><title>{slug}</title>'
        f'<meta property="og:type" content="article">{extra_head}</head>'
        f"<body><article><h1>Story {slug}</h1>{body}</article></body></html>"
    )


def _deep_jsonld(depth: int) -> str:
    author = "[" * depth + '"Deep Author"' + "]" * depth
    script = f'{{"@type": "NewsArticle", "headline": "Headline from JSON-LD", "author": {author}}}'
    return f'<script type="application/ld+json">{script}</script>'


# path -> (Content-Type, <meta charset>, extra head); bodies are windows-1252 unless said otherwise.
PAGES = {
    "/news/plain/": ("text/html; charset=windows-1252", "windows-1252", ""),
    "/news/zlib-header/": ("text/html; charset=zlib", "windows-1252", ""),
    "/news/rot13-meta/": ("text/html", "rot13", ""),
    "/news/base64-and-uu/": ("text/html; charset=base64", "uu", ""),
    "/news/undefined-and-idna/": ("text/html; charset=undefined", "idna", ""),
    "/news/utf7/": ("text/html; charset=utf-7", "punycode", ""),
    "/news/deep-jsonld/": ("text/html; charset=windows-1252", "windows-1252", _deep_jsonld(900)),
}


def test_pages_with_non_text_charsets_or_deep_jsonld_are_stored_and_counted(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    for path, (content_type, charset, head) in PAGES.items():
        site.add(path, _story(path.split("/")[2], head, charset).encode("cp1252"), content_type)
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    links = "".join(f"<item><link>{site.url(path)}</link></item>" for path in PAGES)
    site.add("/feed.xml", f'<rss version="2.0"><channel>{links}</channel></rss>', "application/rss+xml")
    registry = write_registry(tmp_path / "s.toml", [source(site, feeds=["/feed.xml"], wp_json=False)])
    store = f"file://{tmp_path / 'store'}"
    result = run_cli("crawl", "--sources", str(registry), "--store", store, "--allow-private", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    reader = Reader(open_store(store))
    articles = {a["url"]: a for a in reader.articles()}
    assert sorted(articles) == sorted(site.url(path) for path in PAGES), result.stderr[-6000:]
    for article in articles.values():
        assert CAFE in article["text"], article["url"]  # read as windows-1252, as browsers fall back
    deep = articles[site.url("/news/deep-jsonld/")]
    assert deep["title"] == "Headline from JSON-LD"  # the shallow part of the script still counts
    stats = reader.runs()[-1]["stats"]
    assert stats["content/charset_unknown_count"] == 5
    assert not [key for key in stats if key.startswith(("spider_exceptions/", "item_dropped"))], stats

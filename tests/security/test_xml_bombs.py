"""XML bombs as sitemaps: Scrapy's own sitemap parser (SitemapSpider) neither expands nor fetches.

Feeds are parsed by discovery's `crawler/discovery/xmlsafe.py`, tested there with these payloads.
"""

from __future__ import annotations

import pytest
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from tests.support.hostile import running_hostile_server
from tests.support.hostile_payloads import BILLION_LAUGHS, MIB, QUADRATIC, bomb, xxe


def _sitemap_locs(body: bytes) -> list[str]:
    return [entry.get("loc", "") for entry in Sitemap(body)]


def test_billion_laughs_sitemap_is_not_expanded() -> None:
    locs = _sitemap_locs(BILLION_LAUGHS)
    assert sum(len(loc) for loc in locs) < 1000  # 10**9 "lol"s would be 3 GB


def test_quadratic_blowup_is_not_expanded() -> None:
    body = QUADRATIC.replace(b"<rss", b"<urlset").replace(b"</rss>", b"</urlset>")
    locs = _sitemap_locs(body)
    assert sum(len(loc) for loc in locs) < 1000  # expanded, the title alone would be 2 GB


def test_external_entities_are_neither_read_nor_fetched() -> None:
    with running_hostile_server() as server:
        for target in ("file:///etc/passwd", server.url("/secret")):
            body = xxe(target).replace(b"<rss", b"<urlset").replace(b"</rss>", b"</urlset>")
            assert "root:" not in "".join(_sitemap_locs(body))
        assert server.hits["/secret"] == 0


def test_gzipped_sitemap_bomb_is_cut_off_at_the_cap() -> None:
    with pytest.raises(_DecompressionMaxSizeExceeded) as caught:
        gunzip(bomb("gzip"), max_size=10 * MIB)
    assert caught.value.decompressed_size < 11 * MIB

"""The WARC archive holds each response as received: a real crawl of a gzip-serving outlet into
file:// and SeaweedFS, read back with warcio. A compression bomb is still never stored."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.storage import RawResponse, Reader, open_store
from crawler.storage.warc import WarcBatch, read_record
from tests.support.cli import FAST, run_cli
from tests.support.fakesite import Article, article_page, rss_feed

pytestmark = pytest.mark.slow

PARAGRAPH = (
    "The harbour authority said on Tuesday that the new container terminal would open in the spring, "
    "after two years of delays caused by flooding, a dispute with the contractor and a shortage of cranes. "
)


def _outlet(site, tmp_path: Path) -> tuple[Article, bytes, Path]:
    story = Article("terminal", "Terminal opens in spring", "\n\n".join([PARAGRAPH] * 6))
    bomb = Article("bomb", "Bomb", PARAGRAPH)
    page = article_page(site, story).encode()
    sent = gzip.compress(page, mtime=0)
    site.add(story.path, sent, **{"Content-Encoding": "gzip"})
    # 64 MiB of spaces in 64 KiB: over DOWNLOAD_MAXSIZE (10 MiB) once decompressed.
    site.add(bomb.path, gzip.compress(b" " * (64 << 20), compresslevel=9), **{"Content-Encoding": "gzip"})
    site.add("/feed.xml", rss_feed(site, [story, bomb]), content_type="application/rss+xml")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nid = "harbour"\nname = "Harbour"\n'
        f'homepage = "{site.url("/")}"\nfeeds = ["{site.url("/feed.xml")}"]\n'
        'article_pattern = "/news/"\nwp_json = false\n'
    )
    return story, sent, registry


def test_the_warc_holds_the_gzip_bytes_the_server_sent_and_no_bomb(sites, store_uri, child_env, tmp_path):
    site = sites("127.0.0.2")
    story, sent, registry = _outlet(site, tmp_path)
    result = run_cli(
        "crawl", "--sources", str(registry), "--store", store_uri, "--allow-private", *FAST, env=child_env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with open_store(store_uri) as store:
        reader = Reader(store)
        [stored] = list(reader.articles())  # the bomb was dropped before it became an item
        assert stored["url"] == site.url(story.path)
        warc = store.get_bytes(stored["warc"]["file"])
        archived = reader.raw(stored)
    [(headers, payload)] = [
        (r.http_headers, r.raw_stream.read())
        for r in ArchiveIterator(io.BytesIO(warc))
        if r.rec_type == "response"
    ]
    assert headers.get_header("Content-Encoding") == "gzip"
    assert headers.get_header("Content-Length") == str(len(sent))
    assert payload == sent, "the payload is the bytes the server sent"
    [page] = [
        r.content_stream().read() for r in ArchiveIterator(io.BytesIO(warc)) if r.rec_type == "response"
    ]
    assert page == gzip.decompress(sent), "warcio's decoding reader gives the page"
    assert archived is not None and archived.body == gzip.decompress(sent)
    assert len(warc) < 64 << 10, "nothing decompressed was stored"
    stats = json.loads(run_cli("stats", "--store", store_uri, "--json", env=child_env).stdout)
    assert stats["articles"] == 1


def test_headers_describing_framing_the_body_no_longer_has_are_renamed():
    body = gzip.compress(b"<html>page</html>")
    headers = [
        ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked"),
        ("Content-Length", "99999"),
        ("ETag", '"v1"'),
    ]
    batch = WarcBatch()
    offset, length = batch.add(
        RawResponse("https://ex.com/a", 200, headers, body, "2026-12-07T10:00:00+00:00")
    )
    raw = read_record(batch.getvalue(), offset, length, decode=False)
    assert raw.body == body
    assert raw.headers == [
        ("Content-Encoding", "gzip"),
        ("X-Crawler-Transfer-Encoding", "chunked"),
        ("X-Crawler-Content-Length", "99999"),
        ("ETag", '"v1"'),
    ]
    assert read_record(batch.getvalue(), offset, length).body == b"<html>page</html>"

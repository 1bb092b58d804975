"""A small configurable fake news outlet on a loopback address, recording every request it serves.

Routes are data (path → status, headers, body) or callables; `news_outlet` renders articles into
pages, an RSS feed and a sitemap. Each outlet can bind its own 127.0.0.N, so hosts are distinct.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Hit:
    at: float  # time.monotonic() when the request arrived
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[["Hit"], Reply]


class FakeSite:
    """Serves `routes` (exact path incl. query, or path without query) and logs hits in `hits`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, 0), self._handler_class())
        self._server.daemon_threads = True
        self.host = host
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(
        self, path: str, body: bytes | str, content_type: str = "text/html", status: int = 200, **headers: str
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Reply(status, data, {"Content-Type": content_type, **headers})

    def hits_for(self, prefix: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path.startswith(prefix)]

    def start(self) -> FakeSite:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _reply(self, hit: Hit) -> Reply:
        with self._lock:
            self.hits.append(hit)
        route = self.routes.get(hit.path) or self.routes.get(hit.path.split("?", 1)[0])
        if route is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        return route(hit) if callable(route) else route

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                hit = Hit(time.monotonic(), "GET", self.path, {k.lower(): v for k, v in self.headers.items()})
                reply = site._reply(hit)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                pass

        return _Handler


@contextmanager
def running_site(host: str = "127.0.0.1") -> Iterator[FakeSite]:
    site = FakeSite(host).start()
    try:
        yield site
    finally:
        site.close()


@dataclass
class Article:
    slug: str
    title: str
    text: str
    published: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated: datetime | None = None

    @property
    def path(self) -> str:
        return f"/news/{self.slug}/"


def article_page(site: FakeSite, article: Article, canonical: bool = True) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n\n"))
    link = f'<link rel="canonical" href="{site.url(article.path)}">' if canonical else ""
    return (
        f"<html><head><title>{escape(article.title)}</title>{link}</head>"
        f"<body><article><h1>{escape(article.title)}</h1>{paragraphs}</article></body></html>"
    )


def rss_feed(site: FakeSite, articles: list[Article]) -> str:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{site.url(a.path)}</link>"
        f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
        for a in articles
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def sitemap(site: FakeSite, articles: list[Article]) -> str:
    entries = "".join(
        f"<url><loc>{site.url(a.path)}</loc><lastmod>{(a.updated or a.published).isoformat()}</lastmod></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


def news_outlet(site: FakeSite, articles: list[Article], robots: str = "User-agent: *\nAllow: /\n") -> None:
    """Plant article pages, /feed.xml (RSS 2.0), /sitemap.xml and robots.txt on `site`."""
    for article in articles:
        site.add(article.path, article_page(site, article))
    site.add("/feed.xml", rss_feed(site, articles), content_type="application/rss+xml")
    site.add("/sitemap.xml", sitemap(site, articles), content_type="application/xml")
    site.add("/robots.txt", robots, content_type="text/plain")

"""Serves the demo network: one HTTP server per outlet on 127.0.0.1, each on a port the OS picks, or
on the outlet's own fixed port (`newscrawl demo`) when that port is free.

Every outlet has a homepage, an RSS feed, a sitemap and a robots.txt naming the sitemap. The
server counts requests per path so tests can check what a crawl fetched.
"""

from __future__ import annotations

import errno
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.demo.network import NetworkData, Outlet
from crawler.demo.templates import render_article, render_homepage, render_rss, render_sitemap

FEED_PATHS = {"wordpress": "/feed/", "jsonld": "/rss.xml", "plain": "/news.rss"}


@dataclass
class OutletServer:
    outlet: Outlet
    server: ThreadingHTTPServer
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        host, port = self.server.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def feed_url(self) -> str:
        return self.base_url + FEED_PATHS[self.outlet.template]


def _handler_for(site: OutletServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real news sites serve

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits[path] += 1
            page = site.pages.get(path)
            if page is None:
                self.send_error(404)
                return
            content_type, body = page
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the demo prints its own summary."""

    return Handler


class DemoNetwork:
    """The running network; use as a context manager so the servers stop."""

    def __init__(self, data: NetworkData, fixed_ports: bool = False) -> None:
        self.data = data
        self.fixed_ports = fixed_ports
        self.sites: dict[str, OutletServer] = {}
        self.moved: list[str] = []  # outlets whose fixed port was taken, served elsewhere
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> DemoNetwork:
        for outlet in self.data.outlets:
            server = self._bind(outlet)
            site = OutletServer(outlet, server)
            server.RequestHandlerClass = _handler_for(site)
            server.daemon_threads = True
            self._render(site)
            self.sites[outlet.id] = site
            thread = threading.Thread(target=server.serve_forever, name=f"demo-{outlet.id}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _bind(self, outlet: Outlet) -> ThreadingHTTPServer:
        if self.fixed_ports and outlet.port:
            try:
                return ThreadingHTTPServer(("127.0.0.1", outlet.port), BaseHTTPRequestHandler)
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                self.moved.append(outlet.id)
        return ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)

    def __exit__(self, *exc: object) -> None:
        for site in self.sites.values():
            site.server.shutdown()
            site.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _render(self, site: OutletServer) -> None:
        articles = self.data.articles_of(site.outlet.id)
        base = site.base_url
        html, xml, text = "text/html; charset=utf-8", "application/xml; charset=utf-8", "text/plain"
        for article in articles:
            page = render_article(site.outlet, article, base + article.path, articles)
            site.pages[article.path] = (html, page.encode())
        feed_path = FEED_PATHS[site.outlet.template]
        site.pages["/"] = (html, render_homepage(site.outlet, articles, feed_path).encode())
        site.pages[feed_path] = (
            "application/rss+xml; charset=utf-8",
            render_rss(site.outlet, articles, base).encode(),
        )
        site.pages["/sitemap.xml"] = (xml, render_sitemap(articles, base).encode())
        robots = f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {base}/sitemap.xml\n"
        site.pages["/robots.txt"] = (text, robots.encode())

    def url_of(self, outlet_id: str, path: str) -> str:
        return self.sites[outlet_id].base_url + path

    def article_hits(self) -> dict[str, int]:
        """Article URL → how many times it was requested (tests count fetches with it)."""
        return {self.url_of(a.outlet, a.path): self.sites[a.outlet].hits[a.path] for a in self.data.articles}

    def reset_hits(self) -> None:
        for site in self.sites.values():
            with site.lock:
                site.hits.clear()

    def article_urls(self) -> dict[str, str]:
        """Article URL → its ground-truth story label."""
        return {self.url_of(a.outlet, a.path): a.story for a in self.data.articles}

    def registry_toml(self) -> str:
        """A source registry for this network, as a user would write it."""
        blocks = []
        for site in self.sites.values():
            base = site.base_url
            blocks.append(
                "[[source]]\n"
                f'id = "{site.outlet.id}"\nname = "{site.outlet.name}"\nhomepage = "{base}/"\n'
                f'feeds = ["{site.feed_url}"]\nsitemaps = ["{base}/sitemap.xml"]\n'
                f'allowed_domains = ["127.0.0.1"]\n'
                f"article_pattern = '^{base}/\\d{{4}}/\\d{{2}}/\\d{{2}}/'\n"
                'language = "en"\n'
            )
        return "\n".join(blocks)

"""A hostile HTTP server on 127.0.0.1 (a thread, port 0): every way a server can hurt a crawler.

Paths pick the attack (see `ROUTES`); the Host header's first label picks the robots.txt variant
(`robots-500.hostile.test` serves a 500), so one server plays many sites. `hits` counts requests.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
from backports import zstd

MIB = 1024 * 1024
BOMB_BYTES = 64 * MIB  # what each compression bomb expands to
ARTICLE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Wire story</title></head><body>"
    b"<article><h1>Ministers meet in Geneva</h1><p>Foreign ministers met on Friday to discuss the "
    b"ceasefire, officials said.</p></article></body></html>"
)


@cache
def bomb(encoding: str) -> bytes:
    """`BOMB_BYTES` of zeros, compressed: a few KiB on the wire, 64 MiB if expanded."""
    zeros = bytes(BOMB_BYTES)
    if encoding == "gzip":
        return gzip.compress(zeros, compresslevel=9, mtime=0)
    if encoding == "deflate":
        return zlib.compress(zeros, 9)
    if encoding == "br":
        return brotli.compress(zeros, quality=5)
    if encoding == "zstd":
        return zstd.compress(zeros)
    raise ValueError(f"unknown bomb encoding {encoding!r}: use gzip, deflate, br or zstd")


def deep_markup(depth: int = 10_000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"<p>deep</p>" + b"</div>" * depth + b"</body></html>"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b']>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>http://hostile.test/&lol9;</loc></url></urlset>"
)
QUADRATIC = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "'
    + b"A" * 100_000
    + b'">]>\n<rss version="2.0"><channel><title>q</title><item><title>'
    + b"&a;" * 20_000
    + b"</title><link>http://hostile.test/q</link></item></channel></rss>"
)


def xxe(target: str) -> bytes:
    """A feed whose item link would be the contents of `target` if entities were resolved."""
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "%s">]>\n'
        b'<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title>'
        b"<link>http://hostile.test/xxe</link></item></channel></rss>" % target.encode()
    )


class HostileServer:
    """Serves the attacks on 127.0.0.1:<port>; `stop()` ends slow responses and closes the socket."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hostile", daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def count(self, key: str) -> None:
        with self._lock:
            self.hits[key] += 1

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@contextlib.contextmanager
def running_hostile_server() -> Iterator[HostileServer]:
    server = HostileServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _handler_for(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_HostileHandler):
        hostile = server

    return Handler


class _HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hostile: HostileServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read `hits` instead of a request log."""

    def do_GET(self) -> None:
        # A proxy sees absolute URIs; answer them like the origin would, keyed by path.
        path = self.path.split("://", 1)[1].split("/", 1)[-1] if "://" in self.path else self.path
        path = "/" + path.lstrip("/")
        host = (self.headers.get("Host") or "").split(":")[0]
        self.hostile.count(path)
        self.hostile.count(f"{host}{path}")
        if "://" in self.path:
            self.hostile.count(f"proxied:{self.path}")
        if path == "/robots.txt":
            return _robots(self, host.split(".")[0])
        route = ROUTES.get(path) or _prefix_route(path)
        if route is None:
            return self.send_body(404, b"not found", "text/plain")
        return route(self)

    def send_body(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_body(status, b"", "text/html", {"Location": location})

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0) instead of a clean close."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def drip(self, head: bytes, byte: bytes = b" ", interval: float = 0.5, seconds: float = 60) -> None:
        """Send `head`, then one byte every `interval` s until the client or the server gives up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(head) + int(seconds / interval)))
        self.end_headers()
        deadline = time.monotonic() + seconds
        try:
            self.wfile.write(head)
            while time.monotonic() < deadline and not self.hostile.stopping.wait(interval):
                self.wfile.write(byte)
        except OSError:
            pass  # the crawler timed out and hung up: exactly what the test wants
        self.close_connection = True


def _robots(handler: _HostileHandler, variant: str) -> None:
    if variant == "robots-500":
        return handler.send_body(500, b"<html>Internal Server Error</html>", "text/html")
    if variant == "robots-404":
        return handler.send_body(404, b"not found", "text/plain")
    if variant == "robots-disallow":
        return handler.send_body(200, b"User-agent: *\nDisallow: /\n", "text/plain")
    if variant == "robots-reset":
        return handler.reset()
    if variant == "robots-slow":
        return handler.drip(b"User-agent: *\n", b"#", interval=0.5, seconds=60)
    if variant == "robots-huge":
        # 3 MiB of allow lines, then a Disallow the standard lets a crawler ignore (past 500 KiB).
        filler = b"User-agent: *\n" + b"Allow: /filler\n" * (3 * MIB // 15)
        return handler.send_body(200, filler + b"Disallow: /\n", "text/plain")
    if variant == "robots-garbage":
        garbage = bytes(range(256)) * 2000 + b"\x00\xff<html><body>not robots</body></html>"
        return handler.send_body(200, garbage, "text/plain")
    if variant == "robots-private":
        return handler.redirect(f"http://127.0.0.1:{handler.hostile.port}/secret")
    return handler.send_body(200, b"User-agent: *\nAllow: /\n", "text/plain")


def _prefix_route(path: str) -> Callable[[_HostileHandler], None] | None:
    for prefix, route in _PREFIX_ROUTES.items():
        if path.startswith(prefix):
            return route
    if path.startswith("/chain/"):
        return _chain
    if path.startswith("/status/"):
        return lambda handler: handler.send_body(int(path.rsplit("/", 1)[1]), b"status", "text/html")
    return None


def _chain(handler: _HostileHandler) -> None:
    """/chain/N redirects to /chain/N-1; /chain/0 is an article."""
    remaining = int(handler.path.rsplit("/", 1)[1])
    if remaining <= 0:
        return handler.send_body(200, ARTICLE, "text/html; charset=utf-8")
    return handler.redirect(f"/chain/{remaining - 1}")


def _compressed(encoding: str) -> Callable[[_HostileHandler], None]:
    return lambda handler: handler.send_body(
        200, bomb(encoding), "text/html; charset=utf-8", {"Content-Encoding": encoding}
    )


def _big_gzip(size: int) -> Callable[[_HostileHandler], None]:
    body = gzip.compress(b"<p>" + b"a" * size + b"</p>", mtime=0)
    return lambda handler: handler.send_body(200, body, "text/html", {"Content-Encoding": "gzip"})


def _chunked_forever(handler: _HostileHandler) -> None:
    """No Content-Length: 1 MiB chunks until the crawler stops reading (past any size cap)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"<p>" + b"x" * (MIB - 7) + b"</p>"
    try:
        for _ in range(64):
            if handler.hostile.stopping.is_set():
                break
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")
    except OSError:
        pass
    handler.close_connection = True


def _truncated_body(handler: _HostileHandler) -> None:
    """Promise 10,000 bytes, send 100, then reset: a half page must not pass as a whole one."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "10000")
    handler.end_headers()
    with contextlib.suppress(OSError):
        handler.wfile.write(ARTICLE[:100])
    handler.reset()


def _html(body: bytes, content_type: str = "text/html; charset=utf-8") -> Callable[[_HostileHandler], None]:
    return lambda handler: handler.send_body(200, body, content_type)


def _redirect_to(target: Callable[[HostileServer], str]) -> Callable[[_HostileHandler], None]:
    return lambda handler: handler.redirect(target(handler.hostile))


_CYRILLIC = "<p>Министры встретились в Женеве</p>"

ROUTES: dict[str, Callable[[_HostileHandler], None]] = {
    "/ok": _html(ARTICLE),
    "/secret": _html(b"internal: the crawler must never see this"),
    # SSRF through redirects: each target must be refused before any connection.
    "/redirect/metadata": _redirect_to(lambda s: "http://169.254.169.254/latest/meta-data/"),
    "/redirect/loopback": _redirect_to(lambda s: f"http://127.0.0.1:{s.port}/secret"),
    "/redirect/decimal": _redirect_to(lambda s: f"http://2130706433:{s.port}/secret"),
    "/redirect/localhost": _redirect_to(lambda s: f"http://localhost:{s.port}/secret"),
    "/redirect/file": _redirect_to(lambda s: "file:///etc/passwd"),
    "/redirect/credentials": _redirect_to(lambda s: f"http://user:pw@hostile.test:{s.port}/ok"),
    "/redirect/loop": _redirect_to(lambda s: "/redirect/loop"),
    "/redirect/ping": _redirect_to(lambda s: "/redirect/pong"),
    "/redirect/pong": _redirect_to(lambda s: "/redirect/ping"),
    # Faults.
    "/storm": lambda handler: handler.send_body(503, b"try later", "text/html", {"Retry-After": "0"}),
    "/reset": lambda handler: handler.reset(),
    "/truncated": _truncated_body,
    "/slow": lambda handler: handler.drip(b"<html><body><p>", interval=0.5, seconds=60),
    # Encodings and markup.
    "/charset/conflict": _html(
        b"<html><head><meta charset='windows-1251'></head><body>" + _CYRILLIC.encode("cp1251") + b"</body>",
        "text/html; charset=utf-8",
    ),
    "/charset/wrong": _html(
        b"<html><body>" + _CYRILLIC.encode("utf-8") + b"</body></html>", "text/html; charset=iso-8859-1"
    ),
    "/charset/bogus": _html(ARTICLE, "text/html; charset=x-no-such-charset"),
    "/invalid-utf8": _html(b"<html><body><p>caf\xc3 \xff\xfe broken \xed\xa0\x80 bytes</p></body></html>"),
    "/nul": _html(b"<html><body><p>nul\x00bytes\x00inside</p>\x00</body></html>"),
    "/deep": _html(deep_markup()),
    "/binary": _html(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64, "text/html"),
    # Size: compression bombs, a big plain body, an endless chunked body, a 2 MiB gzip page.
    "/bomb/gzip": _compressed("gzip"),
    "/bomb/deflate": _compressed("deflate"),
    "/bomb/br": _compressed("br"),
    "/bomb/zstd": _compressed("zstd"),
    "/big": _html(b"<p>" + b"b" * (12 * MIB) + b"</p>"),
    "/endless": _chunked_forever,
    "/gzip-2mib": _big_gzip(2 * MIB),
    # XML bombs as feeds and sitemaps.
    "/feed/billion-laughs.xml": _html(BILLION_LAUGHS, "application/rss+xml"),
    "/feed/quadratic.xml": _html(QUADRATIC, "application/rss+xml"),
    "/feed/xxe-file.xml": _html(xxe("file:///etc/passwd"), "application/rss+xml"),
    "/feed/xxe-http.xml": lambda handler: handler.send_body(
        200, xxe(f"http://127.0.0.1:{handler.hostile.port}/secret"), "application/rss+xml"
    ),
    "/sitemap/billion-laughs.xml": _html(BILLION_LAUGHS, "application/xml"),
    "/sitemap/bomb.xml.gz": lambda handler: handler.send_body(200, bomb("gzip"), "application/x-gzip"),
}


# -- Resources a server can take -----------------------------------------------------------------


def _endless_headers(folded: bool) -> Callable[[_HostileHandler], None]:
    """A status line, then header lines (or one header's continuation lines) until the client hangs up."""

    def serve(handler: _HostileHandler) -> None:
        line = (b"\t" if folded else b"X-Pad: ") + b"p" * 100 + b"\r\n"
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-First: 1\r\n")
            while not handler.hostile.stopping.is_set():
                handler.wfile.write(line * 1000)
        except OSError:
            pass  # the crawler hung up: what the test wants
        handler.close_connection = True

    return serve


def _many_headers(handler: _HostileHandler) -> None:
    """300 small headers (over the default count cap of 200, well under its 64 KiB byte cap)."""
    headers = {f"X-Many-{n}": "v" for n in range(300)}
    handler.send_body(200, ARTICLE, "text/html; charset=utf-8", headers)


def many_attributes(count: int = 270_000) -> bytes:
    """A listing page whose one <div> carries `count` attributes (under 2 MiB): libxml2 checks each
    new attribute against all earlier ones, so parsing it takes minutes."""
    attributes = b" ".join(b"d%x" % n for n in range(count))  # valueless: 1.6 MiB for 270,000
    return b"<html><body><div " + attributes + b"><a href='/news/1'>One</a></div></body></html>"


def jsonld_lookups(references: int = 40_000, objects: int = 40_000) -> bytes:
    """An article (about 1.8 MB) whose JSON-LD author list holds `references` `@id` references into
    a graph of `objects` nodes that match none of them: every reference is compared with every node."""
    graph = [{"@id": f"#n{n}", "name": "n"} for n in range(objects)]
    authors = [{"@id": f"#x{n}"} for n in range(references)]
    article = {"@type": "NewsArticle", "headline": "Lookups", "author": authors}
    data = json.dumps({"@context": "https://schema.org", "@graph": [article, *graph]}, separators=(",", ":"))
    script = b'<script type="application/ld+json">' + data.encode() + b"</script></head>"
    return ARTICLE.replace(b"</head>", script)


def long_article(paragraphs: int = 7000) -> bytes:
    """An article of `paragraphs` paragraphs (about 8 MiB, under DOWNLOAD_MAXSIZE): seconds to extract."""
    paragraph = b"<p>" + b"Ministers met in Geneva on Friday to discuss the ceasefire. " * 20 + b"</p>\n"
    return ARTICLE.replace(b"</article>", paragraph * paragraphs + b"</article>")


SITEMAP_CHILDREN = 5000  # child sitemaps in /fanout/index.xml, every one of them on-site
SITEMAP_URLS = 5000  # URLs in each child


def _fanout_index(handler: _HostileHandler) -> None:
    host = handler.headers.get("Host") or "hostile.test"
    # First, children off the source's domains: never to be fetched.
    entries = [
        f"<sitemap><loc>http://elsewhere.hostile.test:{handler.hostile.port}/fanout/child-x{n}.xml</loc></sitemap>"
        for n in range(10)
    ]
    entries += [
        f"<sitemap><loc>http://{host}/fanout/child-{n}.xml</loc></sitemap>" for n in range(SITEMAP_CHILDREN)
    ]
    body = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(entries)
        + "</sitemapindex>"
    )
    handler.send_body(200, body.encode(), "application/xml")


def _fanout_child(handler: _HostileHandler) -> None:
    host = handler.headers.get("Host") or "hostile.test"
    child = handler.path.rsplit("-", 1)[-1].split(".")[0]
    urls = "".join(f"<url><loc>http://{host}/news/{child}-{n}</loc></url>" for n in range(SITEMAP_URLS))
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    handler.send_body(200, body.encode(), "application/xml")


def _section_linking(prefix: str, count: int) -> Callable[[_HostileHandler], None]:
    links = "".join(f"<a href='{prefix}{n}'>Story {n}</a>" for n in range(count)).encode()
    return _html(b"<html><body>" + links + b"</body></html>")


def _late(route: Callable[[_HostileHandler], None], seconds: float) -> Callable[[_HostileHandler], None]:
    def answer_late(handler: _HostileHandler) -> None:
        time.sleep(seconds)
        route(handler)

    return answer_late


ROUTES.update(
    {
        "/headers/endless": _endless_headers(folded=False),
        "/headers/folded": _endless_headers(folded=True),
        "/headers/many": _many_headers,
        "/retry-after/huge": lambda handler: handler.send_body(
            429, b"slow down", "text/html", {"Retry-After": "100000"}
        ),
        "/section/attributes": _html(many_attributes()),
        "/section/ok": _section_linking("/ok/", 64),
        # The same, announced after a slow host's links have been queued.
        "/section/ok-late": _late(_section_linking("/ok/", 64), 2.0),
        "/section/jsonld": _section_linking("/article/jsonld-lookups/", 1),
        "/section/long": _section_linking("/article/long/", 1),
        "/section/slow": _section_linking("/slow/", 64),
        "/section/throttled": _section_linking("/retry-after/", 64),
        "/section/throttled-120": _section_linking("/retry-after-120/", 64),
        "/fanout/index.xml": _fanout_index,
    }
)
_PREFIX_ROUTES = {
    "/retry-after-120/": lambda handler: handler.send_body(
        429, b"slow down", "text/html", {"Retry-After": "120"}
    ),
    "/article/jsonld-lookups/": _html(jsonld_lookups()),
    "/article/long/": _html(long_article()),
    "/ok/": _html(ARTICLE.replace(b"Ministers meet", b"Ministers meet again")),
    "/fanout/child-": _fanout_child,
    "/slow/": lambda handler: handler.drip(b"<html><body><p>", interval=0.5, seconds=120),
    "/retry-after/": lambda handler: handler.send_body(
        429, b"slow down", "text/html", {"Retry-After": "100000"}
    ),
}

"""The hostile server's routes: what each path (and each robots.txt variant) answers."""

from __future__ import annotations

import contextlib
import gzip
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.support.hostile_payloads import (
    ARTICLE,
    BILLION_LAUGHS,
    MIB,
    QUADRATIC,
    bomb,
    deep_markup,
    jsonld_lookups,
    long_article,
    many_attributes,
    xxe,
)

if TYPE_CHECKING:
    from tests.support.hostile import HostileServer, _HostileHandler


def robots_txt(handler: _HostileHandler, variant: str) -> None:
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


def prefix_route(path: str) -> Callable[[_HostileHandler], None] | None:
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

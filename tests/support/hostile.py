"""A hostile HTTP server on 127.0.0.1 (a thread, port 0): every way a server can hurt a crawler.

Paths pick the attack (see `ROUTES`); the Host header's first label picks the robots.txt variant
(`robots-500.hostile.test` serves a 500), so one server plays many sites. `hits` counts requests.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.hostile_routes import ROUTES, prefix_route, robots_txt


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
            return robots_txt(self, host.split(".")[0])
        route = ROUTES.get(path) or prefix_route(path)
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

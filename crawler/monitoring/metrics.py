"""`Metrics`: Prometheus exposition of the per-source counters, over HTTP and/or as a textfile.

Settings: `NEWSCRAWL_METRICS_PORT` (serve `/metrics`; 0 picks a free port, logged and stored in the
stat `monitoring/metrics_port`), `NEWSCRAWL_METRICS_HOST` (default 0.0.0.0, so a scraper outside the
pod or container reaches it), `NEWSCRAWL_METRICS_TEXTFILE` (a `.prom` path rewritten atomically every
`NEWSCRAWL_METRICS_INTERVAL` seconds, default 30, and at the end, for node_exporter's textfile collector).
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import create_looping_call

from crawler.monitoring.errors import MonitoringConfigError
from crawler.monitoring.exposition import CONTENT_TYPE, render_metrics, write_textfile

logger = logging.getLogger(__name__)


class Metrics:
    """Serves `/metrics` from a daemon thread (works whatever event loop Scrapy runs on)."""

    def __init__(
        self, crawler: Crawler, host: str, port: int | None, textfile: Path | None, interval: float
    ) -> None:
        self.stats: StatsCollector = crawler.stats
        self.host, self.port, self.textfile, self.interval = host, port, textfile, interval
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        port = _port(settings.get("NEWSCRAWL_METRICS_PORT"))
        textfile = settings.get("NEWSCRAWL_METRICS_TEXTFILE") or None
        if port is None and textfile is None:
            # Off is the default (set NEWSCRAWL_METRICS_PORT or _TEXTFILE to export): no message, as
            # Scrapy logs a NotConfigured that carries one as a WARNING on every crawl.
            raise NotConfigured
        textfile_path = _textfile(textfile) if textfile else None
        interval = settings.getfloat("NEWSCRAWL_METRICS_INTERVAL", 30.0)
        if interval <= 0:
            raise MonitoringConfigError(f"NEWSCRAWL_METRICS_INTERVAL={interval}: give seconds > 0")
        host = settings.get("NEWSCRAWL_METRICS_HOST") or "0.0.0.0"
        extension = cls(crawler, host, port, textfile_path, interval)
        if port is not None:
            extension._bind()  # at start-up, so a taken port stops the crawl before it begins
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.stop_serving, signal=signals.engine_stopped)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        if self.server is not None:
            self.thread = threading.Thread(
                target=self.server.serve_forever, name="newscrawl-metrics", daemon=True
            )
            self.thread.start()
        if self.textfile is not None:
            self.task = create_looping_call(self.write_textfile)
            self.task.start(self.interval, now=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.textfile is not None:
            self.write_textfile()
        self.stop_serving()

    def stop_serving(self) -> None:
        if self.thread is not None and self.server is not None:
            self.server.shutdown()
            self.thread.join()
        if self.server is not None:
            self.server.server_close()
        self.server = self.thread = None

    def write_textfile(self) -> None:
        if self.textfile is not None:
            write_textfile(self.textfile, render_metrics(self.stats.get_stats()))

    def _bind(self) -> None:
        stats = self.stats

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.split("?", 1)[0] != "/metrics":
                    self.send_error(404, "only /metrics is served here")
                    return
                body = render_metrics(stats.get_stats()).encode()
                self.send_response(200)
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                logger.debug("metrics: " + format, *args)  # scrapes every 15 s are not news

        try:
            self.server = ThreadingHTTPServer((self.host, self.port or 0), Handler)
        except OSError as error:
            raise MonitoringConfigError(
                f"NEWSCRAWL_METRICS_PORT={self.port}: cannot listen on {self.host}:{self.port} ({error}); "
                "pick a free port, or 0 for any"
            ) from error
        self.server.daemon_threads = True
        bound = self.server.server_address[1]
        self.stats.set_value("monitoring/metrics_port", bound)
        logger.info("Prometheus metrics on http://%s:%d/metrics", self.host, bound)


def _port(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = -1
    if not 0 <= port <= 65535:
        raise MonitoringConfigError(
            f"NEWSCRAWL_METRICS_PORT={value!r}: give a port number 0-65535 (0: any free)"
        )
    return port


def _textfile(value: str) -> Path:
    path = Path(value)
    if path.suffix != ".prom":
        raise MonitoringConfigError(
            f"NEWSCRAWL_METRICS_TEXTFILE={value}: node_exporter only reads files ending in .prom; rename it"
        )
    if not path.parent.is_dir():
        raise MonitoringConfigError(
            f"NEWSCRAWL_METRICS_TEXTFILE={value}: directory {path.parent} does not exist; create it first"
        )
    return path

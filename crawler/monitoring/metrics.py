"""`Metrics`: Prometheus exposition of the per-source counters, over HTTP and/or as a textfile.

prometheus_client does the serving and the writing. Settings: `METRICS_PORT` (serve
`/metrics`, and any other path, as Prometheus exporters do; 0 picks a free port, logged and stored in the
stat `monitoring/metrics_port`), `METRICS_HOST` (default 0.0.0.0, so a scraper outside the
pod or container reaches it), `METRICS_TEXTFILE` (a `.prom` path rewritten atomically every
`METRICS_INTERVAL` seconds, default 30, and at the end, for node_exporter's textfile collector).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Self
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server, write_to_textfile
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import create_looping_call

from crawler.monitoring.errors import MonitoringConfigError
from crawler.monitoring.exposition import metrics_registry

logger = logging.getLogger(__name__)


class Metrics:
    """Serves the crawl's metrics from prometheus_client's daemon thread (whatever event loop Scrapy
    runs on) and writes its textfile on a looping call."""

    def __init__(
        self, crawler: Crawler, host: str, port: int | None, textfile: Path | None, interval: float
    ) -> None:
        self.stats: StatsCollector = crawler.stats
        self.host, self.port, self.textfile, self.interval = host, port, textfile, interval
        self.registry = metrics_registry(self.stats.get_stats)
        self.server: WSGIServer | None = None
        self.thread: threading.Thread | None = None
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        port = _port(settings.get("METRICS_PORT"))
        textfile = settings.get("METRICS_TEXTFILE") or None
        if port is None and textfile is None:
            # Off is the default (set METRICS_PORT or _TEXTFILE to export): no message, as
            # Scrapy logs a NotConfigured that carries one as a WARNING on every crawl.
            raise NotConfigured
        textfile_path = _textfile(textfile) if textfile else None
        interval = settings.getfloat("METRICS_INTERVAL")
        if interval <= 0:
            raise MonitoringConfigError(f"METRICS_INTERVAL={interval}: give seconds > 0")
        host = settings.get("METRICS_HOST")
        extension = cls(crawler, host, port, textfile_path, interval)
        if port is not None:
            extension._serve()  # at start-up, so a taken port stops the crawl before it begins
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.stop_serving, signal=signals.engine_stopped)
        return extension

    def spider_opened(self, spider: Spider) -> None:
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
        if self.server is not None and self.thread is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()
        self.server = self.thread = None

    def write_textfile(self) -> None:
        if self.textfile is not None:
            # Written to a temporary file beside it and renamed: node_exporter never reads half a file.
            write_to_textfile(str(self.textfile), self.registry)

    def _serve(self) -> None:
        try:
            self.server, self.thread = start_http_server(
                self.port or 0, addr=self.host, registry=self.registry
            )
        except OSError as error:
            raise MonitoringConfigError(
                f"METRICS_PORT={self.port}: cannot listen on {self.host}:{self.port} ({error}); "
                "pick a free port, or 0 for any"
            ) from error
        bound = self.server.server_port
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
        raise MonitoringConfigError(f"METRICS_PORT={value!r}: give a port number 0-65535 (0: any free)")
    return port


def _textfile(value: str) -> Path:
    path = Path(value)
    if path.suffix != ".prom":
        raise MonitoringConfigError(
            f"METRICS_TEXTFILE={value}: node_exporter only reads files ending in .prom; rename it"
        )
    if not path.parent.is_dir():
        raise MonitoringConfigError(
            f"METRICS_TEXTFILE={value}: directory {path.parent} does not exist; create it first"
        )
    return path

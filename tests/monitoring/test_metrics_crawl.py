"""A real crawl (the crawl harness: real settings and pipelines) against a local site: /metrics
mid-crawl, textfile and report."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.monitoring.promtext import parse, value
from tests.support.crawl import crawl_command, write_registry

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = (
    "<html><head><title>{title}</title>{meta}</head>"
    "<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
)
ANN = '<meta name="author" content="Ann"><meta property="article:published_time" content="2026-11-29T08:00:00Z">'


def _feed(*paths: str) -> str:
    items = "".join(f"<item><title>t</title><link>{{base}}{path}</link></item>" for path in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


PAGES = {
    "/robots.txt": "User-agent: *\nAllow: /\n",
    "/alpha/feed": _feed("/alpha/1", "/alpha/2", "/alpha/empty", "/alpha/missing", "/alpha/1"),
    "/alpha/1": ARTICLE.format(title="One", meta=ANN, text="One story."),
    # The same text as /alpha/1: whichever of the two the dedup pipeline meets second is the copy.
    "/alpha/2": ARTICLE.format(title="Copy", meta="", text="One story."),
    "/alpha/empty": ARTICLE.format(title="Empty", meta="", text=""),
    "/beta/feed": _feed("/beta/1"),
    "/beta/1": ARTICLE.format(title="Beta", meta='<meta name="author" content="Bo">', text="Beta story."),
}
# What the crawl above adds up to, per source, once every article page has been handled.
EXPECTED = {
    ("newscrawl_articles_stored_total", "alpha"): 2,
    ("newscrawl_articles_stored_total", "beta"): 1,
    ("newscrawl_discovered_urls_total", "alpha"): 4,
    ("newscrawl_articles_fetched_total", "alpha"): 3,
    ("newscrawl_http_errors_total", "alpha"): 1,
    ("newscrawl_duplicates_total", "alpha"): 1,
    ("newscrawl_articles_with_author_total", "alpha"): 1,
    ("newscrawl_articles_with_date_total", "alpha"): 1,
}


class Site:
    def __init__(self) -> None:
        self.release = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/hold":
                    site.release.wait()
                body = PAGES.get(
                    self.path, "<html><body><p>ok</p></body></html>" if self.path == "/hold" else None
                )
                self.send_response(200 if body is not None else 404)
                data = (body or "not found").replace("{base}", site.url).encode()
                kind = "application/rss+xml" if self.path.endswith("/feed") else "text/html; charset=utf-8"
                self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    site.thread.start()
    yield site
    site.release.set()
    site.server.shutdown()
    site.server.server_close()
    site.thread.join()


def _scrape(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return parse(response.read().decode())


def _reached(samples: dict) -> bool:
    return all(
        samples.get((name, frozenset({("source", source)}))) == count
        for (name, source), count in EXPECTED.items()
    )


def test_metrics_endpoint_textfile_and_report_from_a_real_crawl(site: Site, tmp_path: Path) -> None:
    textfile = tmp_path / "newscrawl.prom"
    registry = write_registry(
        tmp_path / "sources.toml",
        [
            # /hold, a section page the server keeps open, keeps the crawl going while /metrics is read.
            {"id": "alpha", "name": "alpha", "homepage": site.url + "/alpha/", "feeds": [site.url + "/alpha/feed"],
             "sections": [site.url + "/hold"], "wp_json": False},
            {"id": "beta", "name": "beta", "homepage": site.url + "/beta/", "feeds": [site.url + "/beta/feed"],
             "wp_json": False},
        ],
    )  # fmt: skip
    metrics = {
        "NEWSCRAWL_METRICS_PORT": 0,
        "NEWSCRAWL_METRICS_HOST": "127.0.0.1",
        "NEWSCRAWL_METRICS_TEXTFILE": str(textfile),
        "NEWSCRAWL_METRICS_INTERVAL": 1,
        "RETRY_ENABLED": False,
    }
    command = crawl_command(
        tmp_path, sources=str(registry), settings=metrics, expected_sources=["alpha", "beta", "gamma"]
    )
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr: list[str] = []

    def drain() -> None:  # keep the pipe empty so the child never blocks on logging
        for line in child.stderr:  # type: ignore[union-attr]
            stderr.append(line)
            lines.put(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        metrics_url = _metrics_url(lines, stderr)
        # The crawl cannot end while /hold is held, so these samples are taken mid-crawl.
        deadline = time.monotonic() + 60
        samples = _scrape(metrics_url)
        while not _reached(samples) and time.monotonic() < deadline:
            time.sleep(0.2)
            samples = _scrape(metrics_url)
        assert _reached(samples), samples
        assert value(samples, "newscrawl_dropped_total", source="alpha", reason="EmptyText") == 1
    finally:
        site.release.set()
        stdout, _ = child.communicate(timeout=60)
        reader.join()
    assert child.returncode == 0, "".join(stderr)

    final = parse(textfile.read_text())
    assert all(value(final, name, source=source) == count for (name, source), count in EXPECTED.items())
    assert value(final, "newscrawl_run_finish_timestamp_seconds") > 0

    report = json.loads(stdout.strip().splitlines()[-1])
    assert report["run"]["finish_reason"] == "finished"
    assert report["sources"]["alpha"]["stored"] == 2
    assert report["sources"]["alpha"]["dropped"] == {"EmptyText": 1}
    assert report["sources"]["beta"]["median_text_length"] == len("Beta story.")
    assert [anomaly["source"] for anomaly in report["anomalies"]] == ["gamma"]


def _metrics_url(lines: queue.Queue[str], stderr: list[str]) -> str:
    while True:
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            pytest.fail("the crawl never logged its metrics URL:\n" + "".join(stderr))
        match = re.search(r"Prometheus metrics on (http://\S+/metrics)", line)
        if match:
            return match.group(1)

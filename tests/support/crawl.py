"""The crawl harness: one crawl with the project's real settings (`crawler.settings`, through
`newscrawl_settings`) and its real pipelines, run in a child process (Twisted's reactor cannot
restart) by `run_crawl`; `write_registry` and `source` describe fake outlets (`sites` in tests/conftest.py).

Child: python -m tests.support.crawl CONFIG.json — keys: sources (registry path), source_ids, urls,
since, seen_dir (the store, and with it the seen-store, kept between runs), settings (overrides), out.
Writes OUT (every page item as the spider yielded it, before the pipelines), OUT.records (what the
pipelines passed), OUT.dropped (what they dropped, with the reason), OUT.requests (every request sent,
with its kind and source) and OUT.stats.json (the crawl stats). With expected_sources, it also prints
the run report (`crawler.monitoring.run_report`) as one JSON line on stdout.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess

from crawler.discovery.urls import canonical_identity
from crawler.monitoring import run_report
from crawler.registry import load_registry
from crawler.run.runner import newscrawl_settings
from crawler.spiders.news import NewsSpider
from tests.support.fakesite import FakeSite

ROOT = Path(__file__).resolve().parents[2]

PAGES_OUT = "NEWSCRAWL_TEST_PAGES_OUT"


class PageTap:
    """Ahead of the real pipelines: writes each page item as the spider yielded it, and passes it on."""

    def __init__(self, path: str) -> None:
        self.out = Path(path)
        self.out.write_text("", encoding="utf-8")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageTap:
        return cls(crawler.settings[PAGES_OUT])

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        page = {k: v for k, v in item.items() if k not in ("body", "wire_body", "wire_headers")}
        if isinstance(item.get("body"), bytes):
            page["body_sha256"] = hashlib.sha256(item["body"]).hexdigest()
            page["body_text"] = item["body"].decode("utf-8", "replace")
            page["canonical"] = canonical_identity(item)
        with self.out.open("a", encoding="utf-8") as out:
            out.write(json.dumps(page, default=str) + "\n")
        return item


def settings_for(config: dict[str, Any]) -> dict[str, Any]:
    """Overrides of the real settings: fake outlets live on 127.0.0.x; the store is the test's."""
    out = Path(config["out"])
    store = Path(config.get("seen_dir") or f"{out}.store")
    return {
        "NEWSCRAWL_ALLOW_PRIVATE": True,
        "TELNETCONSOLE_ENABLED": False,
        "AUTOTHROTTLE_START_DELAY": 0.0,
        # Extraction inline: a pool of worker processes per crawl costs seconds of start-up on each.
        "EXTRACT_WORKERS": 0,
        "STORAGE_URI": store.resolve().as_uri(),
        # A crawl that writes keeps a seen-store in its store; without seen_dir nothing is remembered.
        "STORAGE_WRITE": bool(config.get("seen_dir")),
        "ITEM_PIPELINES": {f"{__name__}.PageTap": 0},  # added to the real pipelines, ahead of them
        PAGES_OUT: str(out),
        **config.get("settings", {}),
    }


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    sources = load_registry(config["sources"]) if config.get("sources") else None
    if sources and config.get("source_ids"):
        sources = [s for s in sources if s.id in config["source_ids"]]
    out = config["out"]
    with (
        Path(f"{out}.records").open("w") as records,
        Path(f"{out}.dropped").open("w") as dropped,
        Path(f"{out}.requests").open("w") as requests,
    ):
        crawler = _crawl(config, sources, records, dropped, requests)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    Path(f"{out}.stats.json").write_text(json.dumps(stats, default=str))
    if "expected_sources" in config:
        print(json.dumps(run_report(crawler, expected_sources=config["expected_sources"])))
    return 0


def _crawl(
    config: dict[str, Any], sources: Any, records: TextIO, dropped: TextIO, requests: TextIO
) -> Crawler:
    def write(out: TextIO, row: dict[str, Any]) -> None:
        out.write(json.dumps(row, default=str) + "\n")
        out.flush()

    def scraped(item: dict[str, Any], **_: Any) -> None:
        write(records, {k: v for k, v in item.items() if not k.startswith("_")})

    def was_dropped(item: dict[str, Any], exception: BaseException, **_: Any) -> None:
        url = item.get("final_url") or item.get("url")
        write(dropped, {"url": url, "reason": type(exception).__name__})

    def reached(request: Any, **_: Any) -> None:
        write(
            requests,
            {
                "url": request.url,
                "kind": request.meta.get("newscrawl_kind"),
                "source_id": request.meta.get("source_id"),
            },
        )

    process = CrawlerProcess(newscrawl_settings(settings_for(config)), install_root_handler=True)
    crawler = process.create_crawler(NewsSpider)
    crawler.signals.connect(scraped, signal=signals.item_scraped)
    crawler.signals.connect(was_dropped, signal=signals.item_dropped)
    crawler.signals.connect(reached, signal=signals.request_reached_downloader)
    process.crawl(crawler, sources=sources, urls=config.get("urls"), since=config.get("since"))
    process.start()
    return crawler


def write_registry(path: Path, sources: list[dict[str, Any]]) -> Path:
    lines = []
    for source in sources:
        lines.append("[[source]]")
        for key, value in source.items():
            lines.append(f"{key} = {json.dumps(value)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def crawl_command(tmp_path: Path, name: str = "run", **config: Any) -> list[str]:
    """The command that runs this harness's crawl with `config` (its out: TMP_PATH/NAME.jsonl)."""
    config_path = tmp_path / f"{name}.json"
    config_path.write_text(json.dumps({**config, "out": str(tmp_path / f"{name}.jsonl")}), encoding="utf-8")
    return [sys.executable, "-m", "tests.support.crawl", str(config_path)]


def run_crawl(
    tmp_path: Path, name: str = "run", env: dict[str, str] | None = None, **config: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Crawl in a child process (Twisted's reactor cannot restart); return (items, stats)."""
    out = tmp_path / f"{name}.jsonl"
    result = subprocess.run(
        crawl_command(tmp_path, name, **config),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if result.returncode != 0:
        raise AssertionError(f"crawl failed ({result.returncode}):\n{result.stderr[-4000:]}")
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stats = json.loads(Path(str(out) + ".stats.json").read_text(encoding="utf-8"))
    return items, stats


# newscrawl's own per-host delay off: a fake outlet is one host on loopback, so DOWNLOAD_DELAY's
# randomised 0.25 s between its requests only adds a third of a second per request.
UNTHROTTLED = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


def run_unthrottled(
    tmp_path: Path, name: str = "run", env: dict[str, str] | None = None, **config: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`run_crawl` without newscrawl's own delays, for tests that do not measure politeness."""
    config["settings"] = {**UNTHROTTLED, **config.get("settings", {})}
    return run_crawl(tmp_path, name, env, **config)


def pipeline_output(tmp_path: Path, name: str = "run") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(records the real pipelines passed, {url, reason} of each item they dropped) of a `run_crawl`."""
    out = tmp_path / f"{name}.jsonl"
    records, dropped = (
        [json.loads(line) for line in Path(f"{out}.{kind}").read_text(encoding="utf-8").splitlines()]
        for kind in ("records", "dropped")
    )
    return records, dropped


def source(site: FakeSite, source_id: str = "fake", **fields: Any) -> dict[str, Any]:
    """A registry entry for a fake outlet; `fields` are registry fields (paths become site URLs)."""
    entry: dict[str, Any] = {"id": source_id, "name": source_id, "homepage": site.url("/")}
    for key, value in fields.items():
        if key in ("feeds", "sitemaps", "sections"):
            value = [site.url(v) if v.startswith("/") else v for v in value]
        entry[key] = value
    return entry


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

"""Item pipelines: page → record (ExtractPipeline), cluster verdict (DedupPipeline), storage (StorePipeline).

Items carrying `error` (a one-off URL that could not be fetched) pass through untouched.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extract import ExtractionDrop, ExtractOptions
from crawler.extract.provenance import record_revision_date, with_announcement
from crawler.middlewares import WIRE_BODY, WIRE_HEADERS
from crawler.monitoring import report_from_stats
from crawler.run.drops import Unchanged, drop_for
from crawler.run.report import REPORT_STAT, previous_reports, save_report
from crawler.run.signals import run_committing
from crawler.run.state import CrawlRun, document_of, get_run
from crawler.storage import BadRecord, RawResponse, RunWriter, StorageError
from crawler.workers.page import article_id, process_page
from crawler.workers.pool import WorkerTimeout
from dedup import Signature
from dedup.batch import annotate

logger = logging.getLogger(__name__)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


class ExtractTimeout(DropItem):
    """Extraction ran past EXTRACT_TIMEOUT seconds: its worker was replaced, the page dropped."""


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run: CrawlRun = get_run(crawler)
        self._options: dict[str, ExtractOptions] = {}
        # A page built to be slow (quadratic markup or JSON-LD) must not hold a worker for minutes.
        self.timeout = crawler.settings.getfloat("EXTRACT_TIMEOUT") or None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def options_for(self, source_id: str) -> ExtractOptions:
        if source_id not in self._options:
            sources = {s.id: s for s in getattr(self.crawler.spider, "sources", [])}
            source = sources.get(source_id)
            drop = self.crawler.settings.getbool("EXTRACT_DROP_NON_ARTICLES")
            self._options[source_id] = (
                ExtractOptions.from_source(source, drop_non_articles=drop)
                if source
                else ExtractOptions(drop_non_articles=drop)
            )
        return self._options[source_id]

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if "error" in item:
            return item
        headers = item.get("headers", [])
        try:
            # The one place that turns extraction failures into drops: each reason is its own class.
            record, signature = await self.run.pool.run(
                process_page,
                item["body"],
                item["final_url"],
                _header(headers, "content-type"),
                item["status"],
                self.options_for(item["source"]),
                self.run.dedup_config,
                timeout=self.timeout,
            )
        except ExtractionDrop as error:
            logger.info("dropped %s: %s: %s", item["url"], type(error).__name__, error)
            raise drop_for(error) from None
        except WorkerTimeout as error:
            self.crawler.stats.inc_value("extract/timeout_count")
            logger.warning("dropped %s: extraction %s (EXTRACT_TIMEOUT); worker replaced", item["url"], error)
            raise ExtractTimeout(f"{item['url']}: {error}") from None
        # Discovery's identity (rel=canonical, og:url, AMP → canonical; cross-site canonicals ignored)
        # names the article; extraction's canonical_url is the fallback for one-off fetches.
        canonical = item.get("canonical_url") or record.get("canonical_url") or item["final_url"]
        record["canonical_url"] = canonical
        record["id"] = article_id(canonical)
        with_announcement(record, item.get("announced"), item.get("discovered_via"))
        self.track_revision(record, item["fetched_at"])
        record.update(
            url=item["url"],
            final_url=item["final_url"],
            source=item["source"],
            fetched_at=item["fetched_at"],
            discovered_via=item.get("discovered_via"),
            announced=item.get("announced"),
            rights=item.get("rights"),
        )
        record["_signature"] = signature  # for DedupPipeline; not stored
        # Archived as received (crawler.middlewares): still in its Content-Encoding, headers intact.
        record["_raw"] = RawResponse(
            url=item["final_url"],
            status=item["status"],
            headers=item.get(WIRE_HEADERS, headers),
            body=item.get(WIRE_BODY, item["body"]),
            fetched_at=item["fetched_at"],
        )
        return record

    def track_revision(self, record: dict[str, Any], fetched_at: str) -> None:
        """New article, new revision of a stored one (changed text), or unchanged (dropped)."""
        seen = self.run.seen
        if seen is None:
            record["revision"] = 1
            return
        observed = seen.observe(record["canonical_url"], record["content_sha256"], record.get("published_at"))
        if not observed.is_new and not observed.changed:
            raise Unchanged(f"{record['canonical_url']} has not changed since it was stored")
        record["revision"] = observed.revision
        if observed.changed and not observed.is_new:
            if not record.get("updated_at"):
                record["updated_at"] = fetched_at
                record_revision_date(record)
            self.crawler.stats.inc_value("extract/revision_count")


class DedupPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.run: CrawlRun = get_run(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.stats.set_value("dedup/restored_count", self.run.restored)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if "error" in item:
            return item
        document = document_of(item, self.run.agencies)
        signature = item.pop("_signature", None) or Signature.from_record(item["minhash"])
        verdict = self.run.dedup.add(document, signature=signature)
        annotate(item, verdict)
        self.stats.inc_value(f"dedup/{verdict.match}_count")
        # Clusters that gained, lost or regrouped members (or were retired): records written at commit.
        self.run.touched_clusters.update(self.run.dedup.changed_clusters())
        return item


class StoreFailed(DropItem):
    """The store refused a write (after boto3's retries); the run ends without being committed."""

    def __init__(self, message: str) -> None:
        # The failure is logged once (StorePipeline.fail) and ends the command with one line; at
        # Scrapy's default WARNING each later drop would dump its whole item, page body included.
        super().__init__(message, log_level="DEBUG")


class UnstorableRecord(DropItem):
    """A record the store refused as malformed (BadRecord): dropped, counted, the crawl goes on."""


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.run: CrawlRun = get_run(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if "error" in item:
            return item
        raw = item.pop("_raw", None)
        writer = self.run.writer
        if writer is None:
            return item
        if self.stats.get_value("storage/commit_failed"):
            raise StoreFailed(f"{item['url']}: the store failed earlier in this run")
        try:
            # Queueing is quick and stays on the reactor thread (a thread hop per item costs more
            # than the work); a full batch is written from a thread, so downloads go on meanwhile.
            if writer.queue_article(item, raw):
                await asyncio.to_thread(writer.flush)
        except BadRecord as error:
            # This record cannot be stored; the store is fine, so the crawl goes on without it.
            logger.error("not storing %s: %s", item.get("url"), error)
            raise UnstorableRecord(f"{item.get('url')}: {error}") from None
        except StorageError as error:
            self.fail(error)
            raise StoreFailed(f"{item['url']}: {error}") from None
        self.stats.inc_value("storage/article_count")
        return item

    def fail(self, error: Exception, stop_crawl: bool = True) -> None:
        """Stop the crawl: nothing of this run becomes visible, and the next run fetches it again."""
        if self.stats.get_value("storage/commit_failed"):
            return
        logger.error(
            "store %s failed: %s; stopping the crawl without committing it", self.run.store.describe(), error
        )
        self.stats.set_value("storage/commit_failed", True)
        self.stats.set_value("storage/error", str(error).splitlines()[0][:500])
        if stop_crawl:
            self._closing = asyncio.ensure_future(
                self.crawler.engine.close_spider_async(reason="store_failed")
            )

    def close_spider(self) -> None:
        try:
            writer = self.run.writer
            if writer is None:
                return
            if self.stats.get_value("storage/commit_failed"):
                writer.abort()
                return
            try:
                self.commit(writer)
            except StorageError as error:
                self.fail(error, stop_crawl=False)  # already closing
        finally:
            self.run.close()

    def commit(self, writer: RunWriter) -> None:
        for cluster_id in sorted(self.run.touched_clusters):
            writer.add_cluster(self.run.dedup.cluster_record(cluster_id))
        self.crawler.signals.send_catch_log(run_committing)
        # A worker of a shared frontier leaves to the others what they popped.
        shared = bool(self.crawler.settings.get("REDIS_URL"))
        sources = [source.id for source in getattr(self.crawler.spider, "sources", [])]
        stats = {key: _jsonable(value) for key, value in self.stats.get_stats().items()}
        report = report_from_stats(
            stats, previous_reports(self.run.store, sources), expected_sources=[] if shared else sources,
            shared=shared,
        )  # fmt: skip
        self.run.report = report
        stats[REPORT_STAT] = save_report(self.run.store, writer.run_id, report)
        manifest = writer.commit(stats)
        self.stats.set_value("storage/manifest", manifest["key"])


def _jsonable(value: Any) -> Any:
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)

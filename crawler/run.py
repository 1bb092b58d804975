"""The state one crawl shares between its pipelines: store, run writer, dedup index, worker pool.

Built once per crawler from its settings (STORAGE_URI, STORAGE_WRITE, STORAGE_BATCH_SIZE,
EXTRACT_WORKERS, DEDUP_*). The dedup index is rebuilt from the signatures already in the store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.crawler import Crawler

from crawler.seen import SeenStore
from crawler.storage import Reader, RunWriter, Store, open_store
from crawler.workerpool import WorkerPool
from dedup import DedupConfig, Deduplicator, Document, Signature

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_newscrawl_run"


@dataclass
class CrawlRun:
    store: Store
    writer: RunWriter | None
    dedup_config: DedupConfig
    dedup: Deduplicator
    pool: WorkerPool
    seen: SeenStore | None = None
    report: dict[str, Any] | None = None
    touched_clusters: set[str] = field(default_factory=set)
    restored: int = 0

    def close(self) -> None:
        self.pool.close()


def get_run(crawler: Crawler) -> CrawlRun:
    run = getattr(crawler, _ATTRIBUTE, None)
    if run is None:
        run = _build(crawler)
        setattr(crawler, _ATTRIBUTE, run)
    return run


def _build(crawler: Crawler) -> CrawlRun:
    settings = crawler.settings
    store = open_store(settings.get("STORAGE_URI"))
    window = timedelta(days=settings.getint("DEDUP_WINDOW_DAYS"))
    config = DedupConfig(window=window)
    redis_url = settings.get("DEDUP_REDIS_URL")
    if redis_url:
        dedup = Deduplicator(config, redis_url=redis_url, namespace=settings.get("DEDUP_NAMESPACE"))
    else:
        dedup = Deduplicator(config)
    restored = 0 if redis_url else restore_index(dedup, Reader(store), window)
    writer = (
        RunWriter(store, batch_size=settings.getint("STORAGE_BATCH_SIZE"))
        if settings.getbool("STORAGE_WRITE")
        else None
    )
    return CrawlRun(
        store, writer, config, dedup, WorkerPool(settings.getint("EXTRACT_WORKERS")), restored=restored
    )


def restore_index(dedup: Deduplicator, reader: Reader, window: timedelta) -> int:
    """Re-insert stored articles of the window so this run recognises copies of what earlier runs stored."""
    since = (datetime.now(UTC) - window).date()
    count = 0
    for record in reader.articles(since=since):
        signature = record.get("minhash")
        if not signature or not record.get("text"):
            continue
        dedup.restore(document_of(record), Signature.from_record(signature))
        count += 1
    logger.info("dedup index restored with %d stored articles", count)
    return count


def document_of(record: dict[str, Any]) -> Document:
    published = record.get("published_at")
    return Document(
        id=record["id"],
        text=record["text"],
        title=record.get("title"),
        url=record.get("canonical_url") or record.get("url"),
        source=record.get("source"),
        published_at=datetime.fromisoformat(published) if published else None,
        agency=record.get("agency_original"),
    )

"""The state one crawl shares between its pipelines: store, run writer, dedup index, worker pool.

Built once per crawler from its settings (STORAGE_URI, STORAGE_WRITE, STORAGE_BATCH_SIZE,
EXTRACT_WORKERS, DEDUP_*). The dedup index is rebuilt from the signatures already in the store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.frontier.seen import SeenStore
from crawler.registry import Source
from crawler.storage import Reader, RunWriter, Store, open_store
from crawler.workers.pool import WorkerPool
from dedup import DedupConfig, Deduplicator, Document, batch

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
    agencies: dict[str, str] = field(default_factory=dict)  # source id → the agency it is

    def close(self) -> None:
        self.pool.close()


def get_run(crawler: Crawler, sources: list[Source] | None = None) -> CrawlRun:
    """The crawl's shared state, built on first use (the spider passes its sources, as
    `crawler.spider` is not set while the spider is being built)."""
    run = getattr(crawler, _ATTRIBUTE, None)
    if run is None:
        if sources is None:
            sources = list(getattr(getattr(crawler, "spider", None), "sources", []))
        run = _build(crawler, sources)
        setattr(crawler, _ATTRIBUTE, run)
    return run


def _build(crawler: Crawler, sources: list[Source]) -> CrawlRun:
    settings = crawler.settings
    store = open_store(settings.get("STORAGE_URI"))
    config = DedupConfig.from_settings(settings)
    redis_url = settings.get("DEDUP_REDIS_URL")
    if redis_url:
        dedup = Deduplicator(config, redis_url=redis_url, namespace=settings.get("DEDUP_NAMESPACE"))
    else:
        dedup = Deduplicator(config)
    agencies = {source.id: source.agency for source in sources if source.agency}
    reader = Reader(store, on_damaged=lambda error: logger.warning("not restoring from %s", error))
    # A shared index persists in Redis; it is re-indexed only when it was dropped (an older layout).
    restored = (
        restore_index(dedup, reader, config.window, agencies) if dedup.needs_restore or not redis_url else 0
    )
    writer = (
        RunWriter(store, batch_size=settings.getint("STORAGE_BATCH_SIZE"))
        if settings.getbool("STORAGE_WRITE")
        else None
    )
    # The seen-store remembers what earlier runs fetched; only runs that write may change it.
    seen = SeenStore(store) if writer is not None else None
    if seen is not None and seen.quarantined:
        _count_healed(crawler, seen)
    pool = WorkerPool(settings.getint("EXTRACT_WORKERS"), preload=("crawler.workers.page",))
    return CrawlRun(store, writer, config, dedup, pool, seen=seen, restored=restored, agencies=agencies)


def _count_healed(crawler: Crawler, seen: SeenStore) -> None:
    """Put the damaged seen-store objects set aside into the stats, once they exist (spider_opened)."""

    def count() -> None:
        crawler.stats.set_value("seen/quarantined_count", len(seen.quarantined))
        crawler.stats.set_value("seen/rebuilt_count", seen.rebuilt)

    crawler.signals.connect(count, signal=signals.spider_opened, weak=False)


def restore_index(dedup: Deduplicator, reader: Reader, window: timedelta, agencies: dict[str, str]) -> int:
    """Re-insert stored articles of the window so this run recognises copies of what earlier runs stored."""
    since = (datetime.now(UTC) - window).date()
    count = 0
    for record in reader.articles(since=since):
        if not record.get("minhash") or not record.get("text"):
            continue
        # A damaged stored signature, or one from other MinHash parameters, is recomputed from the text:
        # one bad record must not stop every later crawl from starting.
        dedup.restore(document_of(record, agencies), batch.signature_of(record, dedup.config))
        count += 1
    logger.info("dedup index restored with %d stored articles", count)
    return count


def document_of(record: dict[str, Any], agencies: dict[str, str] | None = None) -> Document:
    """The dedup Document of a record; a record from an agency's own outlet is marked as its copy."""
    document = batch.document_of(record)
    agency = (agencies or {}).get(record.get("source") or "")
    return replace(document, agency=agency) if agency else document

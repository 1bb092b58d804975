"""The crawl's StorePipeline: a record the store refuses as malformed is dropped and the run goes on;
only a failing store stops it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.pipelines import StorePipeline, UnstorableRecord
from crawler.storage import Reader, RunWriter, open_store
from tests.storage.factories import article


def _pipeline(writer: RunWriter) -> StorePipeline:
    pipeline = StorePipeline.__new__(StorePipeline)  # without the crawl's run: just its writer
    pipeline.crawler = get_crawler(Spider)
    pipeline.stats = pipeline.crawler.stats
    pipeline.run = SimpleNamespace(writer=writer)  # type: ignore[assignment]
    return pipeline


def test_an_unstorable_record_is_dropped_and_the_run_goes_on(tmp_path: Path) -> None:
    with open_store(f"file://{tmp_path}") as store:
        writer = RunWriter(store)
        pipeline = _pipeline(writer)
        bad = dict(article(1), source="no/such id")  # e.g. a host that makes no safe partition
        with pytest.raises(UnstorableRecord, match="source id"):
            asyncio.run(pipeline.process_item(bad))
        assert not pipeline.stats.get_value("storage/commit_failed")
        good = article(2)
        asyncio.run(pipeline.process_item(good))
        writer.commit({})
        assert [record["id"] for record in Reader(store).articles()] == [good["id"]]

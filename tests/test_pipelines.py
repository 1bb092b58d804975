"""Each item pipeline on its own, with the crawl's real run state: a file:// store, the in-memory
dedup index, the seen-store and extraction inline (EXTRACT_WORKERS=0)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.middlewares import WIRE_BODY, WIRE_HEADERS
from crawler.pipelines import DedupPipeline, ExtractPipeline, StoreFailed, StorePipeline
from crawler.registry import Source
from crawler.run.drops import Unchanged
from crawler.run.state import get_run
from crawler.storage import RawResponse, Reader
from crawler.storage.parquet import decode_parquet
from crawler.workers.page import article_id
from tests.extract.pages import PARAGRAPHS, article_page
from tests.support.schema import validate

OUTLET = Source(id="outlet", name="Outlet", homepage="https://outlet.example/", body_selector="article")
URL = "https://outlet.example/2020/02/04/budget"


def _settings(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    names = (name for name in dir(project_settings) if name.isupper())
    values = {name: getattr(project_settings, name) for name in names}
    return values | {"STORAGE_URI": f"file://{tmp_path}", "EXTRACT_WORKERS": 0} | overrides


@pytest.fixture
def crawler(tmp_path: Path) -> Iterator[Crawler]:
    yield _crawler(tmp_path)


def _crawler(tmp_path: Path, **overrides: Any) -> Crawler:
    crawler = get_crawler(Spider, _settings(tmp_path, **overrides))
    crawler.spider = Spider(name="news")
    crawler.spider.sources = [OUTLET]  # type: ignore[attr-defined]
    return crawler


def _page(paragraphs: list[str] = PARAGRAPHS) -> dict[str, Any]:
    """A fetched page as the spider yields it."""
    return {
        "url": URL,
        "final_url": URL + "?amp",
        "status": 200,
        "headers": [("Content-Type", "text/html; charset=utf-8")],
        "body": article_page(paragraphs).encode(),
        "source": "outlet",
        "fetched_at": "2020-02-04T12:00:00+00:00",
        "discovered_via": "feed",
        "announced": {"title": "Budget", "published_at": None, "keywords": [], "language": "en"},
        "rights": None,
    }


def _copy() -> dict[str, Any]:
    """The same story on another page, published a day later."""
    page = _page() | {"url": URL + "-copy", "final_url": URL + "-copy"}
    page["body"] = page["body"].replace(b"2020-02-04T10:00", b"2020-02-05T10:00")
    return page


def _extract(crawler: Crawler, item: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(ExtractPipeline.from_crawler(crawler).process_item(item))


def _stored(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def test_extract_makes_a_valid_record_with_the_pages_fields(crawler: Crawler) -> None:
    record = _extract(crawler, _page())
    assert (record["url"], record["final_url"], record["source"]) == (URL, URL + "?amp", "outlet")
    assert record["id"] == article_id(record["canonical_url"])
    assert (record["revision"], record["discovered_via"]) == (1, "feed")
    assert record["text"].startswith(PARAGRAPHS[0])
    assert validate(_stored(record)) == []


def test_discoverys_canonical_url_names_the_article(crawler: Crawler) -> None:
    record = _extract(crawler, _page() | {"canonical_url": "https://outlet.example/budget"})
    assert record["canonical_url"] == "https://outlet.example/budget"
    assert record["id"] == article_id("https://outlet.example/budget")


def test_extract_archives_the_response_as_received(crawler: Crawler) -> None:
    wire = [("Content-Encoding", "gzip")]
    record = _extract(crawler, _page() | {WIRE_BODY: b"gzipped", WIRE_HEADERS: wire})
    assert record["_raw"] == RawResponse(URL + "?amp", 200, wire, b"gzipped", "2020-02-04T12:00:00+00:00")


def test_an_unchanged_text_is_dropped_and_a_changed_one_is_the_next_revision(crawler: Crawler) -> None:
    _extract(crawler, _page())
    with pytest.raises(Unchanged):
        _extract(crawler, _page())
    changed = _extract(crawler, _page([*PARAGRAPHS, "A correction was added on Wednesday morning."]))
    assert changed["revision"] == 2
    assert crawler.stats.get_value("extract/revision_count") == 1


def test_a_page_without_text_is_dropped_under_its_reasons_name(crawler: Crawler) -> None:
    with pytest.raises(Exception) as raised:
        _extract(crawler, _page([]))
    assert type(raised.value).__name__ == "EmptyText"


def test_items_carrying_an_error_pass_every_pipeline_untouched(crawler: Crawler) -> None:
    failed = {"url": URL, "error": "DNS lookup failed"}
    assert _extract(crawler, dict(failed)) == failed
    assert DedupPipeline.from_crawler(crawler).process_item(dict(failed)) == failed
    assert asyncio.run(StorePipeline.from_crawler(crawler).process_item(dict(failed))) == failed


def test_options_come_from_the_registry_entry_of_the_items_source(tmp_path: Path) -> None:
    pipeline = ExtractPipeline.from_crawler(_crawler(tmp_path, EXTRACT_DROP_NON_ARTICLES=False))
    assert pipeline.options_for("outlet").body_selector == "article"
    assert pipeline.options_for("elsewhere").body_selector is None
    assert not pipeline.options_for("elsewhere").drop_non_articles


def test_dedup_marks_a_copy_of_an_earlier_article(crawler: Crawler) -> None:
    dedup = DedupPipeline.from_crawler(crawler)
    dedup.open_spider()
    first = dedup.process_item(_extract(crawler, _page()))
    copy = _extract(crawler, _copy())
    copy = dedup.process_item(copy)
    assert (first["duplicate_of"], copy["duplicate_of"]) == (None, first["id"])
    assert copy["cluster_id"] == first["cluster_id"] and "_signature" not in copy
    assert crawler.stats.get_value(f"dedup/{copy['match']}_count") == 1
    assert crawler.stats.get_value("dedup/restored_count") == 0
    assert get_run(crawler).touched_clusters == {first["cluster_id"]}


def test_dedup_reads_the_stored_signature_when_the_item_has_none(crawler: Crawler) -> None:
    dedup = DedupPipeline.from_crawler(crawler)
    first = dedup.process_item(_extract(crawler, _page()))
    copy = _extract(crawler, _copy())
    del copy["_signature"]
    assert dedup.process_item(copy)["duplicate_of"] == first["id"]


def _crawl(crawler: Crawler, pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dedup, store = DedupPipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)
    stored = [asyncio.run(store.process_item(dedup.process_item(_extract(crawler, page)))) for page in pages]
    store.close_spider()
    return stored


def test_store_commits_the_records_and_their_clusters_at_close(crawler: Crawler) -> None:
    stored = _crawl(crawler, [_page(), _copy()])
    reader = Reader(get_run(crawler).store)
    articles = sorted(reader.articles(), key=lambda record: record["url"])
    assert [record["id"] for record in articles] == [record["id"] for record in stored]
    assert all(validate(record) == [] for record in articles)
    (cluster,) = reader.clusters()
    assert (cluster["origin"], {member["id"] for member in cluster["members"]}) == (
        stored[0]["id"],
        {stored[0]["id"], stored[1]["id"]},
    )
    assert crawler.stats.get_value("storage/article_count") == 2
    assert crawler.stats.get_value("storage/manifest").startswith("manifests/")


def test_the_stored_parquet_part_has_the_pipelines_fields_as_columns(crawler: Crawler) -> None:
    _crawl(crawler, [_page()])
    reader = Reader(get_run(crawler).store)
    (entry,) = reader.article_entries(reader.runs()[0], kind="articles-parquet")
    (row,) = decode_parquet(reader.read_object(entry))
    assert (row["final_url"], row["revision"], row["page_type"], row["extra"]) == (
        URL + "?amp",
        1,
        "article",
        None,
    )


def test_without_store_writes_records_pass_through_unwritten(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path, STORAGE_WRITE=False)
    (record,) = _crawl(crawler, [_page()])
    assert record["revision"] == 1 and "_raw" not in record
    assert Reader(get_run(crawler).store).runs() == []


def test_after_a_store_failure_records_are_refused_and_the_run_is_not_committed(crawler: Crawler) -> None:
    store = StorePipeline.from_crawler(crawler)
    record = _extract(crawler, _page())
    crawler.stats.set_value("storage/commit_failed", True)
    with pytest.raises(StoreFailed, match="failed earlier in this run"):
        asyncio.run(store.process_item(record))
    store.close_spider()
    assert Reader(get_run(crawler).store).runs() == []

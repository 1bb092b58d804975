"""One identity per article and incremental runs: URL variants, a second run, revisions, validators."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.support.crawl import pipeline_output, run_unthrottled, source, write_registry
from tests.support.fakesite import Article, FakeSite, Hit, Reply, article_page, news_outlet


def _outlet(site: FakeSite, articles: list[Article], tmp_path: Path) -> Path:
    news_outlet(site, articles)
    return write_registry(
        tmp_path / "s.toml",
        [
            source(
                site, feeds=["/feed.xml"], sitemaps=["/sitemap.xml"], article_pattern="/news/", wp_json=False
            )
        ],
    )


def test_three_url_variants_yield_one_record(tmp_path: Path, sites: Callable[[str], FakeSite]) -> None:
    site = sites("127.0.0.2")
    article = Article("wire", "Wire story", "Same text.")
    news_outlet(site, [article])
    site.add("/news/wire/amp/", article_page(site, article))  # AMP copy: canonical → /news/wire/
    upper = f"HTTP://127.0.0.2:{site.port}/news/wire/?utm_source=rss&fbclid=x#top"
    now = format_datetime(datetime.now(UTC))
    items = "".join(
        f"<item><title>w</title><link>{link}</link><pubDate>{now}</pubDate></item>"
        for link in (upper, site.url("/news/wire/"), site.url("/news/wire/amp/"))
    )
    site.add("/feed.xml", f"<rss><channel>{items}</channel></rss>", "application/rss+xml")
    registry = write_registry(
        tmp_path / "s.toml", [source(site, feeds=["/feed.xml"], article_pattern="/news/", wp_json=False)]
    )
    records, stats = run_unthrottled(tmp_path, sources=str(registry), seen_dir=str(tmp_path / "seen"))
    assert [r["canonical"] for r in records] == [site.url("/news/wire/")]
    assert len(site.hits_for("/news/wire/")) == 2  # the page once, its AMP copy once; no tracking variant
    assert stats["discovery/duplicate_variant_count"] == 1


def test_second_run_over_unchanged_outlet_fetches_no_articles(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    # Whole seconds: the feed's pubDate has no fractions, so the sitemap's lastmod is not a later date.
    yesterday = (datetime.now(UTC) - timedelta(hours=20)).replace(microsecond=0)
    articles = [Article(f"a{i}", f"A{i}", f"Text {i}.", published=yesterday) for i in range(4)]
    registry = _outlet(site, articles, tmp_path)
    seen = str(tmp_path / "seen")
    first, _ = run_unthrottled(tmp_path, "first", sources=str(registry), seen_dir=seen)
    stored, _ = pipeline_output(tmp_path, "first")
    assert len(first) == 4 and [r["revision"] for r in stored] == [1, 1, 1, 1]  # all new
    before = len(site.hits_for("/news/"))
    second, stats = run_unthrottled(tmp_path, "second", sources=str(registry), seen_dir=seen)
    assert second == [] and len(site.hits_for("/news/")) == before == 4
    assert stats["discovery/already_seen_count"] == 4


def test_changed_article_becomes_a_revision(tmp_path: Path, sites: Callable[[str], FakeSite]) -> None:
    site = sites("127.0.0.2")
    earlier = datetime.now(UTC) - timedelta(hours=3)
    article = Article("story", "Story", "First version.", published=earlier)
    registry = _outlet(site, [article], tmp_path)
    seen = str(tmp_path / "seen")
    [first], _ = run_unthrottled(tmp_path, "first", sources=str(registry), seen_dir=seen)
    assert [r["revision"] for r in pipeline_output(tmp_path, "first")[0]] == [1]  # new
    # The outlet corrects the story and says so in its sitemap's lastmod.
    article.text, article.updated = "Corrected version.", datetime.now(UTC) + timedelta(seconds=1)
    news_outlet(site, [article])
    [second], _ = run_unthrottled(tmp_path, "second", sources=str(registry), seen_dir=seen)
    assert [r["revision"] for r in pipeline_output(tmp_path, "second")[0]] == [2]  # changed
    assert second["canonical"] == first["canonical"]


def test_recent_articles_are_rechecked_after_the_interval(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    fresh = Article("fresh", "Fresh", "Same.", published=datetime.now(UTC) - timedelta(hours=1))
    old = Article("old", "Old", "Same.", published=datetime.now(UTC) - timedelta(days=5))
    registry = _outlet(site, [fresh, old], tmp_path)
    seen = str(tmp_path / "seen")
    run_unthrottled(tmp_path, "first", sources=str(registry), seen_dir=seen)
    again, _ = run_unthrottled(
        tmp_path, "second", sources=str(registry), seen_dir=seen, settings={"NEWSCRAWL_RECHECK_INTERVAL": 0}
    )
    # Only the article inside the 2-day recheck window is fetched again, and it is unchanged.
    assert [r["final_url"] for r in again] == [site.url("/news/fresh/")]
    assert pipeline_output(tmp_path, "second") == (
        [],
        [{"url": site.url("/news/fresh/"), "reason": "Unchanged"}],
    )


def test_feeds_are_fetched_conditionally_and_lying_validators_are_dropped(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    news_outlet(site, [])
    registry = write_registry(
        tmp_path / "s.toml", [source(site, feeds=["/feed.xml"], sitemaps=["/sitemap.xml"], wp_json=False)]
    )
    feed = {"body": b"<rss><channel></channel></rss>"}

    def conditional_feed(hit: Hit) -> Reply:
        # This server's ETag never changes, even when the feed does.
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return Reply(200, feed["body"], {"ETag": '"v1"', "Content-Type": "application/rss+xml"})

    site.routes["/feed.xml"] = conditional_feed
    seen = str(tmp_path / "seen")
    run_unthrottled(tmp_path, "first", sources=str(registry), seen_dir=seen)
    _, stats = run_unthrottled(tmp_path, "second", sources=str(registry), seen_dir=seen)
    assert stats["conditional/not_modified_count"] == 1 and stats["discovery/not_modified_count"] == 1
    assert site.hits_for("/feed.xml")[-1].headers["if-none-match"] == '"v1"'
    feed["body"] = b"<rss><channel><item><link>http://elsewhere/x</link></item></channel></rss>"
    verify = {"NEWSCRAWL_VALIDATOR_VERIFY_INTERVAL": 0}
    _, stats = run_unthrottled(tmp_path, "verify", sources=str(registry), seen_dir=seen, settings=verify)
    assert stats["conditional/untrusted_validator_count"] == 1
    run_unthrottled(tmp_path, "after", sources=str(registry), seen_dir=seen)
    assert "if-none-match" not in site.hits_for("/feed.xml")[-1].headers


def test_an_update_only_the_sitemap_announces_is_fetched_whatever_was_read_first(
    tmp_path: Path, sites: Callable[[str], FakeSite]
) -> None:
    site = sites("127.0.0.2")
    week_ago = datetime.now(UTC) - timedelta(days=7)  # outside the recheck window: only news refetches it
    story = Article("story", "Story", "First text.", published=week_ago)
    registry = _outlet(site, [story], tmp_path)
    seen = str(tmp_path / "seen")
    run_unthrottled(tmp_path, "first", sources=str(registry), seen_dir=seen)
    # The outlet updates the story: its sitemap says so (lastmod), its feed still gives the first
    # pubDate, and the feed is read first.
    news_outlet(site, [dataclasses.replace(story, updated=datetime.now(UTC))])
    sitemap = site.routes["/sitemap.xml"]

    def late_sitemap(hit: Hit) -> Reply:
        time.sleep(0.5)
        return sitemap  # type: ignore[return-value]

    site.routes["/sitemap.xml"] = late_sitemap
    again, _ = run_unthrottled(tmp_path, "second", sources=str(registry), seen_dir=seen)
    assert [r["final_url"] for r in again] == [site.url("/news/story/")]

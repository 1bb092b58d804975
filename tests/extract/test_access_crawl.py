"""A real crawl of an outlet that serves a bot challenge, a consent wall and a soft 404 among its stories:
none of them is stored, each is counted per source, the run report flags the blocking, and the paywalled
teaser is stored with access=paywall. Stored dates name their source (the page's or the feed's)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.storage import Reader, open_store
from tests.support.cli import FAST, run_cli
from tests.support.fakesite import Article, article_page, rss_feed

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "golden"
PARAGRAPH = (
    "The harbour authority said on Tuesday that the new container terminal would open in the spring, "
    "after two years of delays caused by flooding, a dispute with the contractor and a shortage of cranes. "
)
# Served in place of a story: the golden pages of each kind.
WALLS = {
    "challenge": "access-challenge-cloudflare",
    "consent": "access-consent-cmp-wall",
    "missing": "access-soft-404-wordpress",
    "teaser": "access-paywall-jsonld-teaser",
}


def _registry(site, tmp_path: Path) -> Path:
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nid = "walled-harbour"\nname = "Walled Harbour"\n'
        f'homepage = "{site.url("/")}"\nfeeds = ["{site.url("/feed.xml")}"]\n'
        'article_pattern = "/news/"\nwp_json = false\n'
    )
    return registry


def _outlet(site, tmp_path: Path) -> tuple[list[Article], Path]:
    published = datetime.now(UTC) - timedelta(hours=3)
    stories = [
        Article(f"story-{i}", f"Terminal story {i}", "\n\n".join([PARAGRAPH] * 6), published)
        for i in range(2)
    ]
    walls = [Article(slug, slug.title(), PARAGRAPH, published) for slug in WALLS]
    for story in stories:
        site.add(story.path, article_page(site, story))
    for wall in walls:
        site.add(wall.path, (GOLDEN / f"{WALLS[wall.slug]}.html").read_bytes())
    site.add("/feed.xml", rss_feed(site, stories + walls), content_type="application/rss+xml")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    registry = _registry(site, tmp_path)
    return stories, registry


def test_walls_and_missing_pages_are_counted_and_flagged_never_stored(sites, tmp_path: Path) -> None:
    site = sites("127.0.0.1")
    stories, registry = _outlet(site, tmp_path)
    store_uri = f"file://{tmp_path / 'store'}"
    result = run_cli("crawl", "--sources", str(registry), "--store", store_uri, "--allow-private", *FAST)
    # Committed, with the source flagged BLOCKED: exit code 4, so cron sees an outlet that walls us.
    assert result.returncode == 4, result.stderr[-3000:]
    with open_store(store_uri) as store:
        reader = Reader(store)
        stored = {record["url"]: record for record in reader.articles()}
        report = json.loads(store.get_bytes(reader.runs()[-1]["stats"]["run_report"]))
    expected = {site.url(story.path) for story in stories} | {site.url("/news/teaser/")}
    assert set(stored) == expected
    assert stored[site.url("/news/teaser/")]["access"] == "paywall"
    assert "isAccessibleForFree=false" in stored[site.url("/news/teaser/")]["access_evidence"]
    for story in stories:
        record = stored[site.url(story.path)]
        assert record["access"] == "full"
        # The page declares no date: the feed's pubDate is the published date, and says so.
        assert record["dates"]["published"]["source"] == "feed"
        assert record["published_at"] is not None
    row = report["sources"]["walled-harbour"]
    assert row["dropped"] == {"BlockedByChallenge": 1, "ConsentWall": 1, "SoftNotFound": 1}
    assert row["flags"] == ["BLOCKED (challenge)", "BLOCKED (consent)"]
    assert {(a["kind"], a["field"]) for a in report["anomalies"]} == {
        ("blocked", "challenge"),
        ("blocked", "consent"),
    }
    assert "BLOCKED (challenge)" in result.stdout + result.stderr


def test_a_challenge_sent_with_a_refusal_status_is_counted_as_blocking(sites, tmp_path: Path) -> None:
    # Bot challenges mostly come with 403 or 503; a plain 403 error page is an HTTP error, no wall.
    site = sites("127.0.0.1")
    published = datetime.now(UTC) - timedelta(hours=3)
    story = Article("story", "Terminal story", "\n\n".join([PARAGRAPH] * 6), published)
    refused = [
        Article(slug, slug.title(), PARAGRAPH, published) for slug in ("cf-403", "dd-503", "plain-403")
    ]
    site.add(story.path, article_page(site, story))
    challenge = (GOLDEN / "access-challenge-cloudflare.html").read_bytes()
    site.add("/news/cf-403/", challenge, status=403)
    site.add("/news/dd-503/", (GOLDEN / "access-challenge-datadome.html").read_bytes(), status=503)
    site.add("/news/plain-403/", "<html><body><h1>403 Forbidden</h1></body></html>", status=403)
    site.add("/feed.xml", rss_feed(site, [story, *refused]), content_type="application/rss+xml")
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    registry = _registry(site, tmp_path)
    store_uri = f"file://{tmp_path / 'store'}"
    result = run_cli(
        "crawl", "--sources", str(registry), "--store", store_uri, "--allow-private", *FAST,
        "-s", "RETRY_ENABLED=False",
    )  # fmt: skip
    # Committed, with the source flagged BLOCKED: exit code 4, so cron sees an outlet that walls us.
    assert result.returncode == 4, result.stderr[-3000:]
    with open_store(store_uri) as store:
        reader = Reader(store)
        stored = [record["url"] for record in reader.articles()]
        report = json.loads(store.get_bytes(reader.runs()[-1]["stats"]["run_report"]))
    assert stored == [site.url(story.path)]
    row = report["sources"]["walled-harbour"]
    assert row["dropped"] == {"BlockedByChallenge": 2}
    assert "BLOCKED (challenge)" in row["flags"]

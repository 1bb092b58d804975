"""`from crawler import fetch_article`: one call fetches and extracts a URL with `newscrawl fetch`'s
guards, returns the record, raises a typed error on failure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler import FetchError, FetchFailed, URLRefused, fetch_article
from tests.support.fakesite import Article, news_outlet

STORY = Article(
    slug="ministers-agree",
    title="Ministers agree on a common payments framework",
    text="\n\n".join(
        f"Paragraph {n}: finance ministers meeting in the capital agreed on Thursday to widen the use "
        "of local currencies in trade between member states, officials said after the talks."
        for n in range(6)
    ),
    published=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
)


def test_fetch_article_returns_the_record_of_a_page_on_loopback(sites, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default store for the dedup verdict is ./newscrawl-data
    site = sites()
    news_outlet(site, [STORY])
    record = fetch_article(site.url(STORY.path), allow_private=True)
    assert record["title"] == STORY.title
    assert "Paragraph 5: finance ministers" in record["text"]
    assert record["url"] == site.url(STORY.path)
    assert not (tmp_path / "newscrawl-data" / "manifests").exists(), "nothing stored without store="


def test_a_private_address_is_refused_without_allow_private(sites):
    site = sites()
    news_outlet(site, [STORY])
    with pytest.raises(URLRefused, match="a loopback address; pass allow_private=True") as refused:
        fetch_article(site.url(STORY.path))
    assert isinstance(refused.value, FetchError) and refused.value.url == site.url(STORY.path)
    assert site.hits_for("/") == [], "refused before any request"


def test_a_missing_page_raises_fetch_failed(sites):
    site = sites()
    news_outlet(site, [STORY])
    with pytest.raises(FetchFailed, match="404"):
        fetch_article(site.url("/news/no-such-story/"), allow_private=True)

"""Pages that are not one story are recognised before extraction."""

from __future__ import annotations

import pytest

from crawler.extract import ExtractOptions, NotAnArticle, extract_article
from tests.extract.pages import article_page


def plain_page(body_class: str = "", head: str = "") -> bytes:
    page = article_page().replace('<meta property="og:type" content="article">', head)
    return page.replace("<body>", f'<body class="{body_class}">').encode()


LISTINGS = pytest.mark.parametrize(
    ("url", "body_class", "head", "kind"),
    [
        ("https://news.example.com/", "", "", "home"),
        ("https://news.example.com/en/", "", "", "home"),
        ("https://news.example.com/category/politics/", "", "", "listing"),
        ("https://news.example.com/author/jane-doe", "", "", "profile"),
        ("https://news.example.com/politics/page/3/", "", "", "listing"),
        ("https://news.example.com/search?q=budget", "search search-results", "", "listing"),
        ("https://news.example.com/2020/02/", "archive date", "", "listing"),
        ("https://news.example.com/videos/budget-explained", "", "", "video"),
        ("https://news.example.com/gallery/budget-in-pictures", "", "", "gallery"),
        (
            "https://news.example.com/watch/budget",
            "",
            '<meta property="og:type" content="video.other">',
            "video",
        ),
        (
            "https://news.example.com/people/jane",
            "",
            '<script type="application/ld+json">{"@type": "ProfilePage"}</script>',
            "profile",
        ),
    ],
)


@LISTINGS
def test_listing_and_media_pages_are_not_articles(url: str, body_class: str, head: str, kind: str) -> None:
    with pytest.raises(NotAnArticle) as caught:
        extract_article(plain_page(body_class, head), url, options=ExtractOptions())
    assert caught.value.reason == "not_an_article"


@LISTINGS
def test_a_fetch_still_gets_the_text_of_a_page_that_is_no_article(
    url: str, body_class: str, head: str, kind: str
) -> None:
    record = extract_article(
        plain_page(body_class, head), url, options=ExtractOptions(drop_non_articles=False)
    )
    assert record["page_type"] == kind
    assert "The regional parliament approved a new budget" in record["text"]


def test_an_article_says_it_is_one() -> None:
    record = extract_article(
        plain_page(), "https://news.example.com/2020/02/04/budget", options=ExtractOptions()
    )
    assert record["page_type"] == "article"


@pytest.mark.parametrize(
    ("url", "body_class", "head"),
    [
        ("https://news.example.com/2020/02/04/budget-approved", "", ""),
        ("https://news.example.com/video/budget-approved", "single single-post", ""),
        (
            "https://news.example.com/tag/budget-approved",
            "",
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget"}</script>',
        ),
    ],
)
def test_story_pages_are_articles_even_under_listing_like_paths(url: str, body_class: str, head: str) -> None:
    assert extract_article(plain_page(body_class, head), url, options=ExtractOptions())["text"]


def test_plain_permalink_with_a_query_is_not_the_home_page() -> None:
    record = extract_article(plain_page(), "https://news.example.com/?p=123", options=ExtractOptions())
    assert record["text"]

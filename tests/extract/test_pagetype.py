"""Pages that are not one story are recognised before extraction."""

from __future__ import annotations

import pytest

from crawler.extract import ExtractOptions, NotAnArticle, extract_article
from tests.extract.pages import article_page


def plain_page(body_class: str = "", head: str = "") -> bytes:
    page = article_page().replace('<meta property="og:type" content="article">', head)
    return page.replace("<body>", f'<body class="{body_class}">').encode()


@pytest.mark.parametrize(
    ("url", "body_class", "head"),
    [
        ("https://news.example.com/", "", ""),
        ("https://news.example.com/en/", "", ""),
        ("https://news.example.com/category/politics/", "", ""),
        ("https://news.example.com/author/jane-doe", "", ""),
        ("https://news.example.com/politics/page/3/", "", ""),
        ("https://news.example.com/search?q=budget", "search search-results", ""),
        ("https://news.example.com/2020/02/", "archive date", ""),
        ("https://news.example.com/videos/budget-explained", "", ""),
        ("https://news.example.com/watch/budget", "", '<meta property="og:type" content="video.other">'),
        (
            "https://news.example.com/people/jane",
            "",
            '<script type="application/ld+json">{"@type": "ProfilePage"}</script>',
        ),
    ],
)
def test_listing_and_media_pages_are_not_articles(url: str, body_class: str, head: str) -> None:
    with pytest.raises(NotAnArticle) as caught:
        extract_article(plain_page(body_class, head), url, options=ExtractOptions())
    assert caught.value.reason == "not_an_article"


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

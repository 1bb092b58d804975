"""Pages that are not one story are recognised before extraction."""

from __future__ import annotations

import pytest

from crawler.extract import ExtractOptions, NotAnArticle, extract_article
from tests.extract.pages import PARAGRAPHS, article_page


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


def teaser_page(body_class: str = "") -> bytes:
    """A story followed by four related-story teasers, each in an <article> element."""
    teasers = "".join(
        f'<article><h3><a href="/related-{n}">Related story {n}</a></h3></article>' for n in range(4)
    )
    return plain_page(body_class).replace(b"</body>", teasers.encode() + b"</body>")


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.com/politik/landtag-beschliesst-den-haushalt",
        "https://news.example.com/uutiset/3-11212601",
        "https://news.example.com/service/news_view.htm?lang=e&Seq_Code=181595",
        "https://news.example.com/bericht/wochenbericht-14-20-januar-2022.html",
        "https://news.example.com/newsroom/landtag-beschliesst-den-haushalt/17-378.html",
    ],
)
def test_related_teasers_under_a_story_address_leave_it_an_article(url: str) -> None:
    assert extract_article(teaser_page(), url, options=ExtractOptions())["page_type"] == "article"


def listing_page() -> bytes:
    """A section page: its text is the teasers, each in an <article> element."""
    teasers = "".join(
        f'<article><h3><a href="/story-{n}">Story {n}</a></h3><p>{paragraph}</p></article>'
        for n, paragraph in enumerate(PARAGRAPHS)
    )
    return f"<html><head><title>Politik</title></head><body><main>{teasers}</main></body></html>".encode()


@pytest.mark.parametrize(
    "url", ["https://news.example.com/politik/", "https://news.example.com/politik/landtag"]
)
def test_teasers_that_are_the_text_under_a_section_address_make_a_listing(url: str) -> None:
    with pytest.raises(NotAnArticle):
        extract_article(listing_page(), url, options=ExtractOptions())
    record = extract_article(listing_page(), url, options=ExtractOptions(drop_non_articles=False))
    assert record["page_type"] == "listing"


def test_a_page_whose_own_text_outweighs_its_teasers_is_one_story_under_any_address() -> None:
    record = extract_article(teaser_page(), "https://news.example.com/politik/", options=ExtractOptions())
    assert record["page_type"] == "article"


def faq_page() -> bytes:
    """A guide whose questions and answers each stand in an <article> element, none linking anywhere."""
    entries = "".join(
        f"<article class='faq'><h3>Question {n}?</h3><p>{paragraph} {paragraph}</p></article>"
        for n, paragraph in enumerate(PARAGRAPHS * 2)
    )
    return f"<html><head><title>Car loans</title></head><body><main>{entries}</main></body></html>".encode()


def test_article_elements_without_links_are_sections_of_the_page_not_teasers() -> None:
    record = extract_article(
        faq_page(), "https://finance.example.com/kredit/autokredit", options=ExtractOptions()
    )
    assert record["page_type"] == "article"
    assert "Question 3?" in record["text"] or PARAGRAPHS[3] in record["text"]


def test_the_code_of_scripts_in_teasers_does_not_count_as_their_words() -> None:
    """A hub page's own text beside four teasers whose inline scripts hold more words than the text."""
    code = " ".join(f"style{n}.padding = value{n};" for n in range(60))
    teasers = "".join(
        f'<article><script>{code}</script><h3><a href="/related-{n}">Related story {n}</a></h3></article>'
        for n in range(4)
    )
    page = plain_page().replace(b"</body>", teasers.encode() + b"</body>")
    record = extract_article(page, "https://ngo.example.org/act/live-better", options=ExtractOptions())
    assert record["page_type"] == "article"


def test_teasers_with_script_code_still_make_a_listing_when_they_are_the_text() -> None:
    code = "style.padding = value;"
    page = listing_page().replace(b"<article>", f"<article><script>{code}</script>".encode())
    with pytest.raises(NotAnArticle):
        extract_article(page, "https://news.example.com/politik/", options=ExtractOptions())


@pytest.mark.parametrize(
    ("url", "body_class"),
    [
        ("https://verein.example.org/geschichte.html", "home onepage_page"),
        ("https://hof.example.org/hof-geschichte/", "page-template-default page page-id-1648 blog"),
        ("https://blog.example.org/page/digitale-datenerhebung", ""),
    ],
)
def test_template_classes_and_page_named_paths_do_not_make_a_listing(url: str, body_class: str) -> None:
    assert extract_article(plain_page(body_class), url, options=ExtractOptions())["page_type"] == "article"


@pytest.mark.parametrize(
    ("url", "body_class", "kind"),
    [("https://blog.example.org/", "home blog", "home"), ("https://blog.example.org/blog/", "blog", "home")],
)
def test_wordpress_front_page_and_posts_index_stay_non_articles(url: str, body_class: str, kind: str) -> None:
    record = extract_article(plain_page(body_class), url, options=ExtractOptions(drop_non_articles=False))
    assert record["page_type"] == kind

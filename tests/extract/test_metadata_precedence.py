"""Metadata precedence: JSON-LD, then OpenGraph / article:* / meta, then the page heuristics."""

from __future__ import annotations

import json

import pytest

from crawler.extract import ExtractOptions, extract_article
from tests.extract.pages import article_page

URL = "https://news.example.com/2020/02/04/budget-approved"


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def record(head: str, options: ExtractOptions | None = None, url: str = URL) -> dict:
    return extract_article(article_page(extra_head=head).encode(), url, options=options or ExtractOptions())


def test_json_ld_beats_opengraph_which_beats_the_page() -> None:
    head = '<meta property="og:title" content="OG title"><meta name="author" content="Meta Author">' + ld(
        {"@type": "NewsArticle", "headline": "LD title", "datePublished": "2020-02-05T08:00:00Z"}
    )
    result = record(head)
    assert result["title"] == "LD title"
    assert result["published_at"] == "2020-02-05T08:00:00+00:00"  # over article:published_time
    assert result["authors"] == ["Meta Author"]  # JSON-LD named none, so meta fills it


def test_opengraph_title_loses_the_site_name() -> None:
    head = '<meta property="og:title" content="Budget approved | Example News">'
    head += '<meta property="og:site_name" content="Example News">'
    assert record(head)["title"] == "Budget approved"


def test_graph_article_with_id_references() -> None:
    graph = {
        "@graph": [
            {"@type": "Person", "@id": "#p1", "name": "Ana Ruiz"},
            {"@type": "Person", "@id": "#p2", "name": "Li Wei"},
            {
                "@type": "ReportageNewsArticle",
                "headline": "Graph title",
                "author": [{"@id": "#p1"}, {"@id": "#p2"}],
            },
        ]
    }
    result = record(ld(graph))
    assert (result["title"], result["authors"]) == ("Graph title", ["Ana Ruiz", "Li Wei"])


def test_naive_dates_take_the_source_timezone() -> None:
    head = ld(
        {"@type": "NewsArticle", "datePublished": "2020-02-04T12:00:00", "dateModified": "2020-02-04T13:30"}
    )
    result = record(head, ExtractOptions(timezone="America/New_York"))
    assert (result["published_at"], result["updated_at"]) == (
        "2020-02-04T17:00:00+00:00",
        "2020-02-04T18:30:00+00:00",
    )


def test_non_article_json_ld_still_dates_the_page() -> None:
    page = article_page().replace(
        '<meta property="article:published_time" content="2020-02-04T10:00:00+01:00">', ""
    )
    head = ld({"@type": "MedicalWebPage", "datePublished": "2019-11-14T08:00:00.000Z"})
    result = extract_article(
        page.replace("</head>", head + "</head>").encode(), URL, options=ExtractOptions()
    )
    assert result["published_at"] == "2019-11-14T08:00:00+00:00"


def test_registry_language_wins_over_a_stale_template_lang() -> None:
    assert record("")["language"] == "en"
    assert record("", ExtractOptions(language="de"))["language"] == "de"


def test_canonical_link_is_made_absolute() -> None:
    assert (
        record('<link rel="canonical" href="/budget">')["canonical_url"] == "https://news.example.com/budget"
    )


def test_tags_merge_sources_and_drop_cms_internal_labels() -> None:
    head = (
        '<meta property="article:tag" content="Budget,Parliament">'
        '<meta name="news_keywords" content="budget, @river">'
        + ld(
            {"@type": "NewsArticle", "keywords": ["Finance", "_no-apple-news"], "articleSection": "Politics"}
        )
    )
    result = record(head)
    assert result["tags"] == ["Finance", "Budget", "Parliament"]
    assert result["categories"] == ["Politics"]


def test_a_date_printed_in_the_byline_does_not_become_an_author() -> None:
    # Quanta, The Space Review and Hawaii News Now print the date inside the byline element; trafilatura's
    # normalize_authors strips its digits and left "November" and "Monday" behind as names.
    for byline, authors in [
        ("By Carrie Arnold November 15, 2019", ["Carrie Arnold"]),
        ("by Jeff Foust Monday, November 18, 2019", ["Jeff Foust"]),
        ("By HNN Staff | November 18, 2019 at 2:26 PM HST - Updated November 18 at 4:46 PM", []),
    ]:
        page = article_page(extra_body=f'<div class="byline">{byline}</div>')
        assert extract_article(page.encode(), URL, options=ExtractOptions())["authors"] == authors, byline


def test_the_outlets_own_name_is_no_author() -> None:
    head = '<meta property="og:site_name" content="BBC News">' + ld(
        {"@type": "NewsArticle", "headline": "Budget", "author": [{"name": "BBC News"}, {"name": "Jane Doe"}],
         "publisher": {"@type": "Organization", "name": "BBC"}}
    )  # fmt: skip
    assert record(head)["authors"] == ["Jane Doe"]
    head = ld({"@type": "NewsArticle", "headline": "Budget", "author": {"name": "AppleInsider"},
               "publisher": {"@type": "Organization", "name": "AppleInsider"}})  # fmt: skip
    assert "AppleInsider" not in record(head)["authors"]


@pytest.mark.parametrize(
    ("url", "head", "title"),
    [
        # the host names the outlet
        (
            "https://www.golem.de/news/a.html",
            '<meta property="og:title" content="Neue Chips kommen - Golem.de">',
            "",
        ),
        # the registry's name, with umlauts spelled out in the host
        ("https://www.boersen-zeitung.de/a", "", "<title>Bund plant Reform | Börsen-Zeitung</title>"),
        # og:site_name, and a date after it
        (
            "https://www.dw.com/en/a",
            '<meta property="og:site_name" content="DW"><meta property="og:title" content="Scholz in Kyiv | DW | 28.04.2023">',
            "",
        ),
        # the JSON-LD publisher, before the headline; "::" as the separator
        (
            "https://example.com/a",
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Kiel News :: Scholz in Kyiv",'
            ' "publisher": {"@type": "Organization", "name": "Kiel News"}}</script>',
            "",
        ),
    ],
)
def test_titles_lose_the_outlets_name(url: str, head: str, title: str) -> None:
    page = article_page(extra_head=head + title)
    page = page.replace("<title>Budget approved</title>", "") if title else page
    page = page.replace("<h1>Parliament approves budget</h1>", "")
    options = ExtractOptions(outlet_name="Börsen-Zeitung")
    expected = {"golem": "Neue Chips kommen", "boersen-zeitung": "Bund plant Reform"}.get(
        url.split(".")[1], "Scholz in Kyiv"
    )
    assert extract_article(page.encode(), url, options=options)["title"] == expected


def test_a_title_that_is_only_the_outlets_name_is_kept_and_never_empty() -> None:
    page = article_page().replace("<title>Budget approved</title>", "<title>Golem.de</title>")
    page = page.replace("<h1>Parliament approves budget</h1>", "<h1> </h1>")
    assert (
        extract_article(page.encode(), "https://www.golem.de/a", options=ExtractOptions())["title"]
        == "Golem.de"
    )


def test_a_json_ld_image_caption_keeps_its_credit_apart_and_the_agency_is_recorded() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget approved",'
        ' "image": {"@type": "ImageObject", "url": "https://example.com/p.jpg",'
        ' "caption": "Members of parliament vote on the budget in the chamber (Reuters)"}}</script>'
    )
    record = extract_article(article_page(extra_head=head).encode(), URL, options=ExtractOptions())
    assert record["image"] == {
        "url": "https://example.com/p.jpg",
        "caption": "Members of parliament vote on the budget in the chamber",
        "credit": "Reuters",
    }
    assert record["agencies"] == ["Reuters"]

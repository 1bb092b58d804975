"""Titles lose the outlet's name, its tagline and a trailing date, and nothing of the headline."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.extract.jsonld import jsonld_objects
from crawler.extract.metadata import collect_meta
from crawler.extract.titles import choose_title, outlet_keys, page_titles, site_names, strip_outlet


@pytest.mark.parametrize(
    ("title", "names", "url", "expected"),
    [
        ("Neue Chips kommen - Golem.de", [], "https://www.golem.de/news/a.html", "Neue Chips kommen"),
        ("Scholz in Kyiv | DW | 28.04.2023", ["DW.COM"], "https://www.dw.com/en/a", "Scholz in Kyiv"),
        ("記事の見出し - 毎日新聞", ["毎日新聞"], "https://mainichi.jp/articles/a", "記事の見出し"),
        ("BBC News - Budget approved", ["BBC News"], "https://www.bbc.com/news/a", "Budget approved"),
        # the site name holds a separator itself
        (
            "Gendersprache » SciLogs - Wissenschaftsblogs",
            ["SciLogs - Wissenschaftsblogs"],
            "https://x.de/a",
            "Gendersprache",
        ),
        # a tagline after the host name
        (
            "Winterhechte | petri-heil.ch | Dein Fischereimagazin",
            [],
            "https://www.petri-heil.ch/a",
            "Winterhechte",
        ),
        ("Unser wahres Ich - brand eins online", [], "https://www.brandeins.de/a", "Unser wahres Ich"),
        ("Anglertalk - Fischerhütte | hejfish.com", [], "https://fischerhuette.hejfish.com/a", "Anglertalk"),
        # a separator without spaces, full-width bars, a colon, an underscore or a dash in CJK titles
        ("NEWS WEB EASY|子どもへの体罰", ["NEWS WEB EASY"], "https://www3.nhk.or.jp/a", "子どもへの体罰"),
        ("記事の見出し｜毎日新聞", ["毎日新聞"], "https://mainichi.jp/a", "記事の見出し"),
        ("记者会见举行_新华网", ["新华网"], "https://www.news.cn/a", "记者会见举行"),
        ("记者会见举行-新华网", ["新华网"], "https://www.news.cn/a", "记者会见举行"),
        ("Golem.de: Neue Chips kommen", [], "https://www.golem.de/a", "Neue Chips kommen"),
        ("Budget approved : Example News", ["Example News"], "https://example.com/a", "Budget approved"),
        # the registrable domain's label under a two-part public suffix
        ("Budget approved - BBC", [], "https://www.bbc.co.uk/news/a", "Budget approved"),
        ("Budget approved – ABC", [], "https://abc.net.au/news/a", "Budget approved"),
        ("Scholz in Kyiv — DW — 28.04.2023", [], "https://www.dw.com/en/a", "Scholz in Kyiv"),
    ],
)
def test_the_outlets_name_and_what_follows_it_go(title: str, names: list, url: str, expected: str) -> None:
    assert strip_outlet(title, outlet_keys(names, url)) == expected


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Covid-19 - live updates", "https://news.example.com/a"),
        ("Stocks fall - Reuters poll shows", "https://www.reuters.com/a"),
        ("Tesla recalls cars - Tesla shares fall", "https://www.reuters.com/a"),
        ("Golem.de", "https://www.golem.de/"),  # nothing else: kept rather than emptied
        ("COVID-19: what we know", "https://news.example.com/a"),
        ("Brexit: what next", "https://www.brexit-news.co.uk/a"),
        ("Tesla-Rückruf: Aktie fällt", "https://www.reuters.com/a"),
    ],
)
def test_headlines_that_only_look_like_outlet_names_stay(title: str, url: str) -> None:
    assert strip_outlet(title, outlet_keys([], url)) == title


def test_a_candidate_that_is_only_the_outlets_name_gives_way_to_the_next() -> None:
    outlet = outlet_keys(["Golem.de"], "https://www.golem.de/a")
    assert choose_title(["Golem.de", None, "Neue Chips kommen - Golem.de"], outlet) == "Neue Chips kommen"


def test_the_outlets_name_is_kept_when_it_is_every_candidate() -> None:
    outlet = outlet_keys([], "https://www.golem.de/a")
    assert choose_title(["", "Golem.de", "golem.de"], outlet) == "Golem.de"
    assert choose_title([None, ""], outlet) is None


def test_page_titles_skip_empty_headings_and_icon_titles() -> None:
    page = "<html><head><title>Budget approved</title></head><body><h1> </h1><svg><title>Menu</title></svg></body></html>"
    assert page_titles(lxml.html.fromstring(page)) == ["Budget approved"]


def _site_names(head: str) -> list[str]:
    tree = lxml.html.document_fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")
    return site_names(tree, jsonld_objects(tree), collect_meta(tree))


def test_a_feed_links_title_names_the_site_and_its_segment_leaves_the_title() -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" title="Bibliothek 2.0 und mehr &raquo; Feed">'
        '<link rel="alternate" type="application/rss+xml" title="Steinzeit &amp; Co RSS">'
    )
    names = _site_names(head)
    assert names == ["Bibliothek 2.0 und mehr", "Steinzeit & Co"]
    outlet = outlet_keys(names, "https://example.org/2014/05/18/post")
    assert (
        strip_outlet("Alles Neue mach der Mai | Bibliothek 2.0 und mehr", outlet) == "Alles Neue mach der Mai"
    )
    assert (
        strip_outlet("Werkzeuge des Neandertalers | Steinzeit & Co", outlet) == "Werkzeuge des Neandertalers"
    )


def test_an_alternate_link_titled_like_the_page_names_no_site() -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" title="Interview mit Rainer Teuber – #OutInChurch">'
    )
    assert _site_names(head) == []


def test_the_jsonld_website_and_the_app_title_name_the_site() -> None:
    head = (
        '<meta name="apple-mobile-web-app-title" content="Women Can Talk Sports">'
        '<script type="application/ld+json">{"@type": "WebSite", "name": "Der SeglerBlog aus Berlin"}</script>'
    )
    assert _site_names(head) == ["Women Can Talk Sports", "Der SeglerBlog aus Berlin"]


def test_a_separator_left_at_the_end_of_a_title_goes() -> None:
    assert strip_outlet("Über André Loibl |", outlet_keys([], "https://example.org/a")) == "Über André Loibl"

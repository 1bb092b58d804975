"""Titles lose the outlet's name, its tagline and a trailing date, and nothing of the headline."""

from __future__ import annotations

import pytest

from crawler.extract.titles import outlet_keys, strip_outlet


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
    ],
)
def test_headlines_that_only_look_like_outlet_names_stay(title: str, url: str) -> None:
    assert strip_outlet(title, outlet_keys([], url)) == title

"""JSON-LD nested past any real use is cut off before the recursive readers see it."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.extract.jsonld import MAX_DEPTH, cut_deep, find_article, jsonld_objects, names_of, strings_of


def _page(script: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(
        f'<html><head><script type="application/ld+json">{script}</script></head></html>'
    )


def test_a_deep_value_is_cut_and_the_rest_of_the_object_kept() -> None:
    deep = "[" * 600 + '"x"' + "]" * 600  # deep enough to exhaust the readers' recursion, unparsed
    script = f'{{"@type": "NewsArticle", "headline": "Kept", "author": {deep}, "keywords": {deep}}}'
    article = find_article(jsonld_objects(_page(script)))
    assert article is not None and article["headline"] == "Kept"
    assert names_of(article["author"]) == [] and strings_of(article["keywords"]) == []


def test_a_script_nested_past_the_parser_limit_is_skipped() -> None:
    assert jsonld_objects(_page('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")) == []


def test_cut_deep_keeps_shallow_data_and_cuts_at_the_limit() -> None:
    shallow = {"@graph": [{"author": {"name": "A", "address": {"city": "B"}}}]}
    assert cut_deep(shallow) == shallow
    nested: list[object] = []
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]
    cut = cut_deep(nested)
    depth = 0
    while isinstance(cut, list) and cut:
        cut, depth = cut[0], depth + 1
    assert cut is None and depth == MAX_DEPTH  # the lists inside the 32nd are gone

"""URL normalisation and canonical identity (rel=canonical, og:url, AMP → canonical)."""

from __future__ import annotations

import pytest

from crawler.discovery.urls import canonical_identity, host_allowed, host_source_id, normalize_url
from crawler.storage.keys import validate_part


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Ex.COM:443/a/?utm_source=x&id=3#frag", "https://ex.com/a/?id=3"),
        ("http://ex.com:80/a?fbclid=1&gclid=2", "http://ex.com/a"),
        ("http://ex.com:8080", "http://ex.com:8080/"),
        ("https://ex.com/a?b=1&UTM_Medium=z&a=2", "https://ex.com/a?b=1&a=2"),
        ("https://ex.com./a", "https://ex.com/a"),
    ],
)
def test_normalize_url_folds_variants(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_url_resolves_relative_links() -> None:
    assert normalize_url("../b/", "https://ex.com/x/y/") == "https://ex.com/x/b/"


def test_host_allowed_takes_subdomains_only() -> None:
    assert host_allowed("https://www.ex.com/a", ("ex.com",))
    assert not host_allowed("https://notex.com/a", ("ex.com",))


def _page(final_url: str, head: str) -> dict[str, object]:
    return {"url": final_url, "final_url": final_url, "body": f"<html><head>{head}</head></html>".encode()}


def test_canonical_identity_prefers_rel_canonical_then_og_url() -> None:
    amp = _page("https://ex.com/a/amp/", '<link rel="canonical" href="/a/?utm_source=amp">')
    og = _page("https://ex.com/a/?p=1", '<meta property="og:url" content="https://EX.com/a/">')
    plain = _page("https://ex.com/a/#top", "")
    assert {canonical_identity(p) for p in (amp, og, plain)} == {"https://ex.com/a/"}


def test_canonical_on_another_site_is_not_this_records_identity() -> None:
    copy = _page("https://copy.org/wire/", '<link rel="canonical" href="https://original.com/story/">')
    assert canonical_identity(copy) == "https://copy.org/wire/"


def test_host_allowed_matches_an_idn_domain_in_either_form() -> None:
    assert host_allowed(normalize_url("https://www.bücher.de/a"), ("bücher.de",))
    assert host_allowed("https://www.bücher.de/a", ("xn--bcher-kva.de",))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Re-encoding the query asked the server for another URL than the one announced.
        ("https://ex.com/story.php?12345", "https://ex.com/story.php?12345"),
        ("https://ex.com/a?ort=M%FCnchen&utm_source=rss", "https://ex.com/a?ort=M%FCnchen"),
        ("https://ex.com/a?id=3;page=2", "https://ex.com/a?id=3;page=2"),
    ],
)
def test_normalize_url_keeps_the_rest_of_the_query_as_written(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    ("final_url", "canonical", "identity"),
    [
        # Short outlet names under a country domain (rtl.nl, ndr.de, orf.at) are sites, not suffixes.
        ("https://m.rtl.nl/a/", "https://www.rtl.nl/a/", "https://www.rtl.nl/a/"),
        ("https://amp.ndr.de/a/", "https://www.ndr.de/a/", "https://www.ndr.de/a/"),
        ("https://www.bbc.co.uk/a/", "https://m.bbc.co.uk/a/", "https://m.bbc.co.uk/a/"),
        ("https://one.co.uk/a/", "https://two.co.uk/a/", "https://one.co.uk/a/"),
    ],
)
def test_canonical_on_another_host_of_the_same_site_names_the_article(
    final_url: str, canonical: str, identity: str
) -> None:
    page = _page(final_url, f'<link rel="canonical" href="{canonical}">')
    assert canonical_identity(page) == identity


@pytest.mark.parametrize(
    ("url", "source_id"),
    [
        ("https://www.example.com/a", "www-example-com"),
        ("http://my_site.example:8080/a", "my-site-example"),
        ("http://[::1]:8000/a", "1"),
        ("http://127.0.0.1/a", "127-0-0-1"),
        ("https://Bücher.example/a", "xn--bcher-kva-example"),
    ],
)
def test_a_host_outside_the_registry_gets_a_source_id_safe_as_a_partition(url: str, source_id: str) -> None:
    assert host_source_id(normalize_url(url)) == source_id
    assert validate_part(source_id, "source id") == source_id

"""URL normalisation and canonical identity (rel=canonical, og:url, AMP → canonical)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.discovery.urls import canonical_identity, host_allowed, host_source_id, normalize_url, site_of
from crawler.storage.keys import validate_part

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("m.rtl.nl", "rtl.nl"),
        ("www.rtl.nl", "rtl.nl"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("news.abc.net.au", "abc.net.au"),
        ("www.example.com.br", "example.com.br"),
        ("alice.github.io", "alice.github.io"),  # a private suffix: each blog is its own site
        ("www.alice.github.io", "alice.github.io"),
        ("127.0.0.1", "127.0.0.1"),
        ("10.0.0.1", "10.0.0.1"),
        ("::1", "::1"),
        ("localhost", "localhost"),
        ("a.site.test", "site.test"),  # no listed suffix: the list's default rule, one label
    ],
)
def test_site_of_follows_the_public_suffix_list(host: str, site: str) -> None:
    assert site_of(host) == site


def test_sites_that_share_only_a_suffix_or_a_subnet_are_different_sites() -> None:
    assert site_of("alice.github.io") != site_of("bob.github.io")
    assert site_of("10.0.0.1") != site_of("192.168.0.1")
    assert site_of("one.co.uk") != site_of("two.co.uk")


def test_the_suffix_list_is_read_offline_and_cached_nowhere(tmp_path: Path) -> None:
    # A fetch failure would fall back to the bundled snapshot silently, so count the attempts instead.
    code = (
        "import socket\n"
        "attempts = []\n"
        "def refuse(*args, **kwargs):\n"
        "    attempts.append(args)\n"
        "    raise OSError('network unreachable')\n"
        "socket.getaddrinfo = refuse\n"
        "socket.socket.connect = refuse\n"
        "from crawler.discovery.urls import site_of\n"
        "print(site_of('www.bbc.co.uk'), site_of('alice.github.io'), len(attempts))\n"
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("TLDEXTRACT_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["bbc.co.uk", "alice.github.io", "0"]
    assert list(home.iterdir()) == []

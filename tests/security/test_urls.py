"""`check_url`: schemes, credentials, literal addresses in any spelling, malformed URLs."""

from __future__ import annotations

import pytest

from crawler.security.urls import (
    CREDENTIALS,
    MALFORMED,
    PRIVATE_ADDRESS,
    SCHEME,
    UnsafeURLError,
    check_url,
)


def _reason(url: str, allow_private: bool = False) -> str:
    with pytest.raises(UnsafeURLError) as caught:
        check_url(url, allow_private=allow_private)
    assert str(caught.value)  # every refusal says why
    assert caught.value.url == url
    return caught.value.reason


@pytest.mark.parametrize(
    "url",
    [
        "https://thebricspost.com/2016/08/27/kerry-lavrov/",
        "http://example.com:8080/a?b=c#d",
        "HTTPS://EXAMPLE.COM/",
        "http://8.8.8.8/",
        "http://[2606:4700::1111]/",
        "http://localhost/",  # names are judged after resolution, not here
        "http://bücher.example/",
        "http://xn--bcher-kva.example/",
        "http://under_score.example/",
    ],
)
def test_public_http_urls_pass(url: str) -> None:
    check_url(url, allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "data:text/html,<h1>hi</h1>",
        "ftp://example.com/file",
        "s3://bucket/key",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "javascript:alert(1)",
        "dict://example.com:11211/stat",
    ],
)
def test_non_http_schemes_are_refused(url: str) -> None:
    assert _reason(url) == SCHEME
    assert _reason(url, allow_private=True) == SCHEME


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pass@example.com/",
        "http://user@example.com/",
        "https://:secret@example.com/",
        "http://example.com@127.0.0.1/",
    ],
)
def test_credentials_are_refused(url: str) -> None:
    assert _reason(url) == CREDENTIALS


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://127.0.0.1.:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0xa9fea9fe/",
        "http://10.0.0.1/",
        "http://192.168.0.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0:8080/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1%25eth0]/",
        "http://224.0.0.1/",
    ],
)
def test_literal_non_public_addresses_are_refused_in_every_spelling(url: str) -> None:
    assert _reason(url) == PRIVATE_ADDRESS
    check_url(url, allow_private=True)


def test_refusal_message_names_the_address_and_the_opt_in() -> None:
    with pytest.raises(UnsafeURLError, match=r"127\.0\.0\.1, a loopback address; pass --allow-private"):
        check_url("http://0x7f.1/", allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "example.com/page",
        "//example.com/page",
        "http://",
        "http:///path",
        "http://exa mple.com/",
        "http://example.com/\n",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://256.0.0.1/",
        "http://1.2.3.4.5/",
        "http://[not-ipv6]/",
        "http://%31%32%37.0.0.1/",
        "http://evil.example\\@127.0.0.1/",
        "http://a..b/",
        "http://" + "a" * 64 + ".example/",
    ],
)
def test_malformed_urls_are_refused(url: str) -> None:
    assert _reason(url, allow_private=True) == MALFORMED

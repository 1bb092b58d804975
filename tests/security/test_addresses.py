"""Classification of non-public addresses and browser-style IPv4 parsing."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest

from crawler.security.addresses import (
    InvalidIPv4Error,
    is_public,
    non_public_category,
    parse_ip_host,
    parse_ipv4,
)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "metadata"),
        ("169.254.170.2", "metadata"),
        ("100.100.100.200", "metadata"),
        ("192.0.0.192", "metadata"),
        ("169.254.1.1", "link-local"),
        ("100.64.0.1", "cgnat"),
        ("100.127.255.255", "cgnat"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("255.255.255.255", "reserved"),
        ("240.0.0.1", "reserved"),
        ("192.0.2.1", "reserved"),
        ("198.18.0.1", "reserved"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "ipv4-mapped"),
        ("::ffff:8.8.8.8", "ipv4-mapped"),
        ("::127.0.0.1", "reserved"),
        ("fc00::1", "unique-local"),
        ("fd12:3456::1", "unique-local"),
        ("fd00:ec2::254", "metadata"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "reserved"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"),
        ("64:ff9b::7f00:1", "loopback"),
        ("64:ff9b::a9fe:a9fe", "metadata"),
        ("2002:7f00:1::", "loopback"),
        ("2002:c0a8:101::1", "private"),
        ("4000::1", "reserved"),
    ],
)
def test_non_public_addresses_are_named(text: str, category: str) -> None:
    assert non_public_category(ip_address(text)) == category


@pytest.mark.parametrize(
    "text",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "100.63.255.255",
        "172.32.0.1",
        "2606:4700::1111",
        "64:ff9b::808:808",
        "2002:808:808::1",
        "169.253.255.255",
    ],
)
def test_public_addresses_pass(text: str) -> None:
    assert is_public(ip_address(text))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0x7F.0X0.0.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"),
        ("169.254.43518", "169.254.169.254"),
        ("0xa9fea9fe", "169.254.169.254"),
        ("025177524776", "169.254.169.254"),
        ("10.0x10000", "10.1.0.0"),
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_odd_ipv4_spellings_are_normalised(host: str, expected: str) -> None:
    assert parse_ipv4(host) == IPv4Address(expected)


@pytest.mark.parametrize(
    "host", ["example.com", "localhost", "1.2.3.example", "0x7f.example", "a.b.c.d.e", "09a"]
)
def test_names_are_not_addresses(host: str) -> None:
    assert parse_ipv4(host) is None


@pytest.mark.parametrize(
    "host", ["256.0.0.1", "1.2.3.4.5", "4294967296", "1.16777216", "example.0x7f", "08", "1..2", "0x100.1"]
)
def test_numeric_hosts_that_no_browser_accepts_raise(host: str) -> None:
    with pytest.raises(InvalidIPv4Error):
        parse_ipv4(host)


def test_parse_ip_host_reads_ipv6_with_and_without_brackets() -> None:
    assert parse_ip_host("[::1]") == IPv6Address("::1")
    assert parse_ip_host("::ffff:7f00:1") == IPv6Address("::ffff:127.0.0.1")
    assert parse_ip_host("example.org") is None
    with pytest.raises(ValueError):
        parse_ip_host("[not-ipv6]")

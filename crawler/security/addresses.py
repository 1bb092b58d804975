"""Which IP addresses a crawler must never connect to, and how browsers read odd IPv4 spellings.

Pure: no Scrapy, no network. `non_public_category(ip)` names why an address is off limits (or None);
`parse_ip_host(host)` reads a URL host the way a browser or inet_aton would (`0x7f.1` is 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address

# Most specific first: the first matching network names the category.
_IPV4_TABLE: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(net), category)
    for net, category in (
        ("169.254.169.254/32", "metadata"),  # AWS, GCP, Azure, OpenStack, DigitalOcean
        ("169.254.170.2/32", "metadata"),  # AWS ECS task metadata
        ("100.100.100.200/32", "metadata"),  # Alibaba Cloud
        ("192.0.0.192/32", "metadata"),  # Oracle Cloud
        ("0.0.0.0/8", "unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "cgnat"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "reserved"),  # IETF protocol assignments
        ("192.0.2.0/24", "reserved"),  # documentation
        ("192.88.99.0/24", "reserved"),  # 6to4 relay anycast
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "reserved"),  # benchmarking
        ("198.51.100.0/24", "reserved"),
        ("203.0.113.0/24", "reserved"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),  # includes 255.255.255.255 broadcast
    )
)

_IPV6_TABLE: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(net), category)
    for net, category in (
        ("fd00:ec2::254/128", "metadata"),  # AWS IMDS over IPv6
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::ffff:0:0/96", "ipv4-mapped"),
        ("::/96", "reserved"),  # deprecated IPv4-compatible
        ("64:ff9b:1::/48", "reserved"),  # local-use NAT64
        ("100::/64", "reserved"),  # discard-only
        ("2001::/32", "reserved"),  # Teredo hides an arbitrary IPv4 address
        ("2001:db8::/32", "reserved"),  # documentation
        ("fc00::/7", "unique-local"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "private"),  # deprecated site-local
        ("ff00::/8", "multicast"),
    )
)

_NAT64 = IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = IPv6Network("2002::/16")
_GLOBAL_UNICAST = IPv6Network("2000::/3")


def non_public_category(ip: IPAddress) -> str | None:
    """Why `ip` is off limits ("loopback", "private", "metadata", …), or None for a public address."""
    if isinstance(ip, IPv4Address):
        return _lookup_v4(ip)
    ip = ip if ip.scope_id is None else IPv6Address(str(ip).split("%", 1)[0])
    for network, category in _IPV6_TABLE:
        if ip in network:
            return category
    # Addresses that carry an IPv4 address inside them are as safe as that address.
    if ip in _NAT64:
        return _lookup_v4(IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in _SIX_TO_FOUR:
        return _lookup_v4(IPv4Address((int(ip) >> 80) & 0xFFFFFFFF))
    if ip not in _GLOBAL_UNICAST:
        return "reserved"
    return None


def _lookup_v4(ip: IPv4Address) -> str | None:
    for network, category in _IPV4_TABLE:
        if ip in network:
            return category
    return None


def is_public(ip: IPAddress) -> bool:
    return non_public_category(ip) is None


class InvalidIPv4Error(ValueError):
    """The host is all numbers and dots but no valid IPv4 address (a part too large, a stray dot)."""


def parse_ipv4(host: str) -> IPv4Address | None:
    """Read `host` as browsers do (WHATWG URL "IPv4 parser", like inet_aton), or None if it is a name.

    `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1` all give 127.0.0.1. A host whose last part is
    numeric but which is not a valid address raises `InvalidIPv4Error`, since a browser rejects it too.
    """
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()  # one trailing dot is allowed: "127.0.0.1." is still an address
    last_part = parts[-1]
    # WHATWG "ends in a number": all decimal digits (even "08", which then fails), or a valid number.
    if not (last_part.isascii() and last_part.isdigit()) and _parse_part(last_part) is None:
        return None
    numbers = [_parse_part(part) for part in parts]
    if len(parts) > 4 or any(number is None for number in numbers):
        raise InvalidIPv4Error(f"{host!r} looks like an IPv4 address but is not a valid one")
    values = [number for number in numbers if number is not None]
    *leading, last = values
    if any(value > 255 for value in leading) or last >= 256 ** (5 - len(values)):
        raise InvalidIPv4Error(f"{host!r} has a part too large for an IPv4 address")
    address = last
    for index, value in enumerate(leading):
        address += value << (8 * (3 - index))
    return IPv4Address(address)


def _parse_part(part: str) -> int | None:
    """One dotted part: `0x..` hex, a leading 0 octal, otherwise decimal; None if not a number."""
    if part == "":
        return None
    base = 10
    digits = part
    if part[:2].lower() == "0x":
        base, digits = 16, part[2:]
        if digits == "":
            return 0  # "0x" alone is zero to the WHATWG parser
    elif len(part) > 1 and part[0] == "0":
        base, digits = 8, part[1:]
    allowed = {10: "0123456789", 8: "01234567", 16: "0123456789abcdefABCDEF"}[base]
    if not all(char in allowed for char in digits):
        return None
    return int(digits, base)


def parse_ip_host(host: str) -> IPAddress | None:
    """The IP address a URL host names (brackets for IPv6, odd IPv4 spellings), or None for a name.

    Raises `InvalidIPv4Error` (a ValueError) for a numeric host no browser would accept, and
    ValueError for a bracketed host that is not IPv6.
    """
    if host.startswith("[") and host.endswith("]"):
        return IPv6Address(host[1:-1])
    if ":" in host:
        return IPv6Address(host)
    return parse_ipv4(host)


def ip_of(text: str) -> IPAddress:
    """An address as printed by a resolver (`"127.0.0.1"`, `"::1"`, `"fe80::1%eth0"`)."""
    return ipaddress.ip_address(text)

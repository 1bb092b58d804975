"""Refuse URLs a crawler must not fetch, from their text alone (no DNS): `check_url`.

Pure: no Scrapy, no network. Names are left to the connect-time resolver (crawler.security.resolver),
which sees the addresses they resolve to.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.security.addresses import InvalidIPv4Error, non_public_category, parse_ip_host

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Reasons, also used in stats keys `security/refused_<reason>_count`.
SCHEME = "scheme"
CREDENTIALS = "credentials"
MALFORMED = "malformed"
PRIVATE_ADDRESS = "private_address"  # a literal IP in the URL
PRIVATE_RESOLUTION = "private_resolution"  # a name that resolves to a non-public IP
REASONS = (SCHEME, CREDENTIALS, MALFORMED, PRIVATE_ADDRESS, PRIVATE_RESOLUTION)

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
# Letters, digits, hyphen, underscore and dots; anything else in a host (%, \, quotes) is a trick.
_HOST_CHARS = re.compile(r"^[a-z0-9_.-]+$")
_ALLOW_PRIVATE_HINT = "pass --allow-private (setting NEWSCRAWL_ALLOW_PRIVATE=True) to fetch it anyway"


class UnsafeURLError(ValueError):
    """A URL newscrawl refuses to fetch; `reason` is one of `REASONS`, the message says why and what to do."""

    def __init__(self, reason: str, url: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.url = url


def check_url(url: str, allow_private: bool) -> None:
    """Raise `UnsafeURLError` unless `url` is a well-formed http(s) URL without credentials whose host,
    if it is a literal IP address (in any spelling), is public or `allow_private` is set."""
    if not isinstance(url, str) or url == "":
        raise UnsafeURLError(MALFORMED, str(url), "empty URL: give an absolute http:// or https:// URL")
    if _CONTROL_OR_SPACE.search(url):
        raise UnsafeURLError(MALFORMED, url, f"{url!r} contains spaces or control characters: remove them")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeURLError(MALFORMED, url, f"{url!r} is not a valid URL ({error})") from error
    scheme = parts.scheme.lower()
    if scheme == "":
        raise UnsafeURLError(MALFORMED, url, f"{url!r} has no scheme: write it as https://{url}")
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURLError(
            SCHEME, url, f"{url!r} uses the {scheme}: scheme; only http:// and https:// URLs are fetched"
        )
    # Browsers read a backslash as a slash, so "http://a.example\\@127.0.0.1/" means different hosts
    # to different parsers: refuse it rather than guess.
    if "\\" in parts.netloc or port == 0:
        raise UnsafeURLError(MALFORMED, url, f"{url!r} has a malformed host or port")
    if "@" in parts.netloc:
        raise UnsafeURLError(
            CREDENTIALS, url, f"{url!r} carries credentials (user@host): remove them from the URL"
        )
    _check_host(url, parts.hostname or "", allow_private)


def _check_host(url: str, host: str, allow_private: bool) -> None:
    if host == "":
        raise UnsafeURLError(MALFORMED, url, f"{url!r} has no host: write it as https://HOST/PATH")
    try:
        ip = parse_ip_host(host if ":" not in host else f"[{host}]")
    except (InvalidIPv4Error, ValueError) as error:
        raise UnsafeURLError(MALFORMED, url, f"{url!r} has an invalid IP address as host: {error}") from error
    if ip is None:
        _check_name(url, host)
        return
    category = non_public_category(ip)
    if category is not None and not allow_private:
        raise UnsafeURLError(
            PRIVATE_ADDRESS, url, f"{url!r} points at {ip}, a {category} address; {_ALLOW_PRIVATE_HINT}"
        )


def _check_name(url: str, host: str) -> None:
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise UnsafeURLError(MALFORMED, url, f"{url!r} has an invalid host name ({error})") from error
    if not _HOST_CHARS.match(ascii_host) or ".." in ascii_host or ascii_host.startswith("."):
        raise UnsafeURLError(MALFORMED, url, f"{url!r} has an invalid host name {host!r}")


def refusal_message(host: str, address: str, category: str) -> str:
    """The message for a name that resolved to a non-public address (used by the resolver checks)."""
    return f"{host} resolves to {address}, a {category} address; {_ALLOW_PRIVATE_HINT}"

"""The W3C TDM Reservation Protocol (TDMRep, CG final report 2024-05-10), read without Scrapy.

Three signals, in the spec's processing order (later ones supersede earlier ones): the origin's
`/.well-known/tdmrep.json`, the `tdm-reservation` / `tdm-policy` response headers, and the
`<meta name="tdm-reservation">` / `tdm-policy` tags of an HTML page. `tdm-reservation` other than
0 or 1 is a protocol error, which the spec says to read as "unset".
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

MAX_RULES = 1_000  # a real file has a handful; the rest of a huge one is not read
MAX_PATTERN_CHARS = 2_048
META_SCAN_BYTES = 256 * 1024  # the <head> of any real page fits


class TdmRepError(ValueError):
    """A tdmrep.json that cannot be read as the spec's array of rules; the message says why."""


@dataclass(frozen=True)
class Rule:
    """One rule of a tdmrep.json: the paths it covers (`location`), whether text and data mining
    rights are reserved there, and the policy URL offered with the reservation."""

    location: str
    reserved: bool
    policy: str | None


@dataclass(frozen=True)
class Declaration:
    """One signal's word on one URL: reserved or not, and the policy URL offered with a reservation."""

    reserved: bool
    policy: str | None


def parse_tdmrep(body: bytes, base_url: str) -> tuple[Rule, ...]:
    """The rules of a tdmrep.json body, in file order; rules without a valid location or
    `tdm-reservation` are left out (protocol errors), anything not an array of objects is refused."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise TdmRepError(f"not JSON ({str(error)[:100]})") from None
    except RecursionError:  # nesting a thousand arrays deep stops the decoder, not the crawl
        raise TdmRepError("JSON nested too deeply") from None
    if not isinstance(data, list):
        raise TdmRepError(f"a JSON {type(data).__name__}, not the array of rules the spec asks for")
    rules = []
    for entry in data[:MAX_RULES]:
        rule = _rule(entry, base_url)
        if rule is not None:
            rules.append(rule)
    return tuple(rules)


def _rule(entry: object, base_url: str) -> Rule | None:
    if not isinstance(entry, dict):
        return None
    location = entry.get("location")
    reservation = _reservation(entry.get("tdm-reservation"))
    if not isinstance(location, str) or not location or len(location) > MAX_PATTERN_CHARS:
        return None
    if reservation is None:
        return None
    policy = _policy(entry.get("tdm-policy"), base_url) if reservation else None
    return Rule(location, reservation, policy)


def match_rules(rules: tuple[Rule, ...], url: str) -> Declaration | None:
    """The first rule whose location matches the URL's path (the spec: the first in sequence wins)."""
    parts = urlsplit(url)
    path = _unescape_unreserved((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
    for rule in rules:
        if location_matches(rule.location, path):
            return Declaration(rule.reserved, rule.policy)
    return None


def location_matches(pattern: str, path: str) -> bool:
    """robots.txt path matching (the spec defers to it): a prefix, `*` for any run of characters,
    a final `$` for the end. Greedy-leftmost piece search: linear-ish, unlike a regex a hostile
    pattern of many `*` could make exponential."""
    pattern = _unescape_unreserved(pattern.split("#", 1)[0].strip())
    anchored = pattern.endswith("$")
    pieces = (pattern[:-1] if anchored else pattern).split("*")
    if not path.startswith(pieces[0]):
        return False
    position = len(pieces[0])
    if len(pieces) == 1:
        return not anchored or position == len(path)
    for piece in pieces[1:-1]:
        found = path.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    last = pieces[-1]
    if anchored:
        return path.endswith(last) and len(path) - len(last) >= position
    return path.find(last, position) >= 0


def from_headers(headers: dict[str, str], page_url: str) -> Declaration | None:
    """The `tdm-reservation` / `tdm-policy` response headers (names lower-cased by the caller)."""
    reservation = _reservation(headers.get("tdm-reservation"))
    if reservation is None:
        return None
    return Declaration(reservation, _policy(headers.get("tdm-policy"), page_url) if reservation else None)


def from_meta(body: bytes, page_url: str) -> Declaration | None:
    """The `<meta name="tdm-reservation">` / `tdm-policy` tags of an HTML page's head."""
    head = body[:META_SCAN_BYTES]
    if b"tdm-reservation" not in head.lower():
        return None  # nearly every page: a C scan instead of a Python HTML parse on the reactor
    finder = _MetaFinder()
    with contextlib.suppress(_HeadEnded):
        finder.feed(head.decode("utf-8", errors="replace"))
    reservation = _reservation(finder.values.get("tdm-reservation"))
    if reservation is None:
        return None
    policy = _policy(finder.values.get("tdm-policy"), page_url) if reservation else None
    return Declaration(reservation, policy)


class _HeadEnded(Exception):
    """The body started: TDMRep meta tags live in the head, so the rest is not parsed."""


class _MetaFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            raise _HeadEnded
        if tag != "meta":
            return
        named = {key.lower(): value or "" for key, value in attrs}
        name = named.get("name", "").strip().lower()
        if name in ("tdm-reservation", "tdm-policy"):
            self.values.setdefault(name, named.get("content", ""))


def _reservation(value: object) -> bool | None:
    # JSON gives 0/1 as numbers; headers and meta tags as text. true/false are not spec values.
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return value.strip() == "1"
    return None


def _policy(value: object, base_url: str) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_PATTERN_CHARS:
        return None
    url = urljoin(base_url, value.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _unescape_unreserved(text: str) -> str:
    """Decode %XX only for unreserved characters (spec, as RFC 3986); upper-case the rest."""

    def decode(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else match.group(0).upper()

    return _ESCAPE.sub(decode, text)

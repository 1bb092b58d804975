"""What a frontier entry may hold: the fields and meta keys of a newscrawl request, each with its type.

Anyone who can write to the frontier's Redis can put an entry on the queue, so an entry is data that
is checked field by field before it becomes a Request; `RefusedEntry.reason` names what was wrong.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.announce import VIAS, Announcement

# The spider methods an entry may name. Any other name (`close`, `__init__`) would let the queue's
# writer pick what a worker calls.
CALLBACKS = frozenset(
    {
        "parse_article",
        "parse_feed",
        "parse_homepage",
        "parse_robots",
        "parse_section",
        "parse_sitemap",
        "parse_wp_posts",
    }
)
ERRBACKS = frozenset({"article_failed", "fetch_failed", "_discovery_failed"})
METHODS = frozenset({"GET", "HEAD"})
MAX_PRIORITY = 1_000_000
# A request's own response cap (the registry's max_response_bytes, 50 MiB for feeds): 0 would lift
# Scrapy's cap altogether, and a queue writer must not be able to lift it far.
MAX_DOWNLOAD_MAXSIZE = 100 * 1024 * 1024

# Meta keys Scrapy's downloader sets on every download and sets again on the next one: a retried
# or redirected request carries them, but they are not shared.
DOWNLOAD_TIME_META = frozenset(
    {"download_slot", "download_latency", "download_timeout", "proxy", "_auth_proxy", "_scheme_proxy"}
)


class RefusedEntry(ValueError):
    """A frontier entry that does not become a request; `reason` goes into the stats key."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


Check = Callable[[str, Any], Any]


def _str(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not a string")
    return value


def _count(name: str, value: Any) -> int:
    # bool is an int to Python, never a count here.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not a whole number >= 0")
    return value


def _response_cap(name: str, value: Any) -> int:
    if not 1 <= _count(name, value) <= MAX_DOWNLOAD_MAXSIZE:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not a size in [1, {MAX_DOWNLOAD_MAXSIZE}]")
    return int(value)


def _seconds(name: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value < 86_400:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not seconds in [0, 1 day)")
    return float(value)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not true or false")
    return value


def _optional_str(name: str, value: Any) -> str | None:
    return None if value is None else _str(name, value)


def _list_of(check: Check) -> Check:
    def checked(name: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not a list")
        return [check(f"{name}[{i}]", item) for i, item in enumerate(value)]

    return checked


def _str_or_count(name: str, value: Any) -> str | int:
    return _str(name, value) if isinstance(value, str) else _count(name, value)


def _datetime(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(_str(name, value))
    except ValueError:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, a time without a zone")
    return moment


def encode_announcement(announcement: Announcement) -> dict[str, Any]:
    return {
        "url": announcement.url,
        "via": announcement.via,
        "title": announcement.title,
        "published_at": announcement.published_at.isoformat() if announcement.published_at else None,
        "updated_at": announcement.updated_at.isoformat() if announcement.updated_at else None,
        "keywords": list(announcement.keywords),
        "language": announcement.language,
    }


_ANNOUNCEMENT: dict[str, Check] = {
    "url": _str,
    "via": _str,
    "title": _optional_str,
    "published_at": _datetime,
    "updated_at": _datetime,
    "keywords": _list_of(_str),
    "language": _optional_str,
}


def _announcement(name: str, value: Any) -> Announcement:
    fields = _object(name, value, _ANNOUNCEMENT)
    if fields.get("via") not in VIAS or "url" not in fields:
        raise RefusedEntry("bad_value", f"{name} needs a url and a via among {', '.join(VIAS)}")
    fields["keywords"] = tuple(fields.get("keywords", ()))
    return Announcement(**fields)


# Every meta key a newscrawl request reaches the scheduler with: the spiders' own, the politeness
# middlewares', and Scrapy's (depth, retries, redirects, start requests).
META: dict[str, Check] = {
    "source_id": _str,
    "newscrawl_kind": _str,
    "announcement": _announcement,
    "given_url": _str,
    "newscrawl_refetch": _str,
    "sitemap_depth": _count,
    "section_page": _count,
    "wp_root": _str,
    "wp_page": _count,
    "wp_started": _str,
    "download_maxsize": _response_cap,
    "handle_httpstatus_list": _list_of(_count),
    "newscrawl_conditional": _flag,
    "newscrawl_retry_after_times": _count,
    "newscrawl_host_delay": _seconds,
    "autothrottle_dont_adjust_delay": _flag,
    "is_start_request": _flag,
    "depth": _count,
    "retry_times": _count,
    "redirect_times": _count,
    "redirect_ttl": _count,
    "redirect_urls": _list_of(_str),
    "redirect_reasons": _list_of(_str_or_count),
}


def _object(name: str, value: Any, schema: dict[str, Check]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not an object")
    unknown = sorted(repr(key) for key in value if key not in schema)  # repr: no raw newline reaches a log
    if unknown:
        raise RefusedEntry("unknown_field", f"{name} has {', '.join(unknown)[:200]}")
    return {key: schema[key](f"{name}.{key}", item) for key, item in value.items()}


def encode_meta(meta: dict[str, Any]) -> dict[str, Any]:
    shared = {key: value for key, value in meta.items() if key not in DOWNLOAD_TIME_META}
    if isinstance(shared.get("announcement"), Announcement):
        shared["announcement"] = encode_announcement(shared["announcement"])
    return shared


def check_url(name: str, value: Any) -> str:
    url = _str(name, value)
    try:
        parts = urlsplit(url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an unclosed IPv6 bracket, a port that is not a number
        usable = False
    if not usable:
        raise RefusedEntry("bad_url", f"{name} {url[:200]!r} is not an http(s) URL with a host")
    return url


def check_callback(name: str, value: Any, known: frozenset[str], optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or value not in known:
        raise RefusedEntry("unknown_callback", f"{name} {str(value)[:100]!r} is not one of the spider's")
    return value


def check_method(name: str, value: Any) -> str:
    if value not in METHODS:
        raise RefusedEntry("bad_value", f"{name} {str(value)[:20]!r} is not one of {sorted(METHODS)}")
    return str(value)


def check_priority(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_PRIORITY:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not a whole number within ±{MAX_PRIORITY}")
    return value


def check_body(name: str, value: Any) -> bytes:
    try:
        return base64.b64decode(_str(name, value), validate=True)
    except binascii.Error:
        raise RefusedEntry("bad_value", f"{name} is not base64") from None


def check_headers(name: str, value: Any) -> dict[bytes, list[bytes]]:
    """Header names and values travel as Latin-1 text, which maps each byte to one character and back."""
    if not isinstance(value, dict):
        raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not an object")
    try:
        return {
            _str(name, key).encode("latin-1"): [v.encode("latin-1") for v in _list_of(_str)(name, values)]
            for key, values in value.items()
        }
    except UnicodeEncodeError:
        raise RefusedEntry("bad_value", f"{name} holds a character beyond Latin-1") from None


def check_empty(name: str, value: Any) -> dict[str, Any]:
    # newscrawl's callbacks take no keyword arguments: any would break the call.
    if value != {}:
        raise RefusedEntry("bad_value", f"{name} must be empty")
    return {}


# The fields of an entry, as Scrapy's request_to_dict names them (cookies and encoding are never set).
ENTRY: dict[str, Check] = {
    "url": check_url,
    "method": check_method,
    "headers": check_headers,
    "body": check_body,
    "callback": lambda name, value: check_callback(name, value, CALLBACKS),
    "errback": lambda name, value: check_callback(name, value, ERRBACKS, optional=True),
    "priority": check_priority,
    "dont_filter": _flag,
    "flags": _list_of(_str),
    "cb_kwargs": check_empty,
    "meta": lambda name, value: _object(name, value, META),
}


def check_entry(entry: Any) -> dict[str, Any]:
    """A decoded entry → the dict Scrapy's `request_from_dict` takes, every field checked."""
    if not isinstance(entry, dict):
        raise RefusedEntry("malformed", f"an entry is an object, not {type(entry).__name__}")
    missing = sorted(set(ENTRY) - set(entry))
    if missing:
        raise RefusedEntry("bad_value", f"no {', '.join(missing)}")
    return _object("entry", entry, ENTRY)

"""What a frontier entry may hold: the fields and meta keys of a newscrawl request, each with its type.

Anyone who can write to the frontier's Redis can put an entry on the queue, so an entry is data that
is checked field by field before it becomes a Request; `RefusedEntry.reason` names what was wrong.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.announce import VIAS, Announcement
from crawler.frontier import checks
from crawler.frontier.checks import Check, RefusedEntry

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

# Meta keys Scrapy's downloader sets on every download and sets again on the next one: a retried
# or redirected request carries them, but they are not shared.
DOWNLOAD_TIME_META = frozenset(
    {"download_slot", "download_latency", "download_timeout", "proxy", "_auth_proxy", "_scheme_proxy"}
)


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
    "url": checks.string,
    "via": checks.string,
    "title": checks.optional_string,
    "published_at": checks.moment,
    "updated_at": checks.moment,
    "keywords": checks.list_of(checks.string),
    "language": checks.optional_string,
}


def _announcement(name: str, value: Any) -> Announcement:
    fields = checks.fields_of(name, value, _ANNOUNCEMENT)
    if fields.get("via") not in VIAS or "url" not in fields:
        raise RefusedEntry("bad_value", f"{name} needs a url and a via among {', '.join(VIAS)}")
    fields["keywords"] = tuple(fields.get("keywords", ()))
    return Announcement(**fields)


# Every meta key a newscrawl request reaches the scheduler with: the spiders' own, the politeness
# middlewares', and Scrapy's (depth, retries, redirects, start requests).
META: dict[str, Check] = {
    "source_id": checks.string,
    "newscrawl_kind": checks.string,
    "announcement": _announcement,
    "given_url": checks.string,
    "newscrawl_refetch": checks.string,
    "sitemap_depth": checks.count,
    "section_page": checks.count,
    "wp_root": checks.string,
    "wp_page": checks.count,
    "wp_started": checks.string,
    "download_maxsize": checks.response_cap,
    "handle_httpstatus_list": checks.list_of(checks.count),
    "newscrawl_conditional": checks.flag,
    "newscrawl_retry_after_times": checks.count,
    "newscrawl_host_delay": checks.seconds,
    "autothrottle_dont_adjust_delay": checks.flag,
    "is_start_request": checks.flag,
    "depth": checks.count,
    "retry_times": checks.count,
    "redirect_times": checks.count,
    "redirect_ttl": checks.count,
    "redirect_urls": checks.list_of(checks.string),
    "redirect_reasons": checks.list_of(checks.string_or_count),
}


def encode_meta(meta: dict[str, Any]) -> dict[str, Any]:
    shared = {key: value for key, value in meta.items() if key not in DOWNLOAD_TIME_META}
    if isinstance(shared.get("announcement"), Announcement):
        shared["announcement"] = encode_announcement(shared["announcement"])
    return shared


def check_url(name: str, value: Any) -> str:
    url = checks.string(name, value)
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
        return base64.b64decode(checks.string(name, value), validate=True)
    except binascii.Error:
        raise RefusedEntry("bad_value", f"{name} is not base64") from None


def check_headers(name: str, value: Any) -> dict[bytes, list[bytes]]:
    """Header names and values travel as Latin-1 text, which maps each byte to one character and back."""
    if not isinstance(value, dict):
        raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not an object")
    try:
        return {
            checks.string(name, key).encode("latin-1"): [
                v.encode("latin-1") for v in checks.list_of(checks.string)(name, values)
            ]
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
    "dont_filter": checks.flag,
    "flags": checks.list_of(checks.string),
    "cb_kwargs": check_empty,
    "meta": lambda name, value: checks.fields_of(name, value, META),
}


def check_entry(entry: Any) -> dict[str, Any]:
    """A decoded entry → the dict Scrapy's `request_from_dict` takes, every field checked."""
    if not isinstance(entry, dict):
        raise RefusedEntry("malformed", f"an entry is an object, not {type(entry).__name__}")
    missing = sorted(set(ENTRY) - set(entry))
    if missing:
        raise RefusedEntry("bad_value", f"no {', '.join(missing)}")
    return checks.fields_of("entry", entry, ENTRY)

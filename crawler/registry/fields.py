"""One registry field read and checked: each function returns the clean value or raises a
`RegistryError` that names the entry, the field and the fix."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.dates.durations import parse_duration
from crawler.registry.file import RegistryError
from crawler.security.urls import UnsafeURLError, check_url

_DOMAIN = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def string(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: field {key!r} is required and must be a non-empty string")
    return _printable(value.strip(), key, where)


def strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"{where}: field {key!r} must be a list of strings")
    return tuple(v.strip() for v in value)


def optional_string(entry: dict[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: field {key!r} must be a non-empty string, or left out")
    return _printable(value.strip(), key, where)


def _printable(value: str, key: str, where: str) -> str:
    # Names are printed by `newscrawl sources` and in reports: an escape sequence would reach the terminal.
    if _CONTROL.search(value):
        raise RegistryError(f"{where}: field {key!r} ({value!r}) contains control characters; remove them")
    return value


def optional_selector(entry: dict[str, Any], key: str, where: str) -> str | None:
    value = optional_string(entry, key, where)
    return None if value is None else selector(value, key, where)


def selector(value: str, key: str, where: str) -> str:
    # Extraction compiles these for every page; a bad one must fail here, not drop each article.
    # Imported here: it loads the extraction package, which only a registry with selectors needs now.
    from crawler.extract.options import compile_selector

    try:
        compile_selector(value)
    except ValueError as error:
        raise RegistryError(f"{where}: {key} {value!r} is not a valid CSS selector: {error}") from None
    return value


def optional_size(entry: dict[str, Any], key: str, where: str) -> int | None:
    value = entry.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise RegistryError(
            f"{where}: {key} must be a positive whole number of bytes, e.g. 20971520, not {value!r}"
        )
    return value


def url(value: str, key: str, where: str) -> str:
    # The crawl's own check (brackets, ports, spaces, credentials), so a URL it would refuse fails
    # here, before any crawl; private addresses are the crawl's to allow (--allow-private).
    try:
        check_url(value, allow_private=True)
    except UnsafeURLError as error:
        raise RegistryError(f"{where}: {key}: {error}") from None
    return value


def domain(value: str, where: str) -> str:
    # Scrapy ignores an entry with a scheme or port (with a warning): a source whose every entry is
    # ignored would be held to no domain at all.
    try:
        ascii_name = value.lower().encode("idna").decode("ascii")  # bücher.example is a domain too
    except UnicodeError:
        ascii_name = ""
    if not _DOMAIN.match(ascii_name):
        raise RegistryError(
            f"{where}: allowed_domains entry {value!r} is not a domain name; write it as example.com "
            "(no scheme, port or path)"
        )
    return value


def optional_regex(value: Any, key: str, where: str) -> re.Pattern[str] | None:
    return None if value is None else regex(value, key, where)


def regex(value: Any, key: str, where: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise RegistryError(f"{where}: {key} must be a regular expression string")
    try:
        return re.compile(value)
    except re.error as error:
        raise RegistryError(
            f"{where}: {key} {value!r} is not a valid regex ({error}); "
            "escape special characters such as '.' or '?'"
        ) from None


def optional_bool(entry: dict[str, Any], key: str, where: str, left_out: str = "to detect it") -> bool | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, bool):
        raise RegistryError(f"{where}: {key} must be true or false (or left out {left_out}), not {value!r}")
    return value


def boolean(entry: dict[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise RegistryError(f"{where}: {key} must be true or false, not {value!r}")
    return value


def timezone(value: Any, where: str) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise RegistryError(
            f"{where}: timezone {value!r} is not an IANA zone name such as 'UTC' or 'Asia/Kolkata'"
        ) from None
    return str(value)


def duration(value: Any, key: str, where: str) -> timedelta | None:
    if value is None:
        return None
    try:
        return parse_duration(str(value))
    except ValueError as error:
        raise RegistryError(f"{where}: {key}: {error}") from None
    except OverflowError:  # timedelta stops at 999,999,999 days
        raise RegistryError(f"{where}: {key}: {value!r} is too long; give at most a few years") from None

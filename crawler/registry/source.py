"""The source registry: outlets as data (TOML `[[source]]` tables), validated into frozen dataclasses.

Loading fails fast with a `RegistryError` that names the entry, the field and the fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.dates.durations import parse_duration
from crawler.registry.file import MAX_REGISTRY_BYTES, RegistryError, read_registry_text
from crawler.security.urls import UnsafeURLError, check_url

__all__ = ["MAX_ID_LENGTH", "MAX_REGISTRY_BYTES", "RegistryError", "Source", "load_registry"]

_DOMAIN = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SOURCE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Ids name storage partitions (`source=<id>` in every object key) and metric labels.
MAX_ID_LENGTH = 64
_KNOWN_KEYS = {
    "id",
    "name",
    "homepage",
    "feeds",
    "sitemaps",
    "allowed_domains",
    "article_pattern",
    "exclude_patterns",
    "sections",
    "wp_json",
    "language",
    "timezone",
    "max_age",
    "recheck_window",
    "drop_selectors",
    "body_selector",
    "max_response_bytes",
    "agency",
    "compare_extractors",
    "skip_tdm_reserved",
}


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    homepage: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_pattern: re.Pattern[str] | None = None
    exclude_patterns: tuple[re.Pattern[str], ...] = ()
    sections: tuple[str, ...] = ()
    wp_json: bool | None = None  # None: detect from the homepage's api.w.org link
    language: str | None = None
    timezone: str = "UTC"
    max_age: timedelta | None = None
    recheck_window: timedelta = timedelta(days=2)
    drop_selectors: tuple[str, ...] = ()
    body_selector: str | None = None
    max_response_bytes: int | None = None
    agency: str | None = None  # the outlet is this news agency: its copies are a cluster's origin
    compare_extractors: bool = False  # trafilatura also tries readability and jusText (slower)
    # Skip articles whose outlet reserves text and data mining; None: NEWSCRAWL_SKIP_TDM_RESERVED decides.
    skip_tdm_reserved: bool | None = None

    @property
    def zone(self) -> ZoneInfo:
        """The outlet's time zone, for dates it prints without one."""
        return ZoneInfo(self.timezone)

    def is_article_url(self, url: str) -> bool:
        if any(pattern.search(url) for pattern in self.exclude_patterns):
            return False
        return self.article_pattern is None or bool(self.article_pattern.search(url))


def default_registry_path() -> Path:
    return Path(str(resources.files("crawler").joinpath("sources.toml")))


def load_registry(path: str | Path | None = None) -> list[Source]:
    path = Path(path) if path is not None else default_registry_path()
    text = read_registry_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{path}: not valid TOML ({error}); fix the syntax") from None
    except RecursionError:
        raise RegistryError(
            f"{path}: arrays or tables nested too deeply to read; a registry needs lists of strings only"
        ) from None
    entries = raw.get("source")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: no [[source]] tables; add at least one outlet")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        where = f"{path}: [[source]] #{position}"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: must be a table")
        source = parse_source(entry, where)
        if source.id in seen:
            raise RegistryError(
                f"{where}: duplicate id {source.id!r} (first used by entry #{seen[source.id]}); "
                "ids are stable forever, give this outlet its own"
            )
        seen[source.id] = position
        sources.append(source)
    return sources


def parse_source(entry: dict[str, Any], where: str) -> Source:
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise RegistryError(
            f"{where}: unknown field(s) {', '.join(unknown)}; "
            f"known fields are {', '.join(sorted(_KNOWN_KEYS))}"
        )
    source_id = _string(entry, "id", where)
    if len(source_id) > MAX_ID_LENGTH:
        raise RegistryError(
            f"{where}: id {source_id[:24] + '...'!r} is {len(source_id)} characters; ids name storage "
            f"partitions, keep them to {MAX_ID_LENGTH} at most"
        )
    if not SOURCE_ID.match(source_id):
        raise RegistryError(f"{where}: id {source_id!r} must be kebab-case (a-z, 0-9, '-')")
    where = f"{where} ({source_id})"
    homepage = _url(_string(entry, "homepage", where), "homepage", where)
    feeds = tuple(_url(u, "feeds", where) for u in _strings(entry, "feeds", where))
    sitemaps = tuple(_url(u, "sitemaps", where) for u in _strings(entry, "sitemaps", where))
    domains = tuple(_domain(d, where) for d in _strings(entry, "allowed_domains", where)) or (
        urlsplit(homepage).hostname or "",
    )
    return Source(
        id=source_id,
        name=_string(entry, "name", where),
        homepage=homepage,
        feeds=feeds,
        sitemaps=sitemaps,
        allowed_domains=tuple(d.lower() for d in domains),
        article_pattern=_optional_regex(entry.get("article_pattern"), "article_pattern", where),
        exclude_patterns=tuple(
            _regex(p, "exclude_patterns", where) for p in _strings(entry, "exclude_patterns", where)
        ),
        sections=tuple(_url(u, "sections", where) for u in _strings(entry, "sections", where)),
        wp_json=_optional_bool(entry, "wp_json", where),
        language=_optional_string(entry, "language", where),
        timezone=_timezone(entry.get("timezone", "UTC"), where),
        max_age=_duration(entry.get("max_age"), "max_age", where),
        recheck_window=_duration(entry.get("recheck_window", "2d"), "recheck_window", where)
        or timedelta(days=2),
        drop_selectors=tuple(
            _selector(s, "drop_selectors", where) for s in _strings(entry, "drop_selectors", where)
        ),
        body_selector=_optional_selector(entry, "body_selector", where),
        max_response_bytes=_optional_size(entry, "max_response_bytes", where),
        agency=_optional_string(entry, "agency", where),
        compare_extractors=_bool(entry, "compare_extractors", where),
        skip_tdm_reserved=_optional_bool(
            entry, "skip_tdm_reserved", where, "to follow NEWSCRAWL_SKIP_TDM_RESERVED"
        ),
    )


def _string(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: field {key!r} is required and must be a non-empty string")
    return _printable(value.strip(), key, where)


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"{where}: field {key!r} must be a list of strings")
    return tuple(v.strip() for v in value)


def _optional_string(entry: dict[str, Any], key: str, where: str) -> str | None:
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


def _optional_selector(entry: dict[str, Any], key: str, where: str) -> str | None:
    value = _optional_string(entry, key, where)
    return None if value is None else _selector(value, key, where)


def _selector(value: str, key: str, where: str) -> str:
    # Extraction compiles these for every page; a bad one must fail here, not drop each article.
    # Imported here: it loads the extraction package, which only a registry with selectors needs now.
    from crawler.extract.options import compile_selector

    try:
        compile_selector(value)
    except ValueError as error:
        raise RegistryError(f"{where}: {key} {value!r} is not a valid CSS selector: {error}") from None
    return value


def _optional_size(entry: dict[str, Any], key: str, where: str) -> int | None:
    value = entry.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise RegistryError(
            f"{where}: {key} must be a positive whole number of bytes, e.g. 20971520, not {value!r}"
        )
    return value


def _url(value: str, key: str, where: str) -> str:
    # The crawl's own check (brackets, ports, spaces, credentials), so a URL it would refuse fails
    # here, before any crawl; private addresses are the crawl's to allow (--allow-private).
    try:
        check_url(value, allow_private=True)
    except UnsafeURLError as error:
        raise RegistryError(f"{where}: {key}: {error}") from None
    return value


def _domain(value: str, where: str) -> str:
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


def _optional_regex(value: Any, key: str, where: str) -> re.Pattern[str] | None:
    return None if value is None else _regex(value, key, where)


def _regex(value: Any, key: str, where: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise RegistryError(f"{where}: {key} must be a regular expression string")
    try:
        return re.compile(value)
    except re.error as error:
        raise RegistryError(
            f"{where}: {key} {value!r} is not a valid regex ({error}); "
            "escape special characters such as '.' or '?'"
        ) from None


def _optional_bool(
    entry: dict[str, Any], key: str, where: str, left_out: str = "to detect it"
) -> bool | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, bool):
        raise RegistryError(f"{where}: {key} must be true or false (or left out {left_out}), not {value!r}")
    return value


def _bool(entry: dict[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise RegistryError(f"{where}: {key} must be true or false, not {value!r}")
    return value


def _timezone(value: Any, where: str) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise RegistryError(
            f"{where}: timezone {value!r} is not an IANA zone name such as 'UTC' or 'Asia/Kolkata'"
        ) from None
    return str(value)


def _duration(value: Any, key: str, where: str) -> timedelta | None:
    if value is None:
        return None
    try:
        return parse_duration(str(value))
    except ValueError as error:
        raise RegistryError(f"{where}: {key}: {error}") from None
    except OverflowError:  # timedelta stops at 999,999,999 days
        raise RegistryError(f"{where}: {key}: {value!r} is too long; give at most a few years") from None

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

from crawler.timewindow import parse_duration

SOURCE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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


class RegistryError(ValueError):
    """The registry file is unusable; the message says which entry and how to fix it."""


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
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such sources file; pass an existing file to --sources") from None
    except OSError as error:  # a directory, no read permission: the path is wrong, not the TOML
        raise RegistryError(
            f"{path}: cannot read the sources file ({error.strerror}); pass a readable TOML file to --sources"
        ) from None
    except UnicodeDecodeError:
        raise RegistryError(f"{path}: not UTF-8 text; save the sources file as UTF-8 TOML") from None
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{path}: not valid TOML ({error}); fix the syntax") from None
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
    if not SOURCE_ID.match(source_id):
        raise RegistryError(f"{where}: id {source_id!r} must be kebab-case (a-z, 0-9, '-')")
    where = f"{where} ({source_id})"
    homepage = _url(_string(entry, "homepage", where), "homepage", where)
    feeds = tuple(_url(u, "feeds", where) for u in _strings(entry, "feeds", where))
    sitemaps = tuple(_url(u, "sitemaps", where) for u in _strings(entry, "sitemaps", where))
    domains = _strings(entry, "allowed_domains", where) or (urlsplit(homepage).hostname or "",)
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
    return value.strip()


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
    return value.strip()


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
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(
            f"{where}: {key} entry {value!r} is not an absolute http(s) URL; write it as https://host/path"
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

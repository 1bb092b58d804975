"""The source registry: outlets as data (TOML `[[source]]` tables), validated into frozen `Source`s.

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
from zoneinfo import ZoneInfo

from crawler.registry import fields
from crawler.registry.file import MAX_REGISTRY_BYTES, RegistryError, read_registry_text

__all__ = ["MAX_ID_LENGTH", "MAX_REGISTRY_BYTES", "RegistryError", "Source", "load_registry"]

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
    source_id = fields.string(entry, "id", where)
    if len(source_id) > MAX_ID_LENGTH:
        raise RegistryError(
            f"{where}: id {source_id[:24] + '...'!r} is {len(source_id)} characters; ids name storage "
            f"partitions, keep them to {MAX_ID_LENGTH} at most"
        )
    if not SOURCE_ID.match(source_id):
        raise RegistryError(f"{where}: id {source_id!r} must be kebab-case (a-z, 0-9, '-')")
    where = f"{where} ({source_id})"
    homepage = fields.url(fields.string(entry, "homepage", where), "homepage", where)
    feeds = tuple(fields.url(u, "feeds", where) for u in fields.strings(entry, "feeds", where))
    sitemaps = tuple(fields.url(u, "sitemaps", where) for u in fields.strings(entry, "sitemaps", where))
    domains = tuple(fields.domain(d, where) for d in fields.strings(entry, "allowed_domains", where)) or (
        urlsplit(homepage).hostname or "",
    )
    return Source(
        id=source_id,
        name=fields.string(entry, "name", where),
        homepage=homepage,
        feeds=feeds,
        sitemaps=sitemaps,
        allowed_domains=tuple(d.lower() for d in domains),
        article_pattern=fields.optional_regex(entry.get("article_pattern"), "article_pattern", where),
        exclude_patterns=tuple(
            fields.regex(p, "exclude_patterns", where)
            for p in fields.strings(entry, "exclude_patterns", where)
        ),
        sections=tuple(fields.url(u, "sections", where) for u in fields.strings(entry, "sections", where)),
        wp_json=fields.optional_bool(entry, "wp_json", where),
        language=fields.optional_string(entry, "language", where),
        timezone=fields.timezone(entry.get("timezone", "UTC"), where),
        max_age=fields.duration(entry.get("max_age"), "max_age", where),
        recheck_window=fields.duration(entry.get("recheck_window", "2d"), "recheck_window", where)
        or timedelta(days=2),
        drop_selectors=tuple(
            fields.selector(s, "drop_selectors", where)
            for s in fields.strings(entry, "drop_selectors", where)
        ),
        body_selector=fields.optional_selector(entry, "body_selector", where),
        max_response_bytes=fields.optional_size(entry, "max_response_bytes", where),
        agency=fields.optional_string(entry, "agency", where),
        compare_extractors=fields.boolean(entry, "compare_extractors", where),
        skip_tdm_reserved=fields.optional_bool(
            entry, "skip_tdm_reserved", where, "to follow NEWSCRAWL_SKIP_TDM_RESERVED"
        ),
    )

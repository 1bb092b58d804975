"""Which sources a crawl covers, and which source a URL given on its own belongs to."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.urls import host_allowed, host_source_id
from crawler.registry import Source, load_registry


def sources_from_settings(settings: Any) -> list[Source]:
    """The registry's sources (NEWSCRAWL_SOURCES_FILE), cut to NEWSCRAWL_SOURCE_IDS when that is set."""
    sources = load_registry(settings.get("NEWSCRAWL_SOURCES_FILE") or None)
    wanted = settings.getlist("NEWSCRAWL_SOURCE_IDS")
    if not wanted:
        return sources
    known = {s.id for s in sources}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise ValueError(
            f"NEWSCRAWL_SOURCE_IDS names unknown source(s) {', '.join(unknown)}; "
            f"known ids are {', '.join(sorted(known))}"
        )
    return [s for s in sources if s.id in wanted]


def source_for_url(sources: list[Source], url: str) -> str:
    """The id of the source a one-off URL belongs to, or one made from its host."""
    # The outlet whose homepage shares the URL's origin (scheme, host, port) first: several outlets
    # can share one host name (ports, an intranet gateway); then any whose domains allow the host.
    origin = _origin(url)
    for source in sources:
        if _origin(source.homepage) == origin:
            return source.id
    for source in sources:
        if host_allowed(url, source.allowed_domains):
            return source.id
    return host_source_id(url)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port

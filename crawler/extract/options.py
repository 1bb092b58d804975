"""`ExtractOptions`: the one per-source options object for extraction, built once and reused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.cssselect import CSSSelector
from lxml.etree import XPath

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ExtractOptions:
    """Per-source extraction settings; validated at construction so a bad registry entry fails early."""

    language: str | None = None
    outlet_name: str | None = None  # the registry's name, cut from titles like og:site_name
    timezone: str = "UTC"
    drop_selectors: tuple[str, ...] = ()
    body_selector: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    # trafilatura's comparison of its main pass with readability's and jusText's output on every page,
    # keeping its choice. Off by default: the comparison then runs only where the main text is suspect
    # and measured rules choose (crawler/extract/candidates.py); on every page it cost 0.0025 F1 on
    # the AEB (docs/extraction.md) and a second extraction per page.
    compare_extractors: bool = False
    # The crawl stores articles only; a one-off fetch extracts any page and says what it is (page_type).
    drop_non_articles: bool = True

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"timezone {self.timezone!r} is not an IANA zone name; use e.g. 'UTC' or 'Asia/Kolkata'"
            ) from None
        for flag in ("compare_extractors", "drop_non_articles"):
            if not isinstance(getattr(self, flag), bool):
                raise ValueError(f"{flag} must be true or false, got {getattr(self, flag)!r}")
        if not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive int, got {self.max_bytes!r}")
        if isinstance(self.drop_selectors, str):
            raise ValueError("drop_selectors must be a tuple of CSS selectors, not one string")
        object.__setattr__(self, "drop_selectors", tuple(self.drop_selectors))
        for selector in (*self.drop_selectors, *((self.body_selector,) if self.body_selector else ())):
            compile_selector(selector)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_source(
        cls, source: Any, max_bytes: int | None = None, *, drop_non_articles: bool = True
    ) -> ExtractOptions:
        """Build from a `crawler.registry.Source` (or anything with the same attributes)."""
        cap = max_bytes or getattr(source, "max_response_bytes", None) or DEFAULT_MAX_BYTES
        return cls(
            language=getattr(source, "language", None),
            outlet_name=getattr(source, "name", None),
            timezone=getattr(source, "timezone", None) or "UTC",
            drop_selectors=tuple(getattr(source, "drop_selectors", ()) or ()),
            body_selector=getattr(source, "body_selector", None),
            max_bytes=cap,
            compare_extractors=getattr(source, "compare_extractors", False),
            drop_non_articles=drop_non_articles,
        )


def compile_selector(selector: str) -> XPath:
    """CSS selector to a compiled XPath; the error names the selector so the registry can be fixed."""
    try:
        return CSSSelector(selector)
    except Exception as error:  # cssselect raises several parser error types
        raise ValueError(f"CSS selector {selector!r} is invalid ({error}); fix it in the registry") from None

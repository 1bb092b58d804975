"""newscrawl's Scrapy project: spiders, pipelines, CLI and the storage layer.

For one-off use from Python, `fetch_article(url)` fetches and extracts one URL as `newscrawl fetch`
does and returns its record.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["FetchError", "FetchFailed", "URLRefused", "__version__", "fetch_article"]


class FetchError(Exception):
    """`fetch_article` could not give a record for `url`; `reason` says why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class URLRefused(FetchError, ValueError):
    """Refused before any request: malformed, not http(s), credentials in it, or a loopback or
    private address without allow_private=True."""


class FetchFailed(FetchError):
    """Fetched but failed: unreachable host, robots.txt, an HTTP error, a page too large, or nothing
    to extract."""


def fetch_article(
    url: str,
    *,
    allow_private: bool = False,
    store: str | None = None,
    sources: str | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 300,
) -> dict[str, Any]:
    """Fetch and extract one article as `newscrawl fetch URL` does, with its guards (address
    policy, size caps, robots.txt), and return the record as a dict.

    `store` gives the dedup verdict against that store's index (default: $NEWSCRAWL_STORE or
    ./newscrawl-data) and writes the record there; without it nothing is written. `sources` is a
    registry file, `settings` Scrapy/newscrawl settings as `-s` takes them. Raises URLRefused or
    FetchFailed (both FetchError).
    """
    from crawler.cli.oneoff import fetch_article as fetch  # Scrapy and the pipeline load only here

    return fetch(
        url, allow_private=allow_private, store=store, sources=sources, settings=settings, timeout=timeout
    )

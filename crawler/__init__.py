"""newscrawl's Scrapy project: spiders, pipelines, CLI and the storage layer.

For one-off use from Python, `fetch_article(url)` fetches and extracts one URL as `newscrawl fetch`
does and returns its record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.cli.oneoff import fetch_article

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


def __getattr__(name: str) -> Any:
    # `fetch_article` lives with the CLI's one-off fetch; Scrapy and the pipeline load only when it is
    # first used, so `import crawler` (the exceptions, the version) stays light.
    if name == "fetch_article":
        from crawler.cli.oneoff import fetch_article

        return fetch_article
    raise AttributeError(f"module 'crawler' has no attribute {name!r}")

"""SECURITY_SETTINGS: the Scrapy settings that switch the network guards on; merged into settings.py.

Their own settings (NEWSCRAWL_ALLOW_PRIVATE, NEWSCRAWL_MAX_HEADER_*) are declared in crawler/defaults.py.
"""

from __future__ import annotations

from typing import Any

MIB = 1024 * 1024

SECURITY_SETTINGS: dict[str, Any] = {
    # Scrapy's consoles run Python code sent to them inside the crawl process: the telnet console,
    # and since Scrapy 2.19 a token-protected HTTP server on localhost that also writes a job file to
    # the user's home. A scheduled crawl needs neither; `-s REMOTE_CONTROL_ENABLED=True` to debug.
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    # Connect-time check of every resolved address (DNS_RESOLVER is deprecated in Scrapy 2.19).
    "TWISTED_DNS_RESOLVER": "crawler.security.resolver.GuardedResolver",
    "DOWNLOADER_MIDDLEWARES": {
        # Before robots.txt (100), so a refused host is never asked for its robots.txt either.
        "crawler.security.middleware.SSRFGuardMiddleware": 40,
        # Between HttpCompressionMiddleware (590) and MetaRefreshMiddleware (580): it sees decompressed
        # bodies, and sets a real text encoding before MetaRefresh's `response.text` would decode with
        # whatever codec the page named (`charset=zlib` raised LookupError there).
        "crawler.security.sanity.ResponseSanityMiddleware": 585,
        # robots.txt per RFC 9309 (a 5xx or an unreachable server means "crawl nothing") is
        # crawler.politeness.robots, which also applies ROBOTSTXT_MAX_BYTES.
    },
    # No handler at all for schemes a crawler has no business with, even if a check is bypassed;
    # http(s) through Scrapy's HTTP/1.1 handler with caps on the response headers (which
    # DOWNLOAD_MAXSIZE does not count) and no download outliving the run's deadline.
    "DOWNLOAD_HANDLERS": {
        "file": None,
        "data": None,
        "ftp": None,
        "s3": None,
        "http": "crawler.security.download.BoundedDownloadHandler",
        "https": "crawler.security.download.BoundedDownloadHandler",
    },
    # The header caps are NEWSCRAWL_MAX_HEADER_BYTES and NEWSCRAWL_MAX_HEADER_COUNT.
    # Applies after decompression too (HttpCompressionMiddleware); per source via
    # request.meta["max_response_bytes"] (the middleware maps it to download_maxsize).
    "DOWNLOAD_MAXSIZE": 10 * MIB,
    "DOWNLOAD_WARNSIZE": 2 * MIB,
    # A slow-drip server gets 30 s for the whole response; a name lookup 10 s (GuardedResolver).
    "DOWNLOAD_TIMEOUT": 30,
    "DNS_TIMEOUT": 10,
    # Truncated bodies (connection reset mid-response) are failures, not half pages.
    "DOWNLOAD_FAIL_ON_DATALOSS": True,
    # Firefox allows 20; a news article is never more than a few hops from its link.
    "REDIRECT_MAX_TIMES": 5,
    "URLLENGTH_LIMIT": 2083,
}

"""Name why a request failed, count it and log it: what a spider's errback calls (`record_failure`).

Scrapy raises some drops where no middleware can count them (RedirectMiddleware's "max redirections",
HttpCompressionMiddleware's decompression cap), so the errback is the one place that sees them all.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from crawler.politeness.deadline import RunEnded
from crawler.politeness.retryafter import HostEnded
from crawler.security.download import HeadersTooLarge
from crawler.security.middleware import RefusedRequest
from crawler.security.sanity import BinaryBody

logger = logging.getLogger(__name__)

# Checked in order; the first match names the reason (stats key `fetch/failed_<reason>_count`).
_BY_TYPE: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((BinaryBody,), "binary"),
    ((HeadersTooLarge,), "headers_too_large"),
    ((RunEnded,), "run_ended"),
    ((HostEnded,), "host_ended"),
    ((DownloadTimeoutError, twisted_errors.TimeoutError), "timeout"),
    ((ResponseDataLossError,), "data_loss"),
    # Scrapy cancels a body that grows past DOWNLOAD_MAXSIZE (or promises to).
    ((DownloadCancelledError,), "too_large"),
    ((CannotResolveHostError, twisted_errors.DNSLookupError), "dns"),
    ((DownloadConnectionRefusedError, twisted_errors.ConnectError), "connect_failed"),
    ((DownloadFailedError, twisted_errors.ConnectionLost, twisted_errors.ConnectionDone), "connection_lost"),
)
_IGNORE_MESSAGES = (
    ("max redirections", "redirect_limit"),
    ("DOWNLOAD_MAXSIZE", "too_large"),
    ("robots.txt", "robots_forbidden"),
)


def failure_reason(exception: BaseException) -> str:
    """A short, stable name for why a request failed (`timeout`, `too_large`, `http_503`, …)."""
    if isinstance(exception, RefusedRequest):
        return f"refused_{exception.reason}"
    if isinstance(exception, HttpError):
        return f"http_{exception.response.status}"
    for types, reason in _BY_TYPE:
        if isinstance(exception, types):
            return reason
    if isinstance(exception, IgnoreRequest):
        message = str(exception)
        for needle, reason in _IGNORE_MESSAGES:
            if needle in message:
                return reason
        return "ignored"
    return "other"


def record_failure(stats: Any, failure: Failure) -> str:
    """Count (`fetch/failed_<reason>_count`) and log one failed request; return the reason.

    Call it from every errback: one bad page never stops a crawl, but it is always accounted for.
    """
    exception = failure.value
    reason = failure_reason(exception)
    stats.inc_value(f"fetch/failed_{reason}_count")
    if isinstance(exception, RefusedRequest):
        return reason  # SSRFGuardMiddleware has logged it with its URL and the fix already
    request = getattr(failure, "request", None)
    url = request.url if request is not None else "?"
    logger.warning("Dropped %s: %s (%s: %s)", url, reason, type(exception).__name__, str(exception)[:200])
    return reason

"""SSRFGuardMiddleware set-up and the failure reasons errbacks count."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler

from crawler.security.failures import failure_reason
from crawler.security.middleware import RefusedRequest, SecurityConfigError, SSRFGuardMiddleware
from crawler.security.settings import SECURITY_SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def test_middleware_refuses_to_start_without_the_guarded_resolver() -> None:
    crawler = get_crawler(settings_dict={"TWISTED_DNS_RESOLVER": "scrapy.resolver.CachingThreadedResolver"})
    with pytest.raises(
        SecurityConfigError, match=re.escape("set it to 'crawler.security.resolver.GuardedResolver'")
    ):
        SSRFGuardMiddleware.from_crawler(crawler)


def test_middleware_starts_with_the_security_settings() -> None:
    crawler = get_crawler(settings_dict=SECURITY_SETTINGS)
    assert SSRFGuardMiddleware.from_crawler(crawler).allow_private is False


def test_refused_requests_reach_errbacks_as_ignore_request() -> None:
    assert issubclass(RefusedRequest, IgnoreRequest)


@pytest.mark.parametrize(
    ("exception", "reason"),
    [
        (RefusedRequest("private_address", "http://10.0.0.1/", "no"), "refused_private_address"),
        (HttpError(Response("http://a.example/", status=503), "x"), "http_503"),
        (IgnoreRequest("max redirections reached"), "redirect_limit"),
        (IgnoreRequest("... exceeded DOWNLOAD_MAXSIZE (10 B) during decompression."), "too_large"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_forbidden"),
        (IgnoreRequest("something else"), "ignored"),
        (DownloadCancelledError(""), "too_large"),
        (DownloadTimeoutError("slow"), "timeout"),
        (CannotResolveHostError("no such host"), "dns"),
        (ValueError("surprise"), "other"),
    ],
)
def test_failures_get_stable_reason_names(exception: BaseException, reason: str) -> None:
    assert failure_reason(exception) == reason


def test_per_source_size_override_maps_to_download_maxsize() -> None:
    crawler = get_crawler(settings_dict={**SECURITY_SETTINGS, "NEWSCRAWL_ALLOW_PRIVATE": True})
    middleware = SSRFGuardMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1/", meta={"max_response_bytes": 1234})
    asyncio.run(middleware.process_request(request))
    assert request.meta["download_maxsize"] == 1234


def test_no_code_execution_console_is_opened() -> None:
    from crawler.run.runner import newscrawl_settings

    settings = newscrawl_settings()
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False


@pytest.mark.parametrize(("enabled", "imported"), [(False, False), (True, True)])
def test_the_remote_control_extension_is_only_loaded_when_enabled(enabled: bool, imported: bool) -> None:
    # Loading it imports aiohttp's web server (0.1 s of each start-up), even just to decline.
    code = (
        "import sys\n"
        "from scrapy import Spider\n"
        "from scrapy.utils.reactor import install_reactor\n"
        "from scrapy.utils.test import get_crawler\n"
        "from crawler.run.runner import newscrawl_settings\n"
        f"settings = newscrawl_settings({{'REMOTE_CONTROL_ENABLED': {enabled}}})\n"
        "install_reactor(settings['TWISTED_REACTOR'])\n"
        "crawler = get_crawler(Spider, settings.copy_to_dict())  # builds the extensions\n"
        "print('aiohttp' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split()[-1] == str(imported)

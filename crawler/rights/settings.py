"""RIGHTS_SETTINGS: the TDM-rights middleware; merged into settings.py.

Its settings (NEWSCRAWL_TDM_RIGHTS, NEWSCRAWL_SKIP_TDM_RESERVED, ...) are declared in crawler/defaults.py.
"""

from __future__ import annotations

from typing import Any

RIGHTS_SETTINGS: dict[str, Any] = {
    # After PoliteRobotsTxtMiddleware (100), whose robots.txt parsers it reads; its process_response
    # runs after retries and redirects, on the response the spider gets.
    "DOWNLOADER_MIDDLEWARES": {"crawler.rights.middleware.TdmRightsMiddleware": 105},
}

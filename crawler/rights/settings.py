"""RIGHTS_SETTINGS: the TDM-rights middleware and its defaults; merged into settings.py."""

from __future__ import annotations

from typing import Any

from crawler.rights.stance import AI_AGENTS

RIGHTS_SETTINGS: dict[str, Any] = {
    # After PoliteRobotsTxtMiddleware (100), whose robots.txt parsers it reads; its process_response
    # runs after retries and redirects, on the response the spider gets.
    "DOWNLOADER_MIDDLEWARES": {"crawler.rights.middleware.TdmRightsMiddleware": 105},
    "NEWSCRAWL_TDM_RIGHTS": True,
    # Record each article's stance, but fetch and store it anyway; a source's `skip_tdm_reserved`
    # in the registry overrides this either way.
    "NEWSCRAWL_SKIP_TDM_RESERVED": False,
    # A real tdmrep.json is a few hundred bytes; a larger one is cut off as too large and ignored.
    "NEWSCRAWL_TDMREP_MAX_BYTES": 256 * 1024,
    # robots.txt groups for these agents count as a TDM reservation (crawler/rights/stance.py says why).
    "NEWSCRAWL_TDM_ROBOTS_AGENTS": list(AI_AGENTS),
}

"""`TdmRightsMiddleware`: the outlet's text-and-data-mining stance on every article fetched.

Reads /.well-known/tdmrep.json once per origin per run, through the whole guarded download path
(robots.txt, SSRF guard, NEWSCRAWL_TDMREP_MAX_BYTES); puts `rights` in the response's meta for the
spider. A reserved article of a source that skips them (`skip_tdm_reserved` in the registry, else
NEWSCRAWL_SKIP_TDM_RESERVED) is refused with `TdmReserved`: before the download when tdmrep.json or
robots.txt already reserve it, after it when the page's headers or meta tags do. Counted per source
(`source/<id>/tdm_reserved_count`); each reserved outlet is named in `rights/reserved/<id>`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.monitoring.counters import counter_key
from crawler.rights.stance import HostRights, host_stance, page_stance
from crawler.rights.tdmrep import TdmRepError, from_headers, from_meta, parse_tdmrep

logger = logging.getLogger(__name__)

RIGHTS_META = "tdm_rights"  # set on the response's meta only: the request is never scheduled again
RESERVED_LOCATIONS_META = "tdm_reserved_locations"  # `sources --check`: what tdmrep.json reserves
KINDS = frozenset({"article", "rights_check"})
TDMREP_PATH = "/.well-known/tdmrep.json"


class TdmReserved(IgnoreRequest):
    """The outlet reserves text and data mining of this page and the run skips reserved pages."""


class TdmRightsMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.skip_default = settings.getbool("NEWSCRAWL_SKIP_TDM_RESERVED")
        self.max_bytes = settings.getint("NEWSCRAWL_TDMREP_MAX_BYTES")
        self.agents = tuple(settings.getlist("NEWSCRAWL_TDM_ROBOTS_AGENTS"))
        self._hosts: dict[str, HostRights] = {}  # origin -> what it says
        self._waiters: dict[str, list[Deferred[HostRights]]] = {}  # origin being read -> who waits

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TdmRightsMiddleware:
        if not crawler.settings.getbool("NEWSCRAWL_TDM_RIGHTS"):
            raise NotConfigured("NEWSCRAWL_TDM_RIGHTS is off")
        return cls(crawler)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get("newscrawl_kind") not in KINDS:
            return
        host = await self.host_rights(request)
        stance = host_stance(host, request.url, _now(), self.agents)
        if stance["tdm_reserved"]:
            self._reserved(request, stance)

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if request.meta.get("newscrawl_kind") not in KINDS:
            return response
        now = _now()
        host = await self.host_rights(request)
        before = host_stance(host, response.url, now, self.agents)
        headers = {
            name.decode("latin-1").lower(): values[0].decode("latin-1")
            for name, values in response.headers.items()
            if values
        }
        html = "html" in headers.get("content-type", "html").lower()
        meta = from_meta(response.body, response.url) if html else None
        stance = page_stance(before, from_headers(headers, response.url), meta, now)
        if stance["tdm_reserved"]:
            self._reserved(request, stance)
        request.meta[RIGHTS_META] = stance
        if request.meta.get("newscrawl_kind") == "rights_check":
            request.meta[RESERVED_LOCATIONS_META] = [rule.location for rule in host.rules if rule.reserved]
        return response

    async def host_rights(self, request: Request) -> HostRights:
        """The origin's tdmrep.json rules and robots.txt, fetched the first time the origin is met."""
        url = urlparse_cached(request)
        origin = f"{url.scheme}://{url.netloc}"
        known = self._hosts.get(origin)
        if known is not None:
            return known
        if origin in self._waiters:
            # One Deferred per waiter: a Deferred passes its result down one callback chain, so a
            # second waiter on a shared one would get what the first one's callback returned (None).
            waiter: Deferred[HostRights] = Deferred()
            self._waiters[origin].append(waiter)
            return await maybe_deferred_to_future(waiter)
        self._waiters[origin] = []
        try:
            rules, rules_seen_at = await self._fetch_tdmrep(origin, request)
            robots = await self._robots(request)
            host = HostRights(rules, rules_seen_at, robots, _now() if robots else None)
        # The requests waiting on this origin must not wait forever; with nothing read, nothing is reserved.
        except Exception as error:
            logger.warning("TDM rights of %s unknown (%s: %s)", origin, type(error).__name__, error)
            host = HostRights()
        self._hosts[origin] = host
        for waiter in self._waiters.pop(origin):
            waiter.callback(host)
        return host

    async def _fetch_tdmrep(self, origin: str, request: Request) -> tuple[tuple[Any, ...], str | None]:
        tdmrep = Request(
            origin + TDMREP_PATH,
            callback=NO_CALLBACK,
            priority=request.priority + 1,
            # No source_id: a missing file is no HTTP error of the outlet's.
            meta={"newscrawl_kind": "tdmrep", "download_maxsize": self.max_bytes},
        )
        try:
            response = await self.crawler.engine.download_async(tdmrep)
        # Any failure to get the file (refused, disallowed, too large, unreachable) means the origin
        # does not publish one we may read; one line and a counter, never a failed crawl.
        except Exception as error:
            self.stats.inc_value("rights/tdmrep_unavailable_count")
            logger.info("%s unavailable (%s: %s)", tdmrep.url, type(error).__name__, str(error)[:200])
            return (), None
        if response.status != 200:
            self.stats.inc_value("rights/tdmrep_absent_count")
            return (), None
        try:
            rules = parse_tdmrep(response.body, response.url)
        except TdmRepError as error:
            self.stats.inc_value("rights/tdmrep_invalid_count")
            logger.warning("ignoring %s: %s", tdmrep.url, error)
            return (), None
        self.stats.inc_value("rights/tdmrep_found_count")
        return rules, _now()

    async def _robots(self, request: Request) -> Any:
        """The robots.txt parser PoliteRobotsTxtMiddleware keeps for this host (None when off)."""
        for middleware in self.crawler.engine.downloader.middleware.middlewares:
            if isinstance(middleware, RobotsTxtMiddleware):
                parser = await middleware.robot_parser(request)
                return None if parser is None else parser.allowed
        return None

    def _reserved(self, request: Request, stance: dict[str, Any]) -> None:
        source_id = request.meta.get("source_id")
        if source_id and f"rights/reserved/{source_id}" not in self.stats.get_stats():
            self.stats.set_value(f"rights/reserved/{source_id}", stance["signal"])
            self.stats.set_value(f"rights/policy/{source_id}", stance["policy"] or "")
            logger.info("%s reserves text and data mining (%s)", source_id, stance["signal"])
        if not self._skips(request):
            return
        if source_id:
            self.stats.inc_value(counter_key(source_id, "tdm_reserved"))
        self.stats.inc_value("rights/skipped_count")
        raise TdmReserved(f"{request.url}: text and data mining reserved ({stance['signal']}); skipped")

    def _skips(self, request: Request) -> bool:
        if request.meta.get("newscrawl_kind") == "rights_check":
            return False  # `sources --check` reports the stance; it stores nothing
        source_id = request.meta.get("source_id")
        source = getattr(self.crawler.spider, "sources_by_id", {}).get(source_id)
        choice = getattr(source, "skip_tdm_reserved", None)
        return self.skip_default if choice is None else bool(choice)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

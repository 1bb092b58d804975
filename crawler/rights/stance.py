"""One outlet's text-and-data-mining stance on one URL: TDMRep first, robots.txt AI rules as a fallback.

Pure: no Scrapy. The record field is `rights: {"tdm_reserved", "policy", "signal", "seen_at"}`.

robots.txt counts as a reservation only where it speaks to AI/TDM crawlers: a URL that a group naming
one of `AI_AGENTS` disallows while the generic (`*`) rules allow it. Rules for everyone are crawl
rules, which newscrawl obeys anyway (ROBOTSTXT_OBEY); a `User-agent: newscrawl` group that disallows
a URL keeps it from being fetched at all, which is stronger than a reservation. Search crawlers
(Googlebot, Bingbot) and user-triggered fetchers (ChatGPT-User) are left out: blocking those says
"not in search" or "no live answers", not "no mining". TDMRep, being explicit about mining, wins
over robots.txt whenever it says anything, 0 included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crawler.rights.tdmrep import Declaration, Rule, match_rules

# Crawlers whose operators publish them as collecting for AI training or text and data mining.
AI_AGENTS = (
    "GPTBot",  # OpenAI, model training
    "Google-Extended",  # Google's token for Gemini/Vertex training (no crawler of its own)
    "CCBot",  # Common Crawl, the corpus most TDM and training sets start from
    "anthropic-ai",
    "ClaudeBot",
    "Applebot-Extended",  # Apple's token for AI training
    "meta-externalagent",  # Meta, AI training
    "Bytespider",  # ByteDance, training
    "cohere-ai",
)
# Matches no named group, so it gets the generic `*` rules.
_GENERIC_AGENT = "x-generic-agent"

TDMREP_FILE = "tdmrep.json"
HEADER = "header"
META = "meta"
ROBOTS = "robots"

Allowed = Callable[[str, str], bool]  # (url, user agent) -> may it fetch; a robots.txt parser's `allowed`


@dataclass(frozen=True)
class HostRights:
    """What an origin says for all its URLs: its tdmrep.json rules and its robots.txt, with when each was read."""

    rules: tuple[Rule, ...] = ()
    rules_seen_at: str | None = None
    robots: Allowed | None = None
    robots_seen_at: str | None = None


def robots_reserving_agent(allowed: Allowed, url: str, agents: tuple[str, ...] = AI_AGENTS) -> str | None:
    """The first AI/TDM agent that robots.txt keeps off `url` while letting crawlers in general fetch it."""
    if not allowed(url, _GENERIC_AGENT):
        return None  # a rule for everyone: a crawl rule, not a statement about mining
    return next((agent for agent in agents if not allowed(url, agent)), None)


def host_stance(host: HostRights, url: str, now: str, agents: tuple[str, ...] = AI_AGENTS) -> dict[str, Any]:
    """The stance known before fetching `url`: its tdmrep.json rule, else robots.txt's AI rules."""
    declaration = match_rules(host.rules, url)
    if declaration is not None:
        return rights(declaration, TDMREP_FILE, host.rules_seen_at or now)
    if host.robots is not None and robots_reserving_agent(host.robots, url, agents):
        return rights(Declaration(True, None), ROBOTS, host.robots_seen_at or now)
    return rights(None, None, now)


def page_stance(
    before: dict[str, Any], header: Declaration | None, meta: Declaration | None, now: str
) -> dict[str, Any]:
    """The spec's processing order: the page's meta tags supersede its headers, which supersede
    tdmrep.json; robots.txt only speaks when no TDMRep signal does."""
    if meta is not None:
        return rights(meta, META, now)
    if header is not None:
        return rights(header, HEADER, now)
    return before


def rights(declaration: Declaration | None, signal: str | None, seen_at: str) -> dict[str, Any]:
    if declaration is None:
        return {"tdm_reserved": False, "policy": None, "signal": None, "seen_at": seen_at}
    policy = declaration.policy if declaration.reserved else None
    return {"tdm_reserved": declaration.reserved, "policy": policy, "signal": signal, "seen_at": seen_at}

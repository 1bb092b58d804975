"""The setting names `-s` knows (Scrapy's, newscrawl's in crawler/defaults.py and the names they
replaced, scrapy-redis's), and the closest one to a misspelt name."""

from __future__ import annotations

import difflib
from functools import cache

from crawler.cli.errors import UsageError
from crawler.defaults import RENAMED
from crawler.frontier.settings import frontier_settings
from crawler.run.runner import newscrawl_settings

# scrapy-redis (the --frontier scheduler) reads these; it has no settings module of its own.
SCRAPY_REDIS = frozenset(
    {
        "DUPEFILTER_DEBUG",
        "DUPEFILTER_KEY",
        "REDIS_CLS",
        "REDIS_ENCODING",
        "REDIS_HOST",
        "REDIS_ITEMS_KEY",
        "REDIS_ITEMS_SERIALIZER",
        "REDIS_PARAMS",
        "REDIS_PORT",
        "REDIS_START_URLS_AS_SET",
        "REDIS_START_URLS_BATCH_SIZE",
        "REDIS_START_URLS_KEY",
        "REDIS_URL",
        "SCHEDULER_DUPEFILTER_CLASS",
        "SCHEDULER_DUPEFILTER_KEY",
        "SCHEDULER_FLUSH_ON_START",
        "SCHEDULER_IDLE_BEFORE_CLOSE",
        "SCHEDULER_PERSIST",
        "SCHEDULER_QUEUE_CLASS",
        "SCHEDULER_QUEUE_KEY",
        "SCHEDULER_SERIALIZER",
    }
)
ALLOW_UNKNOWN_OPTION = "--allow-unknown-setting"


@cache
def known_settings() -> frozenset[str]:
    names = {name for name, _value in newscrawl_settings().items()}
    names |= set(frontier_settings("redis://127.0.0.1:6379/0"))
    return frozenset(names | SCRAPY_REDIS | set(RENAMED))


def check_names(names: list[str]) -> None:
    """Refuse a name no component reads, naming the closest known one: a misspelt
    `-s DOWNLAOD_DELAY=1` would otherwise be ignored without a word."""
    known = known_settings()
    for name in names:
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else "no Scrapy or newscrawl component reads it."
        raise UsageError(
            f"-s {name}: unknown setting; {hint} Pass {ALLOW_UNKNOWN_OPTION} for a custom one "
            "your own components read"
        )

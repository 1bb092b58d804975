"""`-s NAME=VALUE`: Scrapy-style setting overrides on the commands that crawl (as `scrapy crawl -s`)."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Mapping

from scrapy.settings import BaseSettings

from crawler.cli.errors import UsageError
from crawler.cli.setting_names import ALLOW_UNKNOWN_OPTION, check_names
from crawler.defaults import RENAMED
from crawler.run.runner import newscrawl_settings
from crawler.storage import StorageError
from crawler.storage.uri import check_local_path
from dedup import DedupConfig
from dedup.config import SETTING_PREFIX

# A setting whose default has one of these types must convert the way Scrapy's getter converts it;
# bool before int, as True is an int too.
_KINDS = (
    (bool, "getbool", "true or false (or 1 or 0)"),
    (int, "getint", "a whole number"),
    (float, "getfloat", "a number"),
    (list, "getlist", "a comma-separated list"),
    ((dict, BaseSettings), "getdict", "a JSON object"),
)

# Numbers where 0 stops the crawl or means nothing: no concurrency, a DNS lookup that times out at
# once, an interval that spins. Every other number must be 0 or more (a negative timeout or delay
# ends in Scrapy's AssertionErrors), except priorities, which may go either way.
_ABOVE_ZERO = frozenset(
    {
        "AUTOTHROTTLE_TARGET_CONCURRENCY",
        "CONCURRENT_ITEMS",
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "DNS_TIMEOUT",
        "DOWNLOAD_TIMEOUT",
        "FRONTIER_HEARTBEAT_SECONDS",
        "MEMUSAGE_CHECK_INTERVAL_SECONDS",
        "METRICS_INTERVAL",
        "REACTOR_THREADPOOL_MAXSIZE",
        "ROBOTSTXT_MAX_BYTES",
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE",
        "STORAGE_BATCH_SIZE",
    }
)
# Numeric settings whose default is None (meaning another setting's value).
_NUMBERS_DEFAULT_NONE = {"FRONTIER_HOST_DELAY": 0.0}

# Scrapy creates these directories (or opens this file) at start-up, with a traceback if it cannot.
_DIRECTORY_SETTINGS = ("JOBDIR", "HTTPCACHE_DIR")
_FILE_SETTINGS = ("LOG_FILE",)
# Durations in days go into date arithmetic (now minus a window), which stops at year 1: a century is
# more than any window needs, and a typo (99999999999) would otherwise end in an OverflowError.
MAX_DAYS = 36_500
# A delay between requests longer than a day is a typo (1e300), and one Scrapy sleeps through: the
# crawl then hangs, and a graceful stop (SIGTERM, one Ctrl-C) waits on it too.
MAX_DELAY_SECONDS = 86_400
# Each worker is a process holding the extraction stack (~150 MB): more than a few per core only
# thrashes, and a typo (100000) forks until the machine stops.
MAX_EXTRACT_WORKERS = 4 * (os.cpu_count() or 1)


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/newscrawl setting, e.g. -s DOWNLOAD_DELAY=2 (repeatable); an unknown "
        f"name is refused with the closest known one unless {ALLOW_UNKNOWN_OPTION} is given",
    )
    parser.add_argument(
        ALLOW_UNKNOWN_OPTION,
        action="store_true",
        help="let -s set names no Scrapy or newscrawl component reads (your own extensions' settings)",
    )


def parse_overrides(pairs: list[str], *, allow_unknown: bool = False) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or name.strip() != name.strip().upper():
            raise UsageError(f"-s {pair!r}: write settings as NAME=VALUE with an upper-case name")
        overrides[name.strip()] = value
    if not allow_unknown:
        check_names(list(overrides))
    defaults = newscrawl_settings()
    check_types(overrides, defaults)
    check_ranges(overrides, defaults)
    check_paths(overrides)
    check_dedup(overrides)
    return overrides


def check_dedup(overrides: Mapping[str, str]) -> None:
    """The DEDUP_* values as one DedupConfig, here where they were typed: a crawl would only build it
    at start-up (a traceback), and a threshold above 1 would switch dedup off without a word."""
    if any(name.startswith(SETTING_PREFIX) for name in overrides):
        try:
            DedupConfig.from_settings(dict(overrides))
        except ValueError as error:
            raise UsageError(f"-s: {error}") from None


def check_types(overrides: Mapping[str, str], defaults: BaseSettings) -> None:
    """Refuse a value the setting's type cannot take, here where it was typed: Scrapy would only
    fail on it mid-start-up, with a traceback."""
    for name, value in overrides.items():
        default = defaults.get(RENAMED.get(name, name))
        for kind, getter, expected in _KINDS:
            if isinstance(default, kind):
                try:
                    getattr(BaseSettings({name: value}), getter)(name)
                except (ValueError, TypeError):
                    raise UsageError(f"-s {name}={value}: {name} takes {expected}") from None
                break


def check_ranges(overrides: Mapping[str, str], defaults: BaseSettings) -> None:
    """Refuse a number Scrapy would take and then break on (a negative DOWNLOAD_TIMEOUT, zero
    CONCURRENT_REQUESTS, an infinite DOWNLOAD_DELAY), before any crawl starts."""
    for name, value in overrides.items():
        default = defaults.get(RENAMED.get(name, name), _NUMBERS_DEFAULT_NONE.get(name))
        if isinstance(default, bool) or not isinstance(default, (int, float)):
            continue
        try:
            number = float(value)
        except ValueError:
            raise UsageError(f"-s {name}={value}: {name} takes a number") from None
        example = f"e.g. {default}" if default > 0 else "e.g. 1"
        if not math.isfinite(number):
            raise UsageError(f"-s {name}={value}: {name} takes a finite number, {example}")
        if name.endswith(("_PRIORITY", "_PRIORITY_ADJUST")):
            continue
        if name == "EXTRACT_WORKERS" and number > MAX_EXTRACT_WORKERS:
            raise UsageError(
                f"-s {name}={value}: at most {MAX_EXTRACT_WORKERS} extraction workers (4 per CPU) here"
            )
        if name.endswith("_DELAY") and number > MAX_DELAY_SECONDS:
            raise UsageError(
                f"-s {name}={value}: {name} is at most {MAX_DELAY_SECONDS} seconds (a day), {example}"
            )
        if name.endswith("_DAYS") and number > MAX_DAYS:
            raise UsageError(f"-s {name}={value}: {name} is at most {MAX_DAYS} (a century), {example}")
        if RENAMED.get(name, name) in _ABOVE_ZERO and number <= 0:
            raise UsageError(f"-s {name}={value}: {name} must be above 0, {example}")
        if number < 0:
            raise UsageError(f"-s {name}={value}: {name} must be 0 or more, {example}")


def check_paths(overrides: Mapping[str, str]) -> None:
    """A directory Scrapy would create, or a log file it would open, where it cannot: refused here
    rather than in a traceback at start-up."""
    for name, value in overrides.items():
        if name not in _DIRECTORY_SETTINGS + _FILE_SETTINGS or not value:
            continue
        try:
            if name in _FILE_SETTINGS:
                parent = os.path.dirname(os.path.abspath(value))
                if os.path.isdir(value) or not os.path.isdir(parent):
                    raise StorageError(f"{value} must be a file in an existing directory")
                check_local_path(parent, write=True, what=f"{name} directory")
            else:
                check_local_path(value, write=True, what=name)
        except (StorageError, ValueError) as error:
            raise UsageError(f"-s {name}={value}: {error}") from None

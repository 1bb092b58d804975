"""`-s NAME=VALUE`: Scrapy-style setting overrides on the commands that crawl (as `scrapy crawl -s`)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from scrapy.settings import BaseSettings

from crawler.cli.errors import UsageError
from crawler.runner import newscrawl_settings

# A setting whose default has one of these types must convert the way Scrapy's getter converts it;
# bool before int, as True is an int too.
_KINDS = (
    (bool, "getbool", "true or false (or 1 or 0)"),
    (int, "getint", "a whole number"),
    (float, "getfloat", "a number"),
    (list, "getlist", "a comma-separated list"),
    ((dict, BaseSettings), "getdict", "a JSON object"),
)


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/newscrawl setting, e.g. -s DOWNLOAD_DELAY=2 (repeatable)",
    )


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or name.strip() != name.strip().upper():
            raise UsageError(f"-s {pair!r}: write settings as NAME=VALUE with an upper-case name")
        overrides[name.strip()] = value
    check_types(overrides, newscrawl_settings())
    return overrides


def check_types(overrides: Mapping[str, str], defaults: BaseSettings) -> None:
    """Refuse a value the setting's type cannot take, here where it was typed: Scrapy would only
    fail on it mid-start-up, with a traceback."""
    for name, value in overrides.items():
        default = defaults.get(name)
        for kind, getter, expected in _KINDS:
            if isinstance(default, kind):
                try:
                    getattr(BaseSettings({name: value}), getter)(name)
                except (ValueError, TypeError):
                    raise UsageError(f"-s {name}={value}: {name} takes {expected}") from None
                break

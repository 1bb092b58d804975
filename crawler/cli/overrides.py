"""`-s NAME=VALUE`: Scrapy-style setting overrides on the commands that crawl (as `scrapy crawl -s`)."""

from __future__ import annotations

import argparse

from crawler.cli.errors import UsageError


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
    return overrides

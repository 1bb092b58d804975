"""Options every command takes, anywhere on the line (`newscrawl --debug crawl` and `newscrawl crawl
--debug` alike): --debug, --log-level, -q/--quiet, -v/--verbose, and the log level they add up to."""

from __future__ import annotations

import argparse

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def add_global_options(parser: argparse.ArgumentParser, *, on_command: bool = False) -> None:
    """On the top-level parser with real defaults; on each command with none (`SUPPRESS`), so an
    option given before the command name is not reset by the command's parser."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if on_command else value

    group = parser.add_argument_group("global options (anywhere on the line)")
    group.add_argument(
        "--debug", action="store_true", default=default(False), help="show tracebacks and debug logs"
    )
    group.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        default=default(None),
        metavar="LEVEL",
        help="log level of the crawl's log on stderr: DEBUG, INFO, WARNING or ERROR (default WARNING "
        "for crawl, ERROR for fetch and demo; -v, -q and --debug shift it)",
    )
    group.add_argument(
        "-v", "--verbose", action="count", default=default(0), help="more log lines (-v INFO, -vv DEBUG)"
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default(False),
        help="errors only: no log below ERROR, and crawl prints no summary",
    )


def log_level(args: argparse.Namespace, default: str) -> str:
    """The level the command logs at: --log-level if given, else --debug, -v/-vv, -q, else `default`."""
    if args.log_level:
        return str(args.log_level)
    if args.debug or args.verbose >= 2:
        return "DEBUG"
    if args.verbose == 1:
        return "INFO"
    if args.quiet:
        return "ERROR"
    return default

"""Entry point: builds the argument parser from the command modules and maps errors to exit codes.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`handler=<function(args) -> int>`. Errors become one line on stderr and an exit code from
`crawler.cli.exitcodes`; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import errno
import gc
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from crawler import __version__
from crawler.cli.errors import CommandError, OutputError
from crawler.cli.globalopts import add_global_options, log_level
from crawler.cli.output import checked_stdout, discard_stdout
from crawler.monitoring.errors import MonitoringConfigError
from crawler.registry import RegistryError

# Order is the order `newscrawl --help` lists them in.
COMMAND_MODULES = (
    "crawler.cli.crawl",
    "crawler.cli.fetch",
    "crawler.cli.sources",
    "crawler.cli.demo",
    "crawler.cli.dedup",
    "crawler.cli.read",
    "crawler.cli.stats",
    "crawler.cli.compact",
)


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad arguments already; keep its message to one line plus usage."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newscrawl", description="Crawl news outlets into clean, deduplicated records.")
    parser.add_argument("--version", action="version", version=f"newscrawl {__version__}")
    add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:  # a command not built yet in this checkout
                continue
            raise
        module.register(subparsers)
    for command in subparsers.choices.values():
        add_global_options(command, on_command=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.debug or args.log_level or args.verbose) and not getattr(args, "scrapy_logs", False):
        # Crawling commands hand logging to Scrapy (LOG_LEVEL), whose root handler prints every
        # logger's lines; a second root handler here would print each of them twice.
        logging.basicConfig(
            level=log_level(args, "WARNING"), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    try:
        with checked_stdout():
            return int(args.handler(args) or 0)
    except OutputError as error:
        discard_stdout()
        if args.debug:
            raise
        # A reader that went away (`newscrawl read | head`) is not news; a full disk is.
        if error.errno != errno.EPIPE:
            print(f"newscrawl {args.command}: error: {error}", file=sys.stderr)
        return 1
    except (CommandError, RegistryError, MonitoringConfigError) as error:
        if args.debug:
            raise
        code = getattr(error, "exit_code", 2)
        print(f"newscrawl {args.command}: error: {error}", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("newscrawl: interrupted", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The `newscrawl` command and `python -m crawler`: `main()`, then exit without a last full collection.

    At exit CPython walks the whole heap with the garbage collector once more: 0.25 s after a crawl
    (Scrapy, scipy, numpy, pyarrow), against 0.04 s frozen. Modules are still torn down and logging
    flushed; only cyclic garbage is left to the OS. `main` stays free of it for in-process callers.
    """
    code = main()
    gc.freeze()
    raise SystemExit(code)

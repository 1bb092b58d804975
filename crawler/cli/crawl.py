"""`newscrawl crawl [SOURCE_ID ...]`: crawl outlets from the registry into the store."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.cli import exitcodes
from crawler.cli.errors import CommandError, UsageError
from crawler.cli.export import add_output_options, feed_settings, output_file
from crawler.cli.globalopts import log_level
from crawler.cli.options import (
    add_sources_option,
    add_store_option,
    open_store_or_fail,
    run_crawl_or_fail,
    select_sources,
    store_uri,
)
from crawler.cli.overrides import add_set_option, parse_overrides
from crawler.cli.summary import format_summary
from crawler.cli.when import window_since
from crawler.defaults import FRONTIER_PREFIX
from crawler.frontier.settings import (
    FrontierError,
    FrontierUnavailable,
    check_redis_url,
    frontier_settings,
)
from crawler.monitoring import format_summary_table
from crawler.monitoring.outcome import FAILED as FAILED_STATUS
from crawler.monitoring.outcome import OK as OK_STATUS


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("crawl", help="crawl outlets into the store", description=__doc__)
    parser.add_argument("source_ids", nargs="*", metavar="SOURCE_ID", help="outlets to crawl (default: all)")
    add_sources_option(parser)
    add_store_option(parser)
    parser.add_argument(
        "--since",
        metavar="WHEN",
        help="skip items older than this: a duration (2d, 12h) or a date (2016-08-01)",
    )
    parser.add_argument(
        "--allow-private", action="store_true", help="allow loopback and private addresses (intranet, tests)"
    )
    parser.add_argument(
        "--frontier",
        metavar="redis://HOST:PORT/DB",
        help="share the request queue, seen-set and dedup index with other workers through Redis",
    )
    parser.add_argument(
        "--frontier-prefix",
        default=FRONTIER_PREFIX,
        metavar="PREFIX",
        help=f"Redis key prefix (default {FRONTIER_PREFIX})",
    )
    parser.add_argument(
        "--max-runtime", type=_seconds, metavar="SECONDS", help="stop the crawl after this long"
    )
    parser.add_argument(
        "--metrics-port", type=int, metavar="PORT", help="serve Prometheus /metrics during the crawl"
    )
    parser.add_argument(
        "--metrics-textfile",
        metavar="PATH",
        help="write Prometheus metrics to PATH.prom (node-exporter textfile)",
    )
    add_set_option(parser)
    add_output_options(parser)
    parser.set_defaults(handler=run, scrapy_logs=True)


def _seconds(text: str) -> int:
    # Scrapy reads CLOSESPIDER_TIMEOUT 0 as "no limit" and a negative one as "close at once".
    try:
        seconds = int(text)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds above 0, e.g. 3000")
    return seconds


def _check_not_empty(args: argparse.Namespace) -> None:
    """An empty value (`--metrics-textfile "$UNSET"`) would be taken as "not given": refuse it."""
    for option, value in (
        ("--frontier", args.frontier),
        ("--metrics-textfile", args.metrics_textfile),
        ("--frontier-prefix", args.frontier_prefix),
    ):
        if value is not None and not value.strip():
            raise UsageError(f"{option} is empty; give a value or leave the option out")


def run(args: argparse.Namespace) -> int:
    sources = select_sources(args.sources, args.source_ids)
    settings = parse_overrides(args.set, allow_unknown=args.allow_unknown_setting)
    store = open_store_or_fail(store_uri(args.store, settings), write=True)
    since = window_since(args.since)
    output = output_file(args)
    _check_not_empty(args)
    overrides: dict[str, object] = {
        "NEWSCRAWL_ALLOW_PRIVATE": args.allow_private,
        "LOG_LEVEL": log_level(args, "WARNING"),
    }
    if args.store:
        overrides["STORAGE_URI"] = args.store
    if args.frontier:
        try:
            overrides.update(frontier_settings(check_redis_url(args.frontier), args.frontier_prefix))
        except FrontierUnavailable as error:
            raise CommandError(str(error)) from None
        except FrontierError as error:
            raise UsageError(str(error)) from None
    if args.metrics_port is not None:
        overrides["METRICS_PORT"] = args.metrics_port
    if args.metrics_textfile:
        overrides["METRICS_TEXTFILE"] = args.metrics_textfile
    if args.max_runtime:
        overrides["CLOSESPIDER_TIMEOUT"] = args.max_runtime
    if output is not None:
        overrides.update(feed_settings(output))
    overrides.update(settings)
    result = run_crawl_or_fail(sources, overrides, spider_kwargs={"since": since})
    if not args.quiet:
        print(format_summary(result, store.describe()))
        if result.report is not None:
            print()
            print(format_summary_table(result.report))
    if result.stats.get("storage/commit_failed"):
        raise CommandError(
            f"the store failed ({result.stats.get('storage/error')}); nothing from this run is visible to "
            "readers, and the next run fetches it again"
        )
    if not result.stats.get("storage/manifest"):
        raise CommandError(f"the run was not committed to {store.describe()}; see the log above")
    return outcome_exit_code(result.report)


def outcome_exit_code(report: dict[str, Any] | None) -> int:
    """0, PARTIAL or FAILED from the run report's outcome, with one stderr line naming the sources
    (the report under reports/ keeps each one's reason)."""
    outcome = (report or {}).get("outcome") or {"status": OK_STATUS}
    flagged = sorted({*outcome["failed"], *outcome["degraded"]}) if outcome["status"] != OK_STATUS else []
    if outcome["status"] == FAILED_STATUS:
        raise CommandError(
            f"no source could be crawled ({', '.join(flagged)}); the run is committed empty and its "
            "report says why for each source"
        )
    if flagged:
        print(
            f"newscrawl crawl: {len(flagged)} source(s) failed or fell below their baseline: "
            f"{', '.join(flagged)} (exit code {exitcodes.PARTIAL})",
            file=sys.stderr,
        )
        # One line per reason, so a scheduled job's log says why without opening the report.
        reasons = [outcome["failed"][s] for s in sorted(outcome["failed"])]
        reasons += [why for s in sorted(outcome["degraded"]) for why in outcome["degraded"][s]]
        for why in reasons:
            print(f"  {why}", file=sys.stderr)
        return exitcodes.PARTIAL
    return exitcodes.OK

"""`newscrawl compact`: rewrite the many small article parts of each (date, source) into a few, as a
new committed run; readers see the same articles before, during and after.

Damaged parts are left as they are and named on stderr (exit code 3). Superseded parts are kept:
readers in flight and `read --after` keep using them.
"""

from __future__ import annotations

import argparse
import sys

from crawler.cli.damaged import EXIT_SKIPPED_DAMAGED
from crawler.cli.errors import CommandError, UsageError
from crawler.cli.options import EXISTING_STORE_HELP, add_store_option, check_source_id, open_store_or_fail
from crawler.cli.when import when_date
from crawler.storage import StorageError
from crawler.storage.compaction import DEFAULT_TARGET_BYTES, CompactionResult, compact


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("compact", help="merge small article parts", description=__doc__)
    add_store_option(parser, EXISTING_STORE_HELP)
    parser.add_argument(
        "--date",
        metavar="DATE",
        help="only partitions of this date (YYYY-MM-DD, or 1d for yesterday's)",
    )
    parser.add_argument("--source", metavar="ID", help="only partitions of this source id")
    parser.add_argument(
        "--target-bytes",
        metavar="N",
        type=int,
        default=DEFAULT_TARGET_BYTES,
        help=f"Parquet bytes per compacted part (default {DEFAULT_TARGET_BYTES})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.target_bytes < 1:
        raise UsageError(f"--target-bytes {args.target_bytes} must be a positive number of bytes")
    check_source_id(args.source)
    store = open_store_or_fail(args.store, write=True, missing_ok=False)
    try:
        result = compact(store, when_date("--date", args.date), args.source, args.target_bytes)
    except StorageError as error:
        raise CommandError(str(error)) from None
    finally:
        store.close()
    print(summary(result), file=sys.stderr)
    for damaged in result.damaged:
        print(f"newscrawl compact: left damaged {damaged}", file=sys.stderr)
    return EXIT_SKIPPED_DAMAGED if result.damaged else 0


def summary(result: CompactionResult) -> str:
    held = f"; {_count(len(result.held_back), 'part')} held back" if result.held_back else ""
    if result.checkpoint is None:
        return f"nothing to compact: no partition has more than one part to merge{held}"
    return (
        f"compacted {_count(result.superseded, 'part')} of {_count(result.partitions, 'partition')} "
        f"into {result.written} ({_count(result.articles, 'article')}){held}; checkpoint {result.checkpoint}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

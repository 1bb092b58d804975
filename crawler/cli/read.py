"""`newscrawl read`: committed articles from a store as JSON Lines or Parquet, all or only what is new.

With --after CHECKPOINT only runs committed after that checkpoint are read; the checkpoint to pass
next time is printed on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.cli.damaged import DamageReport, add_skip_damaged_option, store_errors
from crawler.cli.errors import OutputError, UsageError
from crawler.cli.options import EXISTING_STORE_HELP, add_store_option, check_source_id, open_store_or_fail
from crawler.cli.when import date_window
from crawler.storage import Reader, StorageError, keys
from crawler.storage.parquet import ARTICLE_SCHEMA, article_row


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("read", help="read stored articles", description=__doc__)
    add_store_option(parser, EXISTING_STORE_HELP)
    window = parser.add_mutually_exclusive_group()
    window.add_argument(
        "--since",
        metavar="WHEN",
        help="articles filed on or after WHEN: a date (2016-08-01) or a duration (2d)",
    )
    window.add_argument("--after", metavar="CHECKPOINT", help="only runs committed after CHECKPOINT")
    parser.add_argument(
        "--until", metavar="WHEN", help="articles filed on or before WHEN: a date or a duration back from now"
    )
    parser.add_argument("--source", metavar="ID", help="only this source id")
    parser.add_argument("--no-duplicates", action="store_true", help="leave out syndicated copies")
    parser.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl", help="default: jsonl")
    parser.add_argument("--out", metavar="PATH", help="write here instead of standard output")
    add_skip_damaged_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    args.since, args.until = date_window(args.since, args.until)
    check_source_id(args.source)
    if args.after is not None:
        try:
            keys.validate_checkpoint(args.after)
        except StorageError as error:
            raise UsageError(str(error)) from None
    if args.format == "parquet" and args.out is None and sys.stdout.isatty():
        raise UsageError("--format parquet is binary; give --out FILE or redirect standard output to a file")
    store = open_store_or_fail(args.store, missing_ok=False)
    damage = DamageReport("read")
    with store_errors(store):
        reader = Reader(store, on_damaged=damage if args.skip_damaged else None)
        # Taken first: a run committed while we read is then read again next time, never skipped.
        latest = reader_checkpoint(reader)
        _check_after(args.after, latest, store.describe())
        checkpoint = latest or args.after
        records = reader.articles(
            args.since, args.until, args.source, include_duplicates=not args.no_duplicates, after=args.after
        )
        count = _write(records, args.format, args.out)
    noun = "article" if count == 1 else "articles"
    print(f"{count} {noun}; next checkpoint: {checkpoint or 'none'} (--after)", file=sys.stderr)
    return damage.exit_code()


def _check_after(after: str | None, latest: str | None, where: str) -> None:
    """Checkpoints only grow: one past this store's last run was printed by a read of another store
    (a mistyped --store), and reading after it would return nothing, now and on every later read."""
    if after is not None and after > (latest or keys.checkpoint(0)):
        raise UsageError(
            f"--after {after} is past the last run in {where} ({latest or 'none committed'}); "
            "pass a checkpoint a read of this store printed, or check --store"
        )


def reader_checkpoint(reader: Reader) -> str | None:
    checkpoints = [checkpoint for checkpoint, _manifest in reader.changes(None)]
    return checkpoints[-1] if checkpoints else None


def _write(records: Iterable[dict[str, Any]], fmt: str, out: str | None) -> int:
    """Stream the records to `out` (or stdout); returns how many were written."""
    if out is None:
        sys.stdout.flush()
        try:
            return _write_to(sys.stdout.buffer, records, fmt)
        except OSError as error:
            # A full disk, or the reader went away (`newscrawl read | head`): status 1 either way,
            # and no checkpoint for articles that were never delivered.
            raise OutputError(error) from None
    try:
        with open(out, "wb") as handle:
            return _write_to(handle, records, fmt)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror}; pick a writable --out path") from None


def _write_to(handle: BinaryIO, records: Iterable[dict[str, Any]], fmt: str) -> int:
    count = 0
    if fmt == "jsonl":
        for record in records:
            handle.write((json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode())
            count += 1
    else:  # row groups of 1000, so memory stays flat however much is read
        with pq.ParquetWriter(handle, ARTICLE_SCHEMA, compression="zstd") as parquet:
            for chunk in _chunks(records, 1000):
                parquet.write_table(
                    pa.Table.from_pylist([article_row(r) for r in chunk], schema=ARTICLE_SCHEMA)
                )
                count += len(chunk)
    handle.flush()
    return count


def _chunks(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

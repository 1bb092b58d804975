"""`newscrawl read`: committed articles from a store as JSON Lines or Parquet, all or only what is new.

With --after CHECKPOINT only runs committed after that checkpoint are read; the checkpoint to pass
next time is printed on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

from crawler.cli.errors import CommandError, UsageError
from crawler.storage import Reader, StorageError, Store, open_store
from crawler.storage.keys import validate_checkpoint
from crawler.storage.parquet import encode_parquet

STORE_HELP = "file://PATH or s3://BUCKET[/PREFIX] (default: $NEWSCRAWL_STORE or file://./newscrawl-data)"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("read", help="read stored articles", description=__doc__)
    parser.add_argument("--store", metavar="URI", help=STORE_HELP)
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--since", metavar="DATE", type=parse_date, help="articles filed on or after DATE")
    window.add_argument("--after", metavar="CHECKPOINT", help="only runs committed after CHECKPOINT")
    parser.add_argument("--until", metavar="DATE", type=parse_date, help="articles filed on or before DATE")
    parser.add_argument("--source", metavar="ID", help="only this source id")
    parser.add_argument("--no-duplicates", action="store_true", help="leave out syndicated copies")
    parser.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl", help="default: jsonl")
    parser.add_argument("--out", metavar="PATH", help="write here instead of standard output")
    parser.set_defaults(handler=run)


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


def open_store_or_fail(uri: str | None) -> Store:
    try:
        return open_store(uri)
    except StorageError as error:
        raise UsageError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    if args.after is not None:
        try:
            validate_checkpoint(args.after)
        except StorageError as error:
            raise UsageError(str(error)) from None
    store = open_store_or_fail(args.store)
    try:
        reader = Reader(store)
        if args.after is not None:
            records, checkpoint = _changes(reader, args)
        else:
            # Taken first: a run committed meanwhile is then read again next time, never skipped.
            checkpoint = reader_checkpoint(reader)
            records = list(reader.articles(args.since, args.until, args.source, not args.no_duplicates))
        _write(records, args.format, args.out)
    except StorageError as error:
        raise CommandError(f"{error}") from None
    finally:
        store.close()
    print(f"{len(records)} articles; next checkpoint: {checkpoint or 'none'} (--after)", file=sys.stderr)
    return 0


def reader_checkpoint(reader: Reader) -> str | None:
    checkpoints = [checkpoint for checkpoint, _manifest in reader.changes(None)]
    return checkpoints[-1] if checkpoints else None


def _changes(reader: Reader, args: argparse.Namespace) -> tuple[list[dict[str, Any]], str | None]:
    manifests = [manifest for _checkpoint, manifest in reader.changes(args.after)]
    checkpoint = manifests[-1]["checkpoint"] if manifests else args.after
    return list(_latest(reader, manifests, args)), checkpoint


def _latest(
    reader: Reader, manifests: list[dict[str, Any]], args: argparse.Namespace
) -> Iterator[dict[str, Any]]:
    """Newest run first, each article id once, as `Reader.articles` does for the whole store."""
    seen: set[str] = set()
    for manifest in reversed(manifests):
        for record in reader.run_articles(manifest, None, args.until, args.source):
            if record["id"] not in seen:
                seen.add(record["id"])
                if not (args.no_duplicates and record.get("duplicate_of")):
                    yield record


def _write(records: list[dict[str, Any]], fmt: str, out: str | None) -> None:
    if fmt == "parquet":
        data = encode_parquet(records)
    else:
        data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode()
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        with open(out, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror}; pick a writable --out path") from None

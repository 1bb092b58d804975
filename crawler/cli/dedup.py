"""`newscrawl dedup INPUT.jsonl|- [--out OUT.jsonl] [-s DEDUP_NAME=VALUE]`: re-cluster an export of
article records;
`newscrawl dedup --store URI [--since WHEN] [--until WHEN] [-s DEDUP_NAME=VALUE]`: re-cluster a
store's articles in place. Both use the crawl's DEDUP_* settings.

An export goes through `dedup.batch`, the crawl's own dedup code path; records gain cluster_id,
duplicate_of, similarity, match and minhash. A store goes through `dedup.archive` (out of core, see
`crawler.cli.dedup_store`) and gains a run of cluster records.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from crawler.cli.damaged import add_skip_damaged_option
from crawler.cli.dedup_store import DEFAULT_MEMORY_LIMIT, run_store
from crawler.cli.errors import UsageError
from crawler.cli.options import add_sources_option
from crawler.cli.overrides import add_set_option, parse_overrides
from dedup.batch import BatchInputError, cluster_jsonl
from dedup.config import DedupConfig

# More than a few DuckDB threads per core only thrash, and a typo (100000) starts that many threads,
# which takes minutes before any work begins.
MAX_THREADS = 4 * (os.cpu_count() or 1)
_STORE_ONLY = ("since", "until", "memory_limit", "workdir", "sources", "skip_damaged")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dedup",
        help="cluster syndicated copies in a JSON-lines file of records, or in a store",
        description="Read records (id, text, optional published_at, title, url, source, agency) and write "
        "each with cluster_id, duplicate_of, similarity, match and its MinHash signature; or, with "
        "--store, re-cluster the stored articles and commit their clusters as a new run.",
    )
    parser.add_argument(
        "input",
        metavar="INPUT.jsonl",
        type=Path,
        nargs="?",
        help="records, one JSON object per line ('-': standard input)",
    )
    parser.add_argument("--out", metavar="OUT.jsonl", type=Path, help="where to write (default: stdout)")
    store = parser.add_argument_group("re-clustering a store (instead of INPUT.jsonl)")
    store.add_argument("--store", metavar="URI", help="file://PATH or s3://BUCKET[/PREFIX]")
    store.add_argument(
        "--since", metavar="WHEN", help="articles filed on or after WHEN: a date or a duration"
    )
    store.add_argument(
        "--until", metavar="WHEN", help="articles filed on or before WHEN: a date or a duration"
    )
    store.add_argument(
        "--memory-limit",
        metavar="SIZE",
        default=DEFAULT_MEMORY_LIMIT,
        help=f"DuckDB's memory cap; what does not fit spills to disk (default {DEFAULT_MEMORY_LIMIT})",
    )
    store.add_argument("--threads", metavar="N", type=int, default=2, help="DuckDB threads (default 2)")
    store.add_argument(
        "--workdir", metavar="DIR", type=Path, help="where the database and spill files go (default: $TMPDIR)"
    )
    add_sources_option(parser)
    add_skip_damaged_option(parser)
    add_set_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    args.dedup_config = _config(args.set, args.allow_unknown_setting)
    if args.store is not None:
        if args.input is not None or args.out is not None:
            raise UsageError("give INPUT.jsonl (with --out) or --store, not both")
        if args.threads < 1:
            raise UsageError(f"--threads {args.threads} must be at least 1")
        if args.threads > MAX_THREADS:
            raise UsageError(f"--threads {args.threads}: at most {MAX_THREADS} (4 per CPU) here")
        return run_store(args)
    if args.input is None:
        raise UsageError("give INPUT.jsonl ('-' for standard input) or --store URI")
    given = [name for name in _STORE_ONLY if getattr(args, name) not in (None, False, DEFAULT_MEMORY_LIMIT)]
    if given:
        raise UsageError(f"--{given[0].replace('_', '-')} needs --store; INPUT.jsonl is clustered whole")
    return _run_file(args)


def _run_file(args: argparse.Namespace) -> int:
    from_stdin = str(args.input) == "-"
    if (
        not from_stdin
        and args.out is not None
        and args.out.exists()
        and args.input.exists()
        and args.out.samefile(args.input)
    ):
        # Opening OUT for writing would empty INPUT before a line of it is read.
        raise UsageError(f"--out {args.out} is the input file; write to another file")
    source = _open_input(args.input)
    with source:
        try:
            if args.out is None:
                stats = cluster_jsonl(source, sys.stdout, args.dedup_config)
                report = sys.stderr
            else:
                with args.out.open("w", encoding="utf-8") as out:
                    stats = cluster_jsonl(source, out, args.dedup_config)
                report = sys.stdout
        except BatchInputError as error:
            raise UsageError(f"{_name(args.input)}: {error}") from None
        except UnicodeDecodeError:
            raise UsageError(
                f"{_name(args.input)} is not UTF-8 text; export the records as UTF-8 JSON lines"
            ) from None
        except OSError as error:
            raise UsageError(f"cannot write {args.out}: {error.strerror}") from None
    matches = ", ".join(f"{kind} {count}" for kind, count in sorted(stats.matches.items()))
    print(f"{stats.documents} records, {stats.clusters} clusters ({matches})", file=report)
    return 0


def _config(pairs: list[str], allow_unknown: bool) -> DedupConfig:
    """The DedupConfig `-s DEDUP_NAME=VALUE` describes, as a crawl would build it."""
    overrides = parse_overrides(pairs, allow_unknown=allow_unknown)
    known = DedupConfig().as_settings()
    for name in overrides:
        if name not in known:
            raise UsageError(
                f"-s {name}: `newscrawl dedup` reads only the dedup parameters ({', '.join(sorted(known))})"
            )
    try:
        return DedupConfig.from_settings(overrides)
    except ValueError as error:
        raise UsageError(f"-s: {error}") from None


def _open_input(path: Path) -> TextIO:
    if str(path) == "-":
        # Decoded here with errors="strict", whatever the locale says standard input holds.
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
    try:
        return path.open(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}; give an existing JSON-lines file") from None


def _name(path: Path) -> str:
    return "standard input" if str(path) == "-" else str(path)

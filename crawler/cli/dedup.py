"""`newscrawl dedup INPUT.jsonl|- [--out OUT.jsonl] [-s DEDUP_NAME=VALUE]`: re-cluster an export of
article records, with the crawl's DEDUP_* settings.

Only calls `dedup.batch`, the crawl's own dedup code path; records gain cluster_id, duplicate_of,
similarity, match and minhash.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any, TextIO

from crawler.cli.errors import UsageError
from crawler.cli.overrides import add_set_option, parse_overrides
from dedup.batch import BatchInputError, cluster_jsonl
from dedup.config import DedupConfig


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dedup",
        help="cluster syndicated copies in a JSON-lines file of records",
        description="Read records (id, text, optional published_at, title, url, source, agency) and write "
        "each with cluster_id, duplicate_of, similarity, match and its MinHash signature.",
    )
    parser.add_argument(
        "input",
        metavar="INPUT.jsonl",
        type=Path,
        help="records, one JSON object per line ('-': standard input)",
    )
    parser.add_argument("--out", metavar="OUT.jsonl", type=Path, help="where to write (default: stdout)")
    add_set_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = _config(args.set, args.allow_unknown_setting)
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
                stats = cluster_jsonl(source, sys.stdout, config)
                report = sys.stderr
            else:
                with args.out.open("w", encoding="utf-8") as out:
                    stats = cluster_jsonl(source, out, config)
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

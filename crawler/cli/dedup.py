"""`newscrawl dedup INPUT.jsonl|- [--out OUT.jsonl]`: re-cluster an export of article records.

Only calls `dedup.batch`, the crawl's own dedup code path; records gain cluster_id, duplicate_of,
similarity, match and minhash.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from crawler.cli.errors import UsageError
from dedup.batch import BatchInputError, cluster_jsonl


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dedup",
        help="cluster syndicated copies in a JSON-lines file of records",
        description="Read records (id, text, optional published_at, title, url, source, agency) and write "
        "each with cluster_id, duplicate_of, similarity, match and its MinHash signature.",
    )
    parser.add_argument(
        "input", metavar="INPUT.jsonl", type=Path, help="records, one JSON object per line; - for stdin"
    )
    parser.add_argument("--out", metavar="OUT.jsonl", type=Path, help="where to write (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.exists() and args.input.exists() and args.out.samefile(args.input):
        # Opening OUT for writing would empty INPUT before a line of it is read.
        raise UsageError(f"--out {args.out} is the input file; write to another file")
    name = "stdin" if str(args.input) == "-" else str(args.input)
    try:
        if str(args.input) == "-":
            # stdin as UTF-8 whatever the locale says, left open for the interpreter to close.
            source: TextIO = open(sys.stdin.fileno(), encoding="utf-8", closefd=False)  # noqa: SIM115
        else:
            source = args.input.open(encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"cannot read {args.input}: {error.strerror}; give an existing JSON-lines file"
        ) from None
    with source:
        try:
            if args.out is None:
                stats = cluster_jsonl(source, sys.stdout)
                report = sys.stderr
            else:
                with args.out.open("w", encoding="utf-8") as out:
                    stats = cluster_jsonl(source, out)
                report = sys.stdout
        except BatchInputError as error:
            raise UsageError(f"{name}: {error}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{name} is not UTF-8 text; export the records as UTF-8 JSON lines") from None
        except OSError as error:
            raise UsageError(f"cannot write {args.out}: {error.strerror}") from None
    matches = ", ".join(f"{kind} {count}" for kind, count in sorted(stats.matches.items()))
    print(f"{stats.documents} records, {stats.clusters} clusters ({matches})", file=report)
    return 0

"""A crawl-like writer process for crash and concurrency tests: `python -m tests.storage.writer_child`.

Prints `flushed N` after each batch and `committed CHECKPOINT` at the end. With --wait, it reads a
line from stdin before each step, so the test decides exactly when the process moves on.
"""

from __future__ import annotations

import argparse
import sys

from crawler.storage import RunWriter, open_store
from tests.storage.factories import article, raw_for


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=5)
    parser.add_argument("--source", default="thebricspost")
    parser.add_argument("--tag", default="")
    parser.add_argument(
        "--wait", action="store_true", help="read a stdin line before each batch and the commit"
    )
    args = parser.parse_args()
    store = open_store(args.store)
    writer = RunWriter(store, batch_size=args.batch_size)
    for n in range(args.first, args.first + args.count):
        if args.wait and (n - args.first) % args.batch_size == 0:
            sys.stdin.readline()
        record = article(n, source=args.source, run_tag=args.tag)
        writer.add_article(record, raw_for(record))
        if (n - args.first + 1) % args.batch_size == 0:
            print(f"flushed {(n - args.first + 1) // args.batch_size}", flush=True)
    if args.wait:
        sys.stdin.readline()
    manifest = writer.commit({"articles": args.count})
    print(f"committed {manifest['checkpoint']}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

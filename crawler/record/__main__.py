"""`python -m crawler.record --write | --check`: regenerate, or check, the files made from the record type."""

from __future__ import annotations

import argparse
import sys

from crawler.record.generate import stale, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.record", description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="rewrite the generated files that are stale")
    action.add_argument("--check", action="store_true", help="exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    if args.write:
        for path in write():
            print(f"wrote {path}")
        return 0
    old = stale()
    for path in old:
        print(f"{path} is stale: run python -m crawler.record --write", file=sys.stderr)
    return 1 if old else 0


if __name__ == "__main__":
    sys.exit(main())

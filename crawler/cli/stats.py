"""`newscrawl stats`: what a store holds: runs, articles per day and per source, duplicate rate."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from typing import Any

from crawler.cli.damaged import DamageReport, add_skip_damaged_option, store_errors
from crawler.cli.options import EXISTING_STORE_HELP, add_store_option, open_store_or_fail
from crawler.storage import Reader
from crawler.storage.reader import is_copy
from crawler.storage.records import partition_date


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("stats", help="summarise what a store holds", description=__doc__)
    add_store_option(parser, EXISTING_STORE_HELP)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    add_skip_damaged_option(parser)
    parser.set_defaults(handler=run)


def collect(reader: Reader) -> dict[str, Any]:
    runs = reader.runs()
    per_day: Counter[str] = Counter()
    per_source: Counter[str] = Counter()
    duplicates = total = 0
    origins = reader.cluster_origins()
    for record in reader.articles():
        total += 1
        duplicates += is_copy(record, origins)
        per_day[partition_date(record, date.min).isoformat()] += 1
        per_source[record["source"]] += 1
    return {
        "runs": len(runs),
        "last_run": runs[-1]["run_id"] if runs else None,
        "last_committed_at": runs[-1]["committed_at"] if runs else None,
        "checkpoint": runs[-1]["checkpoint"] if runs else None,
        "articles": total,
        "duplicates": duplicates,
        "duplicate_rate": round(duplicates / total, 4) if total else 0.0,
        "per_day": dict(sorted(per_day.items())),
        "per_source": dict(sorted(per_source.items())),
    }


def format_stats(where: str, stats: dict[str, Any]) -> str:
    lines = [
        f"Store       {where}",
        f"Runs        {stats['runs']} (last {stats['last_run'] or '-'} "
        f"at {stats['last_committed_at'] or '-'}, checkpoint {stats['checkpoint'] or '-'})",
        f"Articles    {stats['articles']}",
        f"Duplicates  {stats['duplicates']} ({stats['duplicate_rate']:.1%} syndicated copies)",
        "",
        "Per day:",
    ]
    lines += [f"  {day}  {count:>7}" for day, count in stats["per_day"].items()]
    lines += ["", "Per source:"]
    lines += [f"  {source:<24} {count:>7}" for source, count in stats["per_source"].items()]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    store = open_store_or_fail(args.store, missing_ok=False)
    damage = DamageReport("stats")
    with store_errors(store):
        stats = collect(Reader(store, on_damaged=damage if args.skip_damaged else None))
    print(json.dumps(stats, sort_keys=True) if args.json else format_stats(store.describe(), stats))
    return damage.exit_code()

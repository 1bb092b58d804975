"""`newscrawl dedup --store URI [--since WHEN] [--until WHEN]`: re-cluster stored articles out of core.

Reads the committed Parquet parts of the dates asked (their stored signatures, and the text of
candidate pairs only), re-clusters them with `dedup.archive` on an embedded DuckDB capped at
--memory-limit, and commits the clusters as a new run: readers (`Reader.clusters()`, `read
--no-duplicates`) follow it from its commit on; a run killed before then leaves nothing visible.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from crawler.cli.damaged import DamageReport, store_errors
from crawler.cli.errors import CommandError, UsageError
from crawler.cli.options import open_store_or_fail
from crawler.cli.when import date_window
from crawler.registry import load_registry
from crawler.storage import Store
from crawler.storage.cluster_run import (
    alone_record,
    archive_parts,
    retired_record,
    stored_memberships,
    write_cluster_run,
)
from dedup.archive import ArchiveDedup

DEFAULT_MEMORY_LIMIT = "2GB"
_MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def check_store_args(args: argparse.Namespace) -> None:
    """Turn --since/--until into dates and refuse what cannot work, before anything is read."""
    args.since, args.until = date_window(args.since, args.until)
    if not _MEMORY.fullmatch(args.memory_limit.strip()):
        raise UsageError(f"--memory-limit {args.memory_limit!r} is not a size; give e.g. 2GB or 512MB")
    if args.workdir is not None and not args.workdir.is_dir():
        raise UsageError(f"--workdir {args.workdir} is not a directory; create it or pick another")


def run_store(args: argparse.Namespace) -> int:
    check_store_args(args)
    agencies = {source.id: source.agency for source in load_registry(args.sources) if source.agency}
    store = open_store_or_fail(args.store, write=True, missing_ok=False)
    report = DamageReport("dedup") if args.skip_damaged else None
    temporary = tempfile.TemporaryDirectory(prefix="newscrawl-dedup-", dir=args.workdir)
    with store_errors(store), temporary as work:
        try:
            summary = _recluster(store, args, agencies, Path(work), report)
        except duckdb.OutOfMemoryException:
            # DuckDB spills what it can to --workdir; below its floor even that fails.
            raise CommandError(
                f"--memory-limit {args.memory_limit} is too little for DuckDB to re-cluster these "
                "articles; raise it (default 2GB)"
            ) from None
    print(summary, file=sys.stderr)
    return report.exit_code() if report is not None else 0


def _recluster(
    store: Store, args: argparse.Namespace, agencies: dict[str, str], work: Path, report: DamageReport | None
) -> str:
    staging = work / "parts"
    staging.mkdir()
    parts = archive_parts(store, args.since, args.until, staging, report)
    if not parts:
        return "nothing to re-cluster: no committed articles in the dates asked"
    with ArchiveDedup(
        work, args.dedup_config, memory_limit=args.memory_limit.strip(), threads=args.threads
    ) as archive:
        archive.load(parts, agencies)
        counts = {"retired": 0, "alone": 0}

        def records() -> Iterator[dict[str, Any]]:
            for cluster in archive.clusters():
                yield cluster.to_record()
            # Written after the new clusters: a retired id is never one of them, an article left alone
            # may name a retired cluster, and the later record of an id is the one readers keep.
            for cluster_id in archive.retired(stored_memberships(store, report)):
                counts["retired"] += 1
                yield retired_record(cluster_id)
            for article_id in archive.stale_copies():
                counts["alone"] += 1
                yield alone_record(article_id)

        def stats() -> dict[str, Any]:
            window = {"since": _day(args.since), "until": _day(args.until)}
            return {"dedup_archive": {**vars(archive.stats), **counts, **window}}

        manifest = write_cluster_run(store, records(), stats)
    found = archive.stats
    return (
        f"{found.documents} articles: {found.clusters} clusters of two or more ({found.clustered} "
        f"articles), {counts['retired']} stored clusters retired, {counts['alone']} copies now alone; "
        f"checkpoint {manifest['checkpoint']}"
    )


def _day(value: Any) -> str | None:
    return None if value is None else str(value)

"""Arguments several commands share (--sources, --store), and turning them into validated values."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from crawler.cli.errors import CommandError, UsageError
from crawler.registry import Source, load_registry
from crawler.run.runner import CrawlResult, run_crawl
from crawler.storage import StorageError, Store, StoreUnavailable, open_store


def add_sources_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources", metavar="FILE", help="source registry TOML file (default: the packaged registry)"
    )


_STORE_URIS = "file://PATH or s3://BUCKET[/PREFIX] (default: $NEWSCRAWL_STORE or file://./newscrawl-data)"
EXISTING_STORE_HELP = f"a store that exists (this command creates none): {_STORE_URIS}"


def add_store_option(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    parser.add_argument("--store", metavar="URI", help=help_text or f"where data goes: {_STORE_URIS}")


def check_source_id(source: str | None) -> None:
    """An empty `--source` (an unset variable) matches no source: refuse it rather than read nothing."""
    if source is not None and not source.strip():
        raise UsageError("--source is empty; give a source id (`newscrawl sources` lists them)")


def select_sources(sources_file: str | None, ids: list[str]) -> list[Source]:
    registry = load_registry(sources_file)
    if not ids:
        return registry
    known = {source.id: source for source in registry}
    unknown = [source_id for source_id in ids if source_id not in known]
    if unknown:
        raise UsageError(
            f"unknown source id(s): {', '.join(unknown)}; `newscrawl sources` lists the known ones "
            f"({', '.join(sorted(known))})"
        )
    return [known[source_id] for source_id in ids]


def store_uri(store_option: str | None, overrides: dict[str, str]) -> str | None:
    """The store the crawl will use: `-s STORAGE_URI=...` is applied after --store, so it wins."""
    return overrides.get("STORAGE_URI", store_option)


@contextmanager
def _store_errors() -> Iterator[None]:
    """Storage failures as command errors: a bad URI is the user's to fix, an unreachable store not."""
    try:
        yield
    except StoreUnavailable as error:
        # The URI is fine; the server, the bucket or the credentials are not: a runtime failure.
        raise CommandError(str(error)) from None
    except StorageError as error:
        raise UsageError(str(error)) from None


def open_store_or_fail(uri: str | None, *, write: bool = False, missing_ok: bool = True) -> Store:
    """The store, checked before any crawl: with `write`, one this run can also write to; without
    `missing_ok`, one that exists (commands that only read or rework a store never create one)."""
    with _store_errors():
        return open_store(uri, write=write, missing_ok=missing_ok)


def run_crawl_or_fail(sources: list[Source], overrides: dict[str, Any], **kwargs: Any) -> CrawlResult:
    """`run_crawl`, with the start-up failures a typed setting causes as one-line errors."""
    try:
        with _store_errors():
            return run_crawl(sources, overrides, **kwargs)
    except ValueError as error:
        # A component refused its setting at start-up (e.g. -s LOG_LEVEL=verbose, a negative
        # DEDUP_WINDOW_DAYS); --debug still shows where.
        raise UsageError(f"cannot start the crawl with these settings: {error}") from None

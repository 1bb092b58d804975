"""`newscrawl fetch URL ...`: one-off fetches through the crawl pipeline, one JSON record per URL.

Each record carries its dedup verdict against the store's index; the store is written only with
--store. Exit code 1 if any URL could not be fetched or extracted, 2 if a URL is malformed or refused
(non-http schemes, credentials, private addresses without --allow-private).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crawler.cli.options import (
    add_sources_option,
    add_store_option,
    open_store_or_fail,
    run_crawl_or_fail,
    store_uri,
)
from crawler.cli.overrides import add_set_option, parse_overrides
from crawler.registry import load_registry
from crawler.runner import CrawlResult
from crawler.security.urls import UnsafeURLError, check_url


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("fetch", help="fetch and extract single URLs", description=__doc__)
    parser.add_argument("urls", nargs="+", metavar="URL")
    add_store_option(
        parser,
        "store to write the records to (default: write nothing; the dedup verdict "
        "uses $NEWSCRAWL_STORE or file://./newscrawl-data)",
    )
    add_sources_option(parser)
    parser.add_argument(
        "--allow-private", action="store_true", help="allow loopback and private addresses (intranet, tests)"
    )
    add_set_option(parser)
    parser.set_defaults(handler=run)


def url_problem(url: str, allow_private: bool) -> str | None:
    """Why a typed URL must not be fetched (scheme, credentials, private host), or None."""
    if printable(url) != url:  # a byte the shell passed that is not UTF-8 (Python keeps it as a surrogate)
        return f"'{printable(url)}' has a byte that is not UTF-8 text; percent-encode it, e.g. %FF"
    try:
        check_url(url, allow_private)
    except UnsafeURLError as error:
        return str(error)
    return None


def run(args: argparse.Namespace) -> int:
    sources = load_registry(args.sources)
    settings = parse_overrides(args.set)
    store = open_store_or_fail(store_uri(args.store, settings), write=args.store is not None)
    problems = {url: url_problem(url, args.allow_private) for url in args.urls}
    good = [url for url in args.urls if problems[url] is None]
    result = CrawlResult(stats={})
    if good:
        overrides: dict[str, Any] = {
            "NEWSCRAWL_ALLOW_PRIVATE": args.allow_private,
            "STORAGE_WRITE": bool(args.store),
            # Shown, never stored: a page that is no article gets its text and page_type.
            "EXTRACT_DROP_NON_ARTICLES": bool(args.store),
            "LOG_LEVEL": "DEBUG" if args.debug else "ERROR",
        }
        if args.store:
            overrides["STORAGE_URI"] = args.store
        overrides.update(settings)
        result = run_crawl_or_fail(sources, overrides, urls=good, keep_items=True)
    lines = [line_for(url, problems[url], result) for url in args.urls]
    for line in lines:
        print(json.dumps(line, ensure_ascii=False, default=str))
    if any(problems.values()):
        return 2
    if any("error" in line for line in lines):
        return 1
    if args.store:
        print(f"stored in {store.describe()}", file=sys.stderr)
    return 0


def printable(url: str) -> str:
    """`url` with any undecodable command-line byte shown as `\\xff`, so it can be printed as JSON."""
    return url.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def line_for(url: str, problem: str | None, result: CrawlResult) -> dict[str, Any]:
    if problem:
        return {"url": printable(url), "error": problem}
    for item in result.items:
        if item.get("url") == url:
            return item
    for item, reason, message in result.dropped:
        if item.get("url") == url:
            return {"url": url, "final_url": item.get("final_url"), "error": f"{reason}: {message}"}
    return {"url": url, "error": "not fetched (refused by robots.txt or the network policy; see --debug)"}

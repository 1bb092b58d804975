"""`newscrawl fetch URL ...` (or `-i FILE`, a URL per line): one-off fetches through the crawl
pipeline, one JSON record per URL (or the text, or Markdown), or into a file with -o/-O.

Each record carries its dedup verdict against the store's index; the store is written only with
--store. Exit code 1 if any URL could not be fetched or extracted, 2 if a URL is malformed or refused
(non-http schemes, credentials, private addresses without --allow-private).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crawler.cli.errors import UsageError
from crawler.cli.export import OutputFile, add_output_options, output_file, write_records
from crawler.cli.globalopts import log_level
from crawler.cli.options import (
    add_sources_option,
    add_store_option,
    open_store_or_fail,
    run_crawl_or_fail,
    store_uri,
)
from crawler.cli.overrides import add_set_option, parse_overrides
from crawler.cli.render import FORMATS, as_markdown, as_text
from crawler.registry import load_registry
from crawler.run.runner import CrawlResult
from crawler.security.urls import UnsafeURLError, check_url


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("fetch", help="fetch and extract single URLs", description=__doc__)
    parser.add_argument("urls", nargs="*", metavar="URL")
    parser.add_argument(
        "-i",
        "--input-file",
        metavar="FILE",
        help="also fetch the URLs in FILE, one per line ('-': standard input)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (a record per line, the default), text or markdown",
    )
    add_output_options(parser)
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
    parser.set_defaults(handler=run, scrapy_logs=True)


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
    urls = [*args.urls, *read_url_list(args.input_file)] if args.input_file else list(args.urls)
    if not urls:
        raise UsageError("give at least one URL, or -i FILE with a URL per line")
    output = output_file(args)
    sources = load_registry(args.sources)
    settings = parse_overrides(args.set, allow_unknown=args.allow_unknown_setting)
    store = open_store_or_fail(store_uri(args.store, settings), write=args.store is not None)
    problems = {url: url_problem(url, args.allow_private) for url in urls}
    good = [url for url in urls if problems[url] is None]
    result = CrawlResult(stats={})
    if good:
        result = run_crawl_or_fail(sources, fetch_overrides(args, settings), urls=good, keep_items=True)
    lines = [line_for(url, problems[url], result) for url in urls]
    show(lines, args.format, output)
    if any(problems.values()):
        return 2
    if any("error" in line for line in lines):
        return 1
    if args.store:
        print(f"stored in {store.describe()}", file=sys.stderr)
    return 0


def fetch_overrides(args: argparse.Namespace, settings: dict[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {
        "NEWSCRAWL_ALLOW_PRIVATE": args.allow_private,
        "STORAGE_WRITE": bool(args.store),
        # Shown, never stored: a page that is no article gets its text and page_type.
        "EXTRACT_DROP_NON_ARTICLES": bool(args.store),
        "LOG_LEVEL": log_level(args, "ERROR"),
    }
    if args.store:
        overrides["STORAGE_URI"] = args.store
    overrides.update(settings)
    return overrides


MAX_URL_LIST_BYTES = 64 << 20  # a million URLs of 64 bytes


def read_url_list(name: str) -> list[str]:
    """The URLs of `-i FILE`: one per line; blank lines and `#` comments are skipped."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_URL_LIST_BYTES + 1)
        else:
            with open(name, "rb") as handle:
                data = handle.read(MAX_URL_LIST_BYTES + 1)
    except OSError as error:
        raise UsageError(
            f"-i {name}: cannot read it ({error.strerror}); give a file with a URL per line"
        ) from None
    if len(data) > MAX_URL_LIST_BYTES:
        # /dev/zero or a wrong file would otherwise be read into memory whole.
        raise UsageError(f"-i {name}: over {MAX_URL_LIST_BYTES >> 20} MiB; a URL list is one URL per line")
    text = data.decode("utf-8", "surrogateescape")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def show(lines: list[dict[str, Any]], fmt: str, output: OutputFile | None) -> None:
    """Records to the -o file or stdout in `fmt`; failures as JSON lines in json, else on stderr."""
    failed = [line for line in lines if "error" in line]
    if output is not None:
        count = write_records(output, [line for line in lines if "error" not in line])
        print(f"{count} record(s) written to {output.path}", file=sys.stderr)
    elif fmt == "json":
        for line in lines:
            print(json.dumps(line, ensure_ascii=False, default=str))
        return
    else:
        render = as_text if fmt == "text" else as_markdown
        print("\n".join(render(line) for line in lines if "error" not in line), end="")
    for line in failed:
        print(f"newscrawl fetch: {line['url']}: {line['error']}", file=sys.stderr)


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

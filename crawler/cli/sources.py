"""`newscrawl sources`: validate the registry and list its outlets.

--check also reads each outlet's text-and-data-mining stance from its homepage host (robots.txt,
/.well-known/tdmrep.json, the homepage's headers and meta tags): one line per source; exit code 1 if
any outlet could not be checked.
"""

from __future__ import annotations

import argparse

from crawler.cli.options import add_sources_option
from crawler.registry import Source, load_registry


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "sources", help="list and validate the source registry", description=__doc__
    )
    add_sources_option(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="fetch each outlet's robots.txt, tdmrep.json and homepage and report its TDM stance",
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="with --check: allow loopback and private addresses (intranet, tests)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    sources = load_registry(args.sources)
    width = max(len(source.id) for source in sources)
    for source in sources:
        discovery = []
        if source.feeds:
            discovery.append(f"{len(source.feeds)} feed(s)")
        if source.sitemaps:
            discovery.append(f"{len(source.sitemaps)} sitemap(s)")
        if source.wp_json:
            discovery.append("wp-json")
        if source.sections:
            discovery.append(f"{len(source.sections)} section(s)")
        print(
            f"{source.id:<{width}}  {source.name}  {source.homepage}  [{', '.join(discovery) or 'homepage'}]"
        )
    print(f"{len(sources)} source(s) OK")
    if args.check:
        return check(sources, args.allow_private)
    return 0


def check(sources: list[Source], allow_private: bool) -> int:
    from crawler.rights.check import check_sources  # loads Scrapy: only when asked

    verdicts = check_sources(sources, allow_private)
    width = max(len(verdict.source_id) for verdict in verdicts)
    print("text-and-data-mining stance (TDMRep, robots.txt rules for AI crawlers):")
    for verdict in verdicts:
        print(f"  {verdict.line(width)}")
    return 1 if any(verdict.error for verdict in verdicts) else 0

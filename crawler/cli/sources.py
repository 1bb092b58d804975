"""`newscrawl sources`: validate the registry and list its outlets."""

from __future__ import annotations

import argparse

from crawler.cli.options import add_sources_option
from crawler.registry import load_registry


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "sources", help="list and validate the source registry", description=__doc__
    )
    add_sources_option(parser)
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
    return 0

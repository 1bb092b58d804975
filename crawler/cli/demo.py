"""`newscrawl demo`: the offline quick start. Serves the bundled demo news network on 127.0.0.1,
crawls it with the real pipeline into the store, and shows what it found; `--serve` only serves it,
for trying `crawl` and `fetch` against it by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawler.cli.globalopts import log_level
from crawler.cli.options import add_store_option, open_store_or_fail
from crawler.cli.summary import format_summary
from crawler.demo.network import DEMO_CLOCK, load_network
from crawler.demo.server import DemoNetwork
from crawler.registry import load_registry
from crawler.run.runner import run_crawl
from crawler.storage import Reader


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("demo", help="crawl a bundled news network offline", description=__doc__)
    add_store_option(parser)
    parser.add_argument(
        "--serve",
        action="store_true",
        help="only serve the network (until Ctrl-C) and print the crawl and fetch commands to try on it",
    )
    parser.set_defaults(handler=run, scrapy_logs=True)


def run(args: argparse.Namespace) -> int:
    if args.serve:
        return serve()
    store = open_store_or_fail(args.store, write=True)
    with served_network() as (_network, registry):
        sources = load_registry(registry)
        print(f"Serving {len(sources)} demo outlets on 127.0.0.1; crawling them into {store.describe()}\n")
        overrides: dict[str, Any] = {
            "NEWSCRAWL_ALLOW_PRIVATE": True,  # the demo network lives on loopback
            "LOG_LEVEL": log_level(args, "ERROR"),
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
        }
        if args.store:
            overrides["STORAGE_URI"] = args.store
        result = run_crawl(sources, overrides)
    print(format_summary(result, store.describe()))
    if result.stat("storage/article_count") == 0 and not result.errors:
        print("\nNothing new: the store already holds every demo article (an earlier demo run stored them).")
    print()
    print(describe_store(Reader(store), {source.id for source in sources}))
    print(
        "\nRead the store from Python:\n"
        "    from crawler.storage import Reader, open_store\n"
        f"    for article in Reader(open_store({store.describe().split()[0]!r})).articles(): ...\n"
        "or from the shell:  newscrawl read --no-duplicates | head"
    )
    return 0


def describe_store(reader: Reader, source_ids: set[str]) -> str:
    articles = {a["id"]: a for a in reader.articles() if a.get("source") in source_ids}
    per_outlet: dict[str, int] = defaultdict(int)
    for article in articles.values():
        per_outlet[article["source"]] += 1
    lines = ["Articles per outlet:"]
    lines += [f"  {outlet:<16} {count}" for outlet, count in sorted(per_outlet.items())]
    # Cluster records hold the current origin (the agency's copy, else the earliest published).
    clusters = [c for c in reader.clusters() if any(m["id"] in articles for m in c["members"])]
    lines.append(f"\nClusters of syndicated copies: {len(clusters)}")
    for cluster in sorted(clusters, key=lambda c: articles[c["origin"]]["title"] or ""):
        lines.append(f"  cluster {cluster['id']}:")
        for member in sorted(cluster["members"], key=lambda m: m["id"] != cluster["origin"]):
            article = articles[member["id"]]
            role = "origin" if member["id"] == cluster["origin"] else "copy"
            lines.append(f"    [{article['source']}] {article['title']}  <- {role}")
    return "\n".join(lines)


@contextlib.contextmanager
def served_network() -> Iterator[tuple[DemoNetwork, Path]]:
    """The bundled network served on its fixed ports (a note when one is taken), and a registry
    file of its outlets, for as long as the block runs."""
    with (
        DemoNetwork(load_network(now=DEMO_CLOCK), fixed_ports=True) as network,
        tempfile.TemporaryDirectory() as workdir,
    ):
        registry = write_registry(network, Path(workdir))
        warn_if_moved(network)
        yield network, registry


def write_registry(network: DemoNetwork, directory: Path) -> Path:
    registry = directory / "demo-sources.toml"
    registry.write_text(network.registry_toml(), encoding="utf-8")
    return registry


def warn_if_moved(network: DemoNetwork) -> None:
    # Another program holds a demo port: the network still runs, but its article URLs (and so
    # their ids) differ from those of earlier demo runs, which a second run would store again.
    for outlet in network.moved:
        print(f"note: the demo port of {outlet} is taken; serving it on {network.sites[outlet].base_url}")


def serve() -> int:
    """Serve the network until Ctrl-C or SIGTERM, with the commands that crawl and fetch it."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with served_network() as (network, registry):
        print("Serving the demo news network on 127.0.0.1 until Ctrl-C:")
        for outlet_id, site in network.sites.items():
            print(f"  {outlet_id:<16} {site.base_url}/   feed {site.feed_url}")
        first = network.data.articles[0]
        print(
            "\nTry, in another terminal:\n"
            f"  newscrawl crawl --sources {registry} --allow-private\n"
            f"  newscrawl fetch --allow-private {network.url_of(first.outlet, first.path)}",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0

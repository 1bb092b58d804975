"""The demo network's fixed ports: stable URLs when free, a working network when taken."""

from __future__ import annotations

import socket
import urllib.request

from crawler.demo.network import DEMO_CLOCK, load_network
from crawler.demo.server import DemoNetwork


def test_demo_articles_keep_their_urls_from_run_to_run():
    def urls() -> set[str]:
        with DemoNetwork(load_network(now=DEMO_CLOCK), fixed_ports=True) as network:
            assert not network.moved, "a demo port is taken on this machine"
            return set(network.article_urls())

    assert urls() == urls()


def test_a_taken_demo_port_moves_that_outlet_and_says_so():
    data = load_network(now=DEMO_CLOCK)
    outlet = data.outlets[0]
    with socket.socket() as holder:
        # The test before served this port: its closed connections may still be in TIME_WAIT, which
        # only SO_REUSEADDR binds through. A listening holder still keeps the demo server off it.
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", outlet.port))
        holder.listen()
        with DemoNetwork(data, fixed_ports=True) as network:
            assert network.moved == [outlet.id]
            moved = network.sites[outlet.id].base_url
            assert not moved.endswith(f":{outlet.port}")
            with urllib.request.urlopen(moved + "/robots.txt", timeout=10) as response:
                assert b"Sitemap:" in response.read()

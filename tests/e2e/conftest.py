from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demo.network import load_network
from crawler.demo.server import DemoNetwork


@pytest.fixture(scope="module")
def network() -> Iterator[DemoNetwork]:
    """The fake news network (the bundled demo data), served on 127.0.0.1 for this module's tests."""
    with DemoNetwork(load_network()) as running:
        yield running


@pytest.fixture(scope="module")
def registry_file(network: DemoNetwork, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("registry") / "sources.toml"
    path.write_text(network.registry_toml(), encoding="utf-8")
    return path

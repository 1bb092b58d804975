"""Shared fixtures: a real SeaweedFS for the session, per-test S3 prefixes, the fake news network,
fake outlets on loopback hosts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.demo.network import load_network
from crawler.demo.server import DemoNetwork
from tests.support.fakesite import FakeSite
from tests.support.seaweed import SeaweedServer, running_seaweed


@pytest.fixture(scope="session")
def seaweed() -> Iterator[SeaweedServer]:
    with running_seaweed() as server:
        yield server


@pytest.fixture
def s3_env(seaweed: SeaweedServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point boto3 in this process at the session's SeaweedFS; return the variables for children."""
    env = seaweed.env()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def s3_uri(seaweed: SeaweedServer, s3_env: dict[str, str]) -> str:
    """A fresh `s3://bucket/prefix` for one test, so tests never see each other's objects."""
    return f"s3://{seaweed.bucket}/t-{uuid.uuid4().hex[:12]}"


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


@pytest.fixture
def sites() -> Iterator[Callable[[str], FakeSite]]:
    """Factory: sites("127.0.0.2") starts a fake outlet on that loopback address; all closed after."""
    started: list[FakeSite] = []

    def make(host: str = "127.0.0.1") -> FakeSite:
        site = FakeSite(host).start()
        started.append(site)
        return site

    yield make
    for site in started:
        site.close()

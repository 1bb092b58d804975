"""Shared fixtures: a real SeaweedFS for the session, and per-test S3 prefixes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

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

"""Every contract test runs against both backends: a file:// directory and the session's SeaweedFS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import Store, open_store


@pytest.fixture(params=["file", "s3"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "file":
        return f"file://{tmp_path / 'store'}"
    return request.getfixturevalue("s3_uri")


@pytest.fixture
def store(store_uri: str) -> Iterator[Store]:
    with open_store(store_uri) as opened:
        yield opened


@pytest.fixture
def child_env(store_uri: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Environment for writer subprocesses: the S3 variables when the store is S3."""
    import os

    env = dict(os.environ)
    if store_uri.startswith("s3://"):
        env.update(request.getfixturevalue("s3_env"))
    return env

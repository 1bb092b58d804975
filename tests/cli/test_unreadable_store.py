"""A local store, or a part of it, this user may not read: one line naming what could not be read
and a non-zero exit, never a traceback and never a store that reads as if it held less."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import Reader, RunWriter, open_store
from tests.storage.factories import article
from tests.support.cli import ROOT, cli_env

# Root reads anything; without these two capabilities it meets file modes as any user does.
_DROP_ROOT_READ = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _unprivileged(*argv: str) -> subprocess.CompletedProcess[str]:
    prefix = _DROP_ROOT_READ if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "crawler", *argv],
        cwd=ROOT, env=cli_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Path]:
    """A store of three articles; whatever a test locks is unlocked after it."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("root here, and no setpriv to drop the capabilities that let root read anything")
    path = tmp_path / "store"
    with open_store(str(path), write=True) as store:
        writer = RunWriter(store)
        for n in range(3):
            writer.add_article(article(n))
        writer.commit({})
    yield path
    for locked in [path, *path.rglob("*")]:
        locked.chmod(0o755 if locked.is_dir() else 0o644)


def _error_line(result: subprocess.CompletedProcess[str], command: str) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith(f"newscrawl {command}: error: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("command", ["read", "stats"])
def test_a_store_directory_this_user_cannot_read_is_a_usage_error(filled, command):
    filled.chmod(0o000)
    result = _unprivileged(command, "--store", str(filled))
    assert result.returncode == 2, result.stderr[-3000:]
    assert f"store path {filled} is not readable by this user" in _error_line(result, command)


@pytest.mark.parametrize("command", ["read", "stats", "compact"])
def test_unreadable_manifests_are_an_error_not_an_empty_store(filled, command):
    (filled / "manifests").chmod(0o000)
    result = _unprivileged(command, "--store", str(filled))
    assert result.returncode == 1, result.stderr[-3000:]
    line = _error_line(result, command)
    assert f"cannot read {filled / 'manifests'}: Permission denied; fix its permissions" in line


def test_an_unreadable_article_part_is_named(filled):
    with open_store(str(filled)) as store:
        (part,) = Reader.article_entries(Reader(store).runs()[0])
    (filled / part["key"]).chmod(0o000)
    result = _unprivileged("read", "--store", str(filled))
    assert result.returncode == 1, result.stderr[-3000:]
    assert f"cannot read {filled / part['key']}: Permission denied" in _error_line(result, "read")
